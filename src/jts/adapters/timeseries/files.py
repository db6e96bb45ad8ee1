"""Bars in CSV and Parquet files, in the backtest layout ``timestamp,open,high,low,close,volume``.

Reading (``read_bars_file``):

- Column names are matched without regard to case or surrounding spaces; other columns are
  ignored, except ``close_time``, which (when present) gives each bar's close instead of
  ``timestamp + timeframe``.
- ``timestamp`` is the bar's *start*: epoch milliseconds, ISO 8601 text or a Parquet
  timestamp. Text without a UTC offset (and naive Parquet timestamps) is read in
  ``timezone`` (default UTC).
- Prices and volume are numbers. Their decimals are inferred (``65000.12`` -> 2), read
  from the ``jts.*`` metadata JTS writes into Parquet files, or given explicitly, in which
  case values are rounded onto that many decimals.
- Any bad row fails the whole file with ``DataError`` naming the file, the row and the
  line: empty cells, text, NaN, timestamps out of order or repeated, high below low, ...

Writing (``write_bars_file``): CSV gets ISO 8601 UTC timestamps (``2024-01-02T00:00:00Z``)
and exact decimal text; Parquet gets a UTC timestamp column, ``float64`` prices and the
exact decimals in its metadata, so both read back to the very same series.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa

from jts.adapters.timeseries.file_columns import (
    FileFormat,
    FileTable,
    Float64Array,
    Int64Array,
    decimal_text_column,
    file_format,
    float_column,
    iso_timestamps,
    read_table,
    timestamp_column,
    write_table,
)
from jts.contexts.market_data.domain.bar_checks import find_bar_problem
from jts.contexts.market_data.domain.fixed_point import infer_float_scale
from jts.contexts.market_data.domain.series import PRICE_COLUMNS, BarSeries
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

BAR_COLUMNS = ("timestamp", "open", "high", "low", "close", "volume")
CLOSE_TIME = "close_time"


def read_bars_file(
    path: Path | str,
    instrument_id: InstrumentId,
    timeframe: Timeframe,
    *,
    timezone: str = "UTC",
    price_decimals: int | None = None,
    volume_decimals: int | None = None,
) -> BarSeries:
    """The bars in a CSV or Parquet file; see the module docstring for the layout."""
    table = read_table(Path(path))
    table.require(BAR_COLUMNS)
    if table.row_count == 0:
        return BarSeries.empty(instrument_id, timeframe)
    ts_start = timestamp_column(table, "timestamp", timezone)
    ts_event = (
        timestamp_column(table, CLOSE_TIME, timezone)
        if table.has(CLOSE_TIME)
        else ts_start + np.int64(timeframe.nanos)
    )
    open_, high, low, close = (float_column(table, name) for name in PRICE_COLUMNS)
    volume = float_column(table, "volume")
    problem = find_bar_problem(ts_start, ts_event, (open_, high, low, close), volume)
    if problem is not None:
        i = problem.index
        raise table.error(
            i,
            f"{problem.reason} (timestamp {iso_timestamps(ts_start[i : i + 1])[0]}, open "
            f"{open_[i]}, high {high[i]}, low {low[i]}, close {close[i]}, volume {volume[i]})",
        )
    price_scale = _scale(table, "price", price_decimals, (open_, high, low, close))
    volume_scale = _scale(table, "volume", volume_decimals, (volume,))
    return BarSeries.from_floats(
        instrument_id,
        timeframe,
        ts_start=ts_start,
        ts_event=ts_event,
        ohlc=(open_, high, low, close),
        volume=volume,
        price_scale=price_scale,
        volume_scale=volume_scale,
    )


def write_bars_file(series: BarSeries, path: Path | str) -> None:
    """Write ``series`` to a ``.csv`` or ``.parquet`` file (replacing it)."""
    target = Path(path)
    csv = file_format(target) is FileFormat.CSV
    regular = np.array_equal(series.ts_event, series.ts_start + np.int64(series.timeframe.nanos))
    columns: dict[str, pa.Array] = {"timestamp": _timestamps(series.ts_start, csv=csv)}
    if csv:
        prices = (series.open_units, series.high_units, series.low_units, series.close_units)
        for name, units in zip(PRICE_COLUMNS, prices, strict=True):
            columns[name] = decimal_text_column(units, series.price_scale)
        columns["volume"] = decimal_text_column(series.volume_units, series.volume_scale)
    else:
        floats = (series.open, series.high, series.low, series.close, series.volume)
        for name, values in zip((*PRICE_COLUMNS, "volume"), floats, strict=True):
            columns[name] = pa.array(values, type=pa.float64())
    if not regular:
        columns[CLOSE_TIME] = _timestamps(series.ts_event, csv=csv)
    metadata = {
        "jts.instrument": str(series.instrument_id),
        "jts.timeframe": str(series.timeframe),
        "jts.price_scale": str(series.price_scale),
        "jts.volume_scale": str(series.volume_scale),
    }
    write_table(pa.table(columns), target, metadata)


def _timestamps(ts_ns: Int64Array, *, csv: bool) -> pa.Array:
    if csv:
        return pa.array(iso_timestamps(ts_ns), type=pa.string())
    return pa.array(ts_ns.view("datetime64[ns]"), type=pa.timestamp("ns", tz="UTC"))


def _scale(
    table: FileTable, what: str, explicit: int | None, columns: tuple[Float64Array, ...]
) -> int:
    if explicit is not None:
        return explicit
    stored = table.metadata.get(f"jts.{what}_scale")
    if stored is not None and stored.isdigit():
        return int(stored)
    return max(infer_float_scale(column, what=f"{table.path}: {what}") for column in columns)
