"""The minutes an instrument trades in, from its venue's trading calendar.

KRX: every minute of the regular session (09:00-15:30 KST; 10:00 on the first trading day
of the year, other special days as the calendar says) on session days only, so weekends
and exchange holidays have no bars. Crypto: every minute of every UTC day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from jts.shared_kernel.clock import NANOS_PER_SECOND
from jts.shared_kernel.venues.calendar import TradingCalendar

MINUTE_NS = 60 * NANOS_PER_SECOND
Int64Array = npt.NDArray[np.int64]
Float64Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Timeline:
    """The 1-minute bar starts of a date range, grouped by session.

    ``day_starts[d]`` is the index of session ``d``'s first minute (``day_starts[-1]`` is
    the total); ``position`` is how far into its session each minute's middle lies (0..1).
    """

    days: tuple[date, ...]
    sessions: tuple[tuple[int, int], ...]
    minute_starts: Int64Array
    day_starts: Int64Array
    position: Float64Array

    def __len__(self) -> int:
        return len(self.minute_starts)

    def session_minutes(self) -> Int64Array:
        """How many minutes each session has."""
        return np.diff(self.day_starts)

    def day_of_minute(self) -> Int64Array:
        """For every minute, the index of its session."""
        return np.repeat(np.arange(len(self.days), dtype=np.int64), self.session_minutes())


def build_timeline(calendar: TradingCalendar, start: date, end: date) -> Timeline:
    """Every trading minute of ``calendar``'s sessions from ``start`` to ``end`` inclusive."""
    if end < start:
        raise ValueError(f"end date {end} is before start date {start}")
    days = tuple(calendar.sessions_in_range(start, end))
    if not days:
        raise ValueError(f"{calendar.calendar_id} has no session from {start} to {end}")
    sessions = tuple(calendar.session_bounds(day) for day in days)
    minutes = [
        np.arange(open_ns, close_ns, MINUTE_NS, dtype=np.int64) for open_ns, close_ns in sessions
    ]
    counts = np.array([len(chunk) for chunk in minutes], dtype=np.int64)
    day_starts = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    within = np.arange(int(day_starts[-1]), dtype=np.int64) - np.repeat(day_starts[:-1], counts)
    position = (within + 0.5) / np.repeat(counts, counts)
    return Timeline(days, sessions, np.concatenate(minutes), day_starts, position)
