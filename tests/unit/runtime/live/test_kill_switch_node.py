"""The live node and the persisted kill switch: a kill from another process halts it within
one supervisor round, a release resumes entries, a restart stays halted, and a drawdown
trip is saved before the node acts on it."""

from __future__ import annotations

from decimal import Decimal

from jts.contexts.risk.application.kill_switch import (
    KillSwitch,
    KillSwitchSource,
    KillSwitchState,
    MemoryKillSwitchStore,
)
from jts.contexts.risk.domain.drawdown import DrawdownLimits
from jts.contexts.strategy.domain.python_api import StrategyContext, quantity
from jts.messages.base import Message
from jts.messages.enums import OrderStatus, Severity
from jts.messages.risk import RiskAlertRaised, RiskLimitBreached
from jts.messages.trading import OrderCanceled, OrderSubmitted
from jts.runtime.live.clocks import MarketClock
from jts.runtime.live.node import LiveNode
from jts.runtime.live.slots import PythonSlot
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.identifiers import StrategyId
from jts.shared_kernel.timeframes import Timeframe
from tests.unit.runtime.live.harness import BTC, Stores, bars, build

MINUTE = Timeframe(60)
FAR_BELOW = Decimal(1_000_000)


class RestingBid:
    """Bids far below the market on every bar it is flat: an entry order that never fills."""

    def on_bar(self, context: StrategyContext) -> None:
        if context.position is None:
            context.enter_long(quantity(1), limit_price=FAR_BELOW)


class BuyAndHold:
    def on_bar(self, context: StrategyContext) -> None:
        if context.position is None and len(context.history) == 1:
            context.enter_long(quantity(Decimal("0.5")))


def bidding_node(
    switch: KillSwitch, *, stores: Stores | None = None, n: int = 12
) -> tuple[LiveNode, list]:
    clock = MarketClock()
    slot = PythonSlot(
        RestingBid(), strategy_id=StrategyId("bid"), instrument=BTC, timeframe=MINUTE, clock=clock
    )
    series = bars([100_000_000] * n, BTC)
    node = build([series], [slot], clock=clock, kill_switch=switch, stores=stores)
    return node, series.to_bars()


async def collecting(node: LiveNode) -> list[Message]:
    seen: list[Message] = []

    async def collect(message: Message) -> None:
        seen.append(message)

    for topic in ("risk.*", "orders.*"):
        await node.bus.subscribe(topic, collect, name=f"test-{topic[:-2]}")
    return seen


async def test_a_kill_from_another_process_halts_the_node_within_one_round() -> None:
    store = MemoryKillSwitchStore()
    node, feed = bidding_node(KillSwitch(store, clock=TestClock(1)))
    await node.start()
    seen = await collecting(node)
    for bar in feed[:3]:
        await node.handle(bar)
    assert [r.status for r in node.desk.open_records()] == [OrderStatus.ACCEPTED]

    operator = KillSwitch(store, clock=TestClock(2))  # `jts risk kill` in another process
    operator.engage("paper", source=KillSwitchSource.MANUAL, reason="broker outage", by="kim")
    await node.supervise()

    assert node.engine.reduce_only
    assert node.desk.open_records() == []
    assert [type(m) for m in seen if isinstance(m, OrderCanceled)] == [OrderCanceled]
    breach = next(m for m in seen if isinstance(m, RiskLimitBreached))
    assert (breach.rule, breach.scope) == ("kill_switch.manual", "account")
    critical = [
        m for m in seen if isinstance(m, RiskAlertRaised) and m.severity is Severity.CRITICAL
    ]
    assert len(critical) == 1
    assert "broker outage" in critical[0].message
    assert "kim" in critical[0].message

    submitted_before = len([m for m in seen if isinstance(m, OrderSubmitted)])
    for bar in feed[3:6]:
        await node.handle(bar)
    assert len([m for m in seen if isinstance(m, OrderSubmitted)]) == submitted_before
    assert node.engine.dropped_entries == 3

    await node.supervise()  # nothing changed in the store: nothing happens again
    assert len([m for m in seen if isinstance(m, RiskLimitBreached)]) == 1
    await node.stop()


async def test_a_release_lifts_reduce_only_and_entries_resume() -> None:
    store = MemoryKillSwitchStore()
    operator = KillSwitch(store, clock=TestClock(2))
    node, feed = bidding_node(KillSwitch(store, clock=TestClock(1)))
    await node.start()
    seen = await collecting(node)
    await node.handle(feed[0])
    operator.engage("paper", source=KillSwitchSource.MANUAL, reason="check fills", by="kim")
    await node.supervise()
    await node.handle(feed[1])
    assert node.desk.open_records() == []

    operator.release("paper", reason="all clear", by="lee")
    await node.supervise()
    await node.handle(feed[2])

    assert not node.engine.reduce_only
    assert node.desk.halted_reason is None
    assert len(node.desk.open_records()) == 1  # a new resting bid
    submitted = [m for m in seen if isinstance(m, OrderSubmitted)]
    assert [m.ts_event for m in submitted] == [feed[0].ts_event, feed[2].ts_event]
    info = [m for m in seen if isinstance(m, RiskAlertRaised) and m.severity is Severity.INFO]
    assert len(info) == 1
    assert "released by lee: all clear" in info[0].message
    assert not node.guard.tripped
    await node.stop()


async def test_a_restart_with_the_switch_engaged_stays_halted_and_says_so() -> None:
    store = MemoryKillSwitchStore()
    KillSwitch(store, clock=TestClock(1_767_225_600_000_000_000)).engage(
        "paper", source=KillSwitchSource.DRAWDOWN, reason="drawdown 11% reached 10%", by="guard"
    )
    stores = Stores()
    node, feed = bidding_node(KillSwitch(store, clock=TestClock(2)), stores=stores)

    await node.start()
    for bar in feed[:4]:
        await node.handle(bar)

    assert node.engine.reduce_only
    assert node.desk.open_records() == []
    assert node.engine.dropped_entries == 4
    assert len(node.guard.alerts) == 1  # raised (and published) at start
    alert = node.guard.alerts[0]
    assert alert.severity is Severity.CRITICAL
    assert "since 2026-01-01T00:00:00Z (drawdown): drawdown 11% reached 10%" in alert.message
    assert "jts risk release" in alert.message
    await node.stop()


class SavingWatcher(MemoryKillSwitchStore):
    """Notes what the node had already done when the engagement was saved."""

    def __init__(self) -> None:
        super().__init__()
        self.node: LiveNode | None = None
        self.reduce_only_at_save: list[bool] = []

    def save(self, state: KillSwitchState) -> None:
        assert self.node is not None
        self.reduce_only_at_save.append(self.node.engine.reduce_only)
        super().save(state)


async def test_a_drawdown_trip_is_saved_before_the_node_acts_on_it() -> None:
    store = SavingWatcher()
    clock = MarketClock()
    slot = PythonSlot(
        BuyAndHold(), strategy_id=StrategyId("hold"), instrument=BTC, timeframe=MINUTE, clock=clock
    )
    falling = [100_000_000 * (1 - 0.02 * i) for i in range(20)]
    node = build(
        [bars(falling, BTC)],
        [slot],
        clock=clock,
        drawdown=DrawdownLimits(max_drawdown=Decimal("0.1")),
        cash={"KRW": Decimal(50_000_000)},
        kill_switch=KillSwitch(store, clock=TestClock(5)),
    )
    store.node = node

    await node.run()

    assert store.reduce_only_at_save == [False]
    saved = store.states["paper"]
    assert saved.engaged
    assert saved.source is KillSwitchSource.DRAWDOWN
    assert saved.engaged_by == "risk guard"
    assert saved.reason == node.guard.kill_reason
    assert node.engine.reduce_only
    assert node.kill_switch is not None
    assert node.kill_switch.halted
