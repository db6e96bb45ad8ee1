"""Every VaR figure of one book at once: three methods, several confidences, VaR and CVaR.

Keys are ``<var|cvar>_<hist|param|mc>_<confidence in percent>``, e.g. ``var_hist_99`` or
``cvar_mc_95``: one-day figures in the base currency, positive for a loss. Each method's
scenario losses are computed once per book and every confidence reads its quantile from
them; Monte Carlo figures are left out when the model was fitted without paths.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy.typing as npt

from jts.contexts.risk.domain.var.estimate import (
    FloatArray,
    VarMethod,
    as_positions,
    check_confidence,
    tail_of_losses,
)
from jts.contexts.risk.domain.var.model import VarModel
from jts.contexts.risk.domain.var.parametric import parametric_var

CONFIDENCES = (0.95, 0.99)
METHOD_KEYS = {
    VarMethod.HISTORICAL: "hist",
    VarMethod.PARAMETRIC: "param",
    VarMethod.MONTE_CARLO: "mc",
}


def figure_key(kind: str, method: VarMethod, confidence: float) -> str:
    """``var_hist_99`` for ``("var", HISTORICAL, 0.99)``."""
    return f"{kind}_{METHOD_KEYS[method]}_{confidence * 100:g}"


def var_figures(
    model: VarModel, positions: npt.ArrayLike, confidences: Sequence[float] = CONFIDENCES
) -> dict[str, float]:
    """VaR and CVaR of ``positions`` by every method the model supports, per confidence."""
    weights = as_positions(positions, len(model.instruments))
    losses: dict[VarMethod, FloatArray] = {VarMethod.HISTORICAL: -(model.returns @ weights)}
    if model.simulated is not None:
        losses[VarMethod.MONTE_CARLO] = -(model.simulated @ weights)
    figures: dict[str, float] = {}
    for confidence in confidences:
        level = check_confidence(confidence)
        for method, sample in losses.items():
            var, cvar = tail_of_losses(sample, level)
            figures[figure_key("var", method, level)] = var
            figures[figure_key("cvar", method, level)] = cvar
        normal = parametric_var(weights, model.moments, confidence=level)
        figures[figure_key("var", VarMethod.PARAMETRIC, level)] = normal.var
        figures[figure_key("cvar", VarMethod.PARAMETRIC, level)] = normal.cvar
    return figures
