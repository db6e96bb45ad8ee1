"""Fractional Kelly sizing from a strategy's own realized closed-trade outcomes.

Each closed trade contributes its return ``r`` = realized P&L / entry notional. From ``n``
trades with ``W`` wins (``r > 0``) and ``L`` losses (``r < 0``; breakeven trades count in
``n`` only):

- **discrete (primary)**: ``p = W / n``, payoff ratio ``b = mean win / mean |loss|``,
  ``K = p - (1 - p) / b``. With no losing trade ``K = p``; with no winning trade the formula
  tends to minus infinity and ``K`` is reported as ``-1``.
- **continuous**: ``K = mean(r) / var(r)`` (sample variance), the growth-optimal leverage
  for normally distributed trade returns. With zero variance ``K`` is the sign of the mean.

The position's share of equity is then ``min(fraction * K, cap)``, following the trading
convention that ``K`` is the share of equity committed to a position (more conservative than
reading it as the share risked). The rules around it:

- fewer than ``min_trades`` trades: the policy's ``fallback_weight`` (capped), or, when it has
  none, size 0: sizing is denied until the strategy has a track record;
- ``K <= 0`` (no edge): size 0, never a negative (reversed) position;
- otherwise ``fraction * K``, capped at ``cap``.

Every result says which of these applied and the statistics behind it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import Enum

import msgspec

from jts.shared_kernel.errors import DataError
from jts.shared_kernel.numbers import ONE, ZERO


class KellyMethod(Enum):
    """Which Kelly formula turns the trade statistics into a fraction."""

    DISCRETE = "discrete"  # p - (1 - p) / b
    CONTINUOUS = "continuous"  # mean / variance


class KellyOutcome(Enum):
    """Which sizing rule decided the weight."""

    SIZED = "sized"
    CAPPED = "capped"
    NO_EDGE = "no_edge"
    INSUFFICIENT_SAMPLE = "insufficient_sample"
    FALLBACK = "fallback"


class KellyPolicy(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """``fraction`` of full Kelly, at most ``cap`` of equity, after ``min_trades`` trades."""

    fraction: Decimal = Decimal("0.5")
    cap: Decimal = Decimal("0.2")
    min_trades: int = 30
    fallback_weight: Decimal | None = None
    method: KellyMethod = KellyMethod.DISCRETE

    def __post_init__(self) -> None:
        if not (self.fraction.is_finite() and ZERO < self.fraction <= ONE):
            raise DataError(f"Kelly fraction is {self.fraction}; use a value in (0, 1], e.g. 0.5")
        if not (self.cap.is_finite() and self.cap > ZERO):
            raise DataError(f"Kelly cap is {self.cap}; use a positive share of equity, e.g. 0.2")
        if self.min_trades < 1:
            raise DataError(f"Kelly min_trades is {self.min_trades}; use 1 or more, e.g. 30")
        fallback = self.fallback_weight
        if fallback is not None and not (fallback.is_finite() and fallback >= ZERO):
            raise DataError(f"Kelly fallback_weight is {fallback}; use a share >= 0 or None")


class KellySizing(msgspec.Struct, frozen=True, kw_only=True):
    """The share of equity to commit (``weight``), why, and the statistics behind it."""

    weight: Decimal
    outcome: KellyOutcome
    reason: str
    trades: int
    full_kelly: Decimal | None = None
    win_rate: Decimal | None = None
    payoff_ratio: Decimal | None = None


class RealizedKelly:
    """Running statistics of a strategy's closed trades; O(1) per trade.

    ``full_kelly()`` matches the risk gate's ``KellyEstimate`` protocol: ``None`` below the
    policy's minimum sample.
    """

    __slots__ = (
        "_loss_sum",
        "_losses",
        "_square_sum",
        "_sum",
        "_win_sum",
        "_wins",
        "policy",
        "trades",
    )

    def __init__(self, policy: KellyPolicy, trade_returns: Iterable[Decimal] = ()) -> None:
        self.policy = policy
        self.trades = 0
        self._wins = self._losses = 0
        self._win_sum = self._loss_sum = self._sum = self._square_sum = ZERO
        for trade_return in trade_returns:
            self.record(trade_return)

    def record(self, trade_return: Decimal) -> None:
        """Add one closed trade's return (realized P&L / entry notional)."""
        if not trade_return.is_finite():
            raise DataError(f"trade return is {trade_return}; closed trades need finite returns")
        self.trades += 1
        self._sum += trade_return
        self._square_sum += trade_return * trade_return
        if trade_return > ZERO:
            self._wins += 1
            self._win_sum += trade_return
        elif trade_return < ZERO:
            self._losses += 1
            self._loss_sum -= trade_return

    @property
    def win_rate(self) -> Decimal | None:
        return Decimal(self._wins) / self.trades if self.trades else None

    @property
    def payoff_ratio(self) -> Decimal | None:
        """Mean win over mean loss magnitude; ``None`` without both a win and a loss."""
        if not (self._wins and self._losses):
            return None
        return (self._win_sum / self._wins) / (self._loss_sum / self._losses)

    def full_kelly(self) -> Decimal | None:
        """The full Kelly fraction by the policy's method; ``None`` below ``min_trades``."""
        if self.trades < self.policy.min_trades:
            return None
        if self.policy.method is KellyMethod.CONTINUOUS:
            return self._continuous()
        return self._discrete()

    def sizing(self) -> KellySizing:
        """The share of equity a new position takes under the policy, with the reason."""
        policy, full = self.policy, self.full_kelly()
        if full is None:
            return self._small_sample()
        if full <= ZERO:
            reason = f"no edge: full Kelly {full:.4f} <= 0 over {self.trades} trades; size 0"
            return self._result(ZERO, KellyOutcome.NO_EDGE, reason, full)
        raw = policy.fraction * full
        if raw > policy.cap:
            reason = f"{policy.fraction} x Kelly {full:.4f} = {raw:.4f} capped at {policy.cap}"
            return self._result(policy.cap, KellyOutcome.CAPPED, reason, full)
        reason = f"{policy.fraction} x Kelly {full:.4f} = {raw:.4f} of equity"
        return self._result(raw, KellyOutcome.SIZED, reason, full)

    def _small_sample(self) -> KellySizing:
        needed = f"{self.trades} closed trades, Kelly needs {self.policy.min_trades}"
        fallback = self.policy.fallback_weight
        if fallback is None:
            reason = f"{needed}; sizing denied"
            return self._result(ZERO, KellyOutcome.INSUFFICIENT_SAMPLE, reason, None)
        weight = min(fallback, self.policy.cap)
        reason = f"{needed}; fallback weight {weight} of equity"
        return self._result(weight, KellyOutcome.FALLBACK, reason, None)

    def _result(
        self, weight: Decimal, outcome: KellyOutcome, reason: str, full: Decimal | None
    ) -> KellySizing:
        return KellySizing(
            weight=weight,
            outcome=outcome,
            reason=reason,
            trades=self.trades,
            full_kelly=full,
            win_rate=self.win_rate,
            payoff_ratio=self.payoff_ratio,
        )

    def _discrete(self) -> Decimal:
        p = Decimal(self._wins) / self.trades
        if not self._wins:
            return -ONE
        if not self._losses:
            return p
        payoff = (self._win_sum / self._wins) / (self._loss_sum / self._losses)
        return p - (ONE - p) / payoff

    def _continuous(self) -> Decimal:
        n = self.trades
        mean = self._sum / n
        variance = (self._square_sum - self._sum * mean) / (n - 1) if n > 1 else ZERO
        if variance <= ZERO:
            return Decimal(1 if mean > ZERO else -1 if mean < ZERO else 0)
        return mean / variance


def kelly_sizing(trade_returns: Iterable[Decimal], policy: KellyPolicy) -> KellySizing:
    """The sizing ``policy`` gives a strategy whose closed trades returned ``trade_returns``."""
    return RealizedKelly(policy, trade_returns).sizing()
