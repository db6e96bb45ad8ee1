"""``TieredTimeSeriesStore``: a hot store for recent data, Parquet for the rest, one view.

- **Writes** go to the hot store (DuckDB by default): batched appends, as before.
- **Reads** span both tiers: the cold partitions overlapping the range are merged with the
  hot rows, the hot row winning where both hold the same key (a late revision appended
  after compaction replaces the archived one).
- **Compaction** (``compact(now_ns)``) applies the retention rule: every whole UTC day
  older than ``hot_window_ns`` moves to the cold tier (``ColdStore``), then is deleted
  from the hot store. Cold partitions merge idempotently, so a compaction interrupted
  after writing and before deleting is simply finished by the next run.
- ``stats()`` reports rows per series and tier, and the sizes on disk.

Deleting from the hot store is not part of the ``BarStore``/``TickStore`` ports, so the
tiered store needs a ``HotStore`` (``hot.HotDuckDbStore`` or ``hot.HotMemoryStore``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jts.adapters.timeseries.cold import DAY_NS, ColdSeries, ColdStore
from jts.adapters.timeseries.hot import HotStore
from jts.contexts.market_data.application.ports import StoredSeries
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.tick_series import TickSeries
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe


@dataclass(frozen=True)
class CompactionReport:
    cutoff_ns: int
    bar_rows: int
    tick_rows: int
    partitions: int


@dataclass(frozen=True)
class TierStats:
    """One series across both tiers."""

    kind: str
    instrument_id: InstrumentId
    timeframe: Timeframe | None
    hot_rows: int
    cold_rows: int
    cold_partitions: int
    cold_bytes: int
    first_ts: int
    last_ts: int


class TieredTimeSeriesStore:
    """Hot + cold time series behind the ``TimeSeriesStore`` port (see the module docstring)."""

    def __init__(self, hot: HotStore, cold: ColdStore | Path | str, *, hot_window_ns: int) -> None:
        if hot_window_ns < 0:
            raise ValueError(f"hot_window_ns {hot_window_ns} must not be negative")
        self.hot = hot
        self.cold = cold if isinstance(cold, ColdStore) else ColdStore(cold)
        self.hot_window_ns = hot_window_ns

    def append_bars(self, series: BarSeries) -> None:
        self.hot.append_bars(series)

    def append_ticks(self, series: TickSeries) -> None:
        self.hot.append_ticks(series)

    def read_bars(
        self,
        instrument_id: InstrumentId,
        timeframe: Timeframe,
        *,
        start_ns: int | None = None,
        end_ns: int | None = None,
    ) -> BarSeries:
        cold = self.cold.read_bars(instrument_id, timeframe, start_ns=start_ns, end_ns=end_ns)
        hot = self.hot.read_bars(instrument_id, timeframe, start_ns=start_ns, end_ns=end_ns)
        return hot if not len(cold) else cold.merged_with(hot)

    def read_ticks(
        self, instrument_id: InstrumentId, *, start_ns: int | None = None, end_ns: int | None = None
    ) -> TickSeries:
        cold = self.cold.read_ticks(instrument_id, start_ns=start_ns, end_ns=end_ns)
        hot = self.hot.read_ticks(instrument_id, start_ns=start_ns, end_ns=end_ns)
        return hot if not len(cold) else cold.merged_with(hot)

    def list_bars(self) -> list[StoredSeries]:
        return [_stored(s) for s in self.stats() if s.kind == "bars"]

    def list_ticks(self) -> list[StoredSeries]:
        return [_stored(s) for s in self.stats() if s.kind == "ticks"]

    def compact(self, now_ns: int) -> CompactionReport:
        """Move every whole UTC day older than the hot window to the cold tier."""
        cutoff = (now_ns - self.hot_window_ns) // DAY_NS * DAY_NS
        bar_rows = tick_rows = partitions = 0
        for stored in self.hot.list_bars():
            if stored.first_ts >= cutoff or stored.timeframe is None:
                continue
            old = self.hot.read_bars(stored.instrument_id, stored.timeframe, end_ns=cutoff)
            partitions += self.cold.write_bars(old)
            bar_rows += self.hot.delete_bars_before(stored.instrument_id, stored.timeframe, cutoff)
        for stored in self.hot.list_ticks():
            if stored.first_ts >= cutoff:
                continue
            old_ticks = self.hot.read_ticks(stored.instrument_id, end_ns=cutoff)
            partitions += self.cold.write_ticks(old_ticks)
            tick_rows += self.hot.delete_ticks_before(stored.instrument_id, cutoff)
        return CompactionReport(cutoff, bar_rows, tick_rows, partitions)

    def stats(self) -> list[TierStats]:
        """Every series in either tier, with its rows per tier (a row re-appended to the hot
        store after compaction counts in both)."""
        entries: dict[tuple[str, str, int], TierStats] = {}
        for stored in self.hot.list_bars() + self.hot.list_ticks():
            key = _key(stored.kind, stored.instrument_id, stored.timeframe)
            entries[key] = TierStats(
                stored.kind,
                stored.instrument_id,
                stored.timeframe,
                stored.count,
                0,
                0,
                0,
                stored.first_ts,
                stored.last_ts,
            )
        for cold in self.cold.series():
            key = _key(cold.kind, cold.instrument_id, cold.timeframe)
            hot = entries.get(key)
            entries[key] = _with_cold(hot, cold)
        return [entries[key] for key in sorted(entries)]


def _key(
    kind: str, instrument_id: InstrumentId, timeframe: Timeframe | None
) -> tuple[str, str, int]:
    return kind, str(instrument_id), 0 if timeframe is None else timeframe.seconds


def _with_cold(hot: TierStats | None, cold: ColdSeries) -> TierStats:
    if hot is None:
        return TierStats(
            cold.kind,
            cold.instrument_id,
            cold.timeframe,
            0,
            cold.rows,
            cold.partitions,
            cold.bytes,
            cold.first_ts,
            cold.last_ts,
        )
    return TierStats(
        hot.kind,
        hot.instrument_id,
        hot.timeframe,
        hot.hot_rows,
        cold.rows,
        cold.partitions,
        cold.bytes,
        min(hot.first_ts, cold.first_ts),
        max(hot.last_ts, cold.last_ts),
    )


def _stored(stats: TierStats) -> StoredSeries:
    kind = "bars" if stats.kind == "bars" else "ticks"
    return StoredSeries(
        kind=kind,
        instrument_id=stats.instrument_id,
        timeframe=stats.timeframe,
        count=stats.hot_rows + stats.cold_rows,
        first_ts=stats.first_ts,
        last_ts=stats.last_ts,
    )
