"""Small KRX calendars with real holidays, for unit tests (no exchange_calendars here)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from jts.shared_kernel.clock import datetime_to_ns
from jts.shared_kernel.venues.calendar import SessionCalendar
from jts.shared_kernel.venues.krx_calendar import krx_session_calendar

SEOUL = ZoneInfo("Asia/Seoul")

# KRX weekday holidays, Dec 2024 - Mar 2026 (as XKRX lists them).
KRX_HOLIDAYS = frozenset(
    {
        date(2024, 12, 25),
        date(2024, 12, 31),
        date(2025, 1, 1),
        date(2025, 1, 27),
        date(2025, 1, 28),
        date(2025, 1, 29),
        date(2025, 1, 30),
        date(2025, 3, 3),
        date(2025, 12, 25),
        date(2025, 12, 31),
        date(2026, 1, 1),
        date(2026, 2, 16),
        date(2026, 2, 17),
        date(2026, 2, 18),
        date(2026, 3, 2),
    }
)
EXAM_DAY = date(2025, 11, 13)


def krx_test_calendar() -> SessionCalendar:
    return krx_session_calendar(
        holidays=KRX_HOLIDAYS,
        first_day=date(2024, 12, 1),
        last_day=date(2026, 3, 31),
        special_opens={EXAM_DAY: time(10, 0)},
        special_closes={EXAM_DAY: time(16, 30)},
    )


def kst(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> int:
    """UNIX ns of a KST wall-clock time."""
    return datetime_to_ns(datetime(year, month, day, hour, minute, second, tzinfo=SEOUL))
