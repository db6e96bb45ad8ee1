"""Wiring of ``jts up --paper``: every service in one process, from ``Settings``.

``build_live(settings, options)`` assembles a ``LiveSession``: the in-process bus; the
transactional store of the settings (the OMS's orders and the paper account, migrated to
head); the time-series store (bars the node traded on, for warm-up and resume); the paper
broker on the simulated exchange with the settings' starting cash; the OMS with its
router, retries and reconciler; the portfolio tracker, the risk gate and drawdown guard
from ``settings.risk``; the trading desk; the strategy engine with the strategy files; and
the market data feed:

- ``--replay PATH``: bars from CSV/Parquet files, each of one instrument at a strategy's
  timeframe, named ``<anything>.<SYMBOL>.<VENUE>.<csv|parquet>`` (as ``jts data generate``
  names them) or given as ``SYMBOL.VENUE=PATH``; a single unnamed file serves the only
  instrument the strategies trade. The node runs in market time (``MarketClock``) and
  stops at the end of the data; ``speed`` paces it (``None``: as fast as possible).
- otherwise the synthetic live market: the simulator streaming from ``start`` (default
  now), ``speed`` times real time.

USDT/KRW: when the strategies trade a USDT-quoted instrument, the node also subscribes to
``USDT-KRW.UPBIT`` (at the shortest timeframe of those strategies), marks it without
trading it, and takes its marks as the USDT rate, so the KRW equity of USDT holdings moves
with it; the fixed ``fx_rates`` are the rate before its first mark. A replay uses the
series only if a ``--replay`` file holds it; otherwise the fixed rate stays all along (the
summary's ``fx`` section says which).

Account reports: equity snapshots and performance on the time-series store (curve
``live.<account>``), measured with the KRX conventions (252 days) when a KRX instrument is
traded, else Upbit's (365 days, KST); daily reports at the KRX close go to
``<JTS_HOME>/reports/daily-<account>-<YYYY-MM-DD>.html``.

Adapters are imported here only; entry points never see them.
"""

from __future__ import annotations

import asyncio
import re
import signal
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from jts.adapters.bus.inprocess import InProcessEventBus
from jts.adapters.calendars import trading_calendar
from jts.adapters.clock import LiveClock
from jts.adapters.feeds.replay import ReplayFeed
from jts.adapters.feeds.synthetic import SyntheticLiveFeed
from jts.adapters.marketsim.simulator import MarketSimulator
from jts.adapters.reports.daily import DailyReportFiles
from jts.adapters.sql.paper_accounts import SqlAccountStore
from jts.bootstrap.database import Database, open_database
from jts.bootstrap.notifications import notifying
from jts.bootstrap.risk_controls import kill_switch
from jts.bootstrap.settings import NotificationsConfig, Settings, SimulatedBrokerConfig
from jts.bootstrap.stores import open_timeseries, read_bars_file
from jts.bootstrap.strategy_files import LoadedStrategy, PythonStrategyFile, load_strategy_file
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.tick_series import TickSeries
from jts.contexts.portfolio.domain.analytics import KRX_DAILY, UPBIT_DAILY, MetricConventions
from jts.contexts.risk.domain.drawdown import DrawdownLimits
from jts.contexts.risk.domain.limits import RiskLimits
from jts.runtime.live.assembly import NodeSpec, assemble
from jts.runtime.live.checkpoint import FileCheckpoint
from jts.runtime.live.clocks import MarketClock, ScaledClock
from jts.runtime.live.dashboard import Dashboard
from jts.runtime.live.node import LiveNode, MarketFeed
from jts.runtime.live.recorder import BarRecorder
from jts.runtime.live.slots import ProgramSlot, PythonSlot, Slot
from jts.runtime.live.summary import summary, write_summary
from jts.shared_kernel.clock import Clock, datetime_to_ns
from jts.shared_kernel.errors import ConfigurationError
from jts.shared_kernel.identifiers import InstrumentId, StrategyId
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues.calendar import TradingCalendar
from jts.shared_kernel.venues.catalog import default_registry
from jts.shared_kernel.venues.instruments import Instrument
from jts.shared_kernel.venues.krx_calendar import KRX_CALENDAR_ID

BROKER = "paper"
DEFAULT_FX_RATES = {"USDT": Decimal(1380)}
EXTRA_CASH = {"USDT": Decimal(100_000)}
USDT_KRW = InstrumentId.parse("USDT-KRW.UPBIT")
_INSTRUMENT_INFIX = re.compile(r"\.([A-Z0-9][A-Z0-9_\-/]*\.[A-Z][A-Z0-9_]*)$")


@dataclass(frozen=True)
class UpOptions:
    """What ``jts up --paper`` was asked to run."""

    strategies: tuple[Path, ...]
    replay: tuple[str, ...] = ()
    speed: float | None = None
    start: datetime | None = None
    seed: int = 7
    account_id: str = "paper"
    fx_rates: Mapping[str, Decimal] = field(default_factory=lambda: dict(DEFAULT_FX_RATES))


@dataclass
class LiveSession:
    """A built node and what must be closed after it."""

    node: LiveNode
    strategies: list[LoadedStrategy]
    database: Database
    closers: list[Callable[[], None]]
    notifications: NotificationsConfig

    def close(self) -> None:
        for close in reversed(self.closers):
            close()
        self.database.close()


def load_strategies(paths: Iterable[Path]) -> list[LoadedStrategy]:
    """Load every strategy file (``.jts`` programs, ``.py`` Python strategies, see
    ``strategy_files``); a ``StrategyError`` carries every diagnostic."""
    loaded = [load_strategy_file(path) for path in paths]
    if not loaded:
        raise ConfigurationError("give at least one strategy: --strategy FILE.jts or FILE.py")
    return loaded


def replay_files(specs: Iterable[str], traded: Iterable[InstrumentId]) -> dict[InstrumentId, Path]:
    """Which instrument each ``--replay`` file holds (see the module docstring)."""
    files: dict[InstrumentId, Path] = {}
    traded = list(dict.fromkeys(traded))
    for spec in specs:
        name, equals, text = spec.partition("=")
        if equals:
            files[InstrumentId.parse(name)] = Path(text)
            continue
        path = Path(spec)
        found = _INSTRUMENT_INFIX.search(path.stem)
        if found:
            files[InstrumentId.parse(found.group(1))] = path
        elif len(traded) == 1:
            files[traded[0]] = path
        else:
            raise ConfigurationError(
                f"--replay {spec}: say which instrument it holds, as SYMBOL.VENUE={spec} or by "
                "naming it <name>.<SYMBOL>.<VENUE>.csv"
            )
    for path in files.values():
        if not path.is_file():
            raise ConfigurationError(f"--replay file {path} does not exist")
    return files


def build_live(settings: Settings, options: UpOptions) -> LiveSession:
    """Assemble the node ``options`` describe on the stores ``settings`` name."""
    strategies = load_strategies(options.strategies)
    registry = default_registry()
    universe = [i for s in strategies for i in s.program.universe]
    files = replay_files(options.replay, universe) if options.replay else {}
    traded = [i for i in dict.fromkeys(universe) if not files or i in files]
    if not traded:
        raise ConfigurationError("no --replay file holds an instrument the strategies trade")
    instruments = [registry.get(i) for i in traded]
    replayed = _read_replays(files, strategies, traded)
    marked = _fx_markets(strategies, instruments, files, replayed)
    settings.home.mkdir(parents=True, exist_ok=True)
    checkpoint = FileCheckpoint(settings.home / f"live-{options.account_id}.state.json")
    resumed = checkpoint.load().resume_points(_series_keys(strategies, traded)).values()
    clock: Clock = MarketClock() if files else _live_clock(options, max(resumed, default=None))
    slots = _slots(strategies, traded, clock)
    feed = _feed(replayed, [(s.instrument, s.timeframe) for s in slots], options, clock)
    database = open_database(settings)
    timeseries = open_timeseries(settings)
    spec = NodeSpec(
        instruments=instruments,
        calendars=_calendars(instruments, replayed, clock),
        cash=_starting_cash(settings, instruments),
        limits=_risk_limits(settings),
        drawdown=_drawdown_limits(settings),
        order_prefix=f"L{uuid.uuid4().hex[:10]}",
        account_id=options.account_id,
        var_confidence=settings.risk.var_confidence,
        var_window_days=settings.risk.var_window_days,
        var_min_days=settings.risk.var_min_days,
        fx_rates={c: r for c, r in options.fx_rates.items() if c in _currencies(instruments)},
        fx_instruments={USDT_KRW: "USDT"} if marked else {},
        performance=_conventions(instruments),
    )
    node = assemble(
        spec,
        bus=InProcessEventBus(queue_size=_queue_size(settings)),
        clock=clock,
        feed=feed,
        account_store=SqlAccountStore(database.engine),
        trading_store=database.unit_of_work,
        specs=registry,
        slots=slots,
        recorder=BarRecorder(timeseries),
        checkpoint=checkpoint,
        feed_start=_feed_start(replayed, clock),
        equity_store=timeseries,
        report_writer=DailyReportFiles(settings.home / "reports"),
        marked=marked,
        kill_switch=kill_switch(database),
    )
    return LiveSession(
        node=node,
        strategies=strategies,
        database=database,
        closers=[timeseries.close],
        notifications=settings.notifications,
    )


def _feed_start(
    replayed: Mapping[tuple[InstrumentId, Timeframe], BarSeries], clock: Clock
) -> Callable[[tuple[InstrumentId, Timeframe]], int | None]:
    """Where the feed begins: a replayed series' first bar; the live market's now."""
    if not replayed:
        return lambda key: clock.now_ns()
    starts = {key: int(series.ts_start[0]) for key, series in replayed.items() if len(series)}
    return starts.get


def _series_keys(
    strategies: list[LoadedStrategy], traded: list[InstrumentId]
) -> list[tuple[InstrumentId, Timeframe]]:
    """The (instrument, timeframe) series the strategies trade on."""
    keys = [
        (instrument_id, Timeframe.parse(compiled.program.timeframe))
        for compiled in strategies
        for instrument_id in compiled.program.universe
        if instrument_id in traded
    ]
    return list(dict.fromkeys(keys))


def _slots(
    strategies: list[LoadedStrategy], traded: list[InstrumentId], clock: Clock
) -> list[Slot]:
    """One slot per strategy and traded instrument of its universe."""
    return [
        _slot(strategy, instrument_id, clock)
        for strategy in strategies
        for instrument_id in strategy.program.universe
        if instrument_id in traded
    ]


def _slot(strategy: LoadedStrategy, instrument_id: InstrumentId, clock: Clock) -> Slot:
    strategy_id = StrategyId(strategy.name)
    if isinstance(strategy, PythonStrategyFile):
        timeframe = Timeframe.parse(strategy.program.timeframe)
        return PythonSlot(
            strategy.make(),
            strategy_id=strategy_id,
            instrument=instrument_id,
            timeframe=timeframe,
            clock=clock,
        )
    return ProgramSlot(strategy, strategy_id=strategy_id, instrument=instrument_id, clock=clock)


def _read_replays(
    files: Mapping[InstrumentId, Path],
    strategies: list[LoadedStrategy],
    traded: list[InstrumentId],
) -> dict[tuple[InstrumentId, Timeframe], BarSeries]:
    """Every replayed series, read once up front (bad rows fail before anything starts)."""
    series: dict[tuple[InstrumentId, Timeframe], BarSeries] = {}
    for compiled in strategies:
        timeframe = Timeframe.parse(compiled.program.timeframe)
        for instrument_id in compiled.program.universe:
            key = (instrument_id, timeframe)
            if instrument_id in traded and files and key not in series:
                series[key] = read_bars_file(files[instrument_id], instrument_id, timeframe)
    return series


def _fx_markets(
    strategies: list[LoadedStrategy],
    instruments: list[Instrument],
    files: Mapping[InstrumentId, Path],
    replayed: dict[tuple[InstrumentId, Timeframe], BarSeries],
) -> list[tuple[InstrumentId, Timeframe]]:
    """The USDT-KRW series to mark when USDT instruments trade (a replay: only with its
    file, read into ``replayed``); see the module docstring."""
    usdt = {i.id for i in instruments if i.quote_currency == "USDT"}
    timeframes = [
        Timeframe.parse(s.program.timeframe)
        for s in strategies
        if usdt.intersection(s.program.universe)
    ]
    if not timeframes:
        return []
    key = (USDT_KRW, min(timeframes, key=lambda t: t.nanos))
    if files:
        path = files.get(USDT_KRW)
        if path is None:
            return []
        replayed[key] = read_bars_file(path, USDT_KRW, key[1])
    return [key]


def _conventions(instruments: list[Instrument]) -> MetricConventions:
    """KRX's 252 days when the account trades on the KRX, else crypto's 365 (KST days)."""
    krx = any(i.calendar_id == KRX_CALENDAR_ID for i in instruments)
    return KRX_DAILY if krx else UPBIT_DAILY


class _ReplaySource:
    """The replayed series as the replay feed's ``SeriesSource``."""

    def __init__(self, series: Mapping[tuple[InstrumentId, Timeframe], BarSeries]) -> None:
        self._series = series

    def bars(
        self,
        instrument_id: InstrumentId,
        timeframe: Timeframe,
        start_ns: int | None,
        end_ns: int | None,
    ) -> BarSeries:
        return self._series[(instrument_id, timeframe)].between(start_ns, end_ns)

    def ticks(
        self, instrument_id: InstrumentId, start_ns: int | None, end_ns: int | None
    ) -> TickSeries:
        raise ConfigurationError(f"a bar replay has no ticks of {instrument_id}")


def _feed(
    replayed: Mapping[tuple[InstrumentId, Timeframe], BarSeries],
    keys: list[tuple[InstrumentId, Timeframe]],
    options: UpOptions,
    clock: Clock,
) -> MarketFeed:
    if replayed:
        missing = sorted(f"{i} {tf}" for i, tf in keys if (i, tf) not in replayed)
        if missing:
            raise ConfigurationError(f"no --replay file for {', '.join(missing)}")
        return ReplayFeed(_ReplaySource(replayed), clock=LiveClock(), speed=options.speed)
    speed = options.speed or 1.0

    async def sleep(seconds: float) -> None:
        await asyncio.sleep(seconds / speed)

    return SyntheticLiveFeed(MarketSimulator(), clock=clock, seed=options.seed, sleep=sleep)


def _live_clock(options: UpOptions, resume_after_ns: int | None) -> Clock:
    """The live market's clock: from ``--start`` (or now), and never before the last bar a
    previous run traded (a restarted accelerated market carries on from there)."""
    base = LiveClock()
    origin = base.now_ns() if options.start is None else datetime_to_ns(options.start)
    if resume_after_ns is not None:
        origin = max(origin, resume_after_ns)
    return ScaledClock(base, speed=options.speed or 1.0, origin_ns=origin)


def _year(ts_ns: int) -> int:
    return datetime.fromtimestamp(ts_ns // 1_000_000_000, UTC).year


def _calendars(
    instruments: list[Instrument],
    replayed: Mapping[tuple[InstrumentId, Timeframe], BarSeries],
    clock: Clock,
) -> dict[str, TradingCalendar]:
    """Calendars over the replayed years, or around today for a live market."""
    starts = [int(s.ts_start[0]) for s in replayed.values() if len(s)]
    ends = [int(s.ts_event[-1]) for s in replayed.values() if len(s)]
    if starts:
        first, last = _year(min(starts)), _year(max(ends)) + 1
    else:
        now = _year(clock.now_ns())
        first, last = now - 1, now + 2
    ids = {instrument.calendar_id for instrument in instruments}
    return {i: trading_calendar(i, first_year=first, last_year=last) for i in ids}


def _currencies(instruments: list[Instrument]) -> set[str]:
    return {instrument.quote_currency for instrument in instruments}


def _starting_cash(settings: Settings, instruments: list[Instrument]) -> dict[str, Decimal]:
    config = settings.brokers.get(BROKER)
    cash = dict(config.starting_cash) if isinstance(config, SimulatedBrokerConfig) else {}
    if not cash:
        cash = {"KRW": Decimal(100_000_000)}
    for currency in _currencies(instruments) - set(cash):
        cash[currency] = EXTRA_CASH.get(currency, Decimal(0))
    return cash


def _risk_limits(settings: Settings) -> RiskLimits:
    """The gate's limits from ``risk`` (percentages become fractions of equity)."""
    risk = settings.risk
    return RiskLimits(
        max_order_notional=risk.max_order_notional_krw,
        max_open_orders=risk.max_open_orders,
        max_open_orders_total=risk.max_open_orders_total,
        fat_finger_band=_fraction(risk.fat_finger_pct),
        trading_hours=risk.trading_hours,
        max_position_notional=risk.max_position_krw,
        max_position_weight=_fraction(risk.max_position_pct),
        max_strategy_exposure_weight=_fraction(risk.max_strategy_exposure_pct),
        max_gross_exposure_weight=_fraction(risk.max_gross_exposure_pct),
        strategy_budget_weight=_fraction(risk.strategy_budget_pct),
        strategy_budgets=dict(risk.strategy_budgets),
        max_daily_loss=risk.daily_loss_limit_pct / 100,
        var_budget_weight=_fraction(risk.var_budget_pct),
        var_confidence=risk.var_confidence,
    )


def _fraction(percent: Decimal | None) -> Decimal | None:
    return None if percent is None else percent / 100


def _drawdown_limits(settings: Settings) -> DrawdownLimits:
    """The kill switch trips at ``max_drawdown_pct`` (warning at half of it). The daily loss
    limit is the gate's: entries stop for the day, exits go on; it does not latch."""
    limit = settings.risk.max_drawdown_pct / 100
    return DrawdownLimits(max_drawdown=limit, warning_drawdown=limit / 2)


def _queue_size(settings: Settings) -> int:
    queue_size = getattr(settings.bus, "queue_size", None)
    return queue_size if isinstance(queue_size, int) else 10_000


async def run_session(
    session: LiveSession,
    *,
    duration_s: float | None,
    summary_path: Path | None,
    console: Console,
    dashboard: bool,
) -> dict[str, Any]:
    """Run the node to its end with console notifications (and the dashboard), stop
    cleanly on SIGINT/SIGTERM, write the summary; the summary document."""
    node = session.node
    await node.start()
    for currency, rate in _fixed_rates(node).items():
        console.print(
            f"{currency} is valued at the fixed rate of {rate} {node.tracker.base_currency} "
            f"(no {currency}-KRW series: give --replay {USDT_KRW}=FILE to follow one)"
        )
    async with notifying(
        session.notifications, node.bus, clock=node.clock, console=console, quiet_console=dashboard
    ) as wired:
        alerts = wired.console.recent if wired.console is not None else deque[Text]()
        await _run_until_stopped(node, console, alerts if dashboard else None, duration_s)
    document = summary(node)
    if summary_path is not None:
        write_summary(node, summary_path)
    return document


def _fixed_rates(node: LiveNode) -> dict[str, Decimal]:
    """The foreign currencies the account holds whose rate no marked series moves."""
    tracker = node.tracker
    followed = set(tracker.fx_instruments.values())
    return {
        currency: tracker.rates.rate(currency)
        for currency in sorted(tracker.account.balances)
        if currency != tracker.base_currency and currency not in followed
    }


async def _run_until_stopped(
    node: LiveNode, console: Console, alerts: deque[Text] | None, duration_s: float | None
) -> None:
    """Run ``node``; the first Ctrl-C (or SIGTERM) stops it cleanly; ``alerts``: dashboard."""
    loop = asyncio.get_running_loop()

    def stop(signum: int) -> None:  # the first Ctrl-C stops cleanly, a second one interrupts
        loop.remove_signal_handler(signum)
        node.request_stop()

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop, signum)
    view = None
    if alerts is not None:
        view = asyncio.create_task(Dashboard(node, alerts).run(console))
    try:
        await node.run(duration_s=duration_s)
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        if view is not None:
            view.cancel()
            await asyncio.gather(view, return_exceptions=True)


def run_paper(
    settings: Settings,
    options: UpOptions,
    *,
    console: Console,
    duration_s: float | None = None,
    summary_path: Path | None = None,
    dashboard: bool = False,
) -> dict[str, Any]:
    """Build, run and close a paper node (``jts up --paper``, ``jts demo``); its summary."""
    session = build_live(settings, options)
    try:
        return asyncio.run(
            run_session(
                session,
                duration_s=duration_s,
                summary_path=summary_path,
                console=console,
                dashboard=dashboard,
            )
        )
    finally:
        session.close()
