"""In-process state of one limit: sliding-window log, fixed window and GCRA.

Each window answers three questions at time ``now`` (UNIX ns, never decreasing): how long
until ``weight`` more units fit (``wait_ns``, 0 = now), record that they were taken
(``commit``), and how many units the current window holds (``used``). ``raise_used`` lifts
the count to what the venue reports, never lowering it. Integers throughout, so the
guarantees in ``jts.adapters.ratelimit.limits`` hold exactly.
"""

from __future__ import annotations

from collections import deque
from typing import Protocol

from jts.adapters.ratelimit.limits import Algorithm, RateLimit


class Window(Protocol):
    def wait_ns(self, now: int, weight: int) -> int: ...

    def commit(self, now: int, weight: int) -> None: ...

    def used(self, now: int) -> float: ...

    def raise_used(self, now: int, used: int, observed_at: int) -> None: ...


class SlidingLog:
    """Every grant is kept until it leaves the window ``(now - W, now]``."""

    __slots__ = ("_limit", "_sum", "_times", "_weights", "_window")

    def __init__(self, limit: RateLimit) -> None:
        self._limit = limit.limit
        self._window = limit.window_ns
        self._times: deque[int] = deque()
        self._weights: deque[int] = deque()
        self._sum = 0

    def _expire(self, now: int) -> None:
        horizon = now - self._window
        times = self._times
        while times and times[0] <= horizon:
            times.popleft()
            self._sum -= self._weights.popleft()

    def wait_ns(self, now: int, weight: int) -> int:
        self._expire(now)
        excess = self._sum + weight - self._limit
        if excess <= 0:
            return 0
        freed = 0
        for granted_at, granted in zip(self._times, self._weights, strict=True):
            freed += granted
            if freed >= excess:
                return granted_at + self._window - now
        raise AssertionError("weight above the limit reached the window; policy checks missed it")

    def commit(self, now: int, weight: int) -> None:
        if self._times and self._times[-1] == now:
            self._weights[-1] += weight
        else:
            self._times.append(now)
            self._weights.append(weight)
        self._sum += weight

    def used(self, now: int) -> float:
        self._expire(now)
        return float(self._sum)

    def raise_used(self, now: int, used: int, observed_at: int) -> None:
        # The venue's units expire at unknown times; booking the difference now is the
        # conservative choice (it expires last).
        self._expire(now)
        missing = min(used, self._limit) - self._sum
        if missing > 0:
            self.commit(now, missing)


class FixedWindow:
    """A counter per aligned window ``[k·W + align, (k+1)·W + align)``."""

    __slots__ = ("_align", "_count", "_end", "_limit", "_start", "_window")

    def __init__(self, limit: RateLimit) -> None:
        self._limit = limit.limit
        self._window = limit.window_ns
        self._align = limit.align_ns
        self._start = self._end = 0
        self._count = 0

    def _roll(self, now: int) -> None:
        if not self._start <= now < self._end:
            self._start = (now - self._align) // self._window * self._window + self._align
            self._end = self._start + self._window
            self._count = 0

    def wait_ns(self, now: int, weight: int) -> int:
        self._roll(now)
        if self._count + weight <= self._limit:
            return 0
        return self._end - now

    def commit(self, now: int, weight: int) -> None:
        self._roll(now)
        self._count += weight

    def used(self, now: int) -> float:
        self._roll(now)
        return float(self._count)

    def raise_used(self, now: int, used: int, observed_at: int) -> None:
        self._roll(now)
        if self._start <= observed_at < self._end:
            self._count = max(self._count, min(used, self._limit))


class Gcra:
    """Generic cell rate algorithm: one theoretical arrival time, ``burst`` units of slack."""

    __slots__ = ("_emission", "_limit", "_tat", "_tolerance")

    def __init__(self, limit: RateLimit) -> None:
        self._limit = limit.limit
        self._emission = limit.emission_ns
        self._tolerance = limit.burst * self._emission
        self._tat = 0

    def wait_ns(self, now: int, weight: int) -> int:
        allowed_at = max(self._tat, now) + weight * self._emission - self._tolerance
        return max(0, allowed_at - now)

    def commit(self, now: int, weight: int) -> None:
        self._tat = max(self._tat, now) + weight * self._emission

    def used(self, now: int) -> float:
        return max(0, self._tat - now) / self._emission

    def raise_used(self, now: int, used: int, observed_at: int) -> None:
        self._tat = max(self._tat, now + min(used, self._limit) * self._emission)


def new_window(limit: RateLimit) -> Window:
    """Fresh, empty state for ``limit``."""
    if limit.algorithm is Algorithm.SLIDING_LOG:
        return SlidingLog(limit)
    if limit.algorithm is Algorithm.FIXED_WINDOW:
        return FixedWindow(limit)
    return Gcra(limit)
