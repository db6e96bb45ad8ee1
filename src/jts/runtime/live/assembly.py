"""``assemble``: the live node's services wired together, whatever stores hold them.

Bootstrap calls it with the SQL stores of the settings; tests and benchmarks call it with
the in-memory fakes. It builds the paper broker on the simulated exchange, the OMS (router,
retries, circuit breakers, reconciler), the portfolio tracker, risk's views, gate and
drawdown guard, the kill switch control over the given ``KillSwitch`` (on an in-memory
store when none is given), the feed-health watchdog, the trading desk and the strategy
engine with the given slots, the account reports (equity snapshots to ``equity_store``,
performance, the daily report through ``report_writer``), and returns the ``LiveNode`` that
runs them. ``marked`` series (``spec.fx_instruments``' markets) are subscribed for their
marks only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from jts.contexts.portfolio.domain.analytics import KRX_DAILY, MetricConventions
from jts.contexts.risk.application.gate import PreTradeGate
from jts.contexts.risk.application.kill_switch import KillSwitch, MemoryKillSwitchStore
from jts.contexts.risk.application.ports import InstrumentSpecs, RiskStateView
from jts.contexts.risk.domain.checks_market import DayLoss
from jts.contexts.risk.domain.drawdown import DrawdownLimits
from jts.contexts.risk.domain.limits import RiskLimits
from jts.contexts.risk.domain.var import VarModel
from jts.contexts.trading.application.circuit_breaker import BreakerRegistry
from jts.contexts.trading.application.oms import OrderManager
from jts.contexts.trading.application.order_ledger import OrderLedger
from jts.contexts.trading.application.ports import TradingUnitOfWork
from jts.contexts.trading.application.reconciliation import Reconciler
from jts.contexts.trading.application.retry import RetryPolicy
from jts.contexts.trading.application.router import SmartOrderRouter
from jts.contexts.trading.application.venues import VenueAccess
from jts.messages.base import Event
from jts.messages.bus import EventBus
from jts.runtime.backtest.exchange import ExchangeConfig, SessionPolicy, SimulatedExchange
from jts.runtime.backtest.exchange.ports import AccountStore
from jts.runtime.live.account import ExchangeRef, PaperAccountView
from jts.runtime.live.account_reports import AccountReports
from jts.runtime.live.daily_report import DailyReporter, DailyReportWriter, KrxCloses
from jts.runtime.live.equity_recorder import EquityArchive, EquityRecorder, curve_id_of
from jts.runtime.live.feed_health import FeedHealth
from jts.runtime.live.kill_control import KillSwitchControl
from jts.runtime.live.node import LiveNode
from jts.runtime.live.node_ports import Checkpoint, FeedStart, MarketFeed
from jts.runtime.live.performance import HOUR_NS, LivePerformance
from jts.runtime.live.portfolio_tracker import PortfolioTracker
from jts.runtime.live.recorder import BarRecorder, SeriesKey
from jts.runtime.live.risk_guard import OnKill, RiskGuard
from jts.runtime.live.slots import Slot
from jts.runtime.live.strategy_engine import LiveStrategyEngine
from jts.runtime.live.trading_desk import OrderIds, TradingDesk
from jts.runtime.paper import PaperBroker
from jts.shared_kernel.clock import Clock
from jts.shared_kernel.errors import ConfigurationError
from jts.shared_kernel.identifiers import AccountId, InstrumentId
from jts.shared_kernel.venues.calendar import TradingCalendar
from jts.shared_kernel.venues.instruments import Instrument
from jts.shared_kernel.venues.krx_calendar import KRX_CALENDAR_ID

BROKER = "paper"


@dataclass(frozen=True)
class NodeSpec:
    """The account, its instruments and its limits."""

    instruments: Sequence[Instrument]
    calendars: Mapping[str, TradingCalendar]
    cash: Mapping[str, Decimal]
    limits: RiskLimits
    drawdown: DrawdownLimits
    order_prefix: str
    account_id: str = "paper"
    base_currency: str = "KRW"
    fx_rates: Mapping[str, Decimal] = field(default_factory=dict)
    var_confidence: float = 0.99
    var_window_days: int = 250
    var_min_days: int = 2
    fx_instruments: Mapping[InstrumentId, str] = field(default_factory=dict)
    performance: MetricConventions = KRX_DAILY
    performance_every_ns: int = HOUR_NS
    exchange: ExchangeConfig = field(
        default_factory=lambda: ExchangeConfig(session_policy=SessionPolicy.QUEUE)
    )


def assemble(
    spec: NodeSpec,
    *,
    bus: EventBus,
    clock: Clock,
    feed: MarketFeed,
    account_store: AccountStore,
    trading_store: Callable[[], TradingUnitOfWork],
    specs: InstrumentSpecs,
    slots: Iterable[Slot],
    recorder: BarRecorder | None = None,
    checkpoint: Checkpoint | None = None,
    feed_start: FeedStart | None = None,
    kill_switch: KillSwitch | None = None,
    watch_feeds: bool = True,
    equity_store: EquityArchive | None = None,
    report_writer: DailyReportWriter | None = None,
    marked: Sequence[SeriesKey] = (),
) -> LiveNode:
    """The node for ``spec`` (see the module docstring)."""
    _check_rates(spec)
    exchange = ExchangeRef()
    broker = _paper_broker(spec, clock, account_store, exchange)
    publish = _LatePublisher()
    oms = _oms(trading_store, broker, clock, publish)
    tracker = PortfolioTracker(
        instruments=specs,
        cash=spec.cash,
        clock=clock,
        account_id=AccountId(spec.account_id),
        base_currency=spec.base_currency,
        fx_rates=spec.fx_rates,
        fx_instruments=spec.fx_instruments,
    )
    engine = LiveStrategyEngine(positions=tracker, publish=bus.publish, clock=clock)
    risk_state = _LateRiskState()
    desk = _desk(
        spec,
        oms=oms,
        tracker=tracker,
        exchange=exchange,
        specs=specs,
        clock=clock,
        risk_state=risk_state,
    )
    desk.attach(publish=bus.publish, trailing=engine)
    for slot in slots:
        engine.add(slot)
        desk.register(
            slot.strategy_id,
            slot.instrument,
            timeframe=slot.timeframe,
            trailing_mode=slot.trailing_mode,
        )
    guard, control = _risk_controls(
        spec, switch=kill_switch, bus=bus, clock=clock, engine=engine, desk=desk
    )
    risk_state.target = guard
    health = (
        FeedHealth(spec.instruments, spec.calendars, engine.subscriptions())
        if watch_feeds
        else None
    )
    node = LiveNode(
        bus=bus,
        clock=clock,
        feed=feed,
        broker=broker,
        oms=oms,
        reconciler=Reconciler(oms, clock=clock),
        tracker=tracker,
        engine=engine,
        desk=desk,
        guard=guard,
        recorder=recorder,
        checkpoint=checkpoint,
        feed_start=feed_start,
        kill_switch=control,
        feed_health=health,
        reports=_reports(spec, tracker, bus, guard, equity_store, report_writer),
        marked=marked,
    )
    publish.target = node.publish
    return node


def _reports(
    spec: NodeSpec,
    tracker: PortfolioTracker,
    bus: EventBus,
    guard: RiskGuard,
    equity_store: EquityArchive | None,
    writer: DailyReportWriter | None,
) -> AccountReports:
    """Equity snapshots and performance when there is a store; the daily report always."""
    recorder = (
        None
        if equity_store is None
        else EquityRecorder(equity_store, curve_id=curve_id_of(spec.account_id))
    )
    return AccountReports(
        tracker=tracker,
        publish=bus.publish,
        risk=lambda: guard.metrics(tracker.exposure()),
        equity=recorder,
        performance=LivePerformance(
            conventions=spec.performance, every_ns=spec.performance_every_ns
        ),
        daily=DailyReporter(
            tracker=tracker, closes=KrxCloses(spec.calendars.get(KRX_CALENDAR_ID)), writer=writer
        ),
    )


def _check_rates(spec: NodeSpec) -> None:
    unpriced = sorted(
        {i.quote_currency for i in spec.instruments} - {spec.base_currency, *spec.fx_rates}
    )
    if unpriced:
        raise ConfigurationError(
            f"no {spec.base_currency} rate for {', '.join(unpriced)}: give the node a starting "
            "FX rate for every quote currency it trades in"
        )


def _paper_broker(
    spec: NodeSpec, clock: Clock, store: AccountStore, exchange: ExchangeRef
) -> PaperBroker:
    def new_exchange() -> SimulatedExchange:
        return exchange.set(
            SimulatedExchange(
                instruments=spec.instruments,
                calendars=spec.calendars,
                clock=clock,
                balances=spec.cash,
                config=spec.exchange,
            )
        )

    return PaperBroker(
        new_exchange=new_exchange, store=store, account_id=spec.account_id, name=BROKER
    )


def _desk(
    spec: NodeSpec,
    *,
    oms: OrderManager,
    tracker: PortfolioTracker,
    exchange: ExchangeRef,
    specs: InstrumentSpecs,
    clock: Clock,
    risk_state: RiskStateView,
) -> TradingDesk:
    account = PaperAccountView(tracker=tracker, exchange=exchange, clock=clock, open_orders=_none)
    gate = PreTradeGate(
        limits=spec.limits,
        account=account,
        market=account,
        instruments=specs,
        clock=clock,
        risk_state=risk_state,
    )
    desk = TradingDesk(
        oms=oms,
        account=account,
        tracker=tracker,
        instruments=specs,
        gate=gate,
        clock=clock,
        order_ids=OrderIds(spec.order_prefix),
    )
    account.bind_desk(desk)
    tracker.on_trade = desk.record_trade
    return desk


def _risk_controls(
    spec: NodeSpec,
    *,
    switch: KillSwitch | None,
    bus: EventBus,
    clock: Clock,
    engine: LiveStrategyEngine,
    desk: TradingDesk,
) -> tuple[RiskGuard, KillSwitchControl]:
    """The drawdown guard and the kill switch it trips (saved before the node acts)."""

    async def kill(reason: str) -> None:
        await control.on_breach(guard.kill_rule or "drawdown", reason)

    guard = _guard(spec, bus=bus, clock=clock, on_kill=kill)
    control = KillSwitchControl(
        switch=switch or KillSwitch(MemoryKillSwitchStore(), clock=clock),
        account_id=spec.account_id,
        engine=engine,
        desk=desk,
        guard=guard,
        publish=bus.publish,
        clock=clock,
    )
    return guard, control


def _guard(spec: NodeSpec, *, bus: EventBus, clock: Clock, on_kill: OnKill) -> RiskGuard:
    return RiskGuard(
        limits=spec.drawdown,
        publish=bus.publish,
        clock=clock,
        on_kill=on_kill,
        base_currency=spec.base_currency,
        instruments=[instrument.id for instrument in spec.instruments],
        var_confidence=spec.var_confidence,
        var_days=spec.var_window_days,
        var_min_days=spec.var_min_days,
    )


class _LatePublisher:
    """The OMS's publisher, pointed at the node once the node exists."""

    def __init__(self) -> None:
        self.target: Callable[[Event], Awaitable[None]] | None = None

    async def __call__(self, event: Event) -> None:
        if self.target is not None:
            await self.target(event)


class _LateRiskState:
    """The gate's ``RiskStateView``, pointed at the risk guard once the guard exists."""

    def __init__(self) -> None:
        self.target: RiskGuard | None = None

    def day_loss(self, ts_ns: int) -> DayLoss | None:
        return None if self.target is None else self.target.day_loss(ts_ns)

    def var_model(self) -> VarModel | None:
        return None if self.target is None else self.target.var_model()


def _none(_: object) -> int:
    return 0


def _oms(
    trading_store: Callable[[], TradingUnitOfWork],
    broker: PaperBroker,
    clock: Clock,
    publish: _LatePublisher,
) -> OrderManager:
    breakers = BreakerRegistry(clock=clock)
    venues = VenueAccess(
        {BROKER: broker},
        breakers=breakers,
        rng=np.random.default_rng(0),
        retry=RetryPolicy(max_attempts=3, base_delay_s=0.05, call_timeout_s=10.0),
    )
    return OrderManager(
        ledger=OrderLedger(trading_store),
        venues=venues,
        router=SmartOrderRouter({BROKER: broker.capabilities}, health=breakers),
        clock=clock,
        publish=publish,
    )
