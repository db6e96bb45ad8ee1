"""The research half of ``jts demo``: backtest and optimize an example on the demo's data."""

from __future__ import annotations

import time
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from rich.console import Console
from rich.table import Table

from jts.bootstrap.backtest import BacktestOptions, backtest_files, load_strategy
from jts.bootstrap.optimize import OptimizeOptions, optimize_files
from jts.bootstrap.settings import Settings
from jts.bootstrap.stores import open_timeseries, write_bars_file
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

EXAMPLES = Path(__file__).resolve().parents[4] / "examples" / "strategies"
WALK_FORWARD = "train=250,test=120"


def run_research(settings: Settings, console: Console, strategy_path: Path) -> None:
    """Export the strategy's bars, backtest it, optimize it; print and report both."""
    strategy = load_strategy(strategy_path)
    timeframe = Timeframe.parse(strategy.program.timeframe)
    data = _export_bars(settings, strategy.program.universe, timeframe)
    reports = settings.home / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    _backtest(console, strategy_path, data, reports / f"{strategy.name}.backtest.html")
    _optimize(settings, console, strategy_path, data[0], reports / f"{strategy.name}.optimize.html")


def _export_bars(
    settings: Settings, universe: Sequence[InstrumentId], timeframe: Timeframe
) -> list[Path]:
    folder = settings.home / "data"
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    with open_timeseries(settings, read_only=True) as store:
        for instrument_id in universe:
            path = folder / f"{instrument_id}.{timeframe}.parquet"
            write_bars_file(store.read_bars(instrument_id, timeframe), path)
            paths.append(path)
    return paths


def _backtest(console: Console, strategy: Path, data: list[Path], report: Path) -> None:
    began = time.perf_counter()
    run = backtest_files(BacktestOptions(strategy_path=strategy, data=tuple(data), report=report))
    result, metrics = run.result, run.metrics
    table = Table(title=f"Backtest of {result.strategy} ({len(result.trades)} trades)")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_row("final equity", f"{result.final_equity:,.0f} {result.base_currency}")
    table.add_row("total return", f"{metrics.total_return:+.2%}")
    table.add_row("CAGR", f"{metrics.cagr:+.2%}")
    table.add_row("Sharpe", f"{metrics.sharpe:.2f}")
    table.add_row("max drawdown", f"{metrics.max_drawdown:.2%}")
    console.print(table)
    console.print(
        f"[bold]backtest[/] report {run.report_path} in {time.perf_counter() - began:.1f}s"
    )


def _optimize(
    settings: Settings, console: Console, strategy: Path, data: Path, report: Path
) -> None:
    began = time.perf_counter()
    options = OptimizeOptions(
        strategy_path=strategy,
        data_path=data,
        walk_forward=WALK_FORWARD,
        cash=Decimal(100_000_000),
        report=report,
    )
    run = optimize_files(options, settings)
    best = run.document["best"]
    chosen = ", ".join(f"{name}={value}" for name, value in best["parameters"].items())
    console.print(
        f"[bold]optimize[/] grid of {len(run.document['trials'])} parameter sets with "
        f"walk-forward {WALK_FORWARD}: best {chosen} ({options.objective} "
        f"{best['score']:.2f}, {best['trades']} trades); run {run.run_id} stored; "
        f"report {run.report_path} in {time.perf_counter() - began:.1f}s"
    )
