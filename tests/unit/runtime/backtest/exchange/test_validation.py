"""Orders the venue refuses, with the venue's own code and words, and what accepted orders lock."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jts.messages.enums import TimeInForce
from jts.messages.trading import OrderExpired, OrderRejected
from jts.runtime.backtest.exchange import ExchangeConfig, ExchangeRejection, SessionPolicy
from jts.shared_kernel.errors import InsufficientFunds, InvalidOrder
from jts.shared_kernel.identifiers import InstrumentId
from tests.unit.runtime.backtest.exchange.helpers import (
    BTC_KRW,
    BTC_USDT,
    BUY,
    CRYPTO_START,
    KRX_OPEN,
    MINUTE,
    SAMSUNG,
    SELL,
    D,
    Market,
    bar,
    market,
    order,
    trade,
)
from tests.unit.shared_kernel.venues.calendars import kst

DAY2_OPEN = kst(2026, 1, 6, 9, 0)


def refused(m: Market, command: object) -> ExchangeRejection:
    result = m.exchange.submit(command)  # type: ignore[arg-type]
    assert isinstance(result, ExchangeRejection), result
    return result


def krx_after_roll() -> Market:
    """Day 1 closed at 70,000; day 2 is open, so the band is 49,000..91,000."""
    m = market(start_ns=KRX_OPEN)
    m.exchange.on_bar(bar(SAMSUNG, KRX_OPEN, (70000, 70500, 69500, 70000)))
    m.exchange.on_bar(bar(SAMSUNG, DAY2_OPEN, (70000, 70500, 69500, 70000)))
    return m.at(DAY2_OPEN + MINUTE)


def test_an_off_grid_krx_price_is_refused_with_the_kis_words_and_published() -> None:
    m = market(start_ns=KRX_OPEN)
    command = order(SAMSUNG, BUY, 1, limit=70050)

    rejection = refused(m, command)

    assert rejection.code == "krx.tick"
    assert rejection.error is InvalidOrder
    assert rejection.rejection.message == "주식주문호가단위 오류입니다."
    (event,) = m.take()
    assert isinstance(event, OrderRejected)
    assert (event.client_order_id, event.code) == (command.client_order_id, "krx.tick")
    assert "70050" in event.reason
    assert m.exchange.order(command.client_order_id) is None


def test_a_krx_limit_beyond_the_daily_band_is_refused() -> None:
    m = krx_after_roll()

    assert refused(m, order(SAMSUNG, BUY, 1, limit=91100)).code == "krx.price_limit"
    assert isinstance(m.exchange.submit(order(SAMSUNG, BUY, 1, limit=91000)), str)


def test_a_krx_stop_trigger_is_held_to_the_grid() -> None:
    m = market(start_ns=KRX_OPEN)

    assert refused(m, order(SAMSUNG, BUY, 1, trigger=70050)).code == "krx.tick"


def test_krx_refuses_orders_outside_the_session() -> None:
    m = market(start_ns=kst(2026, 1, 5, 16, 0))

    rejection = refused(m, order(SAMSUNG, BUY, 1, limit=70000))

    assert (rejection.code, rejection.rejection.message) == (
        "APBK0918",
        "장운영시간이 아닙니다.(주문불가)",
    )
    assert "2026-01-05 16:00:00 KST" in rejection.reason


def test_krx_takes_orders_in_the_opening_auction() -> None:
    m = market(start_ns=kst(2026, 1, 5, 8, 45))

    assert isinstance(m.exchange.submit(order(SAMSUNG, BUY, 1, limit=70000)), str)


def test_krx_refuses_orders_on_a_holiday() -> None:
    m = market(start_ns=kst(2026, 2, 17, 10, 0))  # Lunar New Year

    assert refused(m, order(SAMSUNG, BUY, 1, limit=70000)).code == "APBK0918"


def test_queued_orders_work_from_the_next_session_and_day_orders_expire_at_its_close() -> None:
    m = market(
        start_ns=kst(2026, 1, 5, 15, 30), config=ExchangeConfig(session_policy=SessionPolicy.QUEUE)
    )
    filled = order(SAMSUNG, BUY, 1)
    m.exchange.set_reference_price(SAMSUNG, D(70000))
    day = order(SAMSUNG, BUY, 1, limit=60000, tif=TimeInForce.DAY)
    m.exchange.submit(filled)
    m.exchange.submit(day)

    m.exchange.on_bar(bar(SAMSUNG, DAY2_OPEN, (70100, 70500, 69500, 70000)))
    m.exchange.on_bar(bar(SAMSUNG, kst(2026, 1, 6, 15, 29), (70000, 70000, 70000, 70000)))

    assert [f.last_price for f in m.fills()] == [D(70100)]
    expired = [e for e in m.take() if isinstance(e, OrderExpired)]
    assert [(e.client_order_id, e.ts_event) for e in expired] == [
        (day.client_order_id, kst(2026, 1, 6, 15, 30))
    ]


def test_a_buy_beyond_free_cash_is_refused_in_each_venues_terms() -> None:
    m = market(balances={"KRW": D(1_000), "USDT": D(1)}, start_ns=KRX_OPEN)
    m.exchange.on_trade(trade(BTC_KRW, KRX_OPEN, 100_000_000))
    m.exchange.on_trade(trade(BTC_USDT, KRX_OPEN, 50_000))

    krx = refused(m, order(SAMSUNG, BUY, 1, limit=70000))
    upbit = refused(m, order(BTC_KRW, BUY, "0.001", limit=100_000_000))
    binance = refused(m, order(BTC_USDT, BUY, "0.001", limit=50_000))

    assert (krx.code, krx.error) == ("APBK0952", InsufficientFunds)
    assert (upbit.code, upbit.rejection.message) == (
        "insufficient_funds_bid",
        "주문가능한 금액(KRW)이 부족합니다.",
    )
    assert (binance.code, binance.rejection.message) == (
        "-2010",
        "Account has insufficient balance for requested action.",
    )


def test_selling_more_than_is_free_to_sell_is_refused() -> None:
    m = market(start_ns=KRX_OPEN)
    m.exchange.core.account.holding(SAMSUNG).quantity = D(10)
    assert isinstance(m.exchange.submit(order(SAMSUNG, SELL, 6, limit=70000)), str)

    rejection = refused(m, order(SAMSUNG, SELL, 6, limit=70000))

    assert rejection.error is InsufficientFunds
    assert "only 4 are free" in rejection.reason


def test_upbit_minimum_total_and_binance_filters_are_the_venues_own() -> None:
    m = market()
    m.exchange.on_trade(trade(BTC_USDT, CRYPTO_START, 50_000))

    upbit = refused(m, order(BTC_KRW, BUY, "0.00001", limit=100_000_000))
    binance = refused(m, order(BTC_USDT, BUY, "0.000001", limit=50_000))

    assert upbit.code == "under_min_total_bid"
    assert (binance.code, binance.rejection.message) == ("-1013", "Filter failure: LOT_SIZE")


def test_a_krx_market_buy_reserves_at_the_upper_limit_price() -> None:
    m = krx_after_roll()

    m.exchange.submit(order(SAMSUNG, BUY, 10))

    krw = {b.currency: b for b in m.exchange.balances()}["KRW"]
    assert krw.locked == D(910_000) + D(136)  # 91,000 x 10 plus the floored commission


def test_a_krx_market_buy_is_sized_against_the_upper_limit_like_kis() -> None:
    m = krx_after_roll()
    m.exchange.core.account.balance("KRW").total = D(1_000_000)

    assert refused(m, order(SAMSUNG, BUY, 11)).code == "APBK0952"  # 11 x 91,000 > 1,000,000


def test_a_market_order_before_any_price_is_refused() -> None:
    m = market()

    rejection = refused(m, order(BTC_KRW, BUY, "0.01"))

    assert rejection.code == "sim.no_market_price"


def test_an_unknown_instrument_is_refused() -> None:
    m = market()

    rejection = refused(m, order(InstrumentId.parse("XRP-KRW.UPBIT"), BUY, 1, limit=1000))

    assert rejection.code == "sim.unknown_instrument"


def test_a_reduce_only_order_without_a_position_is_refused() -> None:
    m = market()

    assert refused(m, order(BTC_KRW, SELL, "0.01", limit=100_000_000, reduce_only=True)).code == (
        "sim.reduce_only"
    )


def test_a_gtd_order_already_expired_is_refused() -> None:
    m = market()

    rejection = refused(
        m,
        order(BTC_KRW, BUY, "0.01", limit=100_000_000, tif=TimeInForce.GTD, expire_ns=CRYPTO_START),
    )

    assert rejection.code == "sim.expired"


@pytest.mark.parametrize("rate", [D(0), D("1.5")])
def test_a_participation_rate_outside_zero_to_one_is_refused(rate: Decimal) -> None:
    with pytest.raises(ValueError, match="participation_rate"):
        ExchangeConfig(participation_rate=rate)
