"""The pure KRX ``SessionCalendar`` agrees with exchange_calendars' XKRX day by day."""

from __future__ import annotations

from datetime import date, time, timedelta

import exchange_calendars as xcals
import pandas as pd
import pytest

from jts.adapters.calendars import krx_calendar, trading_calendar
from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar, SessionCalendar, SessionPhase

FIRST_YEAR, LAST_YEAR = 2012, 2027
MINUTE_NS = 60 * 1_000_000_000


@pytest.fixture(scope="module")
def xkrx() -> xcals.ExchangeCalendar:
    return xcals.get_calendar("XKRX", start=f"{FIRST_YEAR}-01-01", end=f"{LAST_YEAR}-12-31")


@pytest.fixture(scope="module")
def ours() -> SessionCalendar:
    return krx_calendar(FIRST_YEAR, LAST_YEAR)


def _all_days() -> list[date]:
    first, last = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_sessions_agree_every_day(xkrx: xcals.ExchangeCalendar, ours: SessionCalendar) -> None:
    theirs = {label.date() for label in xkrx.sessions}

    mismatches = [day for day in _all_days() if ours.is_session(day) != (day in theirs)]

    assert mismatches == []
    assert ours.sessions_in_range(date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)) == sorted(theirs)


def test_opens_and_closes_agree_every_session(
    xkrx: xcals.ExchangeCalendar, ours: SessionCalendar
) -> None:
    schedule = xkrx.schedule
    theirs = {
        label.date(): (open_.value, close.value)
        for label, open_, close in zip(
            schedule.index, schedule["open"], schedule["close"], strict=True
        )
    }

    mismatches = {
        day: (ours.session_bounds(day), bounds)
        for day, bounds in theirs.items()
        if ours.session_bounds(day) != bounds
    }

    assert mismatches == {}


def test_first_trading_day_and_exam_day_are_special(ours: SessionCalendar) -> None:
    assert ours.special_opens[date(2026, 1, 2)].hour == 10
    assert ours.special_opens[date(2024, 1, 2)].hour == 10
    assert ours.special_closes[date(2019, 11, 14)].hour == 16  # university entrance exam day
    assert ours.special_closes[date(2016, 7, 29)] == time(15, 0)  # 15:00 close until 2016-08-01
    assert date(2016, 8, 1) not in ours.special_closes


def test_is_open_and_next_open_agree_around_every_open_and_close(
    xkrx: xcals.ExchangeCalendar, ours: SessionCalendar
) -> None:
    disagreements = []
    for day in ours.sessions_in_range(date(2024, 12, 1), date(2026, 2, 28)):
        open_ns, close_ns = ours.session_bounds(day)
        for ts in (open_ns - MINUTE_NS, open_ns, close_ns - MINUTE_NS, close_ns):
            minute = pd.Timestamp(ts, tz="UTC")
            if ours.is_open(ts) != xkrx.is_open_on_minute(minute):
                disagreements.append(("is_open", minute))
            if ours.next_open(ts) != xkrx.next_open(minute).value:
                disagreements.append(("next_open", minute))

    assert disagreements == []


def test_phase_at_a_known_holiday_and_a_known_session(ours: SessionCalendar) -> None:
    seollal = pd.Timestamp("2026-02-17 10:00", tz="Asia/Seoul").value
    ordinary = pd.Timestamp("2026-02-19 15:25", tz="Asia/Seoul").value

    assert ours.phase_at(seollal) is SessionPhase.CLOSED
    assert ours.phase_at(ordinary) is SessionPhase.CLOSING_AUCTION


def test_calendar_ids_resolve_to_calendars() -> None:
    assert trading_calendar("XKRX", first_year=2025, last_year=2026).calendar_id == "XKRX"
    assert isinstance(trading_calendar("24/7", first_year=2025, last_year=2026), AlwaysOpenCalendar)
    with pytest.raises(ValueError, match="no calendar named 'XNYS'"):
        trading_calendar("XNYS", first_year=2025, last_year=2026)


def test_unsupported_years_are_refused() -> None:
    with pytest.raises(ValueError, match="2001 <= first_year <= last_year"):
        krx_calendar(1999, 2001)
    with pytest.raises(ValueError, match="first_year <= last_year"):
        krx_calendar(2026, 2025)
