"""``ColdStore``: the cold tier, Parquet files partitioned by venue, symbol and date.

Layout under ``root`` (Hive-style, so DuckDB, pandas or Spark can read it as a dataset)::

    bars/venue=KRX/symbol=005930/timeframe=60/date=2024-05-03/part.parquet
    ticks/venue=UPBIT/symbol=BTC-KRW/date=2024-05-03/part.parquet

``date`` is the UTC date of ``ts_start`` (bars) or ``ts_event`` (ticks); ``timeframe`` is in
seconds. Columns are the exact ``int64`` units of ``BarSeries`` / ``TickSeries`` (no
floats), with the scales in the file's ``jts.*`` metadata, so a round trip is exact. Writing
a partition that exists merges into it (the new rows win on equal keys) and replaces the
file atomically (write to a temporary file, then rename), so a crash never leaves half a
partition and writing the same data twice changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from jts.contexts.market_data.domain.fixed_point import Int64Array
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.tick_series import TickSeries
from jts.shared_kernel.clock import NANOS_PER_SECOND
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import InstrumentId, Venue
from jts.shared_kernel.timeframes import Timeframe

DAY_NS = 86_400 * NANOS_PER_SECOND
PART = "part.parquet"
_BAR_COLUMNS = ("ts_start", "ts_event", "open", "high", "low", "close", "volume")
_TICK_COLUMNS = ("ts_event", "sequence", "price", "size", "aggressor")


@dataclass(frozen=True)
class ColdSeries:
    """What the cold tier holds for one series: partitions, rows, bytes and time range."""

    kind: str
    instrument_id: InstrumentId
    timeframe: Timeframe | None
    partitions: int
    rows: int
    bytes: int
    first_ts: int
    last_ts: int


class ColdStore:
    """Bars and ticks in date-partitioned Parquet files under ``root``."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def write_bars(self, series: BarSeries) -> int:
        """Store ``series`` (merging into existing partitions); the files written."""
        written = 0
        for day, rows in _by_day(series.ts_start):
            part = series.take(rows)
            path = self._bar_dir(series.instrument_id, series.timeframe) / f"date={day}" / PART
            if path.exists():
                part = self._read_bar_file(
                    path, series.instrument_id, series.timeframe
                ).merged_with(part)
            _write(
                path,
                _bar_table(part),
                {"price_scale": part.price_scale, "volume_scale": part.volume_scale},
            )
            written += 1
        return written

    def write_ticks(self, series: TickSeries) -> int:
        """Store ``series`` (merging into existing partitions); the files written."""
        written = 0
        for day, rows in _by_day(series.ts_event):
            part = series.take(rows)
            path = self._tick_dir(series.instrument_id) / f"date={day}" / PART
            if path.exists():
                part = self._read_tick_file(path, series.instrument_id).merged_with(part)
            _write(
                path,
                _tick_table(part),
                {"price_scale": part.price_scale, "size_scale": part.size_scale},
            )
            written += 1
        return written

    def read_bars(
        self,
        instrument_id: InstrumentId,
        timeframe: Timeframe,
        *,
        start_ns: int | None = None,
        end_ns: int | None = None,
    ) -> BarSeries:
        """The cold bars with ``start_ns <= ts_start < end_ns``, in time order."""
        directory = self._bar_dir(instrument_id, timeframe)
        parts = [
            self._read_bar_file(path, instrument_id, timeframe)
            for path in _partitions(directory, start_ns, end_ns)
        ]
        result = BarSeries.empty(instrument_id, timeframe)
        for part in parts:
            result = result.merged_with(part)
        return result.between(start_ns, end_ns)

    def read_ticks(
        self, instrument_id: InstrumentId, *, start_ns: int | None = None, end_ns: int | None = None
    ) -> TickSeries:
        """The cold ticks with ``start_ns <= ts_event < end_ns``, in order."""
        result = TickSeries.empty(instrument_id)
        for path in _partitions(self._tick_dir(instrument_id), start_ns, end_ns):
            result = result.merged_with(self._read_tick_file(path, instrument_id))
        return result.between(start_ns, end_ns)

    def series(self) -> list[ColdSeries]:
        """One entry per stored series: bars per instrument and timeframe, then ticks."""
        found = []
        for kind in ("bars", "ticks"):
            for directory, instrument_id, timeframe in self._series_dirs(kind):
                found.append(self._describe(kind, directory, instrument_id, timeframe))
        return [entry for entry in found if entry.partitions]

    def _describe(
        self, kind: str, directory: Path, instrument_id: InstrumentId, timeframe: Timeframe | None
    ) -> ColdSeries:
        files = sorted(directory.glob(f"date=*/{PART}"))
        rows = first = last = 0
        for index, path in enumerate(files):
            meta = pq.read_metadata(path)
            rows += meta.num_rows
            times = pq.read_table(path, columns=["ts_start" if kind == "bars" else "ts_event"])
            column = times.column(0).to_numpy()
            if len(column):
                first = int(column[0]) if index == 0 else first
                last = int(column[-1])
        return ColdSeries(
            kind,
            instrument_id,
            timeframe,
            len(files),
            rows,
            sum(p.stat().st_size for p in files),
            first,
            last,
        )

    def _series_dirs(self, kind: str) -> Iterator[tuple[Path, InstrumentId, Timeframe | None]]:
        for venue_dir in sorted((self.root / kind).glob("venue=*")):
            venue = Venue(venue_dir.name.removeprefix("venue="))
            for symbol_dir in sorted(venue_dir.glob("symbol=*")):
                instrument_id = InstrumentId(symbol_dir.name.removeprefix("symbol="), venue)
                if kind == "ticks":
                    yield symbol_dir, instrument_id, None
                    continue
                frames = sorted(symbol_dir.glob("timeframe=*"), key=lambda p: int(p.name[10:]))
                for frame_dir in frames:
                    yield frame_dir, instrument_id, Timeframe(int(frame_dir.name[10:]))

    def _bar_dir(self, instrument_id: InstrumentId, timeframe: Timeframe) -> Path:
        return (
            self.root
            / "bars"
            / f"venue={instrument_id.venue}"
            / f"symbol={instrument_id.symbol}"
            / f"timeframe={timeframe.seconds}"
        )

    def _tick_dir(self, instrument_id: InstrumentId) -> Path:
        return (
            self.root / "ticks" / f"venue={instrument_id.venue}" / f"symbol={instrument_id.symbol}"
        )

    @staticmethod
    def _read_bar_file(path: Path, instrument_id: InstrumentId, timeframe: Timeframe) -> BarSeries:
        columns, scales = _read(path, _BAR_COLUMNS, ("price_scale", "volume_scale"))
        ts_start, ts_event, open_, high, low, close, volume = columns
        return BarSeries(
            instrument_id, timeframe, ts_start, ts_event, open_, high, low, close, volume, *scales
        )

    @staticmethod
    def _read_tick_file(path: Path, instrument_id: InstrumentId) -> TickSeries:
        columns, scales = _read(path, _TICK_COLUMNS, ("price_scale", "size_scale"))
        ts, sequence, price, size, aggressor = columns
        return TickSeries(
            instrument_id, ts, sequence, price, size, aggressor.astype(np.int8), *scales
        )


def _by_day(ts: Int64Array) -> Iterator[tuple[str, slice]]:
    """``(UTC date, rows)`` of each day in sorted timestamps."""
    if not len(ts):
        return
    days = ts // DAY_NS
    bounds = np.flatnonzero(np.diff(days)) + 1
    starts = np.concatenate(([0], bounds))
    ends = np.concatenate((bounds, [len(ts)]))
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        yield _day_name(int(days[start])), slice(start, end)


def _day_name(day_index: int) -> str:
    return (date(1970, 1, 1) + timedelta(days=day_index)).isoformat()


def _partitions(directory: Path, start_ns: int | None, end_ns: int | None) -> list[Path]:
    """The partition files under ``directory`` whose day overlaps ``[start_ns, end_ns)``."""
    if not directory.is_dir():
        return []
    first = None if start_ns is None else start_ns // DAY_NS
    last = None if end_ns is None else (end_ns - 1) // DAY_NS
    chosen = []
    for path in sorted(directory.glob(f"date=*/{PART}")):
        day = datetime.strptime(path.parent.name[5:], "%Y-%m-%d").replace(tzinfo=UTC)
        index = int(day.timestamp()) // 86_400
        if (first is None or index >= first) and (last is None or index <= last):
            chosen.append(path)
    return chosen


def _bar_table(series: BarSeries) -> pa.Table:
    return pa.table(
        {
            "ts_start": series.ts_start,
            "ts_event": series.ts_event,
            "open": series.open_units,
            "high": series.high_units,
            "low": series.low_units,
            "close": series.close_units,
            "volume": series.volume_units,
        }
    )


def _tick_table(series: TickSeries) -> pa.Table:
    ts, sequence, price, size, aggressor = series.columns()
    return pa.table(
        {"ts_event": ts, "sequence": sequence, "price": price, "size": size, "aggressor": aggressor}
    )


def _write(path: Path, table: pa.Table, scales: dict[str, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    metadata = {f"jts.{name}": str(value) for name, value in scales.items()}
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), **metadata})
    temporary = path.with_suffix(".parquet.tmp")
    pq.write_table(table, temporary, compression="zstd")
    os.replace(temporary, path)


def _read(
    path: Path, names: tuple[str, ...], scale_names: tuple[str, str]
) -> tuple[list[Int64Array], tuple[int, int]]:
    table = pq.read_table(path)
    metadata = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
    try:
        scales = (int(metadata[f"jts.{scale_names[0]}"]), int(metadata[f"jts.{scale_names[1]}"]))
        columns = [
            np.ascontiguousarray(table.column(name).to_numpy(), dtype=np.int64) for name in names
        ]
    except (KeyError, ValueError) as e:
        raise DataError(
            f"{path}: not a JTS cold-tier partition ({e}); move it out of the store"
        ) from e
    return columns, scales
