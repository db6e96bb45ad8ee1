"""``jts data generate|import|export|list``: fill, inspect and empty the time-series store.

The store is the one the settings name (``timeseries.path``, by default
``<home>/timeseries.duckdb``). Dates (``--from``/``--to``) are the instrument's exchange
dates: KST for KRX, UTC for crypto; ``--to`` is inclusive. Files use the backtest layout
``timestamp,open,high,low,close,volume`` (CSV or Parquet, by suffix).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar
from zoneinfo import ZoneInfo

import typer

from jts.bootstrap.stores import (
    exchange_time_zone,
    open_timeseries,
    read_bars_file,
    save_to_files,
    save_to_store,
    simulate,
    timeseries_path,
    write_bars_file,
)
from jts.entrypoints.cli.config import cli_settings
from jts.shared_kernel.clock import datetime_to_ns, ns_to_datetime
from jts.shared_kernel.errors import JtsError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

if TYPE_CHECKING:
    from jts.bootstrap.stores import SimulatedMarket

DATA_ERROR_EXIT_CODE = 1
T = TypeVar("T")

data_app = typer.Typer(help="Generate, import, export and list market data.", no_args_is_help=True)

InstrumentOption = Annotated[
    str,
    typer.Option("--instrument", "-i", help="SYMBOL.VENUE, e.g. 005930.KRX or BTCUSDT.BINANCE."),
]
TimeframeOption = Annotated[
    str, typer.Option("--timeframe", "-t", help="Bar length: 1m, 5m, 1h, 1d.")
]
FromOption = Annotated[
    datetime | None, typer.Option("--from", formats=["%Y-%m-%d"], help="First date (inclusive).")
]
ToOption = Annotated[
    datetime | None, typer.Option("--to", formats=["%Y-%m-%d"], help="Last date (inclusive).")
]


BuiltinInstrumentsOption = Annotated[
    list[str],
    typer.Option(
        "--instrument",
        "-i",
        help="Built-in instrument, repeatable: 005930.KRX, 000660.KRX, 035420.KRX, "
        "069500.KRX, BTC-KRW.UPBIT, ETH-KRW.UPBIT, BTCUSDT.BINANCE, ETHUSDT.BINANCE.",
    ),
]
RequiredFrom = Annotated[datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="First date.")]
RequiredTo = Annotated[
    datetime, typer.Option("--to", formats=["%Y-%m-%d"], help="Last date (inclusive).")
]
FilesOption = Annotated[
    Path | None,
    typer.Option(
        "--out", "-o", help="Write .csv/.parquet files instead of the store.", dir_okay=False
    ),
]


@data_app.command("generate")
def generate(
    ctx: typer.Context,
    instruments: BuiltinInstrumentsOption,
    start: RequiredFrom,
    end: RequiredTo,
    timeframe: TimeframeOption = "1m",
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same data.")] = 0,
    ticks: Annotated[bool, typer.Option("--ticks", help="Also generate trade ticks.")] = False,
    daily: Annotated[bool, typer.Option(help="Also store daily bars.")] = True,
    out: FilesOption = None,
) -> None:
    """Simulate realistic market data (seeded) into the store or into files."""
    began = time.perf_counter()
    ids = [_parse(InstrumentId.parse, text, "--instrument") for text in instruments]
    frame = _parse(Timeframe.parse, timeframe, "--timeframe")
    settings = cli_settings(ctx) if out is None else None
    with _reporting_errors():
        markets = simulate(
            ids, start.date(), end.date(), seed=seed, timeframe=frame, with_ticks=ticks
        )
        for market in markets:
            typer.echo(_describe(market))
        if settings is None:
            assert out is not None  # settings are loaded whenever there is no --out
            paths = save_to_files(markets, out)
            target = ", ".join(str(path) for path in paths)
            rows = sum(len(m.bars) + len(m.ticks or ()) for m in markets)
        else:
            with open_timeseries(settings) as store:
                rows = save_to_store(markets, store, daily=daily)
            target = str(timeseries_path(settings))
    typer.echo(f"wrote {rows:,} rows to {target} in {time.perf_counter() - began:.1f}s")


@data_app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV or Parquet file.", dir_okay=False)],
    instrument: InstrumentOption,
    timeframe: TimeframeOption = "1m",
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            help="Time zone of timestamps without an offset (default: the "
            "exchange's: Asia/Seoul for KRX, else UTC).",
        ),
    ] = None,
    price_decimals: Annotated[
        int | None, typer.Option(help="Round prices to this many decimals (default: as written).")
    ] = None,
    volume_decimals: Annotated[
        int | None, typer.Option(help="Round volumes to this many decimals (default: as written).")
    ] = None,
) -> None:
    """Import bars from a file into the store, replacing stored bars at the same times."""
    instrument_id = _parse(InstrumentId.parse, instrument, "--instrument")
    frame = _parse(Timeframe.parse, timeframe, "--timeframe")
    with _reporting_errors():
        bars = read_bars_file(
            file,
            instrument_id,
            frame,
            timezone=tz or exchange_time_zone(instrument_id),
            price_decimals=price_decimals,
            volume_decimals=volume_decimals,
        )
        settings = cli_settings(ctx)
        with open_timeseries(settings) as store:
            store.append_bars(bars)
    span = _span(bars.first_ts, bars.last_ts)
    typer.echo(f"imported {len(bars):,} {frame} bars of {instrument_id} ({span}) from {file}")


@data_app.command("export")
def export(
    ctx: typer.Context,
    instrument: InstrumentOption,
    out: Annotated[
        Path, typer.Option("--out", "-o", help=".csv or .parquet file.", dir_okay=False)
    ],
    timeframe: TimeframeOption = "1m",
    start: FromOption = None,
    end: ToOption = None,
) -> None:
    """Export stored bars to a CSV or Parquet file."""
    instrument_id = _parse(InstrumentId.parse, instrument, "--instrument")
    frame = _parse(Timeframe.parse, timeframe, "--timeframe")
    zone = ZoneInfo(exchange_time_zone(instrument_id))
    start_ns = None if start is None else _midnight_ns(start.date(), zone)
    end_ns = None if end is None else _midnight_ns(end.date() + timedelta(days=1), zone)
    with _reporting_errors():
        settings = cli_settings(ctx)
        with open_timeseries(settings, read_only=True) as store:
            bars = store.read_bars(instrument_id, frame, start_ns=start_ns, end_ns=end_ns)
        if not len(bars):
            _fail(f"no {frame} bars of {instrument_id} in that range; see `jts data list`")
        write_bars_file(bars, out)
    typer.echo(
        f"exported {len(bars):,} {frame} bars of {instrument_id} "
        f"({_span(bars.first_ts, bars.last_ts)}) to {out}"
    )


@data_app.command("list")
def list_(ctx: typer.Context) -> None:
    """List what the store holds: bars per instrument and timeframe, ticks, equity curves."""
    with _reporting_errors():
        settings = cli_settings(ctx)
        path = timeseries_path(settings)
        if not path.is_file():
            typer.echo(f"{path}: empty (no data yet; try `jts data generate`)")
            return
        with open_timeseries(settings, read_only=True) as store:
            series = store.list_bars() + store.list_ticks()
            curves = store.list_equity()
    typer.echo(f"{path}:")
    rows = [("KIND", "INSTRUMENT", "TIMEFRAME", "ROWS", "FIRST (UTC)", "LAST (UTC)")]
    rows += [
        (
            s.kind,
            str(s.instrument_id),
            str(s.timeframe or "-"),
            f"{s.count:,}",
            _iso(s.first_ts),
            _iso(s.last_ts),
        )
        for s in series
    ]
    rows += [
        ("equity", c.curve_id, "-", f"{c.count:,}", _iso(c.first_ts), _iso(c.last_ts))
        for c in curves
    ]
    if len(rows) == 1:
        typer.echo("  (empty)")
        return
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        typer.echo(
            "  "
            + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def _describe(market: SimulatedMarket) -> str:
    bars = market.bars
    last = bars.bar_at(len(bars) - 1) if len(bars) else None
    extras = (
        []
        if bars.timeframe == market.daily_bars.timeframe
        else [f"{len(market.daily_bars):,} daily"]
    )
    if market.ticks is not None:
        extras.append(f"{len(market.ticks):,} ticks")
    close = f", last close {last.close}" if last is not None else ""
    return (
        f"{market.instrument.id} {bars.timeframe}: {len(bars):,} bars "
        f"({_span(bars.first_ts, bars.last_ts)}{close}) + {', '.join(extras) or 'nothing else'}"
    )


def _span(first: int | None, last: int | None) -> str:
    return "none" if first is None or last is None else f"{_iso(first)} .. {_iso(last)}"


def _iso(ts_ns: int) -> str:
    return ns_to_datetime(ts_ns).strftime("%Y-%m-%dT%H:%M:%SZ")


def _midnight_ns(day: date, zone: ZoneInfo) -> int:
    return datetime_to_ns(datetime.combine(day, datetime.min.time(), tzinfo=zone))


def _parse(parse: Callable[[str], T], text: str, option: str) -> T:
    try:
        return parse(text)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint=option) from None


@contextmanager
def _reporting_errors() -> Iterator[None]:
    """Print JTS errors (bad data, unknown instrument, missing store) and exit with 1."""
    try:
        yield
    except (JtsError, ValueError) as e:
        _fail(str(e))


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(DATA_ERROR_EXIT_CODE)


# fetch, compact and stats live in their own module and register themselves on data_app.
import jts.entrypoints.cli.market_data  # noqa: E402, F401
