"""Portfolio VaR and CVaR: historical, parametric and Monte Carlo, with correlations.

Conventions (one-day simple returns, signed base-currency positions, quantile and horizon
rules) are in ``estimate``. Typical use on each new bar::

    window.record_close(instrument, day, close)           # ReturnsWindow
    model = window.fit(rng=np.random.default_rng(seed))   # VarModel, once per refresh
    model.estimate(w, method=VarMethod.HISTORICAL, confidence=0.99)
    check_var_budget(model, w, order_delta, VarBudget(limit=Decimal("5_000_000")))
    var_figures(model, w)   # {"var_hist_99": ..., "cvar_mc_95": ...}: every method at once
"""

from jts.contexts.risk.domain.var.budget import (
    VarBudget,
    VarBudgetDecision,
    check_var_budget,
)
from jts.contexts.risk.domain.var.estimate import VarEstimate, VarMethod, tail_of_losses
from jts.contexts.risk.domain.var.figures import CONFIDENCES, figure_key, var_figures
from jts.contexts.risk.domain.var.historical import historical_var
from jts.contexts.risk.domain.var.model import IncrementalVar, MissingRiskData, VarModel
from jts.contexts.risk.domain.var.montecarlo import (
    covariance_root,
    monte_carlo_var,
    simulate_returns,
)
from jts.contexts.risk.domain.var.parametric import ReturnMoments, parametric_var, sample_moments
from jts.contexts.risk.domain.var.rolling import ReturnsWindow
from jts.shared_kernel.normal import normal_pdf, normal_ppf

__all__ = [
    "CONFIDENCES",
    "IncrementalVar",
    "MissingRiskData",
    "ReturnMoments",
    "ReturnsWindow",
    "VarBudget",
    "VarBudgetDecision",
    "VarEstimate",
    "VarMethod",
    "VarModel",
    "check_var_budget",
    "covariance_root",
    "figure_key",
    "historical_var",
    "monte_carlo_var",
    "normal_pdf",
    "normal_ppf",
    "parametric_var",
    "sample_moments",
    "simulate_returns",
    "tail_of_losses",
    "var_figures",
]
