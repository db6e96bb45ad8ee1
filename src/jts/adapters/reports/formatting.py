"""Text for the report: escaping, numbers, percentages, durations and local times.

Undefined figures (NaN) print as an en dash, infinite ones as the infinity sign, so a table
never shows ``nan``. Every string that reaches the page goes through ``escape``.
"""

from __future__ import annotations

import html
import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

MISSING = "–"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NS_PER_DAY = 86_400 * 10**9
_NS_PER_HOUR = 3_600 * 10**9


def escape(text: object) -> str:
    """``text`` made safe for HTML element content and quoted attribute values."""
    return html.escape(str(text), quote=True)


def _special(value: float) -> str | None:
    if math.isnan(value):
        return MISSING
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    return None


def percent(value: float | None, digits: int = 2, signed: bool = True) -> str:
    """``0.1234`` as ``+12.34%``."""
    if value is None:
        return MISSING
    special = _special(value)
    if special is not None:
        return special
    sign = "+" if signed and value > 0 else ""
    return f"{sign}{value * 100:.{digits}f}%".replace("-", "−")


def number(value: float | None, digits: int = 2) -> str:
    """A plain figure with thousands separators: ``1,234.57``; large values drop decimals."""
    if value is None:
        return MISSING
    special = _special(value)
    if special is not None:
        return special
    if abs(value) >= 100_000:
        digits = 0
    return f"{value:,.{digits}f}".replace("-", "−")


def exact(value: Decimal) -> str:
    """A ``Decimal`` as given, with thousands separators: ``70,000``, ``0.00012``."""
    if not value.is_finite():
        return MISSING
    return f"{value.normalize() if value == value.to_integral() else value:,f}".replace("-", "−")


def ratio(value: float | None) -> str:
    """A ratio such as Sharpe to two decimals."""
    return number(value, 2)


def count(value: int) -> str:
    return f"{value:,}"


def duration(ns: float | None) -> str:
    """A span of time as days (or hours below two days)."""
    if ns is None:
        return MISSING
    special = _special(float(ns))
    if special is not None:
        return special
    if ns >= 2 * _NS_PER_DAY:
        return f"{ns / _NS_PER_DAY:,.0f} days"
    return f"{ns / _NS_PER_HOUR:,.1f} hours"


def local_time(ts_ns: int | None, time_zone: str, with_time: bool = True) -> str:
    """UNIX ns as ``YYYY-MM-DD HH:MM`` (or the date only) in ``time_zone``."""
    if ts_ns is None:
        return MISSING
    moment = to_local(ts_ns, time_zone)
    return moment.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def to_local(ts_ns: int, time_zone: str) -> datetime:
    return (_EPOCH + timedelta(microseconds=ts_ns // 1_000)).astimezone(ZoneInfo(time_zone))


def parameter_value(value: object) -> str:
    """A parameter value as written by the user: floats without a trailing ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def compact(value: float) -> str:
    """An axis label: ``1.5M``, ``250k``, ``12.5``."""
    magnitude = abs(value)
    for threshold, unit, suffix in (
        (1e12, 1e12, "T"),
        (1e9, 1e9, "B"),
        (1e6, 1e6, "M"),
        (1e4, 1e3, "k"),
    ):
        if magnitude >= threshold:
            return f"{value / unit:,.4g}{suffix}".replace("-", "−")
    return f"{value:,.6g}".replace("-", "−")
