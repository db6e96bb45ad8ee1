"""Monte Carlo VaR: simulated days drawn from the sample moments, correlations included.

A refresh draws ``paths`` one-day return vectors once (``simulate_returns``); every VaR query
after that is one matrix-vector product over the same draws, so the VaR of a book with and
without a candidate order differ only by the order, not by sampling noise (common random
numbers).

Draws are ``mu + Z @ L.T`` with ``Z`` standard normal and ``L`` a square root of the
covariance: its Cholesky factor, or, when the covariance is not positive definite (fewer days
than instruments, duplicated or constant series, rounding), ``V * sqrt(max(lambda, 0))`` from
its eigen-decomposition with negative eigenvalues clipped to zero, the nearest positive
semi-definite matrix in Frobenius norm. With ``student_t_dof = nu`` (> 2) each draw's
deviation is scaled by ``sqrt((nu - 2) / chi2_nu)``: a multivariate Student t with the same
covariance and fatter tails.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from jts.contexts.risk.domain.var.estimate import FloatArray, VarEstimate, VarMethod, as_positions
from jts.contexts.risk.domain.var.historical import scenario_var
from jts.contexts.risk.domain.var.parametric import ReturnMoments
from jts.shared_kernel.errors import DataError


def covariance_root(covariance: FloatArray) -> FloatArray:
    """A matrix ``L`` with ``L @ L.T`` equal to the covariance, clipped to be PSD if needed."""
    symmetric = 0.5 * (covariance + covariance.T)
    try:
        return np.asarray(np.linalg.cholesky(symmetric), dtype=np.float64)
    except np.linalg.LinAlgError:
        eigenvalues, eigenvectors = np.linalg.eigh(symmetric)
        clipped = np.sqrt(np.clip(eigenvalues, 0.0, None))
        return np.asarray(eigenvectors * clipped, dtype=np.float64)


def simulate_returns(
    moments: ReturnMoments,
    rng: np.random.Generator,
    *,
    paths: int,
    student_t_dof: float | None = None,
) -> FloatArray:
    """``paths`` x N simulated one-day simple returns with the given mean and covariance."""
    if paths < 2:
        raise DataError(f"Monte Carlo VaR needs at least 2 paths, got {paths}; use e.g. 10000")
    root = covariance_root(moments.covariance)
    deviations: FloatArray = rng.standard_normal((paths, moments.instruments)) @ root.T
    if student_t_dof is not None:
        if not (math.isfinite(student_t_dof) and student_t_dof > 2.0):
            raise DataError(
                f"Student t degrees of freedom is {student_t_dof}; it must exceed 2 for the "
                "covariance to exist (4 to 6 is typical for daily returns)"
            )
        chi2 = rng.chisquare(student_t_dof, paths)
        deviations *= np.sqrt((student_t_dof - 2.0) / chi2)[:, None]
    deviations += moments.mean
    return deviations


def monte_carlo_var(
    positions: npt.ArrayLike,
    simulated: FloatArray,
    *,
    confidence: float,
    horizon_days: float = 1.0,
) -> VarEstimate:
    """VaR and CVaR of ``positions`` over simulated returns (same quantile rule as historical)."""
    weights = as_positions(positions, simulated.shape[1])
    return scenario_var(weights, simulated, VarMethod.MONTE_CARLO, confidence, horizon_days)
