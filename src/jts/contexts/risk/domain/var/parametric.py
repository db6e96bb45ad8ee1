"""Parametric (variance-covariance) VaR: the book's P&L as a normal with the sample moments.

With sample mean vector ``mu`` and covariance ``S`` (``ddof=1``) of the daily returns, the
book's one-day P&L is normal with mean ``m = w @ mu`` and deviation ``s = sqrt(w @ S @ w)``,
so correlations enter through ``S``. At confidence ``c`` with ``z = Phi^-1(c)``:

    VaR  = -m + z * s
    CVaR = -m + s * phi(z) / (1 - c)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from jts.contexts.risk.domain.var.estimate import (
    FloatArray,
    VarEstimate,
    VarMethod,
    as_positions,
    as_returns,
    check_confidence,
    horizon_scale,
)
from jts.shared_kernel.normal import normal_pdf, normal_ppf


@dataclass(frozen=True, slots=True, eq=False)
class ReturnMoments:
    """Sample mean (length N) and covariance (N x N, ``ddof=1``) of daily simple returns."""

    mean: FloatArray
    covariance: FloatArray

    @property
    def instruments(self) -> int:
        return int(self.mean.shape[0])

    def correlation(self) -> FloatArray:
        """The correlation matrix; instruments without variance get zero correlations."""
        deviation = np.sqrt(np.diag(self.covariance))
        safe = np.where(deviation > 0.0, deviation, np.inf)
        result: FloatArray = self.covariance / np.outer(safe, safe)
        np.fill_diagonal(result, 1.0)
        return result


def sample_moments(returns: npt.ArrayLike) -> ReturnMoments:
    """The sample mean and covariance of a T x N returns matrix (T >= 2)."""
    matrix = as_returns(returns, minimum_rows=2)
    mean = matrix.mean(axis=0)
    centred = matrix - mean
    covariance = (centred.T @ centred) / (matrix.shape[0] - 1)
    return ReturnMoments(mean=mean, covariance=covariance)


def portfolio_mean_and_deviation(
    weights: FloatArray, moments: ReturnMoments
) -> tuple[float, float]:
    """Mean and standard deviation of the book's one-day P&L in the base currency."""
    mean = float(weights @ moments.mean)
    variance = float(weights @ moments.covariance @ weights)
    return mean, math.sqrt(max(variance, 0.0))


def parametric_var(
    positions: npt.ArrayLike,
    moments: ReturnMoments,
    *,
    confidence: float,
    horizon_days: float = 1.0,
) -> VarEstimate:
    """Variance-covariance VaR and CVaR of ``positions`` (see the module docstring)."""
    level = check_confidence(confidence)
    scale = horizon_scale(horizon_days)
    weights = as_positions(positions, moments.instruments)
    mean, deviation = portfolio_mean_and_deviation(weights, moments)
    z = normal_ppf(level)
    var = -mean + z * deviation
    cvar = -mean + deviation * normal_pdf(z) / (1.0 - level)
    return VarEstimate(
        method=VarMethod.PARAMETRIC,
        confidence=level,
        horizon_days=horizon_days,
        var=var * scale,
        cvar=cvar * scale,
    )
