"""Feed health in the live node: an instrument silent in session goes stale, its strategies'
entries are dropped until its bars flow again, then it recovers and entries go out."""

from __future__ import annotations

from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.strategy.domain.python_api import StrategyContext, quantity
from jts.messages.base import Message
from jts.messages.market_data import FeedRecovered, FeedStale, FeedStaleReason
from jts.messages.strategy import EntrySignalRaised
from jts.messages.trading import OrderSubmitted
from jts.runtime.live.clocks import MarketClock, ScaledClock
from jts.runtime.live.node import LiveNode
from jts.runtime.live.slots import PythonSlot
from jts.shared_kernel.clock import NANOS_PER_SECOND, TestClock
from jts.shared_kernel.identifiers import StrategyId
from jts.shared_kernel.timeframes import Timeframe
from tests.unit.runtime.live.harness import BTC, ETH, MINUTE, START, bars, build

MINUTE_TF = Timeframe(60)
SILENT = range(6, 12)  # ETH sends nothing for these six minutes; BTC carries on


class Flip:
    """Buys when flat, sells when long: an entry every other bar."""

    def on_bar(self, context: StrategyContext) -> None:
        if context.position is None:
            context.enter_long(quantity(1))
        else:
            context.exit_long()


class Idle:
    def on_bar(self, context: StrategyContext) -> None:
        return None


def close_of(i: int) -> int:
    return START + (i + 1) * MINUTE


def silent_eth_node() -> LiveNode:
    clock = MarketClock()
    btc = bars([100_000_000] * 20, BTC)
    full = bars([5_000_000 + 1_000 * i for i in range(20)], ETH).to_bars()
    eth = BarSeries.from_bars([b for i, b in enumerate(full) if i not in SILENT])
    slots = [
        PythonSlot(
            Flip(), strategy_id=StrategyId("flip"), instrument=ETH, timeframe=MINUTE_TF, clock=clock
        ),
        PythonSlot(
            Idle(), strategy_id=StrategyId("idle"), instrument=BTC, timeframe=MINUTE_TF, clock=clock
        ),
    ]
    return build([btc, eth], slots, clock=clock)


async def test_a_silent_instrument_goes_stale_and_takes_no_entries_until_it_recovers() -> None:
    node = silent_eth_node()
    seen: list[Message] = []

    async def collect(message: Message) -> None:
        seen.append(message)

    await node.start()
    for topic in ("market-data.feed-health", "signals.entry.buy", "orders.executions"):
        await node.bus.subscribe(topic, collect, name=f"test-{topic.replace('.', '-')}")
    await node.run()

    stale = [m for m in seen if isinstance(m, FeedStale)]
    recovered = [m for m in seen if isinstance(m, FeedRecovered)]
    assert [(m.instrument_id, m.reason, m.ts_event) for m in stale] == [
        (ETH, FeedStaleReason.NO_DATA, close_of(8))  # three silent minutes after close_of(5)
    ]
    assert stale[0].last_data_ns == close_of(5)
    # the first bar after the silence is not trusted; the second one recovers the feed
    assert [(m.instrument_id, m.ts_event, m.stale_since_ns) for m in recovered] == [
        (ETH, close_of(13), close_of(8))
    ]
    entries = [m.ts_event for m in seen if isinstance(m, EntrySignalRaised)]
    assert close_of(12) not in entries
    assert node.engine.dropped_entries == 1
    eth_orders = [m.ts_event for m in seen if isinstance(m, OrderSubmitted)]
    assert not [ts for ts in eth_orders if close_of(8) <= ts < close_of(13)]
    assert [ts for ts in entries if ts >= close_of(13)]  # entries work again
    assert node.engine.stale == set()


async def test_a_feed_without_gaps_is_never_stale() -> None:
    clock = MarketClock()
    slot = PythonSlot(
        Flip(), strategy_id=StrategyId("flip"), instrument=ETH, timeframe=MINUTE_TF, clock=clock
    )
    node = build([bars([100_000_000] * 20, BTC), bars([5_000_000] * 20, ETH)], [slot], clock=clock)
    seen: list[Message] = []

    async def collect(message: Message) -> None:
        seen.append(message)

    await node.start()
    await node.bus.subscribe("market-data.feed-health", collect, name="test-health")
    await node.run()

    assert seen == []
    assert node.engine.dropped_entries == 0


async def test_the_supervisor_allows_an_accelerated_pump_one_round_behind_the_clock() -> None:
    wall = TestClock(START)
    clock = ScaledClock(wall, speed=600.0, origin_ns=START)  # ten market minutes a wall second
    btc = bars([100_000_000] * 5, BTC)
    idle = PythonSlot(
        Idle(), strategy_id=StrategyId("idle"), instrument=BTC, timeframe=MINUTE_TF, clock=clock
    )
    node = build([btc], [idle], clock=clock)
    seen: list[Message] = []

    async def collect(message: Message) -> None:
        seen.append(message)

    await node.start()
    await node.bus.subscribe("market-data.feed-health", collect, name="test-health")
    assert node.feed_health is not None
    node.feed_health.on_event(btc.bar_at(0), START)

    wall.advance_ns(NANOS_PER_SECOND)  # ten silent market minutes: the pump may be that late
    await node.supervise()
    assert not [m for m in seen if isinstance(m, FeedStale)]

    wall.advance_ns(NANOS_PER_SECOND)  # twenty: silent beyond a round, so stale
    await node.supervise()
    assert [m.instrument_id for m in seen if isinstance(m, FeedStale)] == [BTC]
    await node.stop()
