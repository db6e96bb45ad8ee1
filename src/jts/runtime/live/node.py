"""``LiveNode``: every service of JTS in one process on the event bus.

The order execution flow of the architecture, closed: price event -> strategy -> risk
check -> order -> broker -> execution report -> portfolio -> notification.

Start-up (``start``): the bus starts; the paper broker loads its account from the store;
the OMS attaches to it and the reconciler settles every order the store holds open with
what the broker knows; the portfolio books every fill of the broker's log (positions carry
over a restart); the trading desk adopts the open orders; the strategies warm up on the
bars recorded before (and a replay skips bars already traded).

The market data pump (``run``), for each event in feed order:

1. the clock follows the event (a replay runs in market time);
2. the paper broker matches working orders against it; its reports go through the OMS,
   whose publisher hands each stored event to the desk and the portfolio in line, then
   to the bus;
3. the portfolio marks the instrument;
4. the event goes on the bus: the strategy engine evaluates bars and publishes signals,
   the desk turns them into orders through risk and the OMS; the pump waits for the bus
   to drain, so every order caused by a bar reaches the broker before the next event
   (the same order of work as the event-driven backtest, hence the same trades);
5. after a bar, the desk ends the step of that instrument's lanes, the risk guard sees
   the equity (drawdown kill switch), and portfolio and risk figures are published when
   something changed (at most every ``report_every_ns`` of market time otherwise).

Feed health (``feed_health``): before each event, a throttled check at its market time
publishes ``FeedStale`` for instruments silent in session up to then (a replay jumps over a
gap in one event); then the event's data goes to the watchdog, and a ``FeedRecovered`` goes
on the bus before the bar that recovers it. The strategy engine takes no entries on a stale
instrument until it recovers.

The kill switch (``kill_switch``, a ``KillSwitchControl``) is persisted state: an engaged
switch in the store halts the node at start; a drawdown breach saves the engagement before
the node acts on it; the supervisor task reads the store every ``supervise_every_s`` of wall
time, so ``jts risk kill|release`` from another process takes effect within about a second.
The supervisor also checks feed health on wall time (a live feed that goes silent). It and
the pump take turns (one lock), so a halt never lands in the middle of an event.

Account reports (``reports``, an ``AccountReports``): the equity at each bar close goes to
the time-series store (batched, flushed with each checkpoint); performance figures go out
with the portfolio reports (throttled in market time); before the first event after a KRX
close, the day's report (then a checkpoint, so a restart never repeats it). ``marked``
series (the USDT-KRW market) are subscribed, recorded and marked but no strategy trades
them: their marks are the tracker's FX rates.

Supervision: a strategy that raises is stopped alone and reported (``ErrorReported``) by
the strategy engine; a bus handler that raises is logged and counted by the bus; the pump
itself stops the node on an unexpected error, after recording what it has.

``run`` returns when the feed ends (a replay's last bar), ``duration_s`` passes or
``request_stop`` is called (Ctrl-C). Stopping lets the current event finish, flushes the
recorded bars and closes the feed, the subscriptions, the OMS and the bus.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from jts.contexts.trading.application.oms import OrderManager
from jts.contexts.trading.application.reconciliation import Reconciler
from jts.messages.base import Event
from jts.messages.bus import EventBus, Subscription
from jts.messages.market_data import Bar, FeedStale, MarketDataEvent
from jts.messages.trading import OrderFilled
from jts.runtime.live.account_reports import AccountReports
from jts.runtime.live.checkpoint import NodeState, series_name
from jts.runtime.live.clocks import MarketClock, ScaledClock
from jts.runtime.live.feed_health import FeedHealth
from jts.runtime.live.kill_control import KillSwitchControl
from jts.runtime.live.node_ports import (
    Checkpoint,
    FeedStart,
    MarketFeed,
    NodeStats,
    PaperVenue,
)
from jts.runtime.live.portfolio_tracker import PortfolioTracker
from jts.runtime.live.recorder import BarRecorder, SeriesKey
from jts.runtime.live.risk_guard import RiskGuard
from jts.runtime.live.strategy_engine import LiveStrategyEngine
from jts.runtime.live.trading_desk import TradingDesk
from jts.shared_kernel.clock import Clock

_log = logging.getLogger(__name__)
MINUTE_NS = 60_000_000_000


class LiveNode:
    """Assembles the services on the bus and runs them (see the module docstring)."""

    def __init__(
        self,
        *,
        bus: EventBus,
        clock: Clock,
        feed: MarketFeed,
        broker: PaperVenue,
        oms: OrderManager,
        reconciler: Reconciler,
        tracker: PortfolioTracker,
        engine: LiveStrategyEngine,
        desk: TradingDesk,
        guard: RiskGuard,
        recorder: BarRecorder | None = None,
        checkpoint: Checkpoint | None = None,
        feed_start: FeedStart | None = None,
        warmup_limit: int = 5_000,
        report_every_ns: int = MINUTE_NS,
        checkpoint_every_s: float = 1.0,
        kill_switch: KillSwitchControl | None = None,
        feed_health: FeedHealth | None = None,
        supervise_every_s: float = 1.0,
        reports: AccountReports | None = None,
        marked: Sequence[SeriesKey] = (),
    ) -> None:
        self.bus = bus
        self.clock = clock
        self.feed = feed
        self.broker = broker
        self.oms = oms
        self.reconciler = reconciler
        self.tracker = tracker
        self.engine = engine
        self.desk = desk
        self.guard = guard
        self.recorder = recorder
        self.checkpoint = checkpoint
        self._feed_start = feed_start
        self._checkpoint_every = checkpoint_every_s
        self._last_checkpoint = 0.0
        self._traded: dict[SeriesKey, int] = {}
        self.stats = NodeStats()
        self._warmup_limit = warmup_limit
        self._report_every = report_every_ns
        self._subscriptions: list[Subscription] = []
        self._resume: dict[SeriesKey, int] = {}
        self._dirty = True
        self._last_report = -report_every_ns
        self._stop = asyncio.Event()
        self._busy = False
        self._started = False
        self.kill_switch = kill_switch
        self.feed_health = feed_health
        self._supervise_every = supervise_every_s
        self._turn = asyncio.Lock()
        self._supervisor: asyncio.Task[None] | None = None
        self.reports = reports
        self.marked = [key for key in marked if key not in engine.subscriptions()]
        self._marked_ids = {instrument_id for instrument_id, _ in self.marked}

    # --- life cycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Start the bus, recover the account and orders, warm the strategies up."""
        await self.bus.start()
        keys = [*self.engine.subscriptions(), *self.marked]
        state = NodeState() if self.checkpoint is None else self.checkpoint.load()
        if self.reports is not None:
            self.reports.start(state.daily)
        self._resume = state.resume_points(keys)
        self._traded = dict(self._resume)
        history = self._recorded(keys)
        await self.broker.start()
        self.oms.attach()
        self.stats.reconciliation = await self.reconciler.reconcile_all()
        self.tracker.book_all(await self.broker.fills_since(0))
        open_orders = await self.oms.ledger.list_open()
        self.stats.adopted_orders = self.desk.adopt(open_orders, state.lanes)
        engine, desk = self.engine, self.desk
        self._subscriptions = [
            await self.bus.subscribe("market-data.*", engine.on_market_data, name="strategy"),
            await self.bus.subscribe("signals.*", desk.on_signal, name="trading-desk"),
        ]
        for instrument_id, timeframe in keys:
            await self.feed.subscribe(instrument_id, Bar, timeframe=timeframe)
        for bar in history:
            self.tracker.mark(bar)
        self.stats.warmup_bars = await engine.warm_up(history)
        if self.kill_switch is not None:
            await self.kill_switch.restore()
        self._started = True

    def _recorded(self, keys: list[SeriesKey]) -> list[Bar]:
        """The recorded bars to warm up on: up to the last bar traded, or, for a series never
        traded, up to where the feed begins. A replay's clock moves to the last of them, so
        the restored account wakes up in market time."""
        if self.recorder is None:
            return []
        before: dict[SeriesKey, int] = {}
        for key in keys:
            start = self._feed_start(key) if self._feed_start is not None else None
            cutoff = self._resume.get(key, start)
            if cutoff is not None:
                before[key] = cutoff
        history = self.recorder.history(before, limit=self._warmup_limit)
        if history and isinstance(self.clock, MarketClock):
            self.clock.follow(history[-1].ts_event)
        return history

    async def publish(self, event: Event) -> None:
        """The OMS's publisher: the desk and the portfolio first, in line, then the bus."""
        self.desk.on_order_event(event)
        if isinstance(event, OrderFilled):
            reason = self.desk.reason_of(event.client_order_id)
            if self.tracker.book(event, reason):
                self._dirty = True
        await self.bus.publish(event)

    async def run(self, *, duration_s: float | None = None) -> str:
        """Pump market data until the feed ends, ``duration_s`` passes or a stop is asked."""
        if not self._started:
            await self.start()
        pump = asyncio.create_task(self._pump(), name="live-node-pump")
        stopper = asyncio.create_task(self._stop.wait(), name="live-node-stop")
        self._supervisor = asyncio.create_task(self._supervise(), name="live-node-supervisor")
        return await self._run(pump, stopper, duration_s)

    async def _run(
        self, pump: asyncio.Task[None], stopper: asyncio.Task[bool], duration_s: float | None
    ) -> str:
        done, _ = await asyncio.wait(
            {pump, stopper}, timeout=duration_s, return_when="FIRST_COMPLETED"
        )
        if pump in done:
            stopper.cancel()
            reason = "feed ended" if pump.exception() is None else "pump failed"
            self.stats.finished = reason
            await self.stop()
            pump.result()  # re-raise a pump failure after the node is down
            return reason
        self.stats.finished = "stop requested" if stopper in done else "duration elapsed"
        stopper.cancel()
        self._stop.set()
        if not self._busy:
            pump.cancel()
        await asyncio.gather(pump, return_exceptions=True)
        await self.stop()
        return self.stats.finished

    def request_stop(self) -> None:
        """Ask the node to stop after the event it is handling (Ctrl-C)."""
        self._stop.set()

    async def stop(self) -> None:
        """Flush, close the feed and the subscriptions, detach the OMS, close the bus."""
        if self._supervisor is not None:
            self._supervisor.cancel()
            await asyncio.gather(self._supervisor, return_exceptions=True)
            self._supervisor = None
        if self.recorder is not None:
            self.recorder.flush()
        if self.reports is not None:
            await self.reports.at_stop(self.clock.now_ns())
        self.save_checkpoint()
        await self.feed.close()
        await self._report(force=True)
        await self.bus.drain()
        for subscription in self._subscriptions:
            await subscription.close()
        self._subscriptions = []
        self.oms.detach()
        await self.bus.close()

    # --- the pump ---------------------------------------------------------------------------

    async def _pump(self) -> None:
        async for event in self.feed.stream():
            if self._stop.is_set():
                return
            self._busy = True
            try:
                async with self._turn:
                    await self.handle(event)
            finally:
                self._busy = False
            if self._stop.is_set():
                return

    async def handle(self, event: MarketDataEvent) -> None:
        """Steps 1-5 of the module docstring for one market data event."""
        if isinstance(event, Bar) and self._already_traded(event):
            self.stats.skipped += 1
            return
        self.stats.events += 1
        if self.reports is not None and await self.reports.before_event(event.ts_event):
            self.save_checkpoint()
        if isinstance(self.clock, MarketClock):
            self.clock.follow(event.ts_event)
        health = self.feed_health
        if health is not None:
            await self._publish_all(health.check(event.ts_event))
            recovered = health.on_event(event, event.ts_event)
            if recovered is not None:
                await self.bus.publish(recovered)
        await self.broker.on_market_data(event)
        self.tracker.mark(event)
        await self.bus.publish(event)
        await self.bus.drain()
        if isinstance(event, Bar):
            await self._after_bar(event)

    def _already_traded(self, bar: Bar) -> bool:
        last = self._resume.get((bar.instrument_id, bar.timeframe))
        return last is not None and bar.ts_event <= last

    async def _after_bar(self, bar: Bar) -> None:
        self.stats.bars += 1
        self._traded[(bar.instrument_id, bar.timeframe)] = bar.ts_event
        if bar.instrument_id not in self._marked_ids:  # risk knows the traded ones only
            self.guard.record_close(bar.instrument_id, bar.ts_event, bar.close)
        await self.desk.end_of_bar(bar)
        if self.recorder is not None:
            self.recorder.record(bar)
        await self.guard.on_equity(self.clock.now_ns(), self.tracker.equity())
        if self.reports is not None:
            self.reports.record_equity(bar.ts_event)
        await self._report()
        await self.bus.drain()
        now = asyncio.get_running_loop().time()
        if now - self._last_checkpoint >= self._checkpoint_every:
            self._last_checkpoint = now
            self.save_checkpoint()

    async def _supervise(self) -> None:
        """Every ``supervise_every_s`` of wall time: follow the stored kill switch, check
        feed health on the node's clock."""
        while True:
            await asyncio.sleep(self._supervise_every)
            async with self._turn:
                try:
                    await self.supervise()
                except Exception:  # the supervisor must outlive one bad round
                    _log.exception("the live node's supervisor failed a round; it carries on")

    async def supervise(self) -> None:
        """One round of the supervisor (the kill switch, then feed health)."""
        if self.kill_switch is not None:
            await self.kill_switch.poll()
        if self.feed_health is not None:
            # the pump may be a round behind the clock (a burst of events, an accelerated
            # market): silence counts only beyond that
            behind_ns = int(self._supervise_every * _market_speed(self.clock) * 1e9)
            now = self.clock.now_ns() - behind_ns
            await self._publish_all(self.feed_health.check(now, throttled=False))
        await self.bus.drain()

    async def _publish_all(self, events: list[FeedStale]) -> None:
        for event in events:
            await self.bus.publish(event)

    def save_checkpoint(self) -> None:
        """Save the lanes and how far each series was traded (the recorder flushed first, so
        the bars a restart warms up on are stored)."""
        reports = self.reports
        if reports is not None:
            reports.flush()  # equity snapshots go to the store even without a checkpoint
        if self.checkpoint is None:
            return
        if self.recorder is not None:
            self.recorder.flush()
        traded = {series_name(key): ts for key, ts in self._traded.items()}
        self.checkpoint.save(
            NodeState(
                lanes=self.desk.checkpoint(),
                traded_until=traded,
                daily=None if reports is None else reports.state(),
            )
        )

    async def _report(self, *, force: bool = False) -> None:
        now = self.clock.now_ns()
        if not (force or self._dirty or now - self._last_report >= self._report_every):
            return
        self._dirty = False
        self._last_report = now
        await self.bus.publish(self.tracker.update_message())
        await self.guard.publish_metrics(self.tracker.exposure())
        if self.reports is not None:
            await self.reports.publish_performance(now, force=force)


async def run_until_done(node: LiveNode, *, duration_s: float | None) -> str:
    """Start ``node`` and run it (the CLI's one call)."""
    await node.start()
    return await node.run(duration_s=duration_s)


def _market_speed(clock: Clock) -> float:
    """Market seconds per wall second of ``clock`` (an accelerated paper market's speed)."""
    return clock.speed if isinstance(clock, ScaledClock) else 1.0
