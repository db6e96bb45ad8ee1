from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jts.shared_kernel.clock import NANOS_PER_SECOND
from jts.shared_kernel.venues.calendar import (
    AlwaysOpenCalendar,
    SessionCalendar,
    SessionLayout,
    SessionPhase,
    TradingCalendar,
)
from jts.shared_kernel.venues.errors import CalendarRangeError, NotASession
from tests.unit.shared_kernel.venues.calendars import EXAM_DAY, krx_test_calendar, kst

CLOSED = SessionPhase.CLOSED
PRE_OPEN = SessionPhase.PRE_OPEN_AUCTION
CONTINUOUS = SessionPhase.CONTINUOUS
CLOSING = SessionPhase.CLOSING_AUCTION
AFTER = SessionPhase.AFTER_HOURS
SECOND = NANOS_PER_SECOND


def test_calendars_satisfy_the_protocol() -> None:
    calendars: list[TradingCalendar] = [krx_test_calendar(), AlwaysOpenCalendar()]

    assert [c.calendar_id for c in calendars] == ["XKRX", "24/7"]
    assert [c.time_zone for c in calendars] == ["Asia/Seoul", "UTC"]


@pytest.mark.parametrize(
    ("day", "is_session"),
    [
        (date(2026, 3, 3), True),  # Tuesday
        (date(2026, 3, 7), False),  # Saturday
        (date(2026, 3, 8), False),  # Sunday
        (date(2026, 3, 2), False),  # substitute holiday (Monday)
        (date(2026, 2, 17), False),  # Seollal
        (date(2025, 12, 31), False),  # year-end closing day
        (date(2026, 1, 1), False),
        (date(2026, 1, 2), True),
    ],
)
def test_weekends_and_holidays_are_not_sessions(day: date, is_session: bool) -> None:
    assert krx_test_calendar().is_session(day) is is_session


def test_first_trading_day_of_the_year_opens_at_ten() -> None:
    calendar = krx_test_calendar()

    assert calendar.session_bounds(date(2026, 1, 2)) == (
        kst(2026, 1, 2, 10),
        kst(2026, 1, 2, 15, 30),
    )
    assert calendar.session_bounds(date(2025, 1, 2)) == (
        kst(2025, 1, 2, 10),
        kst(2025, 1, 2, 15, 30),
    )
    assert calendar.session_bounds(date(2026, 1, 5)) == (
        kst(2026, 1, 5, 9),
        kst(2026, 1, 5, 15, 30),
    )


def test_session_bounds_of_a_holiday_is_refused() -> None:
    with pytest.raises(NotASession, match="2026-01-01 is not a XKRX session"):
        krx_test_calendar().session_bounds(date(2026, 1, 1))


@pytest.mark.parametrize(
    ("hms", "phase"),
    [
        ((0, 0, 0), CLOSED),
        ((8, 29, 59), CLOSED),
        ((8, 30, 0), PRE_OPEN),
        ((8, 59, 59), PRE_OPEN),
        ((9, 0, 0), CONTINUOUS),
        ((15, 19, 59), CONTINUOUS),
        ((15, 20, 0), CLOSING),
        ((15, 29, 59), CLOSING),
        ((15, 30, 0), CLOSED),
        ((15, 39, 59), CLOSED),
        ((15, 40, 0), AFTER),
        ((17, 59, 59), AFTER),
        ((18, 0, 0), CLOSED),
        ((23, 59, 59), CLOSED),
    ],
)
def test_phases_of_a_regular_day(hms: tuple[int, int, int], phase: SessionPhase) -> None:
    calendar = krx_test_calendar()
    ts = kst(2026, 3, 3, *hms)

    assert calendar.phase_at(ts) is phase
    assert calendar.is_open(ts) is (phase in (CONTINUOUS, CLOSING))


@pytest.mark.parametrize(
    ("day", "hms", "phase"),
    [
        (date(2026, 1, 2), (9, 0, 0), CLOSED),
        (date(2026, 1, 2), (9, 30, 0), PRE_OPEN),
        (date(2026, 1, 2), (9, 59, 59), PRE_OPEN),
        (date(2026, 1, 2), (10, 0, 0), CONTINUOUS),
        (date(2026, 1, 2), (15, 20, 0), CLOSING),
        (EXAM_DAY, (10, 0, 0), CONTINUOUS),
        (EXAM_DAY, (15, 30, 0), CONTINUOUS),
        (EXAM_DAY, (16, 20, 0), CLOSING),
        (EXAM_DAY, (16, 30, 0), CLOSED),
        (EXAM_DAY, (16, 40, 0), AFTER),
        (EXAM_DAY, (19, 0, 0), CLOSED),
        (date(2026, 1, 1), (10, 0, 0), CLOSED),
        (date(2026, 3, 7), (10, 0, 0), CLOSED),
    ],
)
def test_phases_follow_special_opens_and_closes(
    day: date, hms: tuple[int, int, int], phase: SessionPhase
) -> None:
    assert krx_test_calendar().phase_at(kst(day.year, day.month, day.day, *hms)) is phase


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (kst(2026, 3, 3, 8, 0), kst(2026, 3, 3, 9, 0)),  # before the open: same day
        (kst(2026, 3, 3, 9, 0), kst(2026, 3, 4, 9, 0)),  # at the open: strictly after
        (kst(2026, 3, 6, 16, 0), kst(2026, 3, 9, 9, 0)),  # Friday evening: Monday
        (kst(2026, 2, 13, 12, 0), kst(2026, 2, 19, 9, 0)),  # Seollal holidays skipped
        (kst(2025, 12, 30, 12, 0), kst(2026, 1, 2, 10, 0)),  # to the 10:00 first day
        (kst(2026, 2, 27, 20, 0), kst(2026, 3, 3, 9, 0)),  # weekend + substitute holiday
    ],
)
def test_next_open_skips_closed_days(at: int, expected: int) -> None:
    assert krx_test_calendar().next_open(at) == expected


def test_next_and_previous_sessions_and_ranges() -> None:
    calendar = krx_test_calendar()

    assert calendar.next_session(date(2025, 12, 30)) == date(2026, 1, 2)
    assert calendar.previous_session(date(2026, 1, 2)) == date(2025, 12, 30)
    assert calendar.sessions_in_range(date(2026, 2, 12), date(2026, 2, 20)) == [
        date(2026, 2, 12),
        date(2026, 2, 13),
        date(2026, 2, 19),
        date(2026, 2, 20),
    ]
    assert calendar.sessions_in_range(date(2026, 3, 7), date(2026, 3, 8)) == []


def test_session_date_is_the_local_date() -> None:
    calendar = krx_test_calendar()

    assert calendar.session_date(kst(2026, 3, 4, 0, 30)) == date(2026, 3, 4)  # 15:30 UTC on 3 Mar
    assert calendar.session_date(kst(2026, 3, 3, 23, 59)) == date(2026, 3, 3)


def test_queries_outside_the_data_range_are_refused() -> None:
    calendar = krx_test_calendar()

    with pytest.raises(CalendarRangeError, match=r"covers 2024-12-01\.\.2026-03-31"):
        calendar.is_session(date(2026, 4, 1))
    with pytest.raises(CalendarRangeError):
        calendar.phase_at(kst(2024, 11, 29, 10))
    with pytest.raises(CalendarRangeError):
        calendar.next_open(kst(2026, 3, 31, 16))
    with pytest.raises(CalendarRangeError):
        calendar.sessions_in_range(date(2026, 3, 1), date(2026, 5, 1))
    with pytest.raises(ValueError, match="before its start"):
        calendar.sessions_in_range(date(2026, 3, 5), date(2026, 3, 1))


_RANGE_START = kst(2024, 12, 1)
_RANGE_END = kst(2026, 3, 20)


@given(st.integers(min_value=_RANGE_START, max_value=_RANGE_END))
def test_next_open_is_a_later_open_and_phases_agree_with_is_open(ts: int) -> None:
    calendar = krx_test_calendar()

    nxt = calendar.next_open(ts)

    assert nxt > ts
    assert calendar.phase_at(nxt) is CONTINUOUS
    assert not calendar.is_open(nxt - 1)
    assert calendar.is_open(ts) is (calendar.phase_at(ts) in (CONTINUOUS, CLOSING))
    day = calendar.session_date(ts)
    if calendar.is_session(day):
        open_ns, close_ns = calendar.session_bounds(day)
        assert calendar.is_open(ts) is (open_ns <= ts < close_ns)


def test_lookups_in_any_order_give_the_same_answers() -> None:
    calendar = krx_test_calendar()
    times = [
        kst(2026, 3, 3, 9),
        kst(2025, 6, 2, 15, 25),
        kst(2026, 3, 3, 15, 25),
        kst(2025, 6, 2, 9),
    ]

    first = [calendar.phase_at(t) for t in times]
    again = [calendar.phase_at(t) for t in reversed(times)][::-1]

    assert first == again == [CONTINUOUS, CLOSING, CLOSING, CONTINUOUS]


def test_layouts_are_validated() -> None:
    with pytest.raises(ValueError, match="must be after open"):
        SessionLayout(open_time=time(15), close_time=time(9))
    with pytest.raises(ValueError, match="ordered, non-overlapping"):
        SessionLayout(open_time=time(9), close_time=time(15), after_hours_s=((600, 300),))
    with pytest.raises(ValueError, match="before first_day"):
        SessionCalendar(
            calendar_id="X",
            time_zone="UTC",
            layout=SessionLayout(open_time=time(9), close_time=time(15)),
            first_day=date(2026, 1, 2),
            last_day=date(2026, 1, 1),
        )


def test_a_session_crossing_midnight_is_refused() -> None:
    calendar = SessionCalendar(
        calendar_id="LATE",
        time_zone="UTC",
        layout=SessionLayout(
            open_time=time(9), close_time=time(22), after_hours_s=((0, 4 * 3600),)
        ),
        first_day=date(2026, 1, 1),
        last_day=date(2026, 12, 31),
    )

    with pytest.raises(ValueError, match="crosses local midnight"):
        calendar.session_bounds(date(2026, 3, 3))


def test_always_open_calendar_trades_every_utc_day() -> None:
    calendar = AlwaysOpenCalendar()
    midnight = 1_772_496_000 * SECOND  # 2026-03-03 00:00 UTC

    assert calendar.is_session(date(2026, 3, 7))
    assert calendar.is_open(midnight + 5)
    assert calendar.phase_at(midnight) is CONTINUOUS
    assert calendar.session_bounds(date(2026, 3, 3)) == (midnight, midnight + 86_400 * SECOND)
    assert calendar.next_open(midnight) == midnight + 86_400 * SECOND
    assert calendar.session_date(midnight - 1) == date(2026, 3, 2)
    assert calendar.next_session(date(2026, 3, 3)) == date(2026, 3, 4)
    assert calendar.previous_session(date(2026, 3, 1)) == date(2026, 2, 28)
    assert len(calendar.sessions_in_range(date(2026, 2, 1), date(2026, 3, 1))) == 29
