"""Drawdown control: peak, drawdown and daily loss of an equity stream, with a latching breach.

``DrawdownMonitor.update(ts_ns, equity)`` tracks the running peak, the drawdown from it
(``(peak - equity) / peak``), the worst drawdown so far and the loss since the day's opening
equity (the first equity seen on a day; days are whatever ``day_key(ts_ns)`` says, e.g.
``fixed_offset_day_key(KST_OFFSET_S)`` for KRX). Thresholds are fractions (0.2 = 20%).

States move NORMAL -> WARNING -> BREACHED. WARNING clears itself when the figures recover;
BREACHED latches until ``reset()``, whatever the equity does. ``update`` returns a decision
only on a transition:

- ``DrawdownWarning`` on entering WARNING (alert only);
- ``KillSwitchDecision`` on entering BREACHED: the application cancels open orders, moves
  strategies to reduce-only and raises an alert. ``trip`` produces the same decision on
  demand (the CLI's kill switch);
- ``DrawdownRecovered`` on WARNING -> NORMAL.

Every decision carries the rule, the value, the limit and a snapshot with the numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from enum import Enum

import msgspec

from jts.shared_kernel.errors import DataError
from jts.shared_kernel.numbers import ONE, ZERO

KST_OFFSET_S = 9 * 3600  # Asia/Seoul has no daylight saving time
_NS_PER_S = 1_000_000_000
_S_PER_DAY = 86_400


def fixed_offset_day_key(offset_s: int) -> Callable[[int], int]:
    """Day numbers (days since 1970-01-01 local) for a zone at a fixed UTC offset."""

    def day_key(ts_ns: int) -> int:
        return (ts_ns // _NS_PER_S + offset_s) // _S_PER_DAY

    return day_key


class DrawdownState(Enum):
    NORMAL = "normal"
    WARNING = "warning"
    BREACHED = "breached"


class DrawdownLimits(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Kill-switch thresholds and optional earlier warnings, as fractions in (0, 1)."""

    max_drawdown: Decimal
    warning_drawdown: Decimal | None = None
    max_daily_loss: Decimal | None = None
    warning_daily_loss: Decimal | None = None

    def __post_init__(self) -> None:
        for name in ("max_drawdown", "warning_drawdown", "max_daily_loss", "warning_daily_loss"):
            value = getattr(self, name)
            if value is not None and not (value.is_finite() and ZERO < value < ONE):
                raise DataError(f"drawdown limit {name} is {value}; use a fraction in (0, 1)")
        _check_order("drawdown", self.warning_drawdown, self.max_drawdown)
        _check_order("daily_loss", self.warning_daily_loss, self.max_daily_loss)


def _check_order(what: str, warning: Decimal | None, limit: Decimal | None) -> None:
    if warning is not None and (limit is None or warning >= limit):
        raise DataError(
            f"warning_{what} {warning} needs a larger max_{what} (got {limit}): "
            "the warning must come before the breach"
        )


class DrawdownSnapshot(msgspec.Struct, frozen=True, kw_only=True):
    """The figures after one equity update; fractions are of the peak / the day's open."""

    ts_ns: int
    equity: Decimal
    peak: Decimal
    drawdown: Decimal
    max_drawdown: Decimal
    day_open: Decimal
    daily_loss: Decimal
    state: DrawdownState


class DrawdownWarning(msgspec.Struct, frozen=True, kw_only=True):
    """A warning threshold was crossed: alert, keep trading."""

    rule: str
    value: Decimal
    limit: Decimal
    reason: str
    snapshot: DrawdownSnapshot


class KillSwitchDecision(msgspec.Struct, frozen=True, kw_only=True):
    """Stop: cancel open orders, move strategies to reduce-only, raise an alert."""

    rule: str
    value: Decimal
    limit: Decimal
    reason: str
    snapshot: DrawdownSnapshot


class DrawdownRecovered(msgspec.Struct, frozen=True, kw_only=True):
    """The figures fell back below every warning threshold."""

    reason: str
    snapshot: DrawdownSnapshot


DrawdownDecision = DrawdownWarning | KillSwitchDecision | DrawdownRecovered


class DrawdownMonitor:
    """Equity-stream drawdown and daily-loss tracker with a latching kill switch."""

    __slots__ = (
        "_day",
        "_day_open",
        "_last",
        "_max_drawdown",
        "_peak",
        "day_key",
        "limits",
        "state",
    )

    def __init__(self, limits: DrawdownLimits, *, day_key: Callable[[int], int]) -> None:
        self.limits = limits
        self.day_key = day_key
        self.state = DrawdownState.NORMAL
        self._last: DrawdownSnapshot | None = None
        self._peak = self._day_open = self._max_drawdown = ZERO
        self._day: int | None = None

    @property
    def snapshot(self) -> DrawdownSnapshot | None:
        """The figures after the latest update, ``None`` before the first."""
        return self._last

    def update(self, ts_ns: int, equity: Decimal) -> DrawdownDecision | None:
        """Take one equity observation; a decision when the state changes, else ``None``."""
        self._accept(ts_ns, equity)
        snapshot = self._measure(ts_ns, equity)
        if self.state is DrawdownState.BREACHED:
            return None
        breach = _crossing(snapshot, self.limits.max_drawdown, self.limits.max_daily_loss)
        if breach is not None:
            rule, value, limit = breach
            return self._breach(rule, value, limit, f"{rule} {value:.2%} reached limit {limit:.2%}")
        warning = _crossing(snapshot, self.limits.warning_drawdown, self.limits.warning_daily_loss)
        if warning is not None and self.state is DrawdownState.NORMAL:
            rule, value, limit = warning
            self.state = DrawdownState.WARNING
            reason = f"{rule} {value:.2%} reached warning level {limit:.2%}"
            return DrawdownWarning(
                rule=rule, value=value, limit=limit, reason=reason, snapshot=self._restate()
            )
        if warning is None and self.state is DrawdownState.WARNING:
            self.state = DrawdownState.NORMAL
            reason = f"drawdown {snapshot.drawdown:.2%}, daily loss {snapshot.daily_loss:.2%}"
            return DrawdownRecovered(reason=f"recovered: {reason}", snapshot=self._restate())
        return None

    def trip(self, reason: str) -> KillSwitchDecision:
        """Trip the kill switch by hand (the CLI command); latches like a breach."""
        if self._last is None:
            raise DataError("the kill switch needs one equity update before it can report numbers")
        return self._breach("manual", self._last.drawdown, self.limits.max_drawdown, reason)

    def reset(self, *, rebase: bool = True) -> None:
        """Leave BREACHED/WARNING for NORMAL, after a person has looked at the breach.

        With ``rebase`` the peak and the day's opening equity restart from the latest equity,
        so the same loss does not trip the switch again on the next update; the worst
        drawdown so far is kept either way.
        """
        self.state = DrawdownState.NORMAL
        if self._last is None:
            return
        if rebase:
            self._peak = self._day_open = self._last.equity
            self._last = self._measure(self._last.ts_ns, self._last.equity)
        else:
            self._last = self._restate()

    def _accept(self, ts_ns: int, equity: Decimal) -> None:
        if not equity.is_finite():
            raise DataError(f"equity at {ts_ns} is {equity}; expected a finite amount")
        if self._last is None:
            if equity <= ZERO:
                raise DataError(f"first equity is {equity}; drawdown needs a positive start")
        elif ts_ns < self._last.ts_ns:
            raise DataError(
                f"equity at {ts_ns} is older than the last update at {self._last.ts_ns}; "
                "feed equity in time order"
            )

    def _measure(self, ts_ns: int, equity: Decimal) -> DrawdownSnapshot:
        day = self.day_key(ts_ns)
        if day != self._day:
            self._day, self._day_open = day, equity
        self._peak = max(self._peak, equity)
        drawdown = (self._peak - equity) / self._peak
        self._max_drawdown = max(self._max_drawdown, drawdown)
        daily = (self._day_open - equity) / self._day_open if self._day_open > ZERO else ZERO
        self._last = DrawdownSnapshot(
            ts_ns=ts_ns,
            equity=equity,
            peak=self._peak,
            drawdown=drawdown,
            max_drawdown=self._max_drawdown,
            day_open=self._day_open,
            daily_loss=daily,
            state=self.state,
        )
        return self._last

    def _restate(self) -> DrawdownSnapshot:
        assert self._last is not None  # only called after _measure
        self._last = msgspec.structs.replace(self._last, state=self.state)
        return self._last

    def _breach(self, rule: str, value: Decimal, limit: Decimal, reason: str) -> KillSwitchDecision:
        self.state = DrawdownState.BREACHED
        return KillSwitchDecision(
            rule=rule, value=value, limit=limit, reason=reason, snapshot=self._restate()
        )


def _crossing(
    snapshot: DrawdownSnapshot, drawdown_limit: Decimal | None, daily_limit: Decimal | None
) -> tuple[str, Decimal, Decimal] | None:
    if drawdown_limit is not None and snapshot.drawdown >= drawdown_limit:
        return "drawdown", snapshot.drawdown, drawdown_limit
    if daily_limit is not None and snapshot.daily_loss >= daily_limit:
        return "daily_loss", snapshot.daily_loss, daily_limit
    return None
