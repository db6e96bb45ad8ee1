"""Clocks of the live node.

- ``MarketClock``: a replay's time is the market's. The node moves it to each event's
  ``ts_event`` before handling the event, so orders are stamped, matched and expired in
  market time exactly as a backtest does (a replay of 2025 bars must not see 2026 orders).
- ``ScaledClock``: an accelerated wall clock for demos; ``speed`` seconds of market time
  pass for each second of the base clock, starting at ``origin_ns``.
"""

from __future__ import annotations

from jts.shared_kernel.clock import Clock, TestClock


class MarketClock(TestClock):
    """A clock that follows the events it is shown; it never goes backwards."""

    __test__ = False

    def follow(self, ts_ns: int) -> None:
        """Move to ``ts_ns`` if it is later than now (an older event leaves it alone)."""
        if ts_ns > self.now_ns():
            self.set_ns(ts_ns)


class ScaledClock:
    """``origin_ns`` plus ``speed`` times the base clock's time since construction."""

    def __init__(self, base: Clock, *, speed: float, origin_ns: int | None = None) -> None:
        if not speed > 0:
            raise ValueError(f"clock speed {speed} must be positive")
        self._base = base
        self._speed = speed
        self._base_start = base.now_ns()
        self._origin = self._base_start if origin_ns is None else origin_ns

    @property
    def speed(self) -> float:
        return self._speed

    def now_ns(self) -> int:
        return self._origin + int((self._base.now_ns() - self._base_start) * self._speed)
