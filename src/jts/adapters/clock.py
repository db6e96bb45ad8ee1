"""The wall clock: the only place outside tests that reads the OS time."""

from __future__ import annotations

import time


class LiveClock:
    """UNIX nanoseconds from the OS real-time clock."""

    def now_ns(self) -> int:
        return time.time_ns()


class MonotonicClock:
    """Nanoseconds from a monotonic source, for measuring durations only."""

    def now_ns(self) -> int:
        return time.perf_counter_ns()
