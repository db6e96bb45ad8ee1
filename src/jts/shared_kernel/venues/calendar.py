"""Trading sessions and holidays as data.

``TradingCalendar`` is the protocol the simulated exchange, risk and the market simulator use.
``SessionCalendar`` implements it from plain data: a time zone name, the regular open and
close, auction and after-hours windows relative to them, the trading weekdays, a set of
holidays and per-date special opens/closes (KRX opens at 10:00 on the first trading day of
the year). Times are UNIX nanoseconds (UTC); dates are the venue's local dates.

A day is cut into phases::

    CLOSED | PRE_OPEN_AUCTION | CONTINUOUS | CLOSING_AUCTION | CLOSED | AFTER_HOURS | CLOSED
            open - pre_open    open         close - closing   close    close + after_hours

``is_open`` means the regular session, ``open <= t < close`` (continuous trading and the
closing auction), which is what ``exchange_calendars`` calls open. Holiday data only covers
``first_day..last_day``; asking outside that range raises ``CalendarRangeError`` instead of
silently treating unknown holidays as trading days.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol
from zoneinfo import ZoneInfo

import msgspec

from jts.shared_kernel.clock import NANOS_PER_SECOND, datetime_to_ns
from jts.shared_kernel.venues.errors import CalendarRangeError, NotASession

_ONE_DAY = timedelta(days=1)
MONDAY_TO_FRIDAY = frozenset(range(5))


class SessionPhase(StrEnum):
    CLOSED = "CLOSED"
    PRE_OPEN_AUCTION = "PRE_OPEN_AUCTION"
    CONTINUOUS = "CONTINUOUS"
    CLOSING_AUCTION = "CLOSING_AUCTION"
    AFTER_HOURS = "AFTER_HOURS"


class TradingCalendar(Protocol):
    """When a venue trades. Implementations: ``SessionCalendar``, ``AlwaysOpenCalendar``."""

    @property
    def calendar_id(self) -> str: ...

    @property
    def time_zone(self) -> str: ...

    def is_session(self, day: date) -> bool: ...

    def session_bounds(self, day: date) -> tuple[int, int]:
        """``(open_ns, close_ns)`` of the regular session on ``day``; raises ``NotASession``."""
        ...

    def session_date(self, ts_ns: int) -> date:
        """The venue-local calendar date of ``ts_ns``."""
        ...

    def is_open(self, ts_ns: int) -> bool: ...

    def next_open(self, ts_ns: int) -> int:
        """The first session open strictly after ``ts_ns``."""
        ...

    def next_session(self, day: date) -> date:
        """The first session date strictly after ``day``."""
        ...

    def previous_session(self, day: date) -> date:
        """The last session date strictly before ``day``."""
        ...

    def sessions_in_range(self, start: date, end: date) -> list[date]:
        """Every session date in ``[start, end]``, in order."""
        ...

    def phase_at(self, ts_ns: int) -> SessionPhase: ...


class SessionLayout(msgspec.Struct, frozen=True, kw_only=True):
    """The regular shape of a trading day, in local time.

    Auction and after-hours windows are relative to the day's actual open and close, so a
    day that opens or closes late (a special open) shifts them with it.
    """

    open_time: time
    close_time: time
    pre_open_auction_s: int = 0
    closing_auction_s: int = 0
    after_hours_s: tuple[tuple[int, int], ...] = ()  # (start, end) seconds after the close

    def __post_init__(self) -> None:
        if self.close_time <= self.open_time:
            raise ValueError(f"close {self.close_time} must be after open {self.open_time}")
        if self.pre_open_auction_s < 0 or self.closing_auction_s < 0:
            raise ValueError("auction lengths must not be negative")
        previous_end = 0
        for start, end in self.after_hours_s:
            if not previous_end <= start < end:
                raise ValueError(
                    f"after-hours windows must be ordered, non-overlapping and start at or "
                    f"after the close; got {self.after_hours_s}"
                )
            previous_end = end


class _Day:
    """One local date, resolved to UTC nanoseconds, with its phase boundaries."""

    __slots__ = ("close_ns", "day", "end_ns", "open_ns", "phases", "start_ns", "starts")

    def __init__(self, day: date, start_ns: int, end_ns: int) -> None:
        self.day = day
        self.start_ns = start_ns
        self.end_ns = end_ns
        self.open_ns = 0
        self.close_ns = 0
        self.starts: list[int] = []  # empty: no session that day
        self.phases: list[SessionPhase] = []


class SessionCalendar:
    """A ``TradingCalendar`` built from data; see the module docstring for the model."""

    def __init__(
        self,
        *,
        calendar_id: str,
        time_zone: str,
        layout: SessionLayout,
        first_day: date,
        last_day: date,
        holidays: Collection[date] = frozenset(),
        special_opens: Mapping[date, time] | None = None,
        special_closes: Mapping[date, time] | None = None,
        weekdays: Collection[int] = MONDAY_TO_FRIDAY,
    ) -> None:
        if last_day < first_day:
            raise ValueError(
                f"calendar {calendar_id}: last_day {last_day} is before first_day {first_day}"
            )
        self._calendar_id = calendar_id
        self._time_zone = time_zone
        self._tz = ZoneInfo(time_zone)
        self.layout = layout
        self.first_day = first_day
        self.last_day = last_day
        self.holidays = frozenset(holidays)
        self.special_opens: Mapping[date, time] = MappingProxyType(dict(special_opens or {}))
        self.special_closes: Mapping[date, time] = MappingProxyType(dict(special_closes or {}))
        self.weekdays = frozenset(weekdays)
        self._days: dict[date, _Day] = {}
        self._last: _Day | None = None

    @property
    def calendar_id(self) -> str:
        return self._calendar_id

    @property
    def time_zone(self) -> str:
        return self._time_zone

    def __repr__(self) -> str:
        return (
            f"SessionCalendar({self._calendar_id}, {self._time_zone}, "
            f"{self.first_day}..{self.last_day}, {len(self.holidays)} holidays)"
        )

    def is_session(self, day: date) -> bool:
        self._check_range(day)
        return day.weekday() in self.weekdays and day not in self.holidays

    def session_bounds(self, day: date) -> tuple[int, int]:
        resolved = self._day(day)
        if not resolved.starts:
            raise NotASession(
                f"{day.isoformat()} is not a {self._calendar_id} session (weekend or holiday); "
                "use next_session() to find the next trading day"
            )
        return resolved.open_ns, resolved.close_ns

    def session_date(self, ts_ns: int) -> date:
        return self._day_at(ts_ns).day

    def is_open(self, ts_ns: int) -> bool:
        resolved = self._day_at(ts_ns)
        return bool(resolved.starts) and resolved.open_ns <= ts_ns < resolved.close_ns

    def phase_at(self, ts_ns: int) -> SessionPhase:
        resolved = self._day_at(ts_ns)
        index = bisect_right(resolved.starts, ts_ns) - 1
        return resolved.phases[index] if index >= 0 else SessionPhase.CLOSED

    def next_open(self, ts_ns: int) -> int:
        resolved = self._day_at(ts_ns)
        if resolved.starts and resolved.open_ns > ts_ns:
            return resolved.open_ns
        return self._day(self.next_session(resolved.day)).open_ns

    def next_session(self, day: date) -> date:
        candidate = day + _ONE_DAY
        while not self.is_session(candidate):
            candidate += _ONE_DAY
        return candidate

    def previous_session(self, day: date) -> date:
        candidate = day - _ONE_DAY
        while not self.is_session(candidate):
            candidate -= _ONE_DAY
        return candidate

    def sessions_in_range(self, start: date, end: date) -> list[date]:
        if end < start:
            raise ValueError(f"range end {end} is before its start {start}")
        self._check_range(start)
        self._check_range(end)
        count = (end - start).days + 1
        days = (start + timedelta(days=offset) for offset in range(count))
        return [day for day in days if day.weekday() in self.weekdays and day not in self.holidays]

    def _check_range(self, day: date) -> None:
        if not self.first_day <= day <= self.last_day:
            raise CalendarRangeError(
                f"{self._calendar_id} calendar covers {self.first_day}..{self.last_day}, not "
                f"{day.isoformat()}; build it for a wider year range"
            )

    def _day_at(self, ts_ns: int) -> _Day:
        last = self._last
        if last is not None and last.start_ns <= ts_ns < last.end_ns:
            return last
        seconds = ts_ns // NANOS_PER_SECOND
        resolved = self._day(datetime.fromtimestamp(seconds, UTC).astimezone(self._tz).date())
        self._last = resolved
        return resolved

    def _day(self, day: date) -> _Day:
        resolved = self._days.get(day)
        if resolved is None:
            resolved = self._resolve(day)
            self._days[day] = resolved
        return resolved

    def _local_ns(self, day: date, at: time) -> int:
        return datetime_to_ns(datetime.combine(day, at, tzinfo=self._tz))

    def _resolve(self, day: date) -> _Day:
        resolved = _Day(day, self._local_ns(day, time()), self._local_ns(day + _ONE_DAY, time()))
        if not self.is_session(day):
            return resolved
        layout = self.layout
        resolved.open_ns = self._local_ns(day, self.special_opens.get(day, layout.open_time))
        resolved.close_ns = self._local_ns(day, self.special_closes.get(day, layout.close_time))
        windows = _phase_windows(layout, resolved.open_ns, resolved.close_ns)
        if windows[0][0] < resolved.start_ns or windows[-1][1] > resolved.end_ns:
            raise ValueError(f"{self._calendar_id}: the {day} session crosses local midnight")
        resolved.starts, resolved.phases = _boundaries(windows)
        return resolved


def _boundaries(
    windows: list[tuple[int, int, SessionPhase]],
) -> tuple[list[int], list[SessionPhase]]:
    """Phase start times and phases, with CLOSED filling the gaps between windows."""
    starts: list[int] = []
    phases: list[SessionPhase] = []
    for start, end, phase in windows:
        if starts and starts[-1] == start:  # the previous window ends where this one starts
            starts.pop()
            phases.pop()
        starts.append(start)
        phases.append(phase)
        starts.append(end)
        phases.append(SessionPhase.CLOSED)
    return starts, phases


def _phase_windows(
    layout: SessionLayout, open_ns: int, close_ns: int
) -> list[tuple[int, int, SessionPhase]]:
    """``(start_ns, end_ns, phase)`` for every non-closed phase of one day, in order."""
    second = NANOS_PER_SECOND
    auction_start = close_ns - layout.closing_auction_s * second
    if not open_ns < auction_start:
        raise ValueError("the closing auction must be shorter than the session")
    windows: list[tuple[int, int, SessionPhase]] = []
    if layout.pre_open_auction_s:
        pre_open_start = open_ns - layout.pre_open_auction_s * second
        windows.append((pre_open_start, open_ns, SessionPhase.PRE_OPEN_AUCTION))
    windows.append((open_ns, auction_start, SessionPhase.CONTINUOUS))
    if layout.closing_auction_s:
        windows.append((auction_start, close_ns, SessionPhase.CLOSING_AUCTION))
    for start_s, end_s in layout.after_hours_s:
        after_start, after_end = close_ns + start_s * second, close_ns + end_s * second
        windows.append((after_start, after_end, SessionPhase.AFTER_HOURS))
    return windows


class AlwaysOpenCalendar:
    """A venue that trades around the clock every day (crypto); sessions are UTC days."""

    def __init__(self, calendar_id: str = "24/7") -> None:
        self._calendar_id = calendar_id

    @property
    def calendar_id(self) -> str:
        return self._calendar_id

    @property
    def time_zone(self) -> str:
        return "UTC"

    def __repr__(self) -> str:
        return f"AlwaysOpenCalendar({self._calendar_id})"

    def is_session(self, day: date) -> bool:
        return True

    def session_bounds(self, day: date) -> tuple[int, int]:
        return _utc_midnight_ns(day), _utc_midnight_ns(day + _ONE_DAY)

    def session_date(self, ts_ns: int) -> date:
        return datetime.fromtimestamp(ts_ns // NANOS_PER_SECOND, UTC).date()

    def is_open(self, ts_ns: int) -> bool:
        return True

    def next_open(self, ts_ns: int) -> int:
        return _utc_midnight_ns(self.session_date(ts_ns) + _ONE_DAY)

    def next_session(self, day: date) -> date:
        return day + _ONE_DAY

    def previous_session(self, day: date) -> date:
        return day - _ONE_DAY

    def sessions_in_range(self, start: date, end: date) -> list[date]:
        if end < start:
            raise ValueError(f"range end {end} is before its start {start}")
        return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]

    def phase_at(self, ts_ns: int) -> SessionPhase:
        return SessionPhase.CONTINUOUS


def _utc_midnight_ns(day: date) -> int:
    return datetime_to_ns(datetime.combine(day, time(), tzinfo=UTC))
