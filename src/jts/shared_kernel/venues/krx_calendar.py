"""The KRX trading day (brokers.md 0.1) and a ``SessionCalendar`` builder for it.

Regular day, KST (Asia/Seoul, no daylight saving):

- 08:30-09:00 opening call auction (orders accepted, single-price uncross at 09:00); the
  08:30-08:40 pre-open trade at the previous close falls inside it: ``PRE_OPEN_AUCTION``.
- 09:00-15:20 continuous trading: ``CONTINUOUS``.
- 15:20-15:30 closing call auction, uncross at 15:30: ``CLOSING_AUCTION``.
- 15:30-15:40 nothing: ``CLOSED``.
- 15:40-16:00 post-close trade at the close, 16:00-18:00 single-price after-hours auctions
  every 10 minutes: ``AFTER_HOURS``.

The first trading day of each year opens at 10:00 (the close stays 15:30); the university
entrance-exam day shifts the whole day by an hour (10:00-16:30). Auction and after-hours
windows move with the open and close; the exact auction times on such days are
[unconfirmed] (brokers.md 7). Holidays and special days come from data: in production
``jts.adapters.calendars.krx_calendar`` reads them from ``exchange_calendars``' XKRX.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, time, timedelta

from jts.shared_kernel.venues.calendar import MONDAY_TO_FRIDAY, SessionCalendar, SessionLayout

KRX_CALENDAR_ID = "XKRX"
KRX_TIME_ZONE = "Asia/Seoul"
KRX_LAYOUT = SessionLayout(
    open_time=time(9, 0),
    close_time=time(15, 30),
    pre_open_auction_s=30 * 60,
    closing_auction_s=10 * 60,
    after_hours_s=((10 * 60, 150 * 60),),
)
FIRST_DAY_OF_YEAR_OPEN = time(10, 0)


def krx_session_calendar(
    *,
    holidays: Collection[date],
    first_day: date,
    last_day: date,
    special_opens: Mapping[date, time] | None = None,
    special_closes: Mapping[date, time] | None = None,
) -> SessionCalendar:
    """A KRX calendar for ``first_day..last_day`` from its weekday holidays and special days.

    The 10:00 open of each year's first trading day is added automatically (for years whose
    1 January lies in the range); ``special_opens`` entries win over it.
    """
    holiday_set = frozenset(holidays)
    opens = _first_trading_days(holiday_set, first_day, last_day)
    opens.update(special_opens or {})
    return SessionCalendar(
        calendar_id=KRX_CALENDAR_ID,
        time_zone=KRX_TIME_ZONE,
        layout=KRX_LAYOUT,
        first_day=first_day,
        last_day=last_day,
        holidays=holiday_set,
        special_opens=opens,
        special_closes=special_closes,
    )


def _first_trading_days(
    holidays: frozenset[date], first_day: date, last_day: date
) -> dict[date, time]:
    opens: dict[date, time] = {}
    for year in range(first_day.year, last_day.year + 1):
        day = date(year, 1, 1)
        if day < first_day:
            continue
        while day <= last_day and (day.weekday() not in MONDAY_TO_FRIDAY or day in holidays):
            day += timedelta(days=1)
        if day <= last_day:
            opens[day] = FIRST_DAY_OF_YEAR_OPEN
    return opens
