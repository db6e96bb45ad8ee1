"""``BarRecorder``: the bars the node traded on, kept in the time-series store.

The node records every bar it handled (in batches, flushed every ``batch`` bars of a
series and when the node stops), so that a restarted node knows where it stopped
(``resume_points``: the last recorded close per instrument and timeframe; a replay skips
what was already traded) and can warm its strategies up from the store (``history``).
Appends are idempotent (keyed by bar start), so recording a replay of stored bars again
changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
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

    def resume_points(self, keys: Iterable[SeriesKey]) -> dict[SeriesKey, int]:
        """The close time of the last recorded bar of each series that has one."""
        points = {}
        for instrument_id, timeframe in keys:
            series = self._archive.read_bars(instrument_id, timeframe)
            if len(series):
                points[(instrument_id, timeframe)] = int(series.ts_event[-1])
        return points

    def history(self, keys: Iterable[SeriesKey], *, limit: int) -> list[Bar]:
        """Up to the last ``limit`` recorded bars of each series, merged in time order."""
        bars: list[Bar] = []
        for instrument_id, timeframe in keys:
            series = self._archive.read_bars(instrument_id, timeframe)
            if len(series):
                bars.extend(series.take(slice(max(0, len(series) - limit), None)).iter_bars())
        bars.sort(key=lambda bar: bar.ts_event)
        return bars
