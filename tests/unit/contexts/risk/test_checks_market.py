"""Market rules: the fat-finger band, KRX order hours and holidays, the daily loss limit."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from jts.contexts.risk.domain.checks_market import (
    DayLoss,
    check_daily_loss,
    check_fat_finger,
    check_trading_hours,
)
from jts.shared_kernel.clock import datetime_to_ns
from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar
from jts.shared_kernel.venues.krx_calendar import krx_session_calendar

D = Decimal
SEOUL = ZoneInfo("Asia/Seoul")
KRX = krx_session_calendar(
    holidays={date(2026, 2, 17)}, first_day=date(2026, 1, 1), last_day=date(2026, 12, 31)
)


def kst(day: date, hour: int, minute: int = 0) -> int:
    return datetime_to_ns(datetime.combine(day, time(hour, minute), tzinfo=SEOUL))


def test_a_limit_price_beyond_the_band_is_a_fat_finger() -> None:
    denial = check_fat_finger(D(77_000), D(70_000), D("0.05"))
    assert denial is not None
    assert denial.rule == "fat_finger"
    assert denial.value == D("0.1000")
    assert denial.limit == D("0.05")
    assert "price 77000 is 10.00% away from the last price 70000" in denial.reason
    assert "within 5.00%" in denial.reason


def test_prices_inside_the_band_and_market_orders_pass() -> None:
    assert check_fat_finger(D(73_500), D(70_000), D("0.05")) is None
    assert check_fat_finger(D(66_500), D(70_000), D("0.05")) is None
    assert check_fat_finger(None, D(70_000), D("0.05")) is None
    assert check_fat_finger(D(1), None, D("0.05")) is None


def test_krx_accepts_orders_from_the_pre_open_to_the_close_inclusive() -> None:
    tuesday = date(2026, 3, 3)
    for hour, minute in ((8, 30), (9, 0), (12, 0), (15, 25), (15, 30)):
        assert check_trading_hours(KRX, kst(tuesday, hour, minute), "005930.KRX") is None
    early = check_trading_hours(KRX, kst(tuesday, 8, 29), "005930.KRX")
    late = check_trading_hours(KRX, kst(tuesday, 15, 31), "005930.KRX")
    assert early is not None
    assert late is not None
    assert early.rule == late.rule == "market_hours"
    assert "XKRX accepts orders for 005930.KRX from 08:30 to 15:30 (Asia/Seoul)" in late.reason
    assert "it is 15:31" in late.reason


def test_no_orders_on_a_weekend_or_a_holiday() -> None:
    saturday = check_trading_hours(KRX, kst(date(2026, 3, 7), 10), "005930.KRX")
    assert saturday is not None
    assert saturday.rule == "market_closed"
    assert "no session on Saturday 2026-03-07" in saturday.reason
    assert "again on Monday 2026-03-09" in saturday.reason
    holiday = check_trading_hours(KRX, kst(date(2026, 2, 17), 10), "005930.KRX")
    assert holiday is not None
    assert holiday.rule == "market_closed"


def test_a_24_7_venue_always_accepts_orders() -> None:
    assert check_trading_hours(AlwaysOpenCalendar(), kst(date(2026, 3, 7), 3), "BTC") is None


def test_the_daily_loss_limit_counts_from_the_days_opening_equity() -> None:
    limit = D("0.03")
    assert check_daily_loss(None, limit, "KRW") is None
    assert (
        check_daily_loss(DayLoss(day_open=D(100_000_000), equity=D(97_500_000)), limit, "KRW")
        is None
    )
    denial = check_daily_loss(DayLoss(day_open=D(100_000_000), equity=D(96_900_000)), limit, "KRW")
    assert denial is not None
    assert denial.rule == "daily_loss"
    assert denial.value == D("0.031")
    assert "today's loss is 3100000 KRW, 3.10% of the day's opening equity 100000000 KRW" in (
        denial.reason
    )
    assert "the limit is 3.00%" in denial.reason


def test_a_winning_day_is_no_loss() -> None:
    assert DayLoss(day_open=D(100), equity=D(110)).loss == D("-0.1")
