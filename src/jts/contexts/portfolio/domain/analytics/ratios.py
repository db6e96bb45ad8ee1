"""Return-based metrics over a 1-D ``float64`` array of period returns.

NaN marks a missing observation: statistics skip it and compounding treats it as a flat
period (quantstats' convention). Each function returns a Python ``float``; NaN when the
figure is undefined (too few observations), ``±inf`` when a ratio's risk is exactly zero
and its reward is not (a strategy that only ever gained has an infinite Sortino ratio).

Definitions (``n`` observed returns, ``P`` periods per year, ``rf`` per-period risk-free):

* total return ``prod(1 + r) - 1``;
* CAGR ``(1 + total) ** (P / n) - 1``: years are counted in periods (``n / P``), as
  quantstats and empyrical both do, not in calendar time;
* volatility ``std(r, ddof=1) * sqrt(P)``;
* Sharpe ``mean(r - rf) / std(r - rf, ddof=1) * sqrt(P)``;
* Sortino ``mean(r - rf) / sqrt(sum(min(r - rf, 0) ** 2) / n) * sqrt(P)`` (the downside
  deviation of Sortino & Price, over all ``n`` periods, not only the losing ones);
* skewness and kurtosis are the population (biased) moments, kurtosis Pearson (normal = 3),
  as Bailey & Lopez de Prado use them in the probabilistic and deflated Sharpe ratios.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def observed(returns: FloatArray) -> FloatArray:
    """The returns without missing (NaN) observations; no copy when none are missing."""
    missing = np.isnan(returns)
    return returns[~missing] if missing.any() else returns


def total_return(returns: FloatArray) -> float:
    """Compounded return over all periods; 0 for no periods."""
    growth = np.prod(1.0 + observed(returns))
    return float(growth - 1.0)


def cagr(returns: FloatArray, periods_per_year: float) -> float:
    """Compound annual growth rate, with years counted as ``n / periods_per_year``."""
    values = observed(returns)
    if len(values) == 0:
        return math.nan
    wealth = float(np.prod(1.0 + values))
    if wealth < 0.0:  # only reachable with returns below -100%: no real growth rate
        return math.nan
    if wealth == 0.0:
        return -1.0
    return float(wealth ** (periods_per_year / len(values)) - 1.0)


def volatility(returns: FloatArray, periods_per_year: float) -> float:
    """Annualised sample standard deviation; NaN below two observations."""
    values = observed(returns)
    if len(values) < 2:
        return math.nan
    return _sample_std(values) * math.sqrt(periods_per_year)


def sharpe(
    returns: FloatArray, periods_per_year: float, risk_free_per_period: float = 0.0
) -> float:
    """Annualised Sharpe ratio of the excess returns (``periods_per_year=1``: per period)."""
    excess = observed(returns) - risk_free_per_period
    if len(excess) < 2:
        return math.nan
    return risk_adjusted(float(np.mean(excess)), _sample_std(excess)) * math.sqrt(periods_per_year)


def downside_deviation(returns: FloatArray, risk_free_per_period: float = 0.0) -> float:
    """``sqrt(mean(min(r - rf, 0) ** 2))`` over every observed period (not annualised)."""
    excess = observed(returns) - risk_free_per_period
    if len(excess) == 0:
        return math.nan
    shortfall = np.minimum(excess, 0.0)
    return math.sqrt(float(np.dot(shortfall, shortfall)) / len(excess))


def sortino(
    returns: FloatArray, periods_per_year: float, risk_free_per_period: float = 0.0
) -> float:
    """Annualised Sortino ratio: mean excess return over the downside deviation."""
    excess = observed(returns) - risk_free_per_period
    if len(excess) < 2:
        return math.nan
    downside = downside_deviation(excess)
    return risk_adjusted(float(np.mean(excess)), downside) * math.sqrt(periods_per_year)


def skewness(returns: FloatArray) -> float:
    """Population skewness ``m3 / m2 ** 1.5``; NaN for fewer than two or constant returns."""
    centred = _centred(returns)
    if centred is None:
        return math.nan
    squared = centred * centred
    m2 = float(np.mean(squared))
    return float(np.mean(squared * centred)) / m2**1.5 if m2 > 0.0 else math.nan


def kurtosis(returns: FloatArray) -> float:
    """Population Pearson kurtosis ``m4 / m2 ** 2`` (normal = 3); NaN when undefined."""
    centred = _centred(returns)
    if centred is None:
        return math.nan
    squared = centred * centred
    m2 = float(np.mean(squared))
    return float(np.mean(squared * squared)) / m2**2 if m2 > 0.0 else math.nan


def _centred(returns: FloatArray) -> FloatArray | None:
    values = observed(returns)
    if len(values) < 2:
        return None
    return values - np.mean(values)


def _sample_std(values: FloatArray) -> float:
    if values.max() == values.min():  # exactly constant: no rounding residue
        return 0.0
    return float(np.std(values, ddof=1))


def risk_adjusted(reward: float, risk: float) -> float:
    """``reward / risk``; ``±inf`` for zero risk with a reward, NaN with neither."""
    if risk > 0.0:
        return reward / risk
    if reward == 0.0 or math.isnan(risk):
        return math.nan
    return math.copysign(math.inf, reward)
