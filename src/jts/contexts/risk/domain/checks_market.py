"""Pre-trade checks on the market and the account's day: fat finger, hours, daily loss.

- ``check_fat_finger``: a limit (or stop) price further from the last price than the band
  (a fraction of the last price) is a typo until proven otherwise. Market orders are valued
  at the last price, so they always pass.
- ``check_trading_hours``: orders are accepted from the start of the pre-open auction to
  the close, the close itself included (an order sent at the closing bar's timestamp waits
  for the next open, as a venue queues it), never on a day the venue has no session
  (rule ``market_closed``) nor at other times of a session day (rule ``market_hours``).
  A 24/7 venue's calendar is always in continuous trading.
- ``check_daily_loss``: no new risk once the loss since the day's opening equity reaches
  the limit; the day's figures come from the drawdown monitor (``DayLoss``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import msgspec

from jts.contexts.risk.domain.limits import Denial
from jts.shared_kernel.clock import NANOS_PER_SECOND
from jts.shared_kernel.numbers import ZERO
from jts.shared_kernel.venues.calendar import SessionPhase, TradingCalendar

_ACCEPTING = frozenset(
    {SessionPhase.PRE_OPEN_AUCTION, SessionPhase.CONTINUOUS, SessionPhase.CLOSING_AUCTION}
)
_BASIS_POINT = Decimal("0.0001")
_WHOLE = Decimal(1)


class DayLoss(msgspec.Struct, frozen=True, kw_only=True):
    """The account's equity at the day's first observation and now, base currency."""

    day_open: Decimal
    equity: Decimal

    @property
    def loss(self) -> Decimal:
        """The fraction of the opening equity lost today (negative on a winning day)."""
        return (self.day_open - self.equity) / self.day_open if self.day_open > ZERO else ZERO


def check_fat_finger(price: Decimal | None, last: Decimal | None, band: Decimal) -> Denial | None:
    """Whether an order priced at ``price`` (``None``: a market order) is within ``band``."""
    if price is None or last is None or last <= ZERO:
        return None
    distance = abs(price - last) / last
    if distance <= band:
        return None
    return Denial(
        rule="fat_finger",
        reason=(
            f"price {price} is {distance:.2%} away from the last price {last}; orders must be "
            f"priced within {band:.2%} of it"
        ),
        limit=band,
        value=distance.quantize(_BASIS_POINT),
    )


def check_trading_hours(calendar: TradingCalendar, ts_ns: int, what: str) -> Denial | None:
    """Whether the venue of ``calendar`` accepts orders for ``what`` at ``ts_ns``."""
    day = calendar.session_date(ts_ns)
    if not calendar.is_session(day):
        upcoming = calendar.next_session(day)
        return Denial(
            rule="market_closed",
            reason=(
                f"{calendar.calendar_id} has no session on {day:%A %Y-%m-%d} (weekend or "
                f"holiday); {what} can be ordered again on {upcoming:%A %Y-%m-%d}"
            ),
        )
    if calendar.phase_at(ts_ns) in _ACCEPTING:
        return None
    open_ns, close_ns = calendar.session_bounds(day)
    if ts_ns == close_ns:
        return None
    start_ns = _first_accepting(calendar, open_ns)
    zone = ZoneInfo(calendar.time_zone)
    return Denial(
        rule="market_hours",
        reason=(
            f"{calendar.calendar_id} accepts orders for {what} from {_hhmm(start_ns, zone)} to "
            f"{_hhmm(close_ns, zone)} ({calendar.time_zone}) on {day:%Y-%m-%d}; it is "
            f"{_hhmm(ts_ns, zone)}"
        ),
    )


def check_daily_loss(day: DayLoss | None, limit: Decimal, currency: str) -> Denial | None:
    """Whether today's loss leaves room for new risk."""
    if day is None or day.loss < limit:
        return None
    lost = (day.day_open - day.equity).quantize(_WHOLE)
    return Denial(
        rule="daily_loss",
        reason=(
            f"today's loss is {lost} {currency}, {day.loss:.2%} of the day's opening equity "
            f"{day.day_open.quantize(_WHOLE)} {currency}; the limit is {limit:.2%}: only "
            "orders that reduce positions until the next day"
        ),
        limit=limit,
        value=day.loss.quantize(_BASIS_POINT),
    )


def _first_accepting(calendar: TradingCalendar, open_ns: int) -> int:
    """The start of the pre-open auction before ``open_ns`` (the open when it has none)."""
    second = NANOS_PER_SECOND
    start = open_ns
    while calendar.phase_at(start - second) is SessionPhase.PRE_OPEN_AUCTION:
        start -= 60 * second
    return start


def _hhmm(ts_ns: int, zone: ZoneInfo) -> str:
    return datetime.fromtimestamp(ts_ns // NANOS_PER_SECOND, UTC).astimezone(zone).strftime("%H:%M")
