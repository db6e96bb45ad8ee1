"""``MarketDataRecorder``: persist live bars and trade ticks to the store in batches.

Feeds deliver one message at a time; the store is fastest with large appends (a DuckDB
append costs about the same for one row as for thousands). The recorder buffers messages
per series and appends each series as one batch when ``batch_size`` messages are pending,
and on ``flush()`` (call it on shutdown and, say, once a minute). A bar re-issued for the
same ``ts_start`` (a late tick revised it) replaces the buffered one; the store then
replaces any stored copy, so recording is idempotent.
"""

from __future__ import annotations

from collections import defaultdict

from jts.contexts.market_data.application.ports import BarStore, TickStore
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.tick_series import TickSeries
from jts.messages.market_data import Bar, TradeTick
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe


class MarketDataRecorder:
    """Buffers ``Bar`` and ``TradeTick`` messages and appends them in batches."""

    def __init__(
        self, bars: BarStore, ticks: TickStore | None = None, *, batch_size: int = 1_000
    ) -> None:
        if batch_size <= 0:
            raise ValueError(f"batch_size {batch_size} must be positive")
        self._bar_store = bars
        self._tick_store = ticks
        self._batch_size = batch_size
        self._bars: defaultdict[tuple[InstrumentId, Timeframe], dict[int, Bar]] = defaultdict(dict)
        self._ticks: defaultdict[InstrumentId, list[TradeTick]] = defaultdict(list)
        self._pending = 0

    @property
    def pending(self) -> int:
        """Messages recorded and not yet appended."""
        return self._pending

    def record(self, message: Bar | TradeTick) -> int:
        """Buffer ``message``; when the batch is full, append everything. Rows appended."""
        if isinstance(message, Bar):
            group = self._bars[(message.instrument_id, message.timeframe)]
            self._pending += message.ts_start not in group
            group[message.ts_start] = message
        else:
            if self._tick_store is None:
                raise ValueError("this recorder has no tick store; pass one to record ticks")
            self._ticks[message.instrument_id].append(message)
            self._pending += 1
        return self.flush() if self._pending >= self._batch_size else 0

    def flush(self) -> int:
        """Append every buffered series (bars in time order); the number of rows."""
        written = 0
        for group in self._bars.values():
            bars = [group[ts] for ts in sorted(group)]
            self._bar_store.append_bars(BarSeries.from_bars(bars))
            written += len(bars)
        for ticks in self._ticks.values():
            ordered = sorted(ticks, key=lambda tick: tick.ts_event)  # stable: arrival order
            assert self._tick_store is not None  # record() refuses ticks without a store
            self._tick_store.append_ticks(TickSeries.from_ticks(ordered))
            written += len(ordered)
        self._bars.clear()
        self._ticks.clear()
        self._pending = 0
        return written
