"""Every reading of time goes through a ``Clock``.

``TestClock`` is driven by the caller (backtests, tests); ``LiveClock`` (in
``jts.adapters.clock``) reads the OS clock. Times are UNIX nanoseconds as ``int``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

NANOS_PER_SECOND = 1_000_000_000
NANOS_PER_MILLI = 1_000_000
NANOS_PER_MICRO = 1_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Clock(Protocol):
    """A source of the current time in UNIX nanoseconds (UTC)."""

    def now_ns(self) -> int: ...


class TestClock:
    """A clock that moves only when told to; it never goes backwards."""

    __test__ = False  # not a pytest test class

    def __init__(self, start_ns: int = 0) -> None:
        self._now_ns = start_ns

    def now_ns(self) -> int:
        return self._now_ns

    def set_ns(self, ts_ns: int) -> None:
        if ts_ns < self._now_ns:
            raise ValueError(f"TestClock cannot go back from {self._now_ns} to {ts_ns}")
        self._now_ns = ts_ns

    def advance_ns(self, delta_ns: int) -> int:
        if delta_ns < 0:
            raise ValueError(f"TestClock cannot advance by a negative delta {delta_ns}")
        self._now_ns += delta_ns
        return self._now_ns


def ns_to_datetime(ts_ns: int) -> datetime:
    """UNIX nanoseconds to an aware UTC datetime (microsecond precision)."""
    return _EPOCH + timedelta(microseconds=ts_ns // NANOS_PER_MICRO)


def datetime_to_ns(moment: datetime) -> int:
    """An aware datetime to UNIX nanoseconds; naive datetimes are refused."""
    if moment.tzinfo is None:
        raise ValueError(f"datetime {moment.isoformat()} has no time zone; attach one first")
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * NANOS_PER_SECOND + (
        delta.microseconds * NANOS_PER_MICRO
    )
