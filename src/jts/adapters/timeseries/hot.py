"""The time-series stores as the collector's hot tier: many series per append, and deletes.

``HotDuckDbStore`` and ``HotMemoryStore`` are the stores of ``duckdb_store`` and ``memory``
with two capabilities the ports do not have:

- ``append_ticks_many`` / ``append_bars_many`` (``ManySeriesAppends``, which ``TickIngest``
  uses when its store has it): every series of a flush in one batch. The
  DuckDB store pays a few milliseconds per append whatever its size (two statements and a
  commit); a collector flushing 40 instruments and 4 timeframes would pay that 200 times.
  Here the whole flush is one Arrow table with an instrument column, one delete of the
  keys it replaces and one insert, in one transaction: the same rows, the same
  idempotency, a fraction of the cost.
- ``delete_bars_before`` / ``delete_ticks_before``: what compaction to the cold tier needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import pyarrow as pa

from jts.adapters.timeseries.duckdb_store import DuckDbTimeSeriesStore
from jts.adapters.timeseries.memory import InMemoryTimeSeriesStore
from jts.contexts.market_data.application.ports import TimeSeriesStore
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.tick_series import TickSeries
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

_DELETE_TICKS = """
    DELETE FROM ticks WHERE ts_event BETWEEN $first AND $last AND EXISTS (
        SELECT 1 FROM batch WHERE batch.instrument = ticks.instrument
          AND batch.ts_event = ticks.ts_event AND batch.sequence = ticks.sequence)
"""
_INSERT_TICKS = """
    INSERT INTO ticks SELECT instrument::VARCHAR, ts_event, sequence, price, price_scale, size,
        size_scale, aggressor FROM batch
"""
_DELETE_BARS = """
    DELETE FROM bars WHERE ts_start BETWEEN $first AND $last AND EXISTS (
        SELECT 1 FROM batch WHERE batch.instrument = bars.instrument
          AND batch.timeframe_s = bars.timeframe_s AND batch.ts_start = bars.ts_start)
"""
_INSERT_BARS = """
    INSERT INTO bars SELECT instrument::VARCHAR, timeframe_s, ts_start, ts_event, open, high, low,
        close, price_scale, volume, volume_scale FROM batch
"""


class HotStore(TimeSeriesStore, Protocol):
    """A store that can drop rows older than a moment (for compaction)."""

    def delete_bars_before(
        self, instrument_id: InstrumentId, timeframe: Timeframe, before_ns: int
    ) -> int:
        """Delete the bars with ``ts_start < before_ns``; how many."""
        ...

    def delete_ticks_before(self, instrument_id: InstrumentId, before_ns: int) -> int:
        """Delete the ticks with ``ts_event < before_ns``; how many."""
        ...


class HotDuckDbStore(DuckDbTimeSeriesStore):
    """The DuckDB store with many-series appends and deletions (see the module docstring)."""

    def append_ticks_many(self, many: Sequence[TickSeries]) -> None:
        many = [series for series in many if len(series)]
        if not many:
            return
        columns = {
            "instrument": _instrument_column([str(s.instrument_id) for s in many], many),
            "ts_event": np.concatenate([s.ts_event for s in many]),
            "sequence": np.concatenate([s.sequence for s in many]),
            "price": np.concatenate([s.price_units for s in many]),
            "price_scale": _repeat([s.price_scale for s in many], many, np.int8),
            "size": np.concatenate([s.size_units for s in many]),
            "size_scale": _repeat([s.size_scale for s in many], many, np.int8),
            "aggressor": np.concatenate([s.aggressor for s in many]),
        }
        bounds = {
            "first": min(s.first_ts or 0 for s in many),
            "last": max(s.last_ts or 0 for s in many),
        }
        self._replace(pa.table(columns), _DELETE_TICKS, bounds, _INSERT_TICKS, {})

    def append_bars_many(self, many: Sequence[BarSeries]) -> None:
        many = [series for series in many if len(series)]
        if not many:
            return
        columns = {
            "instrument": _instrument_column([str(s.instrument_id) for s in many], many),
            "timeframe_s": _repeat([s.timeframe.seconds for s in many], many, np.int32),
            "ts_start": np.concatenate([s.ts_start for s in many]),
            "ts_event": np.concatenate([s.ts_event for s in many]),
            "open": np.concatenate([s.open_units for s in many]),
            "high": np.concatenate([s.high_units for s in many]),
            "low": np.concatenate([s.low_units for s in many]),
            "close": np.concatenate([s.close_units for s in many]),
            "price_scale": _repeat([s.price_scale for s in many], many, np.int8),
            "volume": np.concatenate([s.volume_units for s in many]),
            "volume_scale": _repeat([s.volume_scale for s in many], many, np.int8),
        }
        bounds = {
            "first": min(s.first_ts or 0 for s in many),
            "last": max(s.last_ts or 0 for s in many),
        }
        self._replace(pa.table(columns), _DELETE_BARS, bounds, _INSERT_BARS, {})

    def delete_bars_before(
        self, instrument_id: InstrumentId, timeframe: Timeframe, before_ns: int
    ) -> int:
        return self._delete(
            "bars",
            "instrument = ? AND timeframe_s = ? AND ts_start < ?",
            [str(instrument_id), timeframe.seconds, before_ns],
        )

    def delete_ticks_before(self, instrument_id: InstrumentId, before_ns: int) -> int:
        return self._delete(
            "ticks", "instrument = ? AND ts_event < ?", [str(instrument_id), before_ns]
        )

    def _delete(self, table: str, where: str, params: list[object]) -> int:
        with self._lock, self._transaction():
            count = self._connection.execute(
                f"SELECT count(*) FROM {table} WHERE {where}", params
            ).fetchone()
            self._connection.execute(f"DELETE FROM {table} WHERE {where}", params)
        return int(count[0]) if count else 0


class HotMemoryStore(InMemoryTimeSeriesStore):
    """The in-memory store with many-series appends and deletions."""

    def append_ticks_many(self, many: Sequence[TickSeries]) -> None:
        for series in many:
            self.append_ticks(series)

    def append_bars_many(self, many: Sequence[BarSeries]) -> None:
        for series in many:
            self.append_bars(series)

    def delete_bars_before(
        self, instrument_id: InstrumentId, timeframe: Timeframe, before_ns: int
    ) -> int:
        key = (instrument_id, timeframe)
        stored = self._bars.get(key)
        if stored is None:
            return 0
        kept = stored.between(before_ns, None)
        if len(kept):
            self._bars[key] = kept
        else:
            del self._bars[key]
        return len(stored) - len(kept)

    def delete_ticks_before(self, instrument_id: InstrumentId, before_ns: int) -> int:
        stored = self._ticks.get(instrument_id)
        if stored is None:
            return 0
        kept = stored.between(before_ns, None)
        if len(kept):
            self._ticks[instrument_id] = kept
        else:
            del self._ticks[instrument_id]
        return len(stored) - len(kept)


def _instrument_column(names: list[str], many: Sequence[BarSeries | TickSeries]) -> pa.Array:
    """The instrument of every row, dictionary-encoded (one string per series, not per row)."""
    indices = np.repeat(np.arange(len(names), dtype=np.int32), [len(s) for s in many])
    return pa.DictionaryArray.from_arrays(pa.array(indices), pa.array(names, type=pa.string()))


def _repeat(values: list[int], many: Sequence[BarSeries | TickSeries], dtype: type) -> np.ndarray:
    return np.repeat(np.array(values, dtype=dtype), [len(s) for s in many])
