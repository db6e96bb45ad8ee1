"""Time-series throughput: simulating bars, appending them to DuckDB, reading them back.

- generation: a year of 1-minute bars for one KRX stock and one crypto pair (the
  ``make demo`` workload is five such instruments), after a warm-up run that loads the
  calendars and compiles the numba kernel;
- append: the crypto year (527,040 bars) into a fresh DuckDB file, one batched append;
- reads: random one-day ranges (1,440 bars) and the whole year, exact ``BarSeries``;
- files: the year as CSV and as Parquet, written and read back exactly.
No peer engine runs here: the figures are absolute rates.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import numpy as np

from benchmarks.harness import Figure, best_of
from jts.adapters.marketsim.simulator import MarketSimulator
from jts.adapters.timeseries.duckdb_store import DuckDbTimeSeriesStore
from jts.adapters.timeseries.files import read_bars_file, write_bars_file
from jts.contexts.market_data.domain.series import BarSeries
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

YEAR = (date(2024, 1, 1), date(2024, 12, 31))
INSTRUMENTS = ["005930.KRX", "BTCUSDT.BINANCE"]
CRYPTO = InstrumentId.parse("BTCUSDT.BINANCE")
ONE_MINUTE = Timeframe.parse("1m")
DAY_NS = 86_400 * 1_000_000_000
QUERIES = 200


def run() -> Iterable[Figure]:
    simulator = MarketSimulator()
    simulator.generate(INSTRUMENTS, date(2024, 1, 2), date(2024, 1, 3), seed=0)  # warm-up
    markets = simulator.generate(INSTRUMENTS, *YEAR, seed=1)
    bars = sum(len(market.minute_bars) for market in markets)
    seconds = best_of(3, lambda: simulator.generate(INSTRUMENTS, *YEAR, seed=1))
    yield Figure("timeseries.generate_1m_bars", bars / seconds, "bars/s")
    month = (date(2024, 1, 1), date(2024, 1, 31))
    ticks = simulator.generate([CRYPTO], *month, seed=1, with_ticks=True)[0].ticks
    assert ticks is not None
    seconds = best_of(3, lambda: simulator.generate([CRYPTO], *month, seed=1, with_ticks=True))
    yield Figure("timeseries.generate_bars_and_ticks", len(ticks) / seconds, "ticks/s")

    year = next(m.minute_bars for m in markets if m.instrument.id == CRYPTO)
    with tempfile.TemporaryDirectory() as folder:
        yield from _store_figures(year, Path(folder))
        yield from _file_figures(year, Path(folder))


def _store_figures(year: BarSeries, folder: Path) -> Iterable[Figure]:
    counter = iter(range(1_000))

    def append_fresh() -> None:
        with DuckDbTimeSeriesStore(folder / f"append-{next(counter)}.duckdb") as store:
            store.append_bars(year)

    yield Figure("timeseries.duckdb_append", len(year) / best_of(3, append_fresh), "bars/s")
    with DuckDbTimeSeriesStore(folder / "read.duckdb") as store:
        store.append_bars(year)
        rng = np.random.default_rng(0)
        first, last = int(year.ts_start[0]), int(year.ts_start[-1]) - DAY_NS
        starts = rng.integers(first, last, QUERIES)

        def day_queries() -> None:
            for start in starts.tolist():
                store.read_bars(CRYPTO, ONE_MINUTE, start_ns=start, end_ns=start + DAY_NS)

        seconds = best_of(3, day_queries)
        yield Figure("timeseries.duckdb_day_range_query", QUERIES / seconds, "queries/s")
        seconds = best_of(3, lambda: store.read_bars(CRYPTO, ONE_MINUTE))
        yield Figure("timeseries.duckdb_full_read", len(year) / seconds, "bars/s")


def _file_figures(year: BarSeries, folder: Path) -> Iterable[Figure]:
    for suffix in ("csv", "parquet"):
        path = folder / f"year.{suffix}"
        seconds = best_of(3, lambda path=path: write_bars_file(year, path))
        yield Figure(f"timeseries.{suffix}_export", len(year) / seconds, "bars/s")
        seconds = best_of(3, lambda path=path: read_bars_file(path, CRYPTO, ONE_MINUTE))
        yield Figure(f"timeseries.{suffix}_import", len(year) / seconds, "bars/s")
