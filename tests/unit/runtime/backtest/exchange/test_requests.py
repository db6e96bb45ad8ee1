"""Time in force, expiries, latency-delayed cancels and modifies, queue priority, idempotency."""

from __future__ import annotations

from jts.messages.enums import OrderStatus, TimeInForce
from jts.messages.trading import (
    ModifyOrder,
    OrderCanceled,
    OrderCancelRejected,
    OrderExpired,
    OrderModified,
    OrderModifyRejected,
)
from jts.runtime.backtest.exchange import ExchangeConfig, ExchangeRejection, FixedLatency
from jts.shared_kernel.errors import OrderNotFound
from jts.shared_kernel.identifiers import ClientOrderId
from tests.unit.runtime.backtest.exchange.helpers import (
    BTC_KRW,
    BUY,
    CRYPTO_START,
    SELL,
    D,
    Market,
    market,
    order,
    trade,
)

T = CRYPTO_START
DAY_NS = 86_400 * 1_000_000_000
PRICE = 100_000_000


def seeded(**kwargs: object) -> Market:
    m = market(**kwargs)  # type: ignore[arg-type]
    m.exchange.on_trade(trade(BTC_KRW, T, PRICE))
    return m.at(T + 1)


def status(m: Market, client_order_id: ClientOrderId) -> OrderStatus:
    report = m.exchange.order(client_order_id)
    assert report is not None
    return report.status


def modify(client_order_id: ClientOrderId, **terms: object) -> ModifyOrder:
    return ModifyOrder(client_order_id=client_order_id, instrument_id=BTC_KRW, ts_init=0, **terms)  # type: ignore[arg-type]


def test_submitting_a_known_client_order_id_again_returns_the_same_order() -> None:
    m = seeded()
    command = order(BTC_KRW, BUY, "0.01", limit=PRICE - 1_000_000)

    first = m.exchange.submit(command)
    second = m.exchange.submit(command)

    assert first == second
    assert len(m.exchange.open_orders()) == 1


def test_ioc_fills_what_the_next_event_allows_and_expires_the_rest() -> None:
    m = seeded(config=ExchangeConfig(participation_rate=D("0.5")))
    command = order(BTC_KRW, BUY, "0.3", tif=TimeInForce.IOC)
    m.exchange.submit(command)

    m.exchange.on_trade(trade(BTC_KRW, T + 2, PRICE, size="0.2"))

    assert [f.last_qty for f in m.fills()] == [D("0.1")]
    assert isinstance(m.take()[-1], OrderExpired)
    assert status(m, command.client_order_id) is OrderStatus.EXPIRED


def test_fok_fills_all_or_nothing() -> None:
    m = seeded(config=ExchangeConfig(participation_rate=D("0.5")))
    too_big = order(BTC_KRW, BUY, "0.3", tif=TimeInForce.FOK)
    fits = order(BTC_KRW, BUY, "0.1", tif=TimeInForce.FOK)
    m.exchange.submit(too_big)
    m.exchange.submit(fits)

    m.exchange.on_trade(trade(BTC_KRW, T + 2, PRICE, size="0.4"))

    assert [(f.client_order_id, f.last_qty) for f in m.fills()] == [
        (fits.client_order_id, D("0.1"))
    ]
    assert status(m, too_big.client_order_id) is OrderStatus.EXPIRED


def test_a_day_order_on_a_24_7_venue_expires_at_utc_midnight() -> None:
    m = seeded()
    command = order(BTC_KRW, BUY, "0.01", limit=PRICE - 1_000_000, tif=TimeInForce.DAY)
    m.exchange.submit(command)

    m.exchange.advance_time(T + DAY_NS - 1)
    assert status(m, command.client_order_id) is OrderStatus.ACCEPTED
    m.exchange.on_trade(trade(BTC_KRW, T + DAY_NS, PRICE))

    (expired,) = [e for e in m.take() if isinstance(e, OrderExpired)]
    assert expired.ts_event == T + DAY_NS
    assert {b.currency: b for b in m.exchange.balances()}["KRW"].locked == 0


def test_a_gtd_order_expires_at_its_time_even_without_market_data() -> None:
    m = seeded()
    command = order(
        BTC_KRW, BUY, "0.01", limit=PRICE - 1_000_000, tif=TimeInForce.GTD, expire_ns=T + 500
    )
    m.exchange.submit(command)

    m.exchange.advance_time(T + 500)

    assert status(m, command.client_order_id) is OrderStatus.EXPIRED


def test_a_cancel_in_flight_does_not_stop_fills_before_it_arrives() -> None:
    m = seeded(config=ExchangeConfig(latency=FixedLatency(cancel_ns=10)))
    command = order(BTC_KRW, BUY, "0.01", limit=PRICE)
    m.exchange.submit(command)

    assert m.exchange.cancel(command.client_order_id) is None
    m.exchange.on_trade(trade(BTC_KRW, T + 5, PRICE - 1_000_000))  # before the cancel arrives
    m.exchange.advance_time(T + 11)

    events = m.take()
    assert status(m, command.client_order_id) is OrderStatus.FILLED
    assert isinstance(events[-1], OrderCancelRejected)


def test_a_cancel_that_arrives_first_ends_the_order() -> None:
    m = seeded(config=ExchangeConfig(latency=FixedLatency(cancel_ns=10)))
    command = order(BTC_KRW, BUY, "0.01", limit=PRICE)
    m.exchange.submit(command)
    m.exchange.cancel(command.client_order_id)

    m.exchange.on_trade(trade(BTC_KRW, T + 11, PRICE - 1_000_000))

    assert m.fills() == []
    canceled = [e for e in m.take() if isinstance(e, OrderCanceled)]
    assert [e.ts_event for e in canceled] == [T + 11]


def test_cancel_of_an_unknown_order_is_refused_as_not_found() -> None:
    m = seeded()

    rejection = m.exchange.cancel(ClientOrderId("nope"))

    assert isinstance(rejection, ExchangeRejection)
    assert rejection.error is OrderNotFound


def test_cancel_of_a_filled_order_is_refused_and_published() -> None:
    m = seeded()
    command = order(BTC_KRW, BUY, "0.01")
    m.exchange.submit(command)
    m.exchange.on_trade(trade(BTC_KRW, T + 2, PRICE))

    rejection = m.exchange.cancel(command.client_order_id)

    assert isinstance(rejection, ExchangeRejection)
    assert rejection.code == "order_not_found"
    assert isinstance(m.take()[-1], OrderCancelRejected)


def test_a_new_price_sends_the_order_to_the_back_of_the_queue() -> None:
    m = seeded(config=ExchangeConfig(participation_rate=D("0.5")))
    first = order(BTC_KRW, BUY, "0.1", limit=PRICE - 2_000_000)
    second = order(BTC_KRW, BUY, "0.1", limit=PRICE - 1_000_000)
    m.exchange.submit(first)
    m.exchange.submit(second)

    m.exchange.modify(modify(first.client_order_id, limit_price=D(PRICE - 1_000_000)))
    m.exchange.on_trade(trade(BTC_KRW, T + 2, PRICE - 3_000_000, size="0.2"))

    assert [f.client_order_id for f in m.fills()] == [second.client_order_id]
    assert any(isinstance(e, OrderModified) for e in m.take())


def test_a_smaller_quantity_keeps_the_place_in_the_queue() -> None:
    m = seeded(config=ExchangeConfig(participation_rate=D("0.5")))
    first = order(BTC_KRW, BUY, "0.2", limit=PRICE - 1_000_000)
    second = order(BTC_KRW, BUY, "0.1", limit=PRICE - 1_000_000)
    m.exchange.submit(first)
    m.exchange.submit(second)

    m.exchange.modify(modify(first.client_order_id, quantity=D("0.1")))
    m.exchange.on_trade(trade(BTC_KRW, T + 2, PRICE - 3_000_000, size="0.2"))

    assert [(f.client_order_id, f.last_qty) for f in m.fills()] == [
        (first.client_order_id, D("0.1"))
    ]
    locked = {b.currency: b for b in m.exchange.balances()}["KRW"].locked
    assert locked == D("0.1") * (PRICE - 1_000_000) * D("1.0005")  # only the second still locks


def test_modify_to_more_than_the_cash_allows_is_refused_at_once() -> None:
    m = seeded(balances={"KRW": D(2_000_000)})
    command = order(BTC_KRW, BUY, "0.01", limit=PRICE - 1_000_000)
    m.exchange.submit(command)

    rejection = m.exchange.modify(modify(command.client_order_id, quantity=D("0.1")))

    assert isinstance(rejection, ExchangeRejection)
    assert rejection.code == "insufficient_funds_bid"
    assert isinstance(m.take()[-1], OrderModifyRejected)


def test_a_modify_arriving_after_the_order_filled_is_refused() -> None:
    m = seeded(config=ExchangeConfig(latency=FixedLatency(modify_ns=10)))
    command = order(BTC_KRW, BUY, "0.01", limit=PRICE)
    m.exchange.submit(command)
    m.exchange.modify(modify(command.client_order_id, limit_price=D(PRICE - 5_000_000)))

    m.exchange.on_trade(trade(BTC_KRW, T + 5, PRICE - 1_000_000))
    m.exchange.advance_time(T + 20)

    assert status(m, command.client_order_id) is OrderStatus.FILLED
    assert isinstance(m.take()[-1], OrderModifyRejected)


def test_a_market_order_cannot_be_modified() -> None:
    m = seeded(config=ExchangeConfig(latency=FixedLatency(submit_ns=100)))
    command = order(BTC_KRW, SELL, "0.01")
    m.exchange.core.account.holding(BTC_KRW).quantity = D(1)
    m.exchange.submit(command)

    rejection = m.exchange.modify(modify(command.client_order_id, quantity=D("0.02")))

    assert isinstance(rejection, ExchangeRejection)
    assert rejection.code == "sim.not_modifiable"


def test_an_untriggered_stop_takes_a_new_trigger() -> None:
    m = seeded()
    m.exchange.core.account.holding(BTC_KRW).quantity = D(1)
    command = order(BTC_KRW, SELL, "0.01", trigger=PRICE - 5_000_000)
    m.exchange.submit(command)

    m.exchange.modify(modify(command.client_order_id, trigger_price=D(PRICE - 1_000_000)))
    m.exchange.on_trade(trade(BTC_KRW, T + 2, PRICE - 2_000_000))

    assert [f.last_price for f in m.fills()] == [D(PRICE - 2_000_000)]
