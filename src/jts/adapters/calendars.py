"""Trading calendars built from ``exchange_calendars``; the pure model lives in the core.

``krx_calendar(first_year, last_year)`` reads XKRX's sessions, opens and closes for the
years asked and turns them into a ``SessionCalendar``: every weekday without a session is a
holiday, every open or close that differs from 09:00/15:30 KST is a special open/close
(the first trading day of the year at 10:00, exam days 10:00-16:30, the pre-2016-08-01
15:00 close). ``tests/integration/test_calendars.py`` holds the result to XKRX day by day.

``trading_calendar(calendar_id, ...)`` picks the calendar for an ``Instrument.calendar_id``.
"""

from __future__ import annotations

import warnings
from datetime import date, time
from functools import lru_cache

import exchange_calendars as xcals
import pandas as pd

from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar, SessionCalendar, TradingCalendar
from jts.shared_kernel.venues.instruments import CRYPTO_CALENDAR_ID
from jts.shared_kernel.venues.krx_calendar import (
    KRX_CALENDAR_ID,
    KRX_LAYOUT,
    KRX_TIME_ZONE,
    krx_session_calendar,
)

# XKRX had a lunch break until 2000-05-22, which the session model does not represent.
FIRST_SUPPORTED_KRX_YEAR = 2001


@lru_cache(maxsize=8)
def krx_calendar(first_year: int, last_year: int) -> SessionCalendar:
    """The KRX calendar for 1 January ``first_year`` to 31 December ``last_year``."""
    if not FIRST_SUPPORTED_KRX_YEAR <= first_year <= last_year:
        raise ValueError(
            f"KRX calendar years must satisfy {FIRST_SUPPORTED_KRX_YEAR} <= first_year <= "
            f"last_year, got {first_year}..{last_year}"
        )
    first_day, last_day = date(first_year, 1, 1), date(last_year, 12, 31)
    with warnings.catch_warnings():
        # exchange_calendars reads tz-aware ``Series.values``, which pandas 3.1 deprecates;
        # the values it takes are UTC nanoseconds either way.
        warnings.filterwarnings("ignore", message=r".*values returning an ndarray that drops")
        xkrx = xcals.get_calendar(
            KRX_CALENDAR_ID, start=first_day.isoformat(), end=last_day.isoformat()
        )
    schedule = xkrx.schedule.loc[first_day.isoformat() : last_day.isoformat()]
    sessions = {label.date() for label in schedule.index}
    weekdays = pd.bdate_range(first_day, last_day)
    return krx_session_calendar(
        holidays={day.date() for day in weekdays if day.date() not in sessions},
        first_day=first_day,
        last_day=last_day,
        special_opens=_special_times(schedule["open"], KRX_LAYOUT.open_time),
        special_closes=_special_times(schedule["close"], KRX_LAYOUT.close_time),
    )


def _special_times(times_utc: pd.Series, regular: time) -> dict[date, time]:
    local = times_utc.dt.tz_convert(KRX_TIME_ZONE)
    return {
        label.date(): moment.time() for label, moment in local.items() if moment.time() != regular
    }


def trading_calendar(calendar_id: str, *, first_year: int, last_year: int) -> TradingCalendar:
    """The calendar an instrument's ``calendar_id`` names (``XKRX`` or ``24/7``)."""
    if calendar_id == KRX_CALENDAR_ID:
        return krx_calendar(first_year, last_year)
    if calendar_id == CRYPTO_CALENDAR_ID:
        return AlwaysOpenCalendar(CRYPTO_CALENDAR_ID)
    raise ValueError(
        f"no calendar named {calendar_id!r}; known: {KRX_CALENDAR_ID}, {CRYPTO_CALENDAR_ID}"
    )
