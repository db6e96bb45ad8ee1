"""Wiring of the time-series store and of what fills it: the market simulator and files.

Entry points reach these adapters only through here:

- ``open_timeseries(settings)`` (or a path) opens the store ``settings.timeseries`` names:
  DuckDB at ``timeseries.path`` (default ``<home>/timeseries.duckdb``). ClickHouse is not
  wired yet and is refused with a ``ConfigurationError``; ``in_memory_timeseries()`` is
  the fake for backtests and tests.
- ``simulate`` / ``save_to_store`` / ``save_to_files``: generate simulated market data and
  write it out (``jts data generate``, ``make demo``).
- ``read_bars_file`` / ``write_bars_file`` (and the tick forms): the CSV/Parquet layout.
- ``replay``: a paced live stream of bars and ticks (demo and paper trading).

The adapters behind these (DuckDB, Arrow, numba, exchange_calendars) take over a second to
import, so each is imported when first used: every ``jts`` command imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from jts.bootstrap.settings import ClickHouseConfig, Settings
from jts.shared_kernel.errors import ConfigurationError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

if TYPE_CHECKING:
    from jts.adapters.marketsim.simulator import SimulatedMarket
    from jts.adapters.marketsim.stream import MarketReplay
    from jts.adapters.timeseries.duckdb_store import DuckDbTimeSeriesStore
    from jts.adapters.timeseries.memory import InMemoryTimeSeriesStore
    from jts.contexts.market_data.domain.series import BarSeries
    from jts.contexts.market_data.domain.tick_series import TickSeries
    from jts.shared_kernel.clock import Clock

TIMESERIES_FILE = "timeseries.duckdb"
ONE_MINUTE = Timeframe(60)
KST = "Asia/Seoul"
_KST_VENUES = {"KRX", "NXT"}


def timeseries_path(settings: Settings) -> Path:
    """Where the embedded store lives: ``timeseries.path`` or ``<home>/timeseries.duckdb``."""
    config = settings.timeseries
    if isinstance(config, ClickHouseConfig):
        raise ConfigurationError(
            "timeseries.kind is clickhouse, which this version of JTS cannot open yet; set "
            "timeseries.kind to duckdb (JTS_TIMESERIES__KIND=duckdb)"
        )
    return config.path if config.path is not None else settings.home / TIMESERIES_FILE


def open_timeseries(
    source: Settings | Path | str, *, read_only: bool = False
) -> DuckDbTimeSeriesStore:
    """Open the time-series store of ``source`` (settings, or the DuckDB file's path).

    ``read_only`` refuses to create a missing store and lets several readers share it.
    Close it when done (it is a context manager).
    """
    from jts.adapters.timeseries.duckdb_store import DuckDbTimeSeriesStore

    path = timeseries_path(source) if isinstance(source, Settings) else Path(source)
    if read_only and not path.is_file():
        raise ConfigurationError(
            f"no time-series store at {path} yet; fill it with `jts data generate` or "
            "`jts data import` first"
        )
    return DuckDbTimeSeriesStore(path, read_only=read_only)


def in_memory_timeseries() -> InMemoryTimeSeriesStore:
    """A store in process memory, with the same contract as the DuckDB one."""
    from jts.adapters.timeseries.memory import InMemoryTimeSeriesStore

    return InMemoryTimeSeriesStore()


def exchange_time_zone(instrument_id: InstrumentId) -> str:
    """The time zone an instrument's dates are read in: KST for Korean venues, else UTC."""
    return KST if instrument_id.venue in _KST_VENUES else "UTC"


def simulate(
    instrument_ids: Iterable[InstrumentId | str],
    start: date,
    end: date,
    *,
    seed: int,
    timeframe: Timeframe = ONE_MINUTE,
    with_ticks: bool = False,
) -> list[SimulatedMarket]:
    """Simulated bars (and ticks) for the built-in instruments; see ``MarketSimulator``."""
    from jts.adapters.marketsim.simulator import MarketSimulator

    return MarketSimulator().generate(
        instrument_ids, start, end, seed=seed, timeframe=timeframe, with_ticks=with_ticks
    )


def save_to_store(
    markets: Sequence[SimulatedMarket],
    store: DuckDbTimeSeriesStore | InMemoryTimeSeriesStore,
    *,
    daily: bool = True,
) -> int:
    """Append simulated bars, daily bars and ticks to ``store``; the number of rows."""
    from jts.adapters.marketsim.output import write_to_store

    return write_to_store(markets, store, store, daily=daily)


def save_to_files(markets: Sequence[SimulatedMarket], out: Path) -> list[Path]:
    """Write simulated bars (and ticks) to CSV or Parquet files named after ``out``."""
    from jts.adapters.marketsim.output import write_to_files

    return write_to_files(markets, out)


def read_bars_file(
    path: Path | str,
    instrument_id: InstrumentId,
    timeframe: Timeframe,
    *,
    timezone: str = "UTC",
    price_decimals: int | None = None,
    volume_decimals: int | None = None,
) -> BarSeries:
    """Bars from a CSV/Parquet file (``jts.adapters.timeseries.files``)."""
    from jts.adapters.timeseries import files

    return files.read_bars_file(
        path,
        instrument_id,
        timeframe,
        timezone=timezone,
        price_decimals=price_decimals,
        volume_decimals=volume_decimals,
    )


def write_bars_file(series: BarSeries, path: Path | str) -> None:
    """Bars to a CSV/Parquet file, exactly."""
    from jts.adapters.timeseries import files

    files.write_bars_file(series, path)


def read_ticks_file(
    path: Path | str, instrument_id: InstrumentId, *, timezone: str = "UTC"
) -> TickSeries:
    """Trade ticks from a CSV/Parquet file (``jts.adapters.timeseries.tick_files``)."""
    from jts.adapters.timeseries import tick_files

    return tick_files.read_ticks_file(path, instrument_id, timezone=timezone)


def write_ticks_file(series: TickSeries, path: Path | str) -> None:
    """Trade ticks to a CSV/Parquet file, exactly."""
    from jts.adapters.timeseries import tick_files

    tick_files.write_ticks_file(series, path)


def replay(
    *,
    bars: Sequence[BarSeries] = (),
    ticks: Sequence[TickSeries] = (),
    speed: float | None = 1.0,
    clock: Clock | None = None,
) -> MarketReplay:
    """A live stream of ``bars`` and ``ticks`` at ``speed`` times real time (``None``: flat
    out), paced by ``clock`` (the OS clock by default)."""
    from jts.adapters.clock import LiveClock
    from jts.adapters.marketsim.stream import MarketReplay

    return MarketReplay(clock=clock or LiveClock(), bars=bars, ticks=ticks, speed=speed)
