"""Historical-simulation VaR: today's positions replayed over the observed days."""

from __future__ import annotations

import numpy.typing as npt

from jts.contexts.risk.domain.var.estimate import (
    FloatArray,
    VarEstimate,
    VarMethod,
    as_positions,
    as_returns,
    check_confidence,
    horizon_scale,
    tail_of_losses,
)


def historical_var(
    positions: npt.ArrayLike,
    returns: npt.ArrayLike,
    *,
    confidence: float,
    horizon_days: float = 1.0,
) -> VarEstimate:
    """VaR and CVaR of ``positions`` over the empirical distribution of ``returns``' rows.

    Each row is one scenario; its loss is ``-(row @ positions)``. See ``estimate`` for the
    quantile convention and the horizon scaling.
    """
    matrix = as_returns(returns, minimum_rows=1)
    weights = as_positions(positions, matrix.shape[1])
    return scenario_var(weights, matrix, VarMethod.HISTORICAL, confidence, horizon_days)


def scenario_var(
    weights: FloatArray,
    scenarios: FloatArray,
    method: VarMethod,
    confidence: float,
    horizon_days: float,
) -> VarEstimate:
    """VaR and CVaR over a checked scenario matrix (historical days or simulated paths)."""
    level = check_confidence(confidence)
    scale = horizon_scale(horizon_days)
    losses: FloatArray = -(scenarios @ weights)
    var, cvar = tail_of_losses(losses, level)
    return VarEstimate(
        method=method,
        confidence=level,
        horizon_days=horizon_days,
        var=var * scale,
        cvar=cvar * scale,
    )
