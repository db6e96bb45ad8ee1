"""``MarketReplay``: bars and trade ticks of several instruments as one paced live stream.

Messages come out in market-time order (a tick before a bar that closes at the same
moment; instruments in the order given), each at the moment its ``ts_event`` is reached:
a bar when it closes, a tick when it prints. ``speed`` maps market time onto the clock:
``1`` is real time, ``60`` plays an hour a minute, ``None`` as fast as possible. Pacing
reads the injected ``Clock`` and waits with the injected ``sleep``, so tests drive it with
a ``TestClock`` and a sleep that just advances it. ``ts_init`` of every message is the
clock's time when it was emitted; market timestamps are left as generated.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

import numpy as np

from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.tick_series import TickSeries
from jts.messages.market_data import Bar, TradeTick
from jts.shared_kernel.clock import NANOS_PER_SECOND, Clock

Sleep = Callable[[float], Awaitable[None]]
_TICK, _BAR = 0, 1
_YIELD_EVERY = 1_000  # as-fast-as-possible replays still let other tasks run


class MarketReplay:
    """An async iterable of ``Bar`` and ``TradeTick`` messages, paced by ``speed``."""

    def __init__(
        self,
        *,
        clock: Clock,
        bars: Sequence[BarSeries] = (),
        ticks: Sequence[TickSeries] = (),
        speed: float | None = 1.0,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if speed is not None and not speed > 0:
            raise ValueError(f"replay speed {speed} must be positive (or None: unpaced)")
        self._clock = clock
        self._bars = list(bars)
        self._ticks = list(ticks)
        self._speed = speed
        self._sleep = sleep

    def __len__(self) -> int:
        return sum(len(series) for series in self._bars) + sum(len(s) for s in self._ticks)

    def __aiter__(self) -> AsyncIterator[Bar | TradeTick]:
        return self._replay()

    async def _replay(self) -> AsyncIterator[Bar | TradeTick]:
        times, kinds, sources, rows = self._schedule()
        if not len(times):
            return
        wall_start, market_start = self._clock.now_ns(), int(times[0])
        for i, (ts, kind, source, row) in enumerate(
            zip(times.tolist(), kinds.tolist(), sources.tolist(), rows.tolist(), strict=True)
        ):
            await self._wait_until(wall_start, market_start, ts, emitted=i)
            now = self._clock.now_ns()
            if kind == _BAR:
                yield self._bars[source].bar_at(row, ts_init=now)
            else:
                yield self._ticks[source].tick_at(row, ts_init=now)

    async def _wait_until(
        self, wall_start: int, market_start: int, ts: int, *, emitted: int
    ) -> None:
        if self._speed is None:
            if emitted and emitted % _YIELD_EVERY == 0:
                await self._sleep(0)
            return
        due = wall_start + int((ts - market_start) / self._speed)
        delay = due - self._clock.now_ns()
        if delay > 0:
            await self._sleep(delay / NANOS_PER_SECOND)

    def _schedule(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Event times, kinds, source and row of every message, in emission order."""
        parts = [(series.ts_event, _BAR, index) for index, series in enumerate(self._bars)] + [
            (series.ts_event, _TICK, index) for index, series in enumerate(self._ticks)
        ]
        times = np.concatenate([ts for ts, _, _ in parts] or [np.empty(0, np.int64)])
        kinds = np.concatenate([np.full(len(ts), kind) for ts, kind, _ in parts] or [np.empty(0)])
        sources = np.concatenate([np.full(len(ts), i) for ts, _, i in parts] or [np.empty(0)])
        rows = np.concatenate([np.arange(len(ts)) for ts, _, _ in parts] or [np.empty(0)])
        order = np.lexsort((rows, sources, kinds, times))
        return times[order], kinds[order], sources[order].astype(np.int64), rows[order]
