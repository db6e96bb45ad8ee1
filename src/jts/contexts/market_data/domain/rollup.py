"""``BarRollup``: longer bars built from the finished bars of a shorter timeframe.

The live path aggregates trades once, into its shortest timeframe, and rolls those bars up
into every longer one (1m -> 5m -> 1h -> 1d) as they close. A longer bar is issued as soon
as its last shorter bar arrives (the one closing at its end), when a shorter bar of a later
bucket arrives, or when ``advance`` passes its end plus the allowed lateness. Shorter bars
without trades (``trades == 0``: filled empty intervals) carry no prices into the longer
bar; empty longer buckets follow the rollup's own ``EmptyIntervals`` rule. A revised
shorter bar replaces its earlier issue and re-issues the longer bar (``LateTicks.REVISE``)
or is counted and ignored (``DROP``).

``resample_bars`` does the same over a whole ``BarSeries``.
"""

from __future__ import annotations

from collections import deque

from jts.contexts.market_data.domain.aggregation import AggregationCounts
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
from jts.shared_kernel.timeframes import Timeframe


class _Target:
    """A longer bar being assembled from shorter bars keyed by their start."""

    __slots__ = ("end", "parts", "start")

    def __init__(self, start: int, end: int) -> None:
        self.start = start
        self.end = end
        self.parts: dict[int, BarUnits] = {}


class BarRollup:
    """Bars of ``target`` from bars of ``source`` (see the module docstring)."""

    def __init__(
        self,
        source: Timeframe,
        target: Timeframe,
        sessions: SessionWindows,
        *,
        rules: AggregationRules | None = None,
    ) -> None:
        check_bar_timeframe(target)
        if target.seconds <= source.seconds or target.seconds % source.seconds:
            raise ValueError(
                f"cannot roll {source} bars up into {target}: the target must be a longer "
                f"whole multiple of {source}"
            )
        self.source = source
        self.target = target
        self.sessions = sessions
        self.rules = rules or AggregationRules()
        self.counts = AggregationCounts()
        self._step = target.nanos
        self._open: list[_Target] = []
        self._recent: deque[_Target] = deque(maxlen=self.rules.revision_depth)
        self._closed_through: int | None = None
        self._last_close: int | None = None
        self._template: BarUnits | None = None  # instrument and scales of what comes in

    def add(self, bar: BarUnits, out: list[BarUnits]) -> None:
        """Take one finished ``source`` bar; longer bars it completes go to ``out``."""
        if bar.timeframe != self.source:
            raise ValueError(f"{self.target} rollup takes {self.source} bars, not {bar.timeframe}")
        self._template = bar
        if bar.trades:
            session = self.sessions.session_at(bar.ts_start)
            if session is None:
                self.counts.out_of_session += 1
            else:
                self._take(bar, *bucket_bounds(bar.ts_start, session, self._step), out)
        self._close_until(bar.ts_event, out)

    def advance(self, now_ns: int, out: list[BarUnits]) -> None:
        """Issue every longer bar whose end plus the allowed lateness is past ``now_ns``."""
        self._close_until(now_ns - self.rules.allowed_lateness_ns, out)

    def flush(self, out: list[BarUnits]) -> None:
        """Issue every longer bar still open (end of the data)."""
        while self._open:
            head = self._open.pop(0)
            if self.rules.empty_intervals is EmptyIntervals.FILL:
                self._fill_before(head.start, out)
            self._issue(head, out, revision=False)

    def _take(self, bar: BarUnits, start: int, end: int, out: list[BarUnits]) -> None:
        if self._closed_through is not None and start < self._closed_through:
            self._revise(bar, start, out)
            return
        target = next((t for t in self._open if t.start == start), None)
        if target is None:
            target = _Target(start, end)
            self._open.append(target)
            self._open.sort(key=lambda t: t.start)
        target.parts[bar.ts_start] = bar

    def _revise(self, bar: BarUnits, start: int, out: list[BarUnits]) -> None:
        if self.rules.late_ticks is LateTicks.REVISE:
            for target in self._recent:
                if target.start == start:
                    target.parts[bar.ts_start] = bar
                    self._issue(target, out, revision=True)
                    self.counts.revised += 1
                    return
        self.counts.late_dropped += 1

    def _close_until(self, deadline: int, out: list[BarUnits]) -> None:
        fills = self.rules.empty_intervals is EmptyIntervals.FILL
        while True:
            head = self._open[0] if self._open else None
            if fills and self._closed_through is not None:
                start, end = next_bucket(self.sessions, self._closed_through, self._step)
                if head is None or start < head.start:
                    if end > deadline:
                        return
                    self._issue(_Target(start, end), out, revision=False)
                    continue
            if head is None or head.end > deadline:
                return
            self._issue(self._open.pop(0), out, revision=False)

    def _fill_before(self, start: int, out: list[BarUnits]) -> None:
        while self._closed_through is not None:
            bucket = next_bucket(self.sessions, self._closed_through, self._step)
            if bucket[0] >= start:
                return
            self._issue(_Target(*bucket), out, revision=False)

    def _issue(self, target: _Target, out: list[BarUnits], *, revision: bool) -> None:
        template = self._template
        assert template is not None  # nothing is issued before a first bar arrived
        parts = [target.parts[start] for start in sorted(target.parts)]
        if parts:
            open_, close = parts[0].open, parts[-1].close
            high, low = max(p.high for p in parts), min(p.low for p in parts)
            volume, trades = sum(p.volume for p in parts), sum(p.trades for p in parts)
        else:
            assert self._last_close is not None  # filling starts after the first bar
            open_ = high = low = close = self._last_close
            volume = trades = 0
        out.append(
            BarUnits(
                template.instrument_id,
                self.target,
                target.start,
                target.end,
                open_,
                high,
                low,
                close,
                volume,
                template.price_scale,
                template.volume_scale,
                trades,
                revision,
            )
        )
        if not revision or target.end == self._closed_through:
            self._closed_through, self._last_close = target.end, close
        if not revision:
            self._recent.append(target)
