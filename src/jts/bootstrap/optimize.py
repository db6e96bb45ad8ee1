"""Wiring of ``jts optimize``: strategy file and bar file in, searched, stored, reported.

``optimize_files(options, settings)`` compiles the program, reads the bars, runs the search
(``jts.runtime.backtest.optimization``) through the backtest engine, stores the run and its
trials in the transactional store the settings name, writes the HTML report when asked and
returns the run's id and JSON document. The engine is the vectorized one
(``VectorizedBacktest``, bars prepared once per window): trials are ranked on its float
sweep and the reported sets (the best, the walk-forward winners) rerun through the numba
kernel plus exact ``Decimal`` replay; it is set up for the instrument's venue (calendar,
quote-currency cash). The event-driven engine has the same face (exact both ways) and
could take its place here alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from jts.adapters.calendars import trading_calendar
from jts.adapters.clock import LiveClock
from jts.adapters.reports import (
    OptimizationReportData,
    TimeSeries,
    Trial,
    WalkForwardWindow,
    render_optimization_report,
    write_report,
)
from jts.adapters.sql.optimization_runs import SqlOptimizationRunStore
from jts.bootstrap.database import open_database
from jts.bootstrap.settings import Settings
from jts.bootstrap.stores import read_bars_file
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.portfolio.domain.analytics import (
    BINANCE_DAILY,
    KRX_DAILY,
    UPBIT_DAILY,
    MetricConventions,
    analyze_performance,
)
from jts.contexts.strategy.application.validation import compile_source
from jts.contexts.strategy.domain.language.compiler import CompiledStrategy
from jts.runtime.backtest.optimization import (
    Constraints,
    OptimizationOutcome,
    ParameterSpace,
    Scorer,
    SearchSettings,
    TrialRunner,
    WalkForwardPlan,
    optimize,
    outcome_document,
    progress_for,
)
from jts.runtime.backtest.optimization.program import ProgramEvaluator
from jts.runtime.backtest.optimization.search import Method
from jts.runtime.backtest.vectorized.backtest import VectorizedBacktest, VectorizedConfig
from jts.shared_kernel.clock import ns_to_datetime
from jts.shared_kernel.errors import DataError, StrategyError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues.catalog import default_registry
from jts.shared_kernel.venues.instruments import Instrument

CONVENTIONS = {"KRX": KRX_DAILY, "UPBIT": UPBIT_DAILY, "BINANCE": BINANCE_DAILY}
DEFAULT_CASH = {"KRW": Decimal(100_000_000), "USDT": Decimal(1_000_000)}


@dataclass(frozen=True)
class OptimizeOptions:
    """What ``jts optimize`` was asked to do (see the command's help for each)."""

    strategy_path: Path
    data_path: Path
    method: Method = "grid"
    objective: str = "sharpe"
    symbol: str | None = None
    walk_forward: str | None = None
    jobs: int = 1
    trials: int = 100
    seed: int = 0
    min_trades: int = 0
    max_drawdown: float | None = None
    cash: Decimal | None = None
    report: Path | None = None
    progress: bool = False


@dataclass(frozen=True)
class OptimizeRun:
    """A finished run: its id in the store, its JSON document and the report's path."""

    run_id: str
    document: dict[str, Any]
    report_path: Path | None


def optimize_files(options: OptimizeOptions, settings: Settings) -> OptimizeRun:
    """Search ``options.strategy_path`` over ``options.data_path``; store and report it."""
    strategy = load_strategy(options.strategy_path)
    instrument = _instrument(strategy, options.symbol)
    timeframe = Timeframe.parse(strategy.program.timeframe)
    bars = read_bars_file(options.data_path, instrument.id, timeframe)
    conventions = CONVENTIONS.get(str(instrument.id.venue), KRX_DAILY)
    constraints = Constraints(options.min_trades, options.max_drawdown)
    search = SearchSettings(options.method, options.trials, options.seed)
    plan = WalkForwardPlan.parse(options.walk_forward) if options.walk_forward else None
    evaluator = ProgramEvaluator(_engine(instrument, bars, options.cash), strategy, [bars])
    scorer = Scorer(options.objective, conventions, constraints)
    progress = progress_for(options.progress)
    try:
        with TrialRunner(evaluator, scorer, jobs=options.jobs, progress=progress) as runner:
            outcome = optimize(runner, ParameterSpace.of(strategy.program.params), search, plan)
    finally:
        progress.close()
    document = outcome_document(
        strategy=strategy.name,
        method=options.method,
        objective=options.objective,
        constraints=constraints,
        outcome=outcome,
    )
    run_id = uuid.uuid4().hex
    with open_database(settings) as database:
        SqlOptimizationRunStore(database.engine).save_run(run_id, LiveClock().now_ns(), document)
    report = None
    if options.report is not None:
        data = report_data(strategy, options.objective, outcome, conventions)
        report = write_report(options.report, render_optimization_report(data))
    return OptimizeRun(run_id=run_id, document=document, report_path=report)


def load_strategy(path: Path) -> CompiledStrategy:
    """The compiled program in ``path``, or a ``StrategyError`` carrying every diagnostic."""
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as e:
        raise StrategyError(f"cannot read strategy {path}: {e.strerror or e}") from None
    except UnicodeDecodeError as e:
        raise StrategyError(f"strategy {path} is not UTF-8 text (byte {e.start})") from None
    strategy, report = compile_source(source, str(path))
    if strategy is None:
        raise StrategyError(report.rendered)
    return strategy


def report_data(
    strategy: CompiledStrategy,
    objective: str,
    outcome: OptimizationOutcome,
    conventions: MetricConventions,
) -> OptimizationReportData:
    """The HTML report's input for ``outcome``."""
    varying = [d.name for d in ParameterSpace.of(strategy.program.params).varying]
    equity = None
    metrics = None
    if outcome.out_of_sample_ts is not None and outcome.out_of_sample_equity is not None:
        ts, values = outcome.out_of_sample_ts, outcome.out_of_sample_equity
        equity = TimeSeries("out-of-sample equity", ts, values)
        metrics = analyze_performance(ts, values, conventions=conventions)
    return OptimizationReportData(
        strategy=strategy.name,
        objective=objective,
        trials=[Trial(dict(t.params), t.objective_value) for t in outcome.trials],
        walk_forward=[
            WalkForwardWindow(
                in_sample_start_ns=w.train_start_ns,
                in_sample_end_ns=w.train_end_ns,
                out_of_sample_start_ns=w.test_start_ns,
                out_of_sample_end_ns=w.test_end_ns,
                in_sample_objective=w.in_sample.objective_value,
                out_of_sample_objective=w.out_of_sample.objective_value,
                parameters=dict(w.params),
            )
            for w in outcome.windows
        ],
        out_of_sample_equity=equity,
        out_of_sample_metrics=metrics,
        heatmap_axes=(varying[0], varying[1]) if len(varying) >= 2 else None,
        deflated_sharpe=outcome.deflated_sharpe,
        overfitting=outcome.overfitting,
        time_zone=conventions.time_zone,
        notes=outcome.notes,
    )


def _instrument(strategy: CompiledStrategy, symbol: str | None) -> Instrument:
    universe = strategy.program.universe
    if symbol is None:
        chosen = universe[0]
    else:
        chosen = InstrumentId.parse(symbol)
        if chosen not in universe:
            shown = ", ".join(str(i) for i in universe)
            raise StrategyError(f"--symbol {symbol} is not in {strategy.name}'s universe ({shown})")
    return default_registry().get(chosen)


def _engine(instrument: Instrument, bars: BarSeries, cash: Decimal | None) -> VectorizedBacktest:
    if len(bars) == 0:
        raise DataError("the data file holds no bars")
    currency = instrument.quote_currency
    amount = cash if cash is not None else DEFAULT_CASH.get(currency, Decimal(1_000_000))
    years = _years(bars)
    calendar = trading_calendar(instrument.calendar_id, first_year=years[0], last_year=years[1])
    return VectorizedBacktest(
        instruments=default_registry(),
        calendars={instrument.calendar_id: calendar},
        config=VectorizedConfig(cash={currency: amount}, base_currency=currency),
    )


def _years(bars: BarSeries) -> Sequence[int]:
    first: date = ns_to_datetime(int(bars.ts_start[0])).date()
    last: date = ns_to_datetime(int(bars.ts_start[-1])).date()
    return first.year, last.year + 1
