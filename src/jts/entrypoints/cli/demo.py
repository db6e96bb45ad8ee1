"""``jts demo``: the most complete job the platform can run end to end on embedded defaults.

1. The embedded stores: the SQLite schema migrated to head, DuckDB filled with simulated
   one-minute and daily bars for KRX stocks and crypto pairs, and a summary of them.
2. A backtest of ``examples/strategies/golden_cross.jts`` on those daily bars, and a grid
   optimization of it with walk-forward analysis, each with its HTML report under
   ``<home>/reports``.
3. Paper trading (``jts up --paper``) of KRX and crypto example strategies on the simulated
   market that continues after the stored years, at one market day per second, ending
   with a summary (``<home>/paper-summary.json``).

``make demo`` runs it with ``JTS_HOME=.jts-demo``.
"""

from __future__ import annotations

import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from jts.bootstrap.settings import Settings
from jts.bootstrap.stores import (
    exchange_time_zone,
    open_timeseries,
    save_to_store,
    simulate,
    timeseries_path,
)
from jts.entrypoints.cli.config import cli_settings
from jts.shared_kernel.clock import ns_to_datetime
from jts.shared_kernel.errors import JtsError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

DEMO_STRATEGY = Path(__file__).resolve().parents[4] / "examples" / "strategies" / "golden_cross.jts"
DEMO_INSTRUMENTS = (
    "005930.KRX",
    "000660.KRX",
    "035420.KRX",
    "BTC-KRW.UPBIT",
    "BTCUSDT.BINANCE",
)
ONE_DAY = Timeframe.parse("1d")

demo_app = typer.Typer(help="Run the platform end to end on embedded defaults.")


@demo_app.callback(invoke_without_command=True)
def demo(
    ctx: typer.Context,
    year: Annotated[int, typer.Option(help="Last calendar year of simulated data.")] = 2025,
    years: Annotated[int, typer.Option(help="How many years to simulate.")] = 3,
    seed: Annotated[int, typer.Option(help="Same seed, same market.")] = 7,
    strategy: Annotated[
        Path, typer.Option(help="Strategy to backtest and optimize.", dir_okay=False)
    ] = DEMO_STRATEGY,
    paper_seconds: Annotated[
        float, typer.Option(help="Seconds of accelerated paper trading (0: skip).")
    ] = 90.0,
) -> None:
    """Prepare the embedded stores, simulate markets, backtest and optimize a strategy."""
    # the research and paper-trading wiring (pandas, exchange_calendars, SQLAlchemy) is
    # imported when the demo runs, so other commands start without it
    from jts.entrypoints.cli.demo_live import run_paper_trading
    from jts.entrypoints.cli.demo_research import run_research

    settings = cli_settings(ctx)
    console = Console(width=None if sys.stdout.isatty() else 110)
    try:
        _prepare_database(settings, console)
        _fill_market_data(settings, console, first_year=year - years + 1, last_year=year, seed=seed)
        _summarize(settings, console)
        run_research(settings, console, strategy)
        if paper_seconds > 0:
            run_paper_trading(settings, console, seconds=paper_seconds, year=year)
    except JtsError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(1) from None


def _prepare_database(settings: Settings, console: Console) -> None:
    from jts.bootstrap.database import display_url, upgrade_database

    settings.home.mkdir(parents=True, exist_ok=True)
    revision = upgrade_database(settings)
    console.print(f"[bold]database[/] {display_url(settings)} at revision {revision}")


def _fill_market_data(
    settings: Settings, console: Console, *, first_year: int, last_year: int, seed: int
) -> None:
    began = time.perf_counter()
    ids = [InstrumentId.parse(text) for text in DEMO_INSTRUMENTS]
    markets = simulate(ids, date(first_year, 1, 1), date(last_year, 12, 31), seed=seed)
    with open_timeseries(settings) as store:
        rows = save_to_store(markets, store, daily=True)
    console.print(
        f"[bold]market data[/] {rows:,} bars for {len(ids)} instruments of "
        f"{first_year}-{last_year} into {timeseries_path(settings)} "
        f"in {time.perf_counter() - began:.1f}s"
    )


def _summarize(settings: Settings, console: Console) -> None:
    table = Table(title="Simulated markets (daily bars)")
    for column in ("instrument", "1m bars", "days", "first", "last", "open", "close", "return"):
        table.add_column(column, justify="left" if column == "instrument" else "right")
    with open_timeseries(settings, read_only=True) as store:
        minute_counts = {
            s.instrument_id: s.count for s in store.list_bars() if s.timeframe == Timeframe(60)
        }
        for instrument_id, minute_bars in sorted(minute_counts.items()):
            daily = store.read_bars(instrument_id, ONE_DAY)
            first, last = daily.bar_at(0), daily.bar_at(len(daily) - 1)
            table.add_row(
                str(instrument_id),
                f"{minute_bars:,}",
                str(len(daily)),
                _local_date(first.ts_start, instrument_id),
                _local_date(last.ts_start, instrument_id),
                f"{first.open:,}",
                f"{last.close:,}",
                f"{(last.close / first.open - 1) * 100:+.1f}%",
            )
    console.print(table)


def _local_date(ts_ns: int, instrument_id: InstrumentId) -> str:
    from zoneinfo import ZoneInfo

    moment: datetime = ns_to_datetime(ts_ns).astimezone(ZoneInfo(exchange_time_zone(instrument_id)))
    return moment.date().isoformat()
