"""Alpha and beta of a strategy against a benchmark (an index or buy-and-hold curve).

The benchmark curve is turned into returns exactly like the strategy's (daily per local day,
or per sampled point) and the two are paired on the periods both have: the same local day,
or the same closing timestamp. Pairs with a missing (NaN) value on either side are dropped.

* beta = ``cov(r, b) / var(b)`` of the excess returns (the ``ddof`` cancels);
* alpha = ``(mean(r - rf) - beta * mean(b - rf)) * P``: Jensen's alpha per period, annualised
  by simple multiplication, as quantstats' ``greeks`` does (with ``rf = 0`` the two agree).
  empyrical compounds the same per-period alpha instead: ``(1 + alpha / P) ** P - 1``.
"""

from __future__ import annotations

import math

import msgspec
import numpy as np
import numpy.typing as npt

from jts.contexts.portfolio.domain.analytics.returns import ReturnSeries

FloatArray = npt.NDArray[np.float64]


class AlphaBeta(msgspec.Struct, frozen=True, kw_only=True):
    """Annualised alpha, beta, correlation and the number of paired periods they rest on."""

    alpha: float
    beta: float
    correlation: float
    observations: int


def paired_returns(
    strategy: ReturnSeries, benchmark: ReturnSeries, *, by_day: bool
) -> tuple[FloatArray, FloatArray]:
    """The two return columns on the periods both series observed."""
    keys_s = strategy.day_numbers if by_day else strategy.end_ts_ns
    keys_b = benchmark.day_numbers if by_day else benchmark.end_ts_ns
    if np.array_equal(keys_s, keys_b):  # the same clock: nothing to match
        r, b = strategy.returns, benchmark.returns
    else:
        _, at_s, at_b = np.intersect1d(keys_s, keys_b, assume_unique=True, return_indices=True)
        r, b = strategy.returns[at_s], benchmark.returns[at_b]
    both = ~(np.isnan(r) | np.isnan(b))
    return r[both], b[both]


def alpha_beta(
    returns: FloatArray,
    benchmark_returns: FloatArray,
    periods_per_year: float,
    risk_free_per_period: float = 0.0,
) -> AlphaBeta:
    """Alpha and beta of already paired return columns; NaN below two pairs or flat b."""
    if len(returns) != len(benchmark_returns):
        raise ValueError(
            f"paired columns differ in length ({len(returns)} vs {len(benchmark_returns)}); "
            "pair them with paired_returns first"
        )
    n = len(returns)
    if n < 2:
        return AlphaBeta(alpha=math.nan, beta=math.nan, correlation=math.nan, observations=n)
    r = returns - risk_free_per_period
    b = benchmark_returns - risk_free_per_period
    r_centred, b_centred = r - r.mean(), b - b.mean()
    var_b = float(np.dot(b_centred, b_centred))
    var_r = float(np.dot(r_centred, r_centred))
    covariance = float(np.dot(r_centred, b_centred))
    if var_b == 0.0:
        return AlphaBeta(alpha=math.nan, beta=math.nan, correlation=math.nan, observations=n)
    beta = covariance / var_b
    alpha = (float(r.mean()) - beta * float(b.mean())) * periods_per_year
    correlation = covariance / math.sqrt(var_b * var_r) if var_r > 0.0 else math.nan
    return AlphaBeta(alpha=alpha, beta=beta, correlation=correlation, observations=n)
