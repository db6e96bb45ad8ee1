"""Trade ticks in CSV and Parquet files: ``timestamp,price,size[,side][,sequence]``.

``timestamp`` is the trade time (epoch milliseconds, ISO 8601 text or a Parquet timestamp,
as for bars); ``side`` is the aggressor (``BUYER``, ``SELLER`` or ``NONE``, default
``NONE``); ``sequence`` is the venue's trade sequence (default: the ordinal among trades
with the same timestamp). Errors name the file and the row, as in ``files``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from jts.adapters.timeseries.file_columns import (
    FileFormat,
    FileTable,
    Int64Array,
    decimal_text_column,
    file_format,
    float_column,
    iso_timestamps,
    read_table,
    timestamp_column,
    write_table,
)
from jts.contexts.market_data.domain.fixed_point import floats_to_units, infer_float_scale
from jts.contexts.market_data.domain.tick_series import AGGRESSOR_CODES, AGGRESSOR_SIDES, TickSeries
from jts.messages.enums import AggressorSide
from jts.shared_kernel.identifiers import InstrumentId

TICK_COLUMNS = ("timestamp", "price", "size")


def read_ticks_file(
    path: Path | str, instrument_id: InstrumentId, *, timezone: str = "UTC"
) -> TickSeries:
    """The trade ticks in a CSV or Parquet file."""
    table = read_table(Path(path))
    table.require(TICK_COLUMNS)
    if table.row_count == 0:
        return TickSeries.empty(instrument_id)
    ts = timestamp_column(table, "timestamp", timezone)
    price, size = float_column(table, "price"), float_column(table, "size")
    sequence = (
        _integers(table, "sequence") if table.has("sequence") else _ordinals_within_same_ts(ts)
    )
    _check_order(table, ts, sequence)
    for name, values, bad in (("price", price, price <= 0), ("size", size, size < 0)):
        hits = np.flatnonzero(bad)
        if hits.size:
            row = int(hits[0])
            raise table.error(
                row,
                f"{name} {values[row]} must be {'positive' if name == 'price' else 'zero or more'}",
            )
    price_scale = int(table.metadata.get("jts.price_scale", infer_float_scale(price, what="price")))
    size_scale = int(table.metadata.get("jts.size_scale", infer_float_scale(size, what="size")))
    return TickSeries(
        instrument_id,
        ts,
        sequence,
        floats_to_units(price, price_scale, what="price"),
        floats_to_units(size, size_scale, what="size"),
        _sides(table) if table.has("side") else np.zeros(len(ts), dtype=np.int8),
        price_scale,
        size_scale,
    )


def write_ticks_file(series: TickSeries, path: Path | str) -> None:
    """Write ``series`` to a ``.csv`` or ``.parquet`` file (replacing it)."""
    target = Path(path)
    csv = file_format(target) is FileFormat.CSV
    sides = np.array([side.value for side in AGGRESSOR_SIDES], dtype=object)[series.aggressor]
    columns: dict[str, pa.Array] = {
        "timestamp": (
            pa.array(iso_timestamps(series.ts_event), type=pa.string())
            if csv
            else pa.array(series.ts_event.view("datetime64[ns]"), type=pa.timestamp("ns", tz="UTC"))
        ),
        "price": decimal_text_column(series.price_units, series.price_scale)
        if csv
        else pa.array(series.price),
        "size": decimal_text_column(series.size_units, series.size_scale)
        if csv
        else pa.array(series.size),
        "side": pa.array(sides, type=pa.string()),
        "sequence": pa.array(series.sequence, type=pa.int64()),
    }
    metadata = {
        "jts.instrument": str(series.instrument_id),
        "jts.price_scale": str(series.price_scale),
        "jts.size_scale": str(series.size_scale),
    }
    write_table(pa.table(columns), target, metadata)


def _integers(table: FileTable, name: str) -> Int64Array:
    values = float_column(table, name)
    fractional = np.flatnonzero(values != np.rint(values))
    if fractional.size:
        row = int(fractional[0])
        raise table.error(row, f"{name} {values[row]} is not a whole number")
    return values.astype(np.int64)


def _ordinals_within_same_ts(ts: Int64Array) -> Int64Array:
    starts = np.concatenate(([True], np.diff(ts) != 0))
    positions = np.arange(len(ts), dtype=np.int64)
    run_start = np.maximum.accumulate(np.where(starts, positions, 0))
    return positions - run_start


def _check_order(table: FileTable, ts: Int64Array, sequence: Int64Array) -> None:
    back = (np.diff(ts) < 0) | ((np.diff(ts) == 0) & (np.diff(sequence) <= 0))
    hits = np.flatnonzero(back)
    if hits.size:
        row = int(hits[0]) + 1
        raise table.error(
            row,
            f"trade at {iso_timestamps(ts[row : row + 1])[0]} (sequence {int(sequence[row])}) is "
            "not after the previous one; sort the file by timestamp and sequence and remove "
            "duplicates",
        )


def _sides(table: FileTable) -> np.ndarray[tuple[int], np.dtype[np.int8]]:
    text = pc.utf8_upper(
        pc.utf8_trim_whitespace(table.column("side").combine_chunks().cast(pa.string()))
    )
    names = text.to_pylist()
    codes = np.empty(len(names), dtype=np.int8)
    for row, name in enumerate(names):
        try:
            codes[row] = AGGRESSOR_CODES[AggressorSide(name or "NONE")]
        except ValueError:
            raise table.error(row, f"side {name!r} must be BUYER, SELLER or NONE") from None
    return codes
