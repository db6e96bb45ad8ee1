"""Reading and writing columns of CSV and Parquet files, with errors that name the row.

Shared by the bar (``files``) and tick (``tick_files``) formats. A file is read into a
``FileTable``: its columns by lower-case name plus where it came from, so every problem is
reported as ``FILE: row N (line L): what is wrong`` (``line`` for CSV, whose header is
line 1). Timestamps are read from epoch milliseconds, ISO 8601 text (with or without a UTC
offset; without one, in the given time zone) or Parquet timestamp columns, and always
come out as ``int64`` UNIX nanoseconds.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from jts.shared_kernel.errors import DataError

Int64Array = np.ndarray[tuple[int], np.dtype[np.int64]]
Float64Array = np.ndarray[tuple[int], np.dtype[np.float64]]

_EPOCH_MS_RANGE = (10**11, 10**14)  # 1973-03-03 .. 5138-11-16
_UTC_OFFSET = r"(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$"
_NANOS_PER_MILLI = 1_000_000


class FileFormat(Enum):
    CSV = "csv"
    PARQUET = "parquet"


def file_format(path: Path) -> FileFormat:
    """The format a file name asks for: ``.csv`` or ``.parquet`` (also ``.pq``)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return FileFormat.CSV
    if suffix in {".parquet", ".pq"}:
        return FileFormat.PARQUET
    raise DataError(f"{path}: unknown file type {suffix or '(none)'!r}; use .csv or .parquet")


@dataclass(frozen=True)
class FileTable:
    """A file's columns by lower-case name, and enough context to name any row."""

    path: Path
    format: FileFormat
    columns: Mapping[str, pa.ChunkedArray]
    metadata: Mapping[str, str]

    @property
    def row_count(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def where(self, index: int) -> str:
        """``FILE: row N`` (1-based data row), plus the line for CSV files."""
        line = f" (line {index + 2})" if self.format is FileFormat.CSV else ""
        return f"{self.path}: row {index + 1}{line}"

    def error(self, index: int, message: str) -> DataError:
        return DataError(f"{self.where(index)}: {message}")

    def column(self, name: str) -> pa.ChunkedArray:
        return self.columns[name]

    def has(self, name: str) -> bool:
        return name in self.columns

    def require(self, names: Sequence[str]) -> None:
        missing = [name for name in names if name not in self.columns]
        if missing:
            raise DataError(
                f"{self.path}: missing column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)}; expected {','.join(names)} (found: "
                f"{','.join(self.columns) or 'none'})"
            )


def read_table(path: Path) -> FileTable:
    """Every column of a CSV (as text) or Parquet file (as stored)."""
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    kind = file_format(path)
    try:
        if kind is FileFormat.CSV:
            table, metadata = _read_csv(path), {}
        else:
            table = pq.read_table(path)
            raw = table.schema.metadata or {}
            metadata = {k.decode(): v.decode() for k, v in raw.items() if k.startswith(b"jts.")}
    except (pa.ArrowInvalid, OSError, csv.Error, UnicodeDecodeError) as e:
        raise DataError(f"{path}: cannot read the file as {kind.value}: {e}") from e
    columns: dict[str, pa.ChunkedArray] = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        key = name.strip().lower()
        if key in columns:
            raise DataError(f"{path}: column {key!r} appears twice")
        columns[key] = column
    return FileTable(path, kind, columns, metadata)


def _read_csv(path: Path) -> pa.Table:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle), None)
    if not header:
        raise DataError(f"{path}: the file is empty; expected a header line")
    as_text = {name: pa.string() for name in header}
    return pa_csv.read_csv(
        path,
        convert_options=pa_csv.ConvertOptions(
            column_types=as_text, strings_can_be_null=True, null_values=[""]
        ),
    )


def float_column(table: FileTable, name: str) -> Float64Array:
    """A numeric column as ``float64``; empty cells, text and NaN are errors naming the row."""
    column = table.column(name).combine_chunks()
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        column = pc.utf8_trim_whitespace(column)
    _reject_nulls(table, name, column)
    try:
        values = pc.cast(column, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        _raise_first_unparsable(table, name, column)
        raise
    array: Float64Array = values.to_numpy(zero_copy_only=False)
    bad = np.flatnonzero(~np.isfinite(array))
    if bad.size:
        row = int(bad[0])
        raise table.error(row, f"{name} is {array[row]}; expected a finite number")
    return array


def timestamp_column(table: FileTable, name: str, timezone: str) -> Int64Array:
    """UNIX ns from epoch milliseconds, ISO 8601 text or a Parquet timestamp column."""
    column = table.column(name).combine_chunks()
    _reject_nulls(table, name, column)
    kind = column.type
    if pa.types.is_integer(kind) or pa.types.is_floating(kind):
        return _from_epoch_ms(table, name, _numbers_as_int64(table, name, column))
    if pa.types.is_timestamp(kind):
        series = column.to_pandas()
        if kind.tz is None:
            series = series.dt.tz_localize(timezone)
        return _to_ns(series)
    text = pc.utf8_trim_whitespace(column.cast(pa.string()))
    if bool(pc.all(pc.match_substring_regex(text, r"^-?\d+$")).as_py()):
        return _from_epoch_ms(table, name, _numbers_as_int64(table, name, text))
    return _from_iso(table, name, text, timezone)


def _numbers_as_int64(table: FileTable, name: str, column: pa.Array) -> Int64Array:
    try:
        return np.asarray(pc.cast(column, pa.int64()).to_numpy(zero_copy_only=False))
    except pa.ArrowInvalid:
        _raise_first_unparsable(table, name, column)
        raise


def _from_epoch_ms(table: FileTable, name: str, millis: Int64Array) -> Int64Array:
    low, high = _EPOCH_MS_RANGE
    outside = np.flatnonzero((millis < low) | (millis >= high))
    if outside.size:
        row = int(outside[0])
        hint = "seconds" if millis[row] < low else "micro- or nanoseconds"
        raise table.error(
            row,
            f"{name} {int(millis[row])} looks like epoch {hint}; give epoch milliseconds or "
            "ISO 8601 text such as 2024-01-02T09:00:00+09:00",
        )
    return millis * np.int64(_NANOS_PER_MILLI)


def _from_iso(table: FileTable, name: str, text: pa.Array, timezone: str) -> Int64Array:
    """Arrow's ISO 8601 parser first (fast); pandas, row by row, to explain a failure."""
    has_offset = pc.match_substring_regex(text, _UTC_OFFSET).to_numpy(zero_copy_only=False)
    if has_offset.any() and not has_offset.all():
        row = int(np.flatnonzero(has_offset != has_offset[0])[0])
        value = text[row].as_py()
        if pd.isna(pd.to_datetime(pd.Series([value]), format="ISO8601", errors="coerce")[0]):
            raise _not_a_timestamp(table, name, row, value)
        raise table.error(
            row,
            f"{name} {value!r} {'has' if has_offset[row] else 'lacks'} a UTC offset "
            f"unlike row 1; write every timestamp the same way",
        )
    try:
        if has_offset.all():
            parsed = pc.cast(text, pa.timestamp("ns", tz="UTC"))
        else:
            parsed = pc.assume_timezone(pc.cast(text, pa.timestamp("ns")), timezone)
        return np.asarray(parsed.cast(pa.int64()).to_numpy(zero_copy_only=False))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return _from_iso_explained(table, name, text, timezone, utc=bool(has_offset.all()))


def _from_iso_explained(
    table: FileTable, name: str, text: pa.Array, timezone: str, *, utc: bool
) -> Int64Array:
    strings = pd.Series(text.to_pylist(), dtype=object)
    parsed = pd.to_datetime(strings, format="ISO8601", utc=utc, errors="coerce")
    bad = np.flatnonzero(parsed.isna().to_numpy())
    if bad.size:
        raise _not_a_timestamp(table, name, int(bad[0]), strings[int(bad[0])])
    if not utc:
        try:
            parsed = parsed.dt.tz_localize(timezone)
        except (ValueError, KeyError) as e:  # unknown zone, or a time skipped or repeated by DST
            raise DataError(
                f"{table.path}: column {name}: cannot read times in {timezone}: {e}"
            ) from e
    return _to_ns(parsed)


def _not_a_timestamp(table: FileTable, name: str, row: int, text: object) -> DataError:
    return table.error(
        row,
        f"{name} {text!r} is neither ISO 8601 (2024-01-02T09:00:00+09:00) nor epoch milliseconds",
    )


def _to_ns(series: pd.Series) -> Int64Array:
    utc = series.dt.tz_convert("UTC").to_numpy(dtype="datetime64[ns]")
    return np.asarray(utc.view(np.int64))


def _reject_nulls(table: FileTable, name: str, column: pa.Array) -> None:
    if column.null_count:
        row = int(np.flatnonzero(column.is_null().to_numpy(zero_copy_only=False))[0])
        missing = "empty" if table.format is FileFormat.CSV else "null (missing or NaN)"
        raise table.error(row, f"{name} is {missing}")


def _raise_first_unparsable(table: FileTable, name: str, column: pa.Array) -> None:
    for row, value in enumerate(column.to_pylist()):
        try:
            float(value)
        except (TypeError, ValueError):
            raise table.error(row, f"{name} {value!r} is not a number") from None


def iso_timestamps(ts_ns: Int64Array) -> np.ndarray[tuple[int], np.dtype[np.str_]]:
    """ISO 8601 UTC text (``2024-01-02T00:00:00Z``) at the coarsest exact precision."""
    unit = next(
        unit
        for unit, nanos in (("s", 10**9), ("ms", 10**6), ("us", 10**3), ("ns", 1))
        if not bool((ts_ns % nanos).any())
    )
    return np.datetime_as_string(ts_ns.view("datetime64[ns]"), unit=unit, timezone="UTC")


def decimal_text_column(units: Int64Array, scale: int) -> pa.Array:
    """Exact decimal text for ``units * 10**-scale`` as an Arrow column (int64 at scale 0)."""
    if scale == 0:
        return pa.array(units, type=pa.int64())
    step = pa.scalar(Decimal(1).scaleb(-scale), type=pa.decimal128(scale + 1, scale))
    return pc.multiply(pc.cast(pa.array(units), pa.decimal128(19, 0)), step)


def write_table(table: pa.Table, path: Path, metadata: Mapping[str, str] | None = None) -> None:
    """Write ``table`` as CSV or Parquet, by the file's suffix; creates missing folders."""
    kind = file_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind is FileFormat.CSV:
        pa_csv.write_csv(
            table, path, pa_csv.WriteOptions(quoting_style="none", quoting_header="none")
        )
        return
    if metadata:
        merged = dict(table.schema.metadata or {})
        merged.update({k.encode(): v.encode() for k, v in metadata.items()})
        table = table.replace_schema_metadata(merged)
    pq.write_table(table, path, compression="zstd")
