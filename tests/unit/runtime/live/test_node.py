"""The live node end to end on in-memory stores: the same trades as the event-driven
backtest, a restart that changes nothing, and the drawdown kill switch."""

from __future__ import annotations

from decimal import Decimal

import msgspec
import numpy as np
import pytest

from jts.contexts.risk.domain.drawdown import DrawdownLimits
from jts.contexts.strategy.domain.python_api import StrategyContext, quantity
from jts.messages.base import Message
from jts.messages.bus import BusClosed
from jts.messages.enums import OrderStatus
from jts.messages.risk import RiskAlertRaised, RiskLimitBreached
from jts.messages.trading import OrderCanceled
from jts.runtime.backtest.engine import EngineConfig, EventDrivenBacktest
from jts.runtime.live.checkpoint import MemoryCheckpoint
from jts.runtime.live.clocks import MarketClock
from jts.runtime.live.slots import ProgramSlot, PythonSlot
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import StrategyId
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues.catalog import default_registry
from tests.unit.runtime.live.harness import (
    BTC,
    CALENDARS,
    CASH,
    ETH,
    Stores,
    bars,
    build,
    program,
)

RULES = """let fast = sma(close, 3)
let slow = sma(close, 8)
entry long when crosses_above(fast, slow)
exit long when crosses_below(fast, slow)
stop_loss 1.5%
take_profit 2.5%
trailing_stop 2%
order limit(close * 0.999) ttl 2 bar"""


def walk(seed: int, n: int, start: float) -> list[float]:
    steps = np.random.default_rng(seed).normal(0, 0.006, n)
    return [round(start * float(np.exp(x)), -3) for x in np.cumsum(steps)]


def market(seed: int, n: int = 240) -> list:
    return [bars(walk(seed, n, 100_000_000), BTC), bars(walk(seed + 1, n, 5_000_000), ETH)]


def slots_of(compiled, clock):
    return [
        ProgramSlot(compiled, strategy_id=StrategyId("test"), instrument=i, clock=clock)
        for i in (BTC, ETH)
    ]


def backtest_trades(compiled, series):
    engine = EventDrivenBacktest(
        instruments=default_registry(), calendars=CALENDARS, config=EngineConfig(cash=CASH)
    )
    result = engine.run_program(compiled, series)
    return result.fills, result.trades, result.final_equity


def _fills(node) -> list[tuple]:
    return [
        (f.instrument_id, f.side, f.last_qty, f.last_price, f.commission, f.ts_event, reason)
        for f, reason in zip(node.tracker.fills, node.tracker.reasons, strict=True)
    ]


def _backtest_fills(fills) -> list[tuple]:
    return [
        (f.instrument_id, f.side, f.quantity, f.price, f.commission, f.ts_ns, f.reason)
        for f in fills
    ]


@pytest.mark.parametrize(
    ("seed", "size"),
    [
        (1, "percent_equity(30%)"),
        (2, "kelly(0.5, max=30%)"),
        (3, "risk(1%, stop=atr(5) * 2)"),
        (4, "quantity(0.2)"),
    ],
)
async def test_a_replay_trades_exactly_as_the_event_driven_backtest(seed: int, size: str) -> None:
    compiled = program(RULES, universe="BTC-KRW.UPBIT, ETH-KRW.UPBIT", size=size)
    series = market(seed)
    clock = MarketClock()
    node = build(series, slots_of(compiled, clock), clock=clock)

    assert await node.run() == "feed ended"

    fills, trades, equity = backtest_trades(compiled, series)
    assert len(fills) > 4
    assert _fills(node) == _backtest_fills(fills)
    assert node.tracker.trades == list(trades)
    assert node.tracker.equity() == equity


async def test_a_restarted_node_ends_where_an_uninterrupted_one_does() -> None:
    compiled = program(RULES, universe="BTC-KRW.UPBIT, ETH-KRW.UPBIT", size="percent_equity(30%)")
    series = market(5)
    whole_clock = MarketClock()
    whole = build(series, slots_of(compiled, whole_clock), clock=whole_clock)
    await whole.run()

    stores, checkpoint = Stores(), MemoryCheckpoint()
    previous = 0
    for cut in (80, 150, 240):  # two stops mid-replay, then the rest
        clock = MarketClock()
        part = [s.take(slice(0, cut)) for s in series]
        node = build(part, slots_of(compiled, clock), clock=clock, stores=stores)
        node.checkpoint = checkpoint
        await node.run()
        if previous:  # both instruments' bars up to the last stop: skipped, then warm-up
            assert node.stats.skipped == 2 * previous
            assert node.stats.warmup_bars == 2 * previous
        previous = cut

    # fills booked in an earlier run come back from the broker's log without their reason
    assert [f[:-1] for f in _fills(node)] == [f[:-1] for f in _fills(whole)]
    assert _unexplained(node.tracker.trades) == _unexplained(whole.tracker.trades)
    assert node.tracker.equity() == whole.tracker.equity()
    assert node.stats.reconciliation[0].failed is None


def _unexplained(trades: list) -> list:
    return [msgspec.structs.replace(t, exit_reason="") for t in trades]


class BuyThenTry:
    """Buys on the first bar, then asks to buy on every bar (only flat lanes may)."""

    def __init__(self, limit: Decimal | None = None) -> None:
        self._limit = limit

    def on_bar(self, context: StrategyContext) -> None:
        if context.position is None:
            context.enter_long(quantity(1), limit_price=self._limit)


async def test_a_drawdown_breach_trips_the_kill_switch() -> None:
    falling = [100_000_000 * (1 - 0.02 * i) for i in range(20)]
    btc = bars(falling, BTC)
    eth = bars([5_000_000] * 20, ETH)
    clock = MarketClock()
    minute = Timeframe(60)
    slots = [
        PythonSlot(
            BuyThenTry(),
            strategy_id=StrategyId("falls"),
            instrument=BTC,
            timeframe=minute,
            clock=clock,
        ),
        PythonSlot(
            BuyThenTry(limit=Decimal(1_000_000)),  # rests far below the market
            strategy_id=StrategyId("rests"),
            instrument=ETH,
            timeframe=minute,
            clock=clock,
        ),
    ]
    node = build(
        [btc, eth],
        slots,
        clock=clock,
        drawdown=DrawdownLimits(max_drawdown=Decimal("0.1")),
    )
    seen: list[Message] = []

    async def collect(message: Message) -> None:
        seen.append(message)

    await node.start()
    await node.bus.subscribe("risk.*", collect, name="test-risk")
    await node.bus.subscribe("orders.executions", collect, name="test-orders")
    await node.run()

    breaches = [m for m in seen if isinstance(m, RiskLimitBreached)]
    assert len(breaches) == 1
    assert breaches[0].rule == "drawdown_kill_switch.drawdown"
    assert breaches[0].value >= Decimal("0.1")
    assert any(isinstance(m, RiskAlertRaised) and m.severity.value == "CRITICAL" for m in seen)
    assert node.guard.tripped
    assert node.engine.reduce_only
    canceled = [m for m in seen if isinstance(m, OrderCanceled)]
    assert [m.instrument_id for m in canceled] == [ETH]  # the resting entry, nothing else
    assert not [r for r in node.desk.open_records() if r.status is not OrderStatus.CANCELED]
    buys_after = [f for f in node.tracker.fills if f.ts_event > breaches[0].ts_event]
    assert buys_after == []
    assert node.engine.dropped_entries > 0  # the ETH strategy kept asking, reduce-only refused


class BrokenFeed:
    """Two good bars, then the feed fails."""

    def __init__(self, good: list) -> None:
        self._good = good
        self.closed = False

    async def subscribe(self, instrument_id, data, *, timeframe=None) -> None:
        return None

    async def stream(self):
        for bar in self._good:
            yield bar
        raise DataError("the feed sent a bar whose high is below its low")

    async def close(self) -> None:
        self.closed = True


async def test_a_failing_feed_stops_the_node_cleanly_and_says_why() -> None:
    compiled = program(RULES)
    series = market(1, 30)[:1]
    clock = MarketClock()
    stores = Stores()
    node = build(series, slots_of(compiled, clock)[:1], clock=clock, stores=stores)
    feed = BrokenFeed(series[0].to_bars()[:2])
    node.feed = feed

    with pytest.raises(DataError, match="high is below its low"):
        await node.run()

    assert node.stats.finished == "pump failed"
    assert feed.closed
    assert len(stores.timeseries.read_bars(BTC, series[0].timeframe)) == 2  # recorded bars kept
    with pytest.raises(BusClosed):
        await node.bus.publish(series[0].bar_at(0))


async def test_bars_already_in_the_store_are_not_taken_for_bars_traded() -> None:
    compiled = program(RULES, universe="BTC-KRW.UPBIT, ETH-KRW.UPBIT", size="percent_equity(30%)")
    series = market(6)
    stores = Stores()
    for one in series:  # e.g. `jts data generate` or `make demo` stored this very period
        stores.timeseries.append_bars(one)
    clock = MarketClock()
    node = build(series, slots_of(compiled, clock), clock=clock, stores=stores)
    node.checkpoint = MemoryCheckpoint()
    await node.run()

    fills, _, equity = backtest_trades(compiled, series)
    assert node.stats.skipped == 0
    assert node.stats.warmup_bars == 0  # nothing stored starts before the replay
    assert [f[:-1] for f in _fills(node)] == [f[:-1] for f in _backtest_fills(fills)]
    assert node.tracker.equity() == equity
    assert node.checkpoint.state.traded_until == {
        "BTC-KRW.UPBIT 1m": int(series[0].ts_event[-1]),
        "ETH-KRW.UPBIT 1m": int(series[1].ts_event[-1]),
    }
