"""What a VaR figure is, how its inputs are checked, and the tail of a loss sample.

Conventions shared by every method in this package:

- ``returns`` is a T x N float64 matrix of one-day *simple* returns (``close_t / close_{t-1}
  - 1``), one row per day, one column per instrument. Simple returns, not log returns, because
  a portfolio's one-day P&L is then exactly linear in its positions: ``pnl = returns @ w``.
- ``positions`` is a length-N vector of signed position values in the base currency (KRW),
  short positions negative. A scenario's loss is ``-pnl``.
- VaR at confidence ``c`` is the ``c``-quantile of the loss; CVaR (expected shortfall) is the
  mean loss at or beyond VaR. Both are positive when they are losses; a negative VaR means
  even the ``c``-quantile scenario is a gain.
- Horizons longer than one day use the square-root-of-time rule on the one-day figures:
  ``VaR_h = sqrt(h) * VaR_1`` (likewise CVaR), exact for i.i.d. zero-mean normal returns and
  the regulatory convention otherwise. Every method scales the same way, so their figures
  stay comparable.
"""

from __future__ import annotations

import math
from enum import Enum

import msgspec
import numpy as np
import numpy.typing as npt

from jts.shared_kernel.errors import DataError

FloatArray = npt.NDArray[np.float64]


class VarMethod(Enum):
    """How the loss distribution is obtained."""

    HISTORICAL = "historical"  # the observed days replayed on today's positions
    PARAMETRIC = "parametric"  # variance-covariance: a normal with the sample moments
    MONTE_CARLO = "monte_carlo"  # simulated days from the sample moments


class VarEstimate(msgspec.Struct, frozen=True, kw_only=True):
    """VaR and CVaR of one book, in the base currency, over ``horizon_days``."""

    method: VarMethod
    confidence: float
    horizon_days: float
    var: float
    cvar: float


def check_confidence(confidence: float) -> float:
    """The confidence level as a float strictly between 0 and 1, or ``DataError``."""
    value = float(confidence)
    if not 0.0 < value < 1.0:
        raise DataError(f"VaR confidence is {confidence}; use a level in (0, 1) such as 0.99")
    return value


def horizon_scale(horizon_days: float) -> float:
    """The square-root-of-time factor for a horizon of ``horizon_days`` (> 0) days."""
    if not (math.isfinite(horizon_days) and horizon_days > 0.0):
        raise DataError(f"VaR horizon is {horizon_days} days; use a positive number such as 1")
    return math.sqrt(horizon_days)


def as_returns(returns: npt.ArrayLike, *, minimum_rows: int = 2) -> FloatArray:
    """``returns`` as a finite T x N float64 matrix with at least ``minimum_rows`` rows."""
    matrix = np.asarray(returns, dtype=np.float64)
    if matrix.ndim != 2:
        raise DataError(f"returns must be a T x N matrix, got {matrix.ndim} dimension(s)")
    rows, columns = matrix.shape
    if rows < minimum_rows or columns < 1:
        raise DataError(
            f"returns has shape {matrix.shape}; VaR needs at least {minimum_rows} days "
            "and one instrument"
        )
    if not np.isfinite(matrix).all():
        row, column = np.argwhere(~np.isfinite(matrix))[0]
        raise DataError(f"returns[{row}, {column}] is {matrix[row, column]}; clean the series")
    return matrix


def as_positions(positions: npt.ArrayLike, instruments: int) -> FloatArray:
    """``positions`` as a finite float64 vector with one value per instrument."""
    vector = np.asarray(positions, dtype=np.float64)
    if vector.shape != (instruments,):
        raise DataError(
            f"positions has shape {vector.shape}; expected ({instruments},), one value per "
            "instrument column of the returns"
        )
    if not np.isfinite(vector).all():
        index = int(np.argmax(~np.isfinite(vector)))
        raise DataError(f"positions[{index}] is {vector[index]}; position values must be finite")
    return vector


def tail_of_losses(losses: FloatArray, confidence: float) -> tuple[float, float]:
    """(VaR, CVaR) of a loss sample.

    VaR is ``numpy.quantile(losses, confidence)`` with numpy's default linear interpolation
    between order statistics (Hyndman-Fan type 7); CVaR is the mean of the losses at or above
    that VaR, so CVaR >= VaR always.
    """
    var = float(np.quantile(losses, confidence))
    tail = losses[losses >= var]
    cvar = float(tail.mean()) if tail.size else var
    return var, max(cvar, var)
