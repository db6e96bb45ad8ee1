"""Paper accounts on real SQLite and PostgreSQL: a restarted broker resumes exactly.

The same session is run twice: once by one broker that never stops, once by brokers that are
thrown away and rebuilt from the store at every step (a crash after each save). Both must
report the same events, balances, positions, orders and fills, down to requests that were
still travelling to the venue (latency) and partially filled orders.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from jts.adapters.sql.engine import build_engine
from jts.adapters.sql.migrations import upgrade
from jts.adapters.sql.paper_accounts import SqlAccountStore
from jts.messages.enums import OrderSide, OrderType, TimeInForce
from jts.messages.market_data import Bar, TradeTick
from jts.messages.trading import ModifyOrder, OrderEvent, SubmitOrder
from jts.runtime.backtest.exchange import ExchangeConfig, FixedLatency, SimulatedExchange
from jts.runtime.backtest.exchange.memory_store import InMemoryAccountStore
from jts.runtime.backtest.exchange.ports import AccountStore
from jts.runtime.paper import PaperBroker
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.identifiers import ClientOrderId, InstrumentId, StrategyId
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar
from jts.shared_kernel.venues.catalog import default_registry
from tests.services import postgres_url
from tests.unit.shared_kernel.venues.calendars import krx_test_calendar, kst

BTC = InstrumentId.parse("BTC-KRW.UPBIT")
SAMSUNG = InstrumentId.parse("005930.KRX")
MINUTE = 60 * 1_000_000_000
CONFIG = ExchangeConfig(
    participation_rate=Decimal("0.2"), latency=FixedLatency(submit_ns=0, cancel_ns=MINUTE)
)
D = Decimal


def in_schema(url: str, schema: str) -> str:
    parsed = make_url(url)
    options = f"{parsed.query.get('options', '')} -csearch_path={schema}".strip()
    return parsed.update_query_dict({"options": options}).render_as_string(False)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'paper.sqlite3'}"
        engine = build_engine(url)
        upgrade(engine)
        yield engine
        engine.dispose()
        return
    base_url = postgres_url()
    schema = f"paper_{uuid.uuid4().hex[:12]}"
    admin = build_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = build_engine(in_schema(base_url, schema))
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def broker_on(
    store: AccountStore, clock: TestClock, events: list[OrderEvent], account: str
) -> PaperBroker:
    registry = default_registry()

    def new_exchange() -> SimulatedExchange:
        return SimulatedExchange(
            instruments=registry,
            calendars={"XKRX": krx_test_calendar(), "24/7": AlwaysOpenCalendar()},
            clock=clock,
            balances={"KRW": D(50_000_000)},
            config=CONFIG,
        )

    broker = PaperBroker(new_exchange=new_exchange, store=store, account_id=account)

    async def collect(event: OrderEvent) -> None:
        events.append(event)

    broker.set_event_handler(collect)
    return broker


def command(
    name: str,
    instrument: InstrumentId,
    side: OrderSide,
    quantity: str,
    limit: int | None = None,
    *,
    tif: TimeInForce = TimeInForce.GTC,
) -> SubmitOrder:
    return SubmitOrder(
        client_order_id=ClientOrderId(name),
        strategy_id=StrategyId("persist"),
        instrument_id=instrument,
        side=side,
        order_type=OrderType.LIMIT if limit is not None else OrderType.MARKET,
        quantity=D(quantity),
        limit_price=None if limit is None else D(limit),
        time_in_force=tif,
        ts_init=0,
    )


def samsung_bar(start: int, ohlc: tuple[int, int, int, int], volume: int = 100) -> Bar:
    o, h, low, c = (D(v) for v in ohlc)
    return Bar(
        instrument_id=SAMSUNG,
        timeframe=Timeframe(60),
        ts_start=start,
        ts_event=start + MINUTE,
        ts_init=start + MINUTE,
        open=o,
        high=h,
        low=low,
        close=c,
        volume=D(volume),
    )


def btc_trade(ts: int, price: int, size: str = "0.05") -> TradeTick:
    return TradeTick(instrument_id=BTC, price=D(price), size=D(size), ts_event=ts, ts_init=ts)


OPEN = kst(2026, 1, 5, 9, 0)
DAY2 = kst(2026, 1, 6, 9, 0)


def session() -> list[tuple[int, str, object]]:
    """``(clock time, action, argument)`` steps of one trading session and the next."""
    return [
        (OPEN, "data", samsung_bar(OPEN, (70000, 70500, 69500, 70000))),
        (OPEN, "data", btc_trade(OPEN, 100_000_000)),
        (OPEN + MINUTE, "submit", command("buy-mkt", SAMSUNG, OrderSide.BUY, "50")),
        (
            OPEN + MINUTE,
            "submit",
            command("buy-day", SAMSUNG, OrderSide.BUY, "10", 60000, tif=TimeInForce.DAY),
        ),
        (OPEN + MINUTE, "submit", command("btc-lim", BTC, OrderSide.BUY, "0.03", 99_000_000)),
        (
            OPEN + MINUTE,
            "data",
            samsung_bar(OPEN + MINUTE, (70100, 70600, 70000, 70500)),
        ),  # 20 of 50
        (OPEN + 2 * MINUTE, "data", btc_trade(OPEN + 2 * MINUTE, 98_000_000)),  # 0.01 of 0.03
        (OPEN + 2 * MINUTE, "cancel", "btc-lim"),  # arrives a minute later
        (
            OPEN + 2 * MINUTE + 1,
            "data",
            btc_trade(OPEN + 2 * MINUTE + 1, 98_000_000),
        ),  # fills first
        (OPEN + 2 * MINUTE + 2, "modify", ("buy-day", 61000)),
        (
            OPEN + 2 * MINUTE + 3,
            "data",
            samsung_bar(OPEN + 2 * MINUTE, (70500, 70500, 70000, 70200)),
        ),
        (OPEN + 4 * MINUTE, "sync", None),  # the cancel lands
        (OPEN + 4 * MINUTE, "submit", command("sell-some", SAMSUNG, OrderSide.SELL, "15", 70300)),
        (OPEN + 4 * MINUTE, "data", samsung_bar(OPEN + 4 * MINUTE, (70200, 70800, 70100, 70600))),
        (kst(2026, 1, 5, 15, 35), "sync", None),  # the DAY order expires at 15:30
        (DAY2, "data", samsung_bar(DAY2, (70600, 71000, 70400, 70900))),
        (DAY2 + MINUTE, "submit", command("buy-mkt", SAMSUNG, OrderSide.BUY, "50")),  # a retry
        (DAY2 + MINUTE, "data", samsung_bar(DAY2 + MINUTE, (70900, 71000, 70800, 70900))),
    ]


async def act(broker: PaperBroker, clock: TestClock, step: tuple[int, str, object]) -> None:
    at, action, argument = step
    clock.set_ns(max(clock.now_ns(), at))
    if action == "data":
        await broker.on_market_data(argument)  # type: ignore[arg-type]
    elif action == "submit":
        await broker.submit(argument)  # type: ignore[arg-type]
    elif action == "cancel":
        await broker.cancel(ClientOrderId(str(argument)), None)
    elif action == "modify":
        assert isinstance(argument, tuple)
        name, price = argument
        await broker.modify(
            ModifyOrder(
                client_order_id=ClientOrderId(name),
                instrument_id=SAMSUNG,
                limit_price=D(price),
                ts_init=0,
            ),
            None,
        )
    else:
        await broker.sync()


async def snapshot(broker: PaperBroker) -> tuple[object, ...]:
    names = ["buy-mkt", "buy-day", "btc-lim", "sell-some"]
    return (
        await broker.balances(),
        await broker.positions(),
        await broker.open_orders(),
        [await broker.order_status(ClientOrderId(n)) for n in names],
        [_without_id(fill) for fill in await broker.fills_since(0)],
    )


def _without_id(event: OrderEvent) -> dict[str, object]:
    fields = msgspec.structs.asdict(event)
    del fields["id"]  # random per message; a restart cannot reproduce it
    return fields


def strip(events: list[OrderEvent]) -> list[tuple[object, ...]]:
    """Events without their random message ids (a restart cannot reproduce those)."""
    return [
        (
            type(e).__name__,
            e.client_order_id,
            e.ts_event,
            getattr(e, "last_qty", None),
            getattr(e, "last_price", None),
        )
        for e in events
    ]


async def test_a_broker_rebuilt_from_the_store_after_every_step_matches_one_that_never_stopped(
    engine: Engine,
) -> None:
    reference_clock, reference_events = TestClock(OPEN), list[OrderEvent]()
    reference = broker_on(InMemoryAccountStore(), reference_clock, reference_events, "ref")
    clock, events = TestClock(OPEN), list[OrderEvent]()

    for step in session():
        await act(reference, reference_clock, step)
        restarted = broker_on(SqlAccountStore(engine), clock, events, "paper-1")
        await act(restarted, clock, step)

    final = broker_on(SqlAccountStore(engine), clock, [], "paper-1")
    assert await snapshot(final) == await snapshot(reference)
    assert strip(events) == strip(reference_events)
    reports = [await final.order_status(ClientOrderId(n)) for n in ("buy-mkt", "buy-day")]
    reports += [await final.order_status(ClientOrderId(n)) for n in ("btc-lim", "sell-some")]
    statuses = {r.client_order_id: r.status.value for r in reports if r is not None}
    assert statuses == {
        "buy-mkt": "FILLED",
        "buy-day": "EXPIRED",
        "btc-lim": "CANCELED",
        "sell-some": "FILLED",
    }


async def test_accounts_in_one_database_are_separate(engine: Engine) -> None:
    clock = TestClock(OPEN)
    first = broker_on(SqlAccountStore(engine), clock, [], "paper-a")
    second = broker_on(SqlAccountStore(engine), clock, [], "paper-b")
    await first.on_market_data(btc_trade(OPEN, 100_000_000))
    await first.submit(command("only-a", BTC, OrderSide.BUY, "0.01", 99_000_000))

    await second.start()

    assert await second.open_orders() == []
    assert [b.locked for b in await second.balances()] == [0]
    reopened = broker_on(SqlAccountStore(engine), clock, [], "paper-a")
    assert [r.client_order_id for r in await reopened.open_orders()] == ["only-a"]
