"""``jts data fetch|compact|stats``: download history, tier the store, report the tiers.

- ``fetch`` downloads candles from Binance or Upbit's public endpoints (no API keys) into
  the time-series store. ``--from``/``--to`` are UTC dates, ``--to`` inclusive.
- ``compact`` moves every whole UTC day older than ``--hot-days`` from the DuckDB store to
  Parquet files under ``timeseries.cold_path`` (``<home>/cold``), partitioned by venue,
  symbol and date; reads keep seeing both tiers.
- ``stats`` shows, per series, the rows in each tier, the cold partitions and their size.

The commands are registered on the ``jts data`` sub-app (``entrypoints/cli/data.py``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Annotated, NoReturn

import typer

from jts.bootstrap.market_data import (
    DEFAULT_HOT_DAYS,
    compact_timeseries,
    fetch_candles,
    timeseries_tiers,
)
from jts.bootstrap.stores import open_timeseries, timeseries_path
from jts.entrypoints.cli.config import cli_settings
from jts.entrypoints.cli.data import InstrumentOption, TimeframeOption, data_app
from jts.shared_kernel.clock import datetime_to_ns, ns_to_datetime
from jts.shared_kernel.errors import JtsError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

ERROR_EXIT_CODE = 1

UtcFrom = Annotated[
    datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="First UTC date (inclusive).")
]
UtcTo = Annotated[
    datetime, typer.Option("--to", formats=["%Y-%m-%d"], help="Last UTC date (inclusive).")
]


@data_app.command("fetch")
def fetch(
    ctx: typer.Context,
    instrument: InstrumentOption,
    start: UtcFrom,
    end: UtcTo,
    timeframe: TimeframeOption = "1m",
) -> None:
    """Download candles from Binance or Upbit (public, no keys) into the store."""
    began = time.perf_counter()
    with _reporting_errors():
        instrument_id = InstrumentId.parse(instrument)
        frame = Timeframe.parse(timeframe)
        start_ns = datetime_to_ns(start.replace(tzinfo=UTC))
        end_ns = datetime_to_ns((end + timedelta(days=1)).replace(tzinfo=UTC))
        if end_ns <= start_ns:
            raise ValueError(f"--to {end.date()} is before --from {start.date()}")
        settings = cli_settings(ctx)
        bars = fetch_candles(instrument_id, frame, start_ns, end_ns)
        with open_timeseries(settings) as store:
            store.append_bars(bars)
    span = "nothing traded" if not len(bars) else f"{_iso(bars.first_ts)} .. {_iso(bars.last_ts)}"
    typer.echo(
        f"fetched {len(bars):,} {frame} bars of {instrument_id} ({span}) into "
        f"{timeseries_path(settings)} in {time.perf_counter() - began:.1f}s"
    )


@data_app.command("compact")
def compact(
    ctx: typer.Context,
    hot_days: Annotated[
        int, typer.Option("--hot-days", help="Days kept in the DuckDB store (whole UTC days).")
    ] = DEFAULT_HOT_DAYS,
) -> None:
    """Move data older than the hot window to Parquet (partitioned by venue/symbol/date)."""
    with _reporting_errors():
        settings = cli_settings(ctx)
        report = compact_timeseries(settings, hot_days=hot_days)
    typer.echo(
        f"moved {report.bar_rows:,} bars and {report.tick_rows:,} ticks from before "
        f"{_iso(report.cutoff_ns)} to the cold tier ({report.partitions:,} partitions written)"
    )


@data_app.command("stats")
def stats(ctx: typer.Context) -> None:
    """Rows per series in the hot (DuckDB) and cold (Parquet) tiers, with sizes."""
    with _reporting_errors():
        settings = cli_settings(ctx)
        series = timeseries_tiers(settings)
        path = timeseries_path(settings)
    header = ("KIND", "INSTRUMENT", "TIMEFRAME", "HOT", "COLD", "PARTS", "COLD MB")
    rows = [(*header, "FIRST (UTC)", "LAST (UTC)")]
    rows += [
        (
            s.kind,
            str(s.instrument_id),
            str(s.timeframe or "-"),
            f"{s.hot_rows:,}",
            f"{s.cold_rows:,}",
            f"{s.cold_partitions:,}",
            f"{s.cold_bytes / 1e6:.2f}",
            _iso(s.first_ts),
            _iso(s.last_ts),
        )
        for s in series
    ]
    hot_mb = path.stat().st_size / 1e6
    cold_mb = sum(s.cold_bytes for s in series) / 1e6
    typer.echo(f"{path}: {hot_mb:.2f} MB hot, {cold_mb:.2f} MB cold")
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        typer.echo("  " + "  ".join(cells).rstrip())


def _iso(ts_ns: int | None) -> str:
    return "-" if ts_ns is None else ns_to_datetime(ts_ns).strftime("%Y-%m-%dT%H:%M:%SZ")


@contextmanager
def _reporting_errors() -> Iterator[None]:
    """Print JTS errors (no network, rate limited, bad data, missing store) and exit 1."""
    try:
        yield
    except (JtsError, ValueError) as e:
        _fail(str(e))


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(ERROR_EXIT_CODE)
