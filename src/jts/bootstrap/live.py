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

The market side (replay files, feeds, clocks, calendars) is in ``live_market``; what the
account takes from the settings (cash, limits) is in ``live_account``. Adapters are imported
here only; entry points never see them.
"""

from __future__ import annotations

import asyncio
import signal
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from jts.adapters.bus.inprocess import InProcessEventBus
from jts.adapters.reports.daily import DailyReportFiles
from jts.adapters.sql.paper_accounts import SqlAccountStore
from jts.bootstrap.database import Database, open_database
from jts.bootstrap.live_account import (
    conventions,
    currencies,
    drawdown_limits,
    queue_size,
    risk_limits,
    starting_cash,
)
from jts.bootstrap.live_market import (
    USDT_KRW,
    calendars_for,
    feed_start,
    fx_markets,
    live_clock,
    market_feed,
    read_replays,
    replay_files,
    stored_closes,
)
from jts.bootstrap.notifications import notifying
from jts.bootstrap.risk_controls import kill_switch
from jts.bootstrap.settings import NotificationsConfig, Settings
from jts.bootstrap.stores import open_timeseries
from jts.bootstrap.strategy_files import LoadedStrategy, PythonStrategyFile, load_strategy_file
from jts.runtime.live.assembly import NodeSpec, assemble
from jts.runtime.live.checkpoint import FileCheckpoint
from jts.runtime.live.clocks import MarketClock
from jts.runtime.live.dashboard import Dashboard
from jts.runtime.live.node import LiveNode
from jts.runtime.live.recorder import BarRecorder
from jts.runtime.live.slots import ProgramSlot, PythonSlot, Slot
from jts.runtime.live.summary import summary, write_summary
from jts.shared_kernel.clock import Clock
from jts.shared_kernel.errors import ConfigurationError
from jts.shared_kernel.identifiers import InstrumentId, StrategyId
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues.catalog import default_registry

DEFAULT_FX_RATES = {"USDT": Decimal(1380)}


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
    replayed = read_replays(files, strategies, traded)
    marked = fx_markets(strategies, instruments, files, replayed)
    settings.home.mkdir(parents=True, exist_ok=True)
    checkpoint = FileCheckpoint(settings.home / f"live-{options.account_id}.state.json")
    resumed = checkpoint.load().resume_points(_series_keys(strategies, traded)).values()
    clock: Clock = (
        MarketClock()
        if files
        else live_clock(options.start, options.speed, max(resumed, default=None))
    )
    slots = _slots(strategies, traded, clock)
    database = open_database(settings)
    timeseries = open_timeseries(settings)
    keys = [(s.instrument, s.timeframe) for s in slots] + marked
    live_ids = [] if files else list(dict.fromkeys(i for i, _ in keys))
    try:
        feed = market_feed(
            replayed,
            [(s.instrument, s.timeframe) for s in slots],
            clock,
            speed=options.speed,
            seed=options.seed,
            start_prices=stored_closes(timeseries, live_ids, clock.now_ns()),
        )
    except BaseException:
        timeseries.close()
        database.close()
        raise
    spec = NodeSpec(
        instruments=instruments,
        calendars=calendars_for(instruments, replayed, clock),
        cash=starting_cash(settings, instruments),
        limits=risk_limits(settings),
        drawdown=drawdown_limits(settings),
        order_prefix=f"L{uuid.uuid4().hex[:10]}",
        account_id=options.account_id,
        var_confidence=settings.risk.var_confidence,
        var_window_days=settings.risk.var_window_days,
        var_min_days=settings.risk.var_min_days,
        fx_rates={c: r for c, r in options.fx_rates.items() if c in currencies(instruments)},
        fx_instruments={USDT_KRW: "USDT"} if marked else {},
        performance=conventions(instruments),
    )
    node = assemble(
        spec,
        bus=InProcessEventBus(queue_size=queue_size(settings)),
        clock=clock,
        feed=feed,
        account_store=SqlAccountStore(database.engine),
        trading_store=database.unit_of_work,
        specs=registry,
        slots=slots,
        recorder=BarRecorder(timeseries),
        checkpoint=checkpoint,
        feed_start=feed_start(replayed, clock),
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
