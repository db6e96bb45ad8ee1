"""``TimeBarAggregator``: trade ticks into time bars, one trade at a time.

The live path calls ``add`` for every trade, so the common case (a trade inside the bar
already open) is a handful of integer comparisons: prices and sizes are ``int`` units at
the instrument's scales and no ``Decimal`` is built until a bar leaves as a message.
Buckets, empty intervals and late trades follow ``buckets`` and the ``AggregationRules``:

- Bars close in time order when event time (the newest trade's ``ts_event``, or the clock
  given to ``advance``) reaches ``end + allowed_lateness_ns``; ``flush`` closes the rest.
- Within a bar, open is the earliest trade and close the latest by ``ts_event`` (ties in
  arrival order), so a bar does not depend on the order its trades arrived in.
- ``EmptyIntervals.FILL`` issues a flat zero-volume bar at the previous close for every
  in-session bucket without trades (none before the first trade).
- A trade for a closed bar is dropped and counted, or (``LateTicks.REVISE``) re-issues that
  bar with ``revision=True`` if it is among the last ``revision_depth`` bars.
- Trades outside every session (KRX pre-open and after-hours prints) are counted, not used.

``aggregate_ticks`` (``batch_aggregation``) computes the same bars from a whole
``TickSeries`` at once; a property test holds the two to each other.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import NamedTuple

from jts.contexts.market_data.domain.bar_units import BarUnits
from jts.contexts.market_data.domain.buckets import (
    AggregationRules,
    EmptyIntervals,
    LateTicks,
    bucket_bounds,
    check_bar_timeframe,
    next_bucket,
)
from jts.contexts.market_data.domain.sessions import SessionWindows
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe


class OpenBar:
    """A bar still taking trades (mutable; private to aggregation)."""

    __slots__ = (
        "close",
        "end",
        "first_ts",
        "high",
        "last_ts",
        "low",
        "open",
        "start",
        "trades",
        "volume",
    )

    def __init__(self, start: int, end: int, ts: int, price: int, size: int) -> None:
        self.start = start
        self.end = end
        self.first_ts = self.last_ts = ts
        self.open = self.high = self.low = self.close = price
        self.volume = size
        self.trades = 1

    def merge(self, chunk: Chunk) -> None:
        """Take pre-aggregated trades: the same result as adding them one by one."""
        if chunk.high > self.high:
            self.high = chunk.high
        if chunk.low < self.low:
            self.low = chunk.low
        if chunk.last_ts >= self.last_ts:
            self.close, self.last_ts = chunk.close, chunk.last_ts
        if chunk.first_ts < self.first_ts:
            self.open, self.first_ts = chunk.open, chunk.first_ts
        self.volume += chunk.volume
        self.trades += chunk.trades

    def add(self, ts: int, price: int, size: int) -> None:
        if price > self.high:
            self.high = price
        if price < self.low:
            self.low = price
        if ts >= self.last_ts:
            self.close, self.last_ts = price, ts
        elif ts < self.first_ts:
            self.open, self.first_ts = price, ts
        self.volume += size
        self.trades += 1


class Chunk(NamedTuple):
    """Trades of one bucket, pre-aggregated: open/close are the earliest/latest by time."""

    start: int
    end: int
    first_ts: int
    last_ts: int
    open: int
    high: int
    low: int
    close: int
    volume: int
    trades: int


@dataclass
class AggregationCounts:
    """What an aggregator set aside: trades outside sessions, late trades dropped, bars
    re-issued."""

    out_of_session: int = 0
    late_dropped: int = 0
    revised: int = 0


class TimeBarAggregator:
    """Bars of one instrument and timeframe from its trades (see the module docstring)."""

    def __init__(
        self,
        instrument_id: InstrumentId,
        timeframe: Timeframe,
        sessions: SessionWindows,
        *,
        price_scale: int,
        volume_scale: int,
        rules: AggregationRules | None = None,
    ) -> None:
        check_bar_timeframe(timeframe)
        self.instrument_id = instrument_id
        self.timeframe = timeframe
        self.sessions = sessions
        self.price_scale = price_scale
        self.volume_scale = volume_scale
        self.rules = rules or AggregationRules()
        self.counts = AggregationCounts()
        self._step = timeframe.nanos
        self._lateness = self.rules.allowed_lateness_ns
        self._fills = self.rules.empty_intervals is EmptyIntervals.FILL
        self._revises = self.rules.late_ticks is LateTicks.REVISE
        self._open: list[OpenBar] = []
        self._fast: OpenBar | None = None  # the open bar when it is the only one
        self._recent: deque[OpenBar] = deque(maxlen=self.rules.revision_depth)
        self._closed_through: int | None = None  # end of the last bar issued
        self._last_close: int | None = None
        self._watermark = -(2**63)

    def add(self, ts: int, price: int, size: int, out: list[BarUnits]) -> None:
        """Take one trade; bars it closes are appended to ``out``."""
        bar = self._fast
        if bar is not None and bar.start <= ts < bar.end:
            bar.add(ts, price, size)
            if ts > self._watermark:
                self._watermark = ts
            return
        self._add_elsewhere(ts, price, size, out)

    def add_chunk(self, chunk: Chunk, out: list[BarUnits]) -> None:
        """Take the trades of one bucket at once (the batch path). Every trade in it must be
        at or after the newest trade taken before; then the bars are the same as from
        ``add`` on each trade."""
        if self._closed_through is not None and chunk.start < self._closed_through:
            self._late_chunk(chunk, out)
            return
        for bar in self._open:
            if bar.start == chunk.start:
                bar.merge(chunk)
                break
        else:
            bar = OpenBar(chunk.start, chunk.end, chunk.first_ts, chunk.open, 0)
            bar.trades = 0
            bar.merge(chunk)
            self._open_bar(bar)
        if chunk.last_ts > self._watermark:
            self._watermark = chunk.last_ts
            self._close_until(chunk.last_ts, out)

    @property
    def watermark(self) -> int:
        """The newest trade time taken so far (event time)."""
        return self._watermark

    def advance(self, now_ns: int, out: list[BarUnits]) -> None:
        """Close (and, with ``FILL``, fill) every bar whose end plus lateness is past
        ``now_ns``: call it on a timer so bars close even when no trade follows."""
        self._close_until(now_ns, out)

    def flush(self, out: list[BarUnits]) -> None:
        """Close every open bar now (end of the data), filling between them if asked."""
        while self._open:
            head = self._open[0]
            if self._fills:
                self._fill_before(head.start, out)
            self._issue(self._open.pop(0), out)
        self._fast = None

    @property
    def open_bars(self) -> int:
        return len(self._open)

    def _add_elsewhere(self, ts: int, price: int, size: int, out: list[BarUnits]) -> None:
        session = self.sessions.session_at(ts)
        if session is None:
            self.counts.out_of_session += 1
            return
        start, end = bucket_bounds(ts, session, self._step)
        if self._closed_through is not None and start < self._closed_through:
            self._late(start, ts, price, size, out)
            return
        for bar in self._open:
            if bar.start == start:
                bar.add(ts, price, size)
                break
        else:
            self._open_bar(OpenBar(start, end, ts, price, size))
        if ts > self._watermark:
            self._watermark = ts
            self._close_until(ts, out)

    def _open_bar(self, bar: OpenBar) -> None:
        index = len(self._open)
        while index and self._open[index - 1].start > bar.start:
            index -= 1
        self._open.insert(index, bar)
        self._fast = self._open[0] if len(self._open) == 1 else None

    def _close_until(self, now_ns: int, out: list[BarUnits]) -> None:
        deadline = now_ns - self._lateness
        while True:
            head = self._open[0] if self._open else None
            if self._fills and self._closed_through is not None:
                start, end = next_bucket(self.sessions, self._closed_through, self._step)
                if head is None or start < head.start:
                    if end > deadline:
                        return
                    self._issue_flat(start, end, out)
                    continue
            if head is None or head.end > deadline:
                return
            self._issue(self._open.pop(0), out)
            self._fast = self._open[0] if len(self._open) == 1 else None

    def _fill_before(self, start: int, out: list[BarUnits]) -> None:
        while self._closed_through is not None:
            bucket_start, bucket_end = next_bucket(self.sessions, self._closed_through, self._step)
            if bucket_start >= start:
                return
            self._issue_flat(bucket_start, bucket_end, out)

    def _issue(self, bar: OpenBar, out: list[BarUnits]) -> None:
        out.append(self._units(bar, revision=False))
        self._closed_through, self._last_close = bar.end, bar.close
        if self._revises:
            self._recent.append(bar)

    def _issue_flat(self, start: int, end: int, out: list[BarUnits]) -> None:
        close = self._last_close
        assert close is not None  # filling starts after the first bar
        flat = OpenBar(start, end, start, close, 0)
        flat.trades = 0
        out.append(self._units(flat, revision=False))
        self._closed_through = end
        if self._revises:
            self._recent.append(flat)

    def _late(self, start: int, ts: int, price: int, size: int, out: list[BarUnits]) -> None:
        if self._revises:
            for bar in self._recent:
                if bar.start == start:
                    if bar.trades == 0:  # a filled interval takes its first real trade
                        bar.open = bar.high = bar.low = bar.close = price
                        bar.first_ts = bar.last_ts = ts
                        bar.volume, bar.trades = size, 1
                    else:
                        bar.add(ts, price, size)
                    out.append(self._units(bar, revision=True))
                    if bar.end == self._closed_through:
                        self._last_close = bar.close
                    self.counts.revised += 1
                    return
        self.counts.late_dropped += 1

    def _late_chunk(self, chunk: Chunk, out: list[BarUnits]) -> None:
        if self._revises:
            for bar in self._recent:
                if bar.start == chunk.start:
                    if bar.trades == 0:  # a filled interval takes its first real trades
                        bar.open = bar.high = bar.low = bar.close = chunk.open
                        bar.first_ts = bar.last_ts = chunk.first_ts
                    bar.merge(chunk)
                    out.append(self._units(bar, revision=True))
                    if bar.end == self._closed_through:
                        self._last_close = bar.close
                    self.counts.revised += 1
                    return
        self.counts.late_dropped += chunk.trades

    def _units(self, bar: OpenBar, *, revision: bool) -> BarUnits:
        return BarUnits(
            self.instrument_id,
            self.timeframe,
            bar.start,
            bar.end,
            bar.open,
            bar.high,
            bar.low,
            bar.close,
            bar.volume,
            self.price_scale,
            self.volume_scale,
            bar.trades,
            revision,
        )
