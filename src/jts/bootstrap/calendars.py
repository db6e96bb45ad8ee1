"""Trading calendars for research runs: crypto is always open; the KRX calendar is built
from ``exchange_calendars`` once and then read from a JSON file in the cache folder
(building it takes seconds, reading it milliseconds)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING

from jts.shared_kernel.clock import ns_to_datetime

if TYPE_CHECKING:
    from jts.contexts.market_data.domain.series import BarSeries
    from jts.shared_kernel.venues.calendar import TradingCalendar
    from jts.shared_kernel.venues.instruments import Instrument


def bar_years(bars: Sequence[BarSeries]) -> tuple[int, int]:
    first = min(ns_to_datetime(int(b.ts_start[0])).year for b in bars if len(b))
    last = max(ns_to_datetime(int(b.ts_start[-1])).year for b in bars if len(b))
    return first, last + 1


def calendars_for(
    specs: Sequence[Instrument], bars: Sequence[BarSeries], cache: Path | None
) -> dict[str, TradingCalendar]:
    from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar
    from jts.shared_kernel.venues.instruments import CRYPTO_CALENDAR_ID

    calendars: dict[str, TradingCalendar] = {}
    for spec in specs:
        if spec.calendar_id == CRYPTO_CALENDAR_ID:
            calendars[spec.calendar_id] = AlwaysOpenCalendar(CRYPTO_CALENDAR_ID)
        elif spec.calendar_id not in calendars:
            first, last = bar_years(bars)
            calendars[spec.calendar_id] = cached_krx_calendar(first, last, cache)
    return calendars


def cached_krx_calendar(first: int, last: int, cache: Path | None) -> TradingCalendar:
    """The KRX calendar of ``first..last``, from the cache folder when it was built before
    (building it from ``exchange_calendars`` takes seconds)."""
    from jts.shared_kernel.venues.calendar import SessionCalendar
    from jts.shared_kernel.venues.krx_calendar import KRX_CALENDAR_ID, KRX_LAYOUT, KRX_TIME_ZONE

    path = None if cache is None else cache / f"xkrx-{first}-{last}.json"
    if path is not None and path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        day, at = date.fromisoformat, time.fromisoformat
        return SessionCalendar(
            calendar_id=KRX_CALENDAR_ID,
            time_zone=KRX_TIME_ZONE,
            layout=KRX_LAYOUT,
            first_day=day(data["first_day"]),
            last_day=day(data["last_day"]),
            holidays={day(d) for d in data["holidays"]},
            special_opens={day(d): at(t) for d, t in data["special_opens"].items()},
            special_closes={day(d): at(t) for d, t in data["special_closes"].items()},
        )
    from jts.adapters.calendars import krx_calendar

    calendar = krx_calendar(first, last)
    if path is not None:
        document = {
            "first_day": calendar.first_day.isoformat(),
            "last_day": calendar.last_day.isoformat(),
            "holidays": sorted(d.isoformat() for d in calendar.holidays),
            "special_opens": {
                d.isoformat(): t.isoformat() for d, t in calendar.special_opens.items()
            },
            "special_closes": {
                d.isoformat(): t.isoformat() for d, t in calendar.special_closes.items()
            },
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.with_suffix(".tmp").write_text(json.dumps(document), encoding="utf-8")
        path.with_suffix(".tmp").replace(path)
    return calendar
