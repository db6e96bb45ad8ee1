"""The paper broker's own behaviour: rollback on store failure, refusals raised not reported,
re-entrant handlers, isolated handler failures, expiry on a moving clock, latency."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import pytest

from jts.messages.enums import OrderSide, OrderStatus, OrderType, TimeInForce
from jts.messages.market_data import TradeTick
from jts.messages.trading import (
    OrderAccepted,
    OrderCanceled,
    OrderEvent,
    OrderExpired,
    OrderFilled,
    OrderRejected,
    SubmitOrder,
)
from jts.runtime.backtest.exchange import ExchangeConfig, FixedLatency, SimulatedExchange
from jts.runtime.backtest.exchange.memory_store import InMemoryAccountStore
from jts.runtime.backtest.exchange.ports import DocumentKey, StoredFill
from jts.runtime.paper import PaperBroker
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.errors import (
    ConfigurationError,
    InvalidOrder,
    JtsError,
    OrderNotFound,
    TransientVenueError,
)
from jts.shared_kernel.identifiers import ClientOrderId, InstrumentId, StrategyId, VenueOrderId
from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar
from jts.shared_kernel.venues.catalog import default_registry
from tests.unit.shared_kernel.venues.calendars import krx_test_calendar, kst

BTC = InstrumentId.parse("BTC-KRW.UPBIT")
SAMSUNG = InstrumentId.parse("005930.KRX")
START = 1_767_225_600_000_000_000
PRICE = Decimal(100_000_000)


class FlakyStore(InMemoryAccountStore):
    """Fails the next ``fail`` saves."""

    def __init__(self) -> None:
        super().__init__()
        self.fail = 0

    def save(
        self, account_id: str, documents: Mapping[DocumentKey, str], fills: Sequence[StoredFill]
    ) -> None:
        if self.fail:
            self.fail -= 1
            raise JtsError("disk full")
        super().save(account_id, documents, fills)


def paper(
    store: InMemoryAccountStore | None = None,
    *,
    clock: TestClock | None = None,
    config: ExchangeConfig | None = None,
) -> tuple[PaperBroker, TestClock, list[OrderEvent]]:
    clock = clock or TestClock(START)
    events: list[OrderEvent] = []

    def new_exchange() -> SimulatedExchange:
        return SimulatedExchange(
            instruments=default_registry(),
            calendars={"XKRX": krx_test_calendar(), "24/7": AlwaysOpenCalendar()},
            clock=clock,
            balances={"KRW": Decimal(10_000_000)},
            config=config,
        )

    broker = PaperBroker(
        new_exchange=new_exchange, store=store or InMemoryAccountStore(), account_id="p1"
    )

    async def collect(event: OrderEvent) -> None:
        events.append(event)

    broker.set_event_handler(collect)
    return broker, clock, events


def buy(
    price: Decimal | None = PRICE,
    *,
    name: str = "b1",
    tif: TimeInForce = TimeInForce.GTC,
    instrument: InstrumentId = BTC,
) -> SubmitOrder:
    return SubmitOrder(
        client_order_id=ClientOrderId(name),
        strategy_id=StrategyId("s"),
        instrument_id=instrument,
        side=OrderSide.BUY,
        order_type=OrderType.LIMIT if price is not None else OrderType.MARKET,
        quantity=Decimal("0.01") if instrument == BTC else Decimal(1),
        limit_price=price,
        time_in_force=tif,
        ts_init=0,
    )


def tick(clock: TestClock, price: Decimal) -> TradeTick:
    clock.advance_ns(1)
    return TradeTick(
        instrument_id=BTC, price=price, size=Decimal(1), ts_event=clock.now_ns(), ts_init=0
    )


async def test_a_failed_save_rolls_the_account_back_and_a_retry_succeeds() -> None:
    store = FlakyStore()
    broker, _, events = paper(store)
    await broker.start()
    store.fail = 1

    with pytest.raises(TransientVenueError, match="disk full"):
        await broker.submit(buy())

    assert await broker.order_status(ClientOrderId("b1")) is None
    assert all(b.locked == 0 for b in await broker.balances())
    assert events == []
    venue_order_id = await broker.submit(buy())
    assert [type(e) for e in events] == [OrderAccepted]
    assert await broker.open_orders() != []
    assert venue_order_id


async def test_a_refused_order_raises_and_is_not_reported_twice() -> None:
    broker, _, events = paper()

    with pytest.raises(InvalidOrder) as caught:
        await broker.submit(buy(PRICE + 500))

    assert caught.value.code == "invalid_price_bid"
    assert not any(isinstance(e, OrderRejected) for e in events)


async def test_a_cancel_with_the_wrong_venue_order_id_is_not_found() -> None:
    broker, _, _ = paper()
    await broker.submit(buy())

    with pytest.raises(OrderNotFound):
        await broker.cancel(ClientOrderId("b1"), VenueOrderId("someone-else"))

    report = await broker.order_status(ClientOrderId("b1"))
    assert report is not None
    assert report.status is OrderStatus.ACCEPTED
    assert await broker.order_status(ClientOrderId("b1"), VenueOrderId("someone-else")) is None


async def test_a_handler_may_trade_from_inside_a_report_and_order_is_kept() -> None:
    broker, clock, events = paper()
    await broker.on_market_data(tick(clock, PRICE))

    async def on_event(event: OrderEvent) -> None:
        events.append(event)
        if isinstance(event, OrderFilled) and event.client_order_id == "b1":
            await broker.submit(buy(PRICE - 10_000_000, name="b2"))

    broker.set_event_handler(on_event)
    await broker.submit(buy())
    await broker.on_market_data(tick(clock, PRICE - 1_000_000))

    assert [(type(e).__name__, e.client_order_id) for e in events] == [
        ("OrderAccepted", "b1"),
        ("OrderFilled", "b1"),
        ("OrderAccepted", "b2"),
    ]


async def test_a_failing_handler_does_not_stop_the_reports_after_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    broker, clock, _ = paper()
    seen: list[OrderEvent] = []

    async def flaky(event: OrderEvent) -> None:
        seen.append(event)
        if isinstance(event, OrderAccepted):
            raise RuntimeError("handler bug")

    broker.set_event_handler(flaky)
    await broker.on_market_data(tick(clock, PRICE))
    await broker.submit(buy())
    await broker.on_market_data(tick(clock, PRICE - 1_000_000))

    assert [type(e) for e in seen] == [OrderAccepted, OrderFilled]
    assert "handler bug" in caplog.text


async def test_a_krx_day_order_expires_when_the_clock_passes_the_close() -> None:
    clock = TestClock(kst(2026, 1, 5, 10, 0))
    broker, _, events = paper(clock=clock)
    await broker.submit(buy(Decimal(60000), tif=TimeInForce.DAY, instrument=SAMSUNG))

    clock.set_ns(kst(2026, 1, 5, 15, 31))
    await broker.sync()

    assert isinstance(events[-1], OrderExpired)
    assert events[-1].ts_event == kst(2026, 1, 5, 15, 30)
    assert await broker.open_orders() == []


async def test_a_krx_order_outside_the_session_is_refused() -> None:
    broker, _, _ = paper(clock=TestClock(kst(2026, 1, 5, 20, 0)))

    with pytest.raises(InvalidOrder) as caught:
        await broker.submit(buy(Decimal(60000), instrument=SAMSUNG))

    assert caught.value.code == "APBK0918"


async def test_a_cancel_takes_effect_after_its_latency() -> None:
    broker, clock, events = paper(config=ExchangeConfig(latency=FixedLatency(cancel_ns=1_000)))
    await broker.submit(buy())

    await broker.cancel(ClientOrderId("b1"), None)
    assert not any(isinstance(e, OrderCanceled) for e in events)
    clock.advance_ns(1_000)
    await broker.sync()

    assert isinstance(events[-1], OrderCanceled)


async def test_fills_since_come_from_the_store() -> None:
    store = InMemoryAccountStore()
    broker, clock, _ = paper(store)
    await broker.on_market_data(tick(clock, PRICE))
    await broker.submit(buy())
    await broker.on_market_data(tick(clock, PRICE - 1_000_000))

    (fill,) = await broker.fills_since(0)

    assert (fill.client_order_id, fill.last_price, fill.commission) == (
        "b1",
        PRICE,
        Decimal(500),
    )
    assert store.fills_since("p1", 0)


async def test_a_paper_broker_refuses_an_exchange_that_forgets_finished_orders() -> None:
    with pytest.raises(ConfigurationError, match="keep_closed_orders"):
        paper(config=ExchangeConfig(keep_closed_orders=False))


async def test_market_data_without_changes_writes_nothing() -> None:
    store = InMemoryAccountStore()
    broker, clock, _ = paper(store)
    await broker.start()
    saves = store.saves

    await broker.on_market_data(tick(clock, PRICE))
    await broker.on_market_data(tick(clock, PRICE))

    assert store.saves == saves


async def test_after_a_restart_market_orders_are_valued_at_the_last_fill_price() -> None:
    store = InMemoryAccountStore()
    broker, clock, _ = paper(store)
    await broker.on_market_data(tick(clock, PRICE))
    await broker.submit(buy())
    await broker.on_market_data(tick(clock, PRICE - 1_000_000))

    restarted, _, _ = paper(store, clock=clock)
    await restarted.submit(buy(None, name="b2"))

    krw = {b.currency: b for b in await restarted.balances()}["KRW"]
    assert krw.locked == (PRICE - 1_000_000) * Decimal("1.05") * Decimal("0.01") * Decimal("1.0005")
