"""Axis ticks: round numbers for values, calendar boundaries for time in the exchange zone."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from jts.adapters.reports.formatting import to_local
from jts.shared_kernel.clock import datetime_to_ns

_NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
_DAY_STEPS = (1, 2, 7, 14)
_MONTH_STEPS = (1, 2, 3, 6)
_HOUR_STEPS = (1, 2, 3, 6, 12)


def value_ticks(low: float, high: float, target: int = 5) -> list[float]:
    """About ``target`` round values covering ``[low, high]``."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low] if math.isfinite(low) else []
    raw = (high - low) / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(s * magnitude for s in _NICE_STEPS if s * magnitude >= raw)
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    return [k * step for k in range(first, last + 1)]


def time_ticks(
    start_ns: int, end_ns: int, time_zone: str, target: int = 7
) -> list[tuple[int, str]]:
    """``(ts_ns, label)`` at calendar boundaries between ``start_ns`` and ``end_ns``."""
    if end_ns <= start_ns:
        return []
    zone = ZoneInfo(time_zone)
    days = (end_ns - start_ns) / 86_400e9
    first, last = to_local(start_ns, time_zone), to_local(end_ns, time_zone)
    if days > 3 * 365:
        step = max(1, math.ceil(days / 365 / target))
        years = range(-(-(first.year + 1) // step) * step, last.year + 1, step)
        moments = [datetime(y, 1, 1, tzinfo=zone) for y in years]
        fmt = "%Y"
    elif days > 60:
        months = days / 30.4
        step = next((s for s in _MONTH_STEPS if months / s <= target), 12)
        moments = _month_starts(first, last, step, zone)
        fmt = "%Y-%m"
    elif days > 2:
        step = next((s for s in _DAY_STEPS if days / s <= target), 28)
        start = datetime(first.year, first.month, first.day, tzinfo=zone)
        moments = [start + timedelta(days=k * step) for k in range(1, int(days / step) + 2)]
        fmt = "%m-%d"
    else:
        hours = days * 24
        step = next((s for s in _HOUR_STEPS if hours / s <= target), 24)
        start = datetime(first.year, first.month, first.day, first.hour, tzinfo=zone)
        moments = [start + timedelta(hours=k * step) for k in range(1, int(hours / step) + 2)]
        fmt = "%m-%d %H:%M"
    ticks = []
    for moment in moments:
        ts = datetime_to_ns(moment)
        if ts > end_ns:
            break
        if ts >= start_ns:
            ticks.append((ts, moment.strftime(fmt)))
    return ticks


def _month_starts(first: datetime, last: datetime, step: int, zone: ZoneInfo) -> list[datetime]:
    # Months are counted from year 0, so ``index`` is the month after ``first``; stepping
    # from a multiple of ``step`` puts quarterly ticks on January, April, July and October.
    index = first.year * 12 + first.month
    index += (step - index % step) % step
    end = last.year * 12 + last.month
    return [datetime(k // 12, k % 12 + 1, 1, tzinfo=zone) for k in range(index, end, step)]
