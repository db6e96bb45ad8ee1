"""The VaR budget rule: deny an order that would take the book's VaR over its budget.

An order is denied when the book's VaR with the order exceeds the budget *and* the order
raises VaR. An order that lowers VaR (a hedge, an exit) passes even while the book is over
budget: a risk limit must never trap a position. The decision carries the numbers (rounded
to whole base-currency units) and a sentence with them, for the gate's denial.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal

import msgspec
import numpy.typing as npt

from jts.contexts.risk.domain.var.estimate import VarMethod, check_confidence, horizon_scale
from jts.contexts.risk.domain.var.model import VarModel
from jts.shared_kernel.errors import DataError

RULE = "var_budget"
_WHOLE = Decimal(1)


class VarBudget(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """At most ``limit`` (base currency) of ``confidence`` VaR over ``horizon_days``."""

    limit: Decimal
    confidence: float = 0.99
    horizon_days: float = 1.0
    method: VarMethod = VarMethod.HISTORICAL

    def __post_init__(self) -> None:
        if not self.limit.is_finite() or self.limit <= 0:
            raise DataError(f"VaR budget limit is {self.limit}; it must be a positive amount")
        check_confidence(self.confidence)
        horizon_scale(self.horizon_days)


class VarBudgetDecision(msgspec.Struct, frozen=True, kw_only=True):
    """Whether the order fits the VaR budget, with the figures compared."""

    allowed: bool
    rule: str
    reason: str
    limit: Decimal
    var_before: Decimal
    var_after: Decimal

    @property
    def change(self) -> Decimal:
        return self.var_after - self.var_before


def check_var_budget(
    model: VarModel,
    positions: npt.ArrayLike,
    order_delta: npt.ArrayLike,
    budget: VarBudget,
) -> VarBudgetDecision:
    """Apply the VaR budget to adding ``order_delta`` to ``positions`` (values per column)."""
    result = model.incremental(
        positions,
        order_delta,
        method=budget.method,
        confidence=budget.confidence,
        horizon_days=budget.horizon_days,
    )
    before, after = _whole(result.before.var), _whole(result.after.var)
    allowed = after <= budget.limit or result.after.var <= result.before.var
    label = f"{_days(budget.horizon_days)} {budget.confidence:.0%} {budget.method.value} VaR"
    if allowed:
        reason = f"{label} {after} within budget {budget.limit} (was {before})"
    else:
        reason = (
            f"order would take {label} from {before} to {after}, over the budget of "
            f"{budget.limit} by {after - budget.limit}"
        )
    return VarBudgetDecision(
        allowed=allowed,
        rule=RULE,
        reason=reason,
        limit=budget.limit,
        var_before=before,
        var_after=after,
    )


def _whole(value: float) -> Decimal:
    if not math.isfinite(value):
        raise DataError(f"VaR came out as {value}; check the returns window and positions")
    return Decimal(repr(value + 0.0)).quantize(_WHOLE, rounding=ROUND_HALF_EVEN)  # no -0


def _days(horizon_days: float) -> str:
    return f"{horizon_days:g}-day"
