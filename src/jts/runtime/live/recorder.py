"""``BarRecorder``: the bars the node traded on, kept in the time-series store.

The node records every bar it handled (in batches, flushed every ``batch`` bars of a
series and whenever the node saves a checkpoint), so that a restarted node can warm its
strategies up from the store (``history``: stored bars of each series that start before a
given time). Appends are idempotent (keyed by bar start), so recording a replay of stored
bars again changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from jts.contexts.market_data.domain.series import BarSeries
from jts.messages.market_data import Bar
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

SeriesKey = tuple[InstrumentId, Timeframe]


class BarArchive(Protocol):
    """The part of the time-series store the node uses."""

    def append_bars(self, series: BarSeries) -> None: ...

    def read_bars(
        self,
        instrument_id: InstrumentId,
        timeframe: Timeframe,
        *,
        start_ns: int | None = None,
        end_ns: int | None = None,
    ) -> BarSeries: ...


class BarRecorder:
    """Buffers bars per series and appends them to the store in batches."""

    def __init__(self, archive: BarArchive, *, batch: int = 500) -> None:
        if batch < 1:
            raise ValueError(f"recorder batch {batch} must be at least 1")
        self._archive = archive
        self._batch = batch
        self._pending: dict[SeriesKey, list[Bar]] = {}

    def record(self, bar: Bar) -> None:
        key = (bar.instrument_id, bar.timeframe)
        pending = self._pending.setdefault(key, [])
        pending.append(bar)
        if len(pending) >= self._batch:
            self._flush(key)

    def flush(self) -> None:
        for key in list(self._pending):
            self._flush(key)

    def _flush(self, key: SeriesKey) -> None:
        bars = self._pending.pop(key, [])
        if bars:
            self._archive.append_bars(BarSeries.from_bars(bars))

    def history(self, before: Mapping[SeriesKey, int], *, limit: int) -> list[Bar]:
        """Up to the last ``limit`` stored bars of each series starting before ``before[key]``,
        merged in time order."""
        bars: list[Bar] = []
        for (instrument_id, timeframe), end_ns in before.items():
            series = self._archive.read_bars(instrument_id, timeframe, end_ns=end_ns)
            if len(series):
                bars.extend(series.take(slice(max(0, len(series) - limit), None)).iter_bars())
        bars.sort(key=lambda bar: bar.ts_event)
        return bars
