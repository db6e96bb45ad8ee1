"""Where a venue's bars start and end: its trading sessions, as bar aggregation sees them.

Bars are aligned to sessions, not to the UNIX epoch: a bucket of timeframe ``tf`` starts at
``session open + k * tf`` and ends at the earlier of ``start + tf`` and the session close,
so KRX 1-hour bars run 09:00, 10:00, ... 15:00-15:30 KST and a daily bar covers the whole
session. Two kinds of sessions:

- ``CalendarSessions``: a venue with a ``TradingCalendar`` (KRX: 09:00-15:30 KST on
  session days, holidays and special opens as the calendar says). Prints outside the
  regular session (pre-open and after-hours trades) belong to no bar. The closing auction
  uncrosses at the close itself, so a print up to ``closing_print_ns`` after the close
  still counts in the session's last bar.
- ``LocalDaySessions``: a venue that trades around the clock (crypto), cut into calendar
  days of one time zone: ``UTC`` for Binance, ``Asia/Seoul`` for Upbit's KST daily bars.

``SessionsByVenue`` picks the right one per instrument.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from jts.shared_kernel.clock import NANOS_PER_SECOND, datetime_to_ns
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.venues.calendar import TradingCalendar

Session = tuple[int, int]
"""``(open_ns, close_ns)`` of one session."""

_ONE_DAY = timedelta(days=1)


class SessionWindows(Protocol):
    """The sessions bars are aligned to."""

    @property
    def closing_print_ns(self) -> int:
        """How long after a session's close a print still belongs to its last bar."""
        ...

    def session_at(self, ts_ns: int) -> Session | None:
        """The session a print at ``ts_ns`` belongs to, or ``None`` outside every session."""
        ...

    def next_session(self, ts_ns: int) -> Session:
        """The first session that opens at or after ``ts_ns``."""
        ...

    def sessions_between(self, start_ns: int, end_ns: int) -> list[Session]:
        """Every session that overlaps ``[start_ns, end_ns]``, in order."""
        ...


class CalendarSessions:
    """The regular sessions of a ``TradingCalendar`` (see the module docstring)."""

    def __init__(self, calendar: TradingCalendar, *, closing_print_ns: int = 0) -> None:
        if closing_print_ns < 0:
            raise ValueError(f"closing_print_ns {closing_print_ns} must not be negative")
        self.calendar = calendar
        self._closing_print_ns = closing_print_ns
        self._last: Session | None = None

    @property
    def closing_print_ns(self) -> int:
        return self._closing_print_ns

    def __repr__(self) -> str:
        return f"CalendarSessions({self.calendar!r}, closing_print_ns={self._closing_print_ns})"

    def session_at(self, ts_ns: int) -> Session | None:
        last = self._last
        if last is not None and last[0] <= ts_ns < last[1] + self._closing_print_ns:
            return last
        day = self.calendar.session_date(ts_ns)
        if not self.calendar.is_session(day):
            return None
        session = self.calendar.session_bounds(day)
        if not session[0] <= ts_ns < session[1] + self._closing_print_ns:
            return None
        self._last = session
        return session

    def next_session(self, ts_ns: int) -> Session:
        day = self.calendar.session_date(ts_ns)
        if self.calendar.is_session(day):
            session = self.calendar.session_bounds(day)
            if session[0] >= ts_ns:
                return session
        return self.calendar.session_bounds(self.calendar.next_session(day))

    def sessions_between(self, start_ns: int, end_ns: int) -> list[Session]:
        first = self.calendar.session_date(start_ns) - _ONE_DAY
        last = self.calendar.session_date(end_ns)
        sessions = [
            self.calendar.session_bounds(day)
            for day in self.calendar.sessions_in_range(first, last)
        ]
        return [s for s in sessions if s[1] + self._closing_print_ns > start_ns and s[0] <= end_ns]


class LocalDaySessions:
    """Around-the-clock trading cut into the calendar days of ``time_zone``."""

    def __init__(self, time_zone: str = "UTC") -> None:
        self.time_zone = time_zone
        self._tz = UTC if time_zone == "UTC" else ZoneInfo(time_zone)
        self._last: Session | None = None

    @property
    def closing_print_ns(self) -> int:
        return 0

    def __repr__(self) -> str:
        return f"LocalDaySessions({self.time_zone})"

    def session_at(self, ts_ns: int) -> Session:
        last = self._last
        if last is not None and last[0] <= ts_ns < last[1]:
            return last
        session = self._day_session(self._date_of(ts_ns))
        self._last = session
        return session

    def next_session(self, ts_ns: int) -> Session:
        day = self._date_of(ts_ns)
        session = self._day_session(day)
        return session if session[0] >= ts_ns else self._day_session(day + _ONE_DAY)

    def sessions_between(self, start_ns: int, end_ns: int) -> list[Session]:
        day, last = self._date_of(start_ns), self._date_of(end_ns)
        sessions = []
        while day <= last:
            sessions.append(self._day_session(day))
            day += _ONE_DAY
        return sessions

    def _date_of(self, ts_ns: int) -> date:
        return datetime.fromtimestamp(ts_ns // NANOS_PER_SECOND, self._tz).date()

    def _day_session(self, day: date) -> Session:
        midnight = datetime.combine(day, time(), tzinfo=self._tz)
        following = datetime.combine(day + _ONE_DAY, time(), tzinfo=self._tz)
        return datetime_to_ns(midnight), datetime_to_ns(following)


class SessionsByVenue:
    """The sessions of each venue: KRX and NXT by their calendar (with a closing-print
    window for the closing auction), every other venue around the clock in UTC days,
    except Upbit, whose daily bars follow ``upbit_time_zone``.

    Upbit's own daily candles start at 09:00 KST (00:00 UTC); Korean traders usually read a
    crypto day as a KST calendar day, which is the default here. Pass ``"UTC"`` to match
    Upbit's candles.
    """

    def __init__(
        self,
        krx: TradingCalendar | None = None,
        *,
        closing_print_ns: int = 60 * NANOS_PER_SECOND,
        upbit_time_zone: str = "Asia/Seoul",
    ) -> None:
        self._krx = (
            None if krx is None else CalendarSessions(krx, closing_print_ns=closing_print_ns)
        )
        self._utc = LocalDaySessions("UTC")
        self._upbit = LocalDaySessions(upbit_time_zone)

    def __call__(self, instrument_id: InstrumentId) -> SessionWindows:
        venue = instrument_id.venue
        if venue in ("KRX", "NXT"):
            if self._krx is None:
                raise ValueError(f"{instrument_id}: no KRX calendar was given for its sessions")
            return self._krx
        return self._upbit if venue == "UPBIT" else self._utc
