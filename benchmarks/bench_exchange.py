"""Simulated exchange: bars/s through the matching engine and orders/s through its order path.

Data are generated (a seeded random walk of one-minute bars on the tick grid) before timing.
KRX instruments run on an always-open calendar here so the figures measure the engine, not
session checks; the daily price band still rolls at each (UTC) day. No peer engine runs:
NautilusTrader (the event-driven backtest's peer) compares whole backtests, which the
backtest engine's benchmark does.

Figures:

- ``bars/s, idle book``: market data for an instrument with no working orders (the common
  case in a backtest: most bars change nothing).
- ``bars/s, 1,000 resting orders``: limit orders far from the market on both sides.
- ``bars/s, 20-instrument portfolio``: KRX stocks, a market order every 10 bars per instrument
  (accept, fill at the next open, settle cash, fees and tax, publish events).
- ``orders/s, submit+cancel``: limit orders validated, reserved, accepted, then canceled.
- ``fills/s, sweep``: a ladder of resting buy limits swept by falling bars, in priority order.
- ``orders/s, paper broker``: submit+cancel through ``PaperBroker`` with the in-memory store
  (persisting every change, asyncio, event delivery).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterable
from decimal import Decimal

from benchmarks.harness import Figure, best_of
from jts.messages.enums import OrderSide, OrderType
from jts.messages.market_data import Bar
from jts.messages.trading import OrderEvent, SubmitOrder
from jts.runtime.backtest.exchange import ExchangeConfig, SimulatedExchange
from jts.runtime.backtest.exchange.memory_store import InMemoryAccountStore
from jts.runtime.paper import PaperBroker
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.identifiers import ClientOrderId, InstrumentId, StrategyId
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar
from jts.shared_kernel.venues.catalog import default_registry
from jts.shared_kernel.venues.instruments import InstrumentRegistry, krx_instrument
from jts.shared_kernel.venues.types import MarketSegment

MINUTE = 60_000_000_000
START = 1_767_225_600_000_000_000  # 2026-01-01T00:00:00Z
BTC = InstrumentId.parse("BTCUSDT.BINANCE")
KRX_CODES = [f"{100_000 + 10 * n:06d}" for n in range(20)]
STRATEGY = StrategyId("bench")
ONE_MINUTE = Timeframe(60)


def registry() -> InstrumentRegistry:
    specs = default_registry()
    for code in KRX_CODES:
        specs.register(krx_instrument(code, name=code, segment=MarketSegment.KOSPI))
    return specs


def exchange(
    clock: TestClock, events: list[OrderEvent], config: ExchangeConfig | None = None
) -> SimulatedExchange:
    return SimulatedExchange(
        instruments=registry(),
        calendars={"XKRX": AlwaysOpenCalendar("XKRX"), "24/7": AlwaysOpenCalendar()},
        clock=clock,
        balances={"KRW": Decimal(10**13), "USDT": Decimal(10**10)},
        config=config,
        sink=events.append,
    )


def walk(
    instrument: InstrumentId,
    count: int,
    start_price: int,
    tick: int,
    seed: int,
    start_ns: int = START,
) -> list[Bar]:
    rng = random.Random(seed)
    price, bars = start_price, []
    for n in range(count):
        opened = price
        price = max(tick * 10, price + tick * rng.randint(-5, 5))
        high = max(opened, price) + tick * rng.randint(0, 3)
        low = min(opened, price) - tick * rng.randint(0, 3)
        start = start_ns + n * MINUTE
        bars.append(
            Bar(
                instrument_id=instrument,
                timeframe=ONE_MINUTE,
                ts_start=start,
                ts_event=start + MINUTE,
                ts_init=start + MINUTE,
                open=Decimal(opened),
                high=Decimal(high),
                low=Decimal(low),
                close=Decimal(price),
                volume=Decimal(rng.randint(100, 10_000)),
            )
        )
    return bars


def limit(
    name: str, instrument: InstrumentId, side: OrderSide, quantity: str, price: int
) -> SubmitOrder:
    return SubmitOrder(
        client_order_id=ClientOrderId(name),
        strategy_id=STRATEGY,
        instrument_id=instrument,
        side=side,
        order_type=OrderType.LIMIT,
        quantity=Decimal(quantity),
        limit_price=Decimal(price),
        ts_init=0,
    )


def market(name: str, instrument: InstrumentId, side: OrderSide, quantity: str) -> SubmitOrder:
    return SubmitOrder(
        client_order_id=ClientOrderId(name),
        strategy_id=STRATEGY,
        instrument_id=instrument,
        side=side,
        order_type=OrderType.MARKET,
        quantity=Decimal(quantity),
        ts_init=0,
    )


def idle_bars(count: int) -> float:
    bars = walk(BTC, count, 50_000, 1, seed=1)

    def run() -> None:
        clock, events = TestClock(START), list[OrderEvent]()
        venue = exchange(clock, events)
        for bar in bars:
            venue.on_bar(bar)

    return count / best_of(3, run)


def resting_bars(count: int, resting: int) -> float:
    bars = walk(BTC, count, 50_000, 1, seed=2, start_ns=START + MINUTE)

    def run() -> None:
        clock, events = TestClock(START), list[OrderEvent]()
        venue = exchange(clock, events)
        venue.set_reference_price(BTC, Decimal(50_000))
        venue.core.account.holding(BTC).quantity = Decimal(resting)
        for n in range(resting // 2):
            venue.submit(limit(f"b{n}", BTC, OrderSide.BUY, "0.001", 10_000 + n))
            venue.submit(limit(f"s{n}", BTC, OrderSide.SELL, "0.001", 200_000 + n))
        for bar in bars:
            venue.on_bar(bar)

    return count / best_of(3, run)


def portfolio_bars(bars_per_instrument: int) -> float:
    instruments = [InstrumentId.parse(f"{code}.KRX") for code in KRX_CODES]
    series = [walk(i, bars_per_instrument, 70_000, 100, seed=n) for n, i in enumerate(instruments)]
    interleaved = [bar for step in zip(*series, strict=True) for bar in step]

    def run() -> None:
        clock, events = TestClock(START), list[OrderEvent]()
        venue = exchange(clock, events)
        held = dict.fromkeys(instruments, False)
        for n, bar in enumerate(interleaved):
            clock.set_ns(max(clock.now_ns(), bar.ts_event))
            venue.on_bar(bar)
            step = n // len(instruments)
            if step % 10 == 9:
                instrument = bar.instrument_id
                side = OrderSide.SELL if held[instrument] else OrderSide.BUY
                venue.submit(market(f"o{n}", instrument, side, "10"))
                held[instrument] = not held[instrument]
            events.clear()

    return len(interleaved) / best_of(3, run)


def submit_cancel(count: int) -> float:
    commands = [
        limit(f"c{n}", BTC, OrderSide.BUY, "0.001", 40_000 + n % 1_000) for n in range(count)
    ]

    def run() -> None:
        clock, events = TestClock(START), list[OrderEvent]()
        venue = exchange(clock, events)
        for command in commands:
            venue.submit(command)
            venue.cancel(command.client_order_id)
        events.clear()

    return count / best_of(3, run)


def sweep(levels: int, per_level: int) -> float:
    fills = levels * per_level
    bars = [
        Bar(
            instrument_id=BTC,
            timeframe=ONE_MINUTE,
            ts_start=START + (k + 1) * MINUTE,
            ts_event=START + (k + 2) * MINUTE,
            ts_init=0,
            open=Decimal(50_000 - k * 10),
            high=Decimal(50_000 - k * 10),
            low=Decimal(50_000 - (k + 1) * 10 - 1),
            close=Decimal(50_000 - (k + 1) * 10),
            volume=Decimal(1_000_000),
        )
        for k in range(levels // 10)
    ]

    def run() -> None:
        clock, events = TestClock(START), list[OrderEvent]()
        venue = exchange(clock, events)
        venue.set_reference_price(BTC, Decimal(50_000))
        for level in range(levels):
            for n in range(per_level):
                venue.submit(
                    limit(f"l{level}-{n}", BTC, OrderSide.BUY, "0.001", 50_000 - level - 1)
                )
        for bar in bars:
            venue.on_bar(bar)
        assert len(events) == 2 * fills, "every resting order should have filled"

    return fills / best_of(3, run)


def paper_submit_cancel(count: int) -> float:
    commands = [
        limit(f"p{n}", BTC, OrderSide.BUY, "0.001", 40_000 + n % 1_000) for n in range(count)
    ]

    async def session() -> None:
        clock = TestClock(START)
        broker = PaperBroker(
            new_exchange=lambda: exchange(clock, []),
            store=InMemoryAccountStore(),
            account_id="bench",
        )
        await broker.start()
        for command in commands:
            await broker.submit(command)
            await broker.cancel(command.client_order_id, None)

    return count / best_of(3, lambda: asyncio.run(session()))


def run() -> Iterable[Figure]:
    yield Figure("exchange bars/s, idle book", idle_bars(200_000), "bars/s")
    yield Figure("exchange bars/s, 1,000 resting orders", resting_bars(200_000, 1_000), "bars/s")
    yield Figure("exchange bars/s, 20-instrument portfolio", portfolio_bars(5_000), "bars/s")
    yield Figure("exchange orders/s, submit+cancel", submit_cancel(20_000), "orders/s")
    yield Figure("exchange fills/s, sweep", sweep(1_000, 10), "fills/s")
    yield Figure(
        "paper broker orders/s, submit+cancel (in-memory store)",
        paper_submit_cancel(2_000),
        "orders/s",
    )
