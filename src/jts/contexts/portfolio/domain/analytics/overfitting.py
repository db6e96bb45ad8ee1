"""Overfitting guards for optimization: the deflated Sharpe ratio and PBO by CSCV.

**Deflated Sharpe ratio** (Bailey & Lopez de Prado, "The Deflated Sharpe Ratio", 2014). The
best of ``N`` trials looks good even when every trial is noise. Under that null the expected
maximum estimated Sharpe ratio of ``N`` independent trials whose estimates have variance
``V`` is ``SR0 = sqrt(V) * ((1 - g) * Z(1 - 1/N) + g * Z(1 - 1/(N e)))`` (``g`` the
Euler-Mascheroni constant, ``Z`` the inverse normal CDF). The DSR is the probabilistic
Sharpe ratio against that benchmark,
``PSR(SR0) = Phi((SR - SR0) * sqrt(T - 1) / sqrt(1 - skew * SR + (kurt - 1) / 4 * SR ** 2))``,
with ``T`` observations and the Pearson kurtosis (normal = 3). All Sharpe ratios here are per
period, not annualised: divide an annual figure by ``sqrt(periods_per_year)`` first (and a
variance by ``periods_per_year``). A single trial (``N = 1``) has ``SR0 = 0``.

**Probability of backtest overfitting** (Bailey, Borwein, Lopez de Prado & Zhu, "The
Probability of Backtest Overfitting", 2015), by combinatorially symmetric cross-validation.
The ``T x N`` matrix holds the per-period returns of ``N`` trials side by side. Its rows are
cut into ``S`` (even) blocks of ``T // S`` rows (the oldest ``T mod S`` rows are dropped).
For each of the ``C(S, S/2)`` ways to pick half the blocks as in-sample (the rest is
out-of-sample), the trial with the best in-sample metric is chosen and its out-of-sample
metric ranked among all trials: relative rank ``w = rank / (N + 1)`` (ties share their
average rank), logit ``log(w / (1 - w))``. PBO is the share of logits ``<= 0``: how often the
in-sample winner is no better than the out-of-sample median. Identical trials give PBO 1, a
trial that dominates in every block gives 0, pure noise about 0.5.

The metric is computed from additive per-block sums, so every combination costs a small
matrix product rather than a pass over the data: ``"sharpe"`` (mean over sample standard
deviation), ``"sortino"`` (mean over downside deviation) or ``"mean"``. A trial whose metric
is undefined on a split (no variance) ranks last there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

import msgspec
import numpy as np
import numpy.typing as npt

from jts.contexts.portfolio.domain.analytics.ratios import kurtosis, sharpe, skewness
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.normal import normal_cdf, normal_ppf

FloatArray = npt.NDArray[np.float64]
CscvMetric = Literal["sharpe", "sortino", "mean"]
EULER_GAMMA = 0.5772156649015329
_CSCV_METRICS = ("sharpe", "sortino", "mean")
_CHUNK_CELLS = 1 << 20


def expected_maximum_sharpe(n_trials: int, trial_sharpe_variance: float) -> float:
    """``SR0``: the expected best per-period Sharpe ratio of ``n_trials`` null trials."""
    if n_trials < 1:
        raise DataError(f"n_trials is {n_trials}; at least the selected trial must count")
    if not math.isfinite(trial_sharpe_variance) or trial_sharpe_variance < 0.0:
        raise DataError(
            f"trial_sharpe_variance is {trial_sharpe_variance}; give the (non-negative) "
            "variance of the trials' per-period Sharpe ratios"
        )
    if n_trials == 1:
        return 0.0
    quantiles = (1.0 - EULER_GAMMA) * normal_ppf(1.0 - 1.0 / n_trials) + EULER_GAMMA * (
        normal_ppf(1.0 - 1.0 / (n_trials * math.e))
    )
    return math.sqrt(trial_sharpe_variance) * quantiles


def probabilistic_sharpe_ratio(
    sharpe_ratio: float,
    benchmark_sharpe: float,
    *,
    n_observations: int,
    skewness: float,
    kurtosis: float,
) -> float:
    """P(true Sharpe > ``benchmark_sharpe``) given the estimate and the return moments."""
    if n_observations < 2:
        return math.nan
    variance = 1.0 - skewness * sharpe_ratio + (kurtosis - 1.0) / 4.0 * sharpe_ratio**2
    if not variance > 0.0:
        return math.nan
    z = (sharpe_ratio - benchmark_sharpe) * math.sqrt(n_observations - 1) / math.sqrt(variance)
    return normal_cdf(z)


class DeflatedSharpe(msgspec.Struct, frozen=True, kw_only=True):
    """The DSR (``probability``) and the inputs it rests on; Sharpe ratios per period."""

    probability: float
    sharpe: float
    expected_max_sharpe: float
    n_trials: int
    trial_sharpe_variance: float
    n_observations: int
    skewness: float
    kurtosis: float


def deflated_sharpe_ratio(
    sharpe_ratio: float,
    *,
    n_observations: int,
    skewness: float,
    kurtosis: float,
    n_trials: int,
    trial_sharpe_variance: float,
) -> DeflatedSharpe:
    """DSR of the selected trial's per-period Sharpe ratio after ``n_trials`` trials."""
    benchmark = expected_maximum_sharpe(n_trials, trial_sharpe_variance)
    probability = probabilistic_sharpe_ratio(
        sharpe_ratio,
        benchmark,
        n_observations=n_observations,
        skewness=skewness,
        kurtosis=kurtosis,
    )
    return DeflatedSharpe(
        probability=probability,
        sharpe=sharpe_ratio,
        expected_max_sharpe=benchmark,
        n_trials=n_trials,
        trial_sharpe_variance=trial_sharpe_variance,
        n_observations=n_observations,
        skewness=skewness,
        kurtosis=kurtosis,
    )


def deflated_sharpe_ratio_of_returns(
    returns: FloatArray, trial_sharpes: FloatArray
) -> DeflatedSharpe:
    """DSR of the selected trial's per-period ``returns`` among ``trial_sharpes``.

    ``trial_sharpes`` are the per-period Sharpe ratios of every trial tried, the selected
    one included, at the same frequency as ``returns``; their sample variance (``ddof=1``)
    is ``V``."""
    if len(trial_sharpes) < 1 or not np.all(np.isfinite(trial_sharpes)):
        raise DataError("trial_sharpes must hold at least one finite Sharpe ratio per trial")
    variance = float(np.var(trial_sharpes, ddof=1)) if len(trial_sharpes) > 1 else 0.0
    values = returns[~np.isnan(returns)]
    return deflated_sharpe_ratio(
        sharpe(values, 1.0),
        n_observations=len(values),
        skewness=skewness(values),
        kurtosis=kurtosis(values),
        n_trials=len(trial_sharpes),
        trial_sharpe_variance=variance,
    )


@dataclass(frozen=True, eq=False)
class BacktestOverfitting:
    """PBO by CSCV and, per combination, the in-sample winner's metric in and out of sample."""

    probability: float
    logits: FloatArray
    in_sample_best: FloatArray
    out_of_sample_of_best: FloatArray
    n_blocks: int
    metric: CscvMetric

    @property
    def n_combinations(self) -> int:
        return len(self.logits)

    @property
    def probability_of_loss(self) -> float:
        """Share of combinations where the in-sample winner's out-of-sample metric is < 0."""
        return float(np.mean(self.out_of_sample_of_best < 0.0))


def probability_of_backtest_overfitting(
    performance: FloatArray, *, n_blocks: int = 16, metric: CscvMetric = "sharpe"
) -> BacktestOverfitting:
    """PBO of selecting the best of the ``N`` columns of the ``T x N`` returns matrix."""
    if metric not in _CSCV_METRICS:
        raise DataError(f"unknown CSCV metric {metric!r}; choose one of {_CSCV_METRICS}")
    blocks = _blocks(performance, n_blocks)
    stats = _BlockStats.of(blocks)
    logits: list[FloatArray] = []
    chosen_in: list[FloatArray] = []
    chosen_out: list[FloatArray] = []
    all_combinations = _half_combinations(n_blocks)
    rows_per_chunk = max(1, _CHUNK_CELLS // blocks.shape[2])
    for start in range(0, len(all_combinations), rows_per_chunk):
        chosen = all_combinations[start : start + rows_per_chunk]
        in_sample, out_of_sample = stats.split_metrics(chosen, metric)
        best = np.argmax(in_sample, axis=1)
        rows = np.arange(len(best))
        logits.append(_logits(out_of_sample, out_of_sample[rows, best]))
        chosen_in.append(in_sample[rows, best])
        chosen_out.append(out_of_sample[rows, best])
    all_logits = np.concatenate(logits)
    return BacktestOverfitting(
        probability=float(np.mean(all_logits <= 0.0)),
        logits=all_logits,
        in_sample_best=np.concatenate(chosen_in),
        out_of_sample_of_best=np.concatenate(chosen_out),
        n_blocks=n_blocks,
        metric=metric,
    )


def _blocks(performance: FloatArray, n_blocks: int) -> FloatArray:
    if performance.ndim != 2 or performance.shape[1] < 2:
        raise DataError(
            f"the performance matrix has shape {performance.shape}; give T rows (periods) "
            "by N >= 2 columns (trials)"
        )
    if n_blocks < 2 or n_blocks % 2:
        raise DataError(f"n_blocks is {n_blocks}; CSCV needs an even number of blocks >= 2")
    rows, columns = performance.shape
    per_block = rows // n_blocks
    if per_block < 2:
        raise DataError(
            f"{rows} rows cannot make {n_blocks} blocks of at least 2 rows; "
            "use fewer blocks or a longer history"
        )
    if not np.all(np.isfinite(performance)):
        raise DataError("the performance matrix holds NaN or infinite returns; fill or drop")
    kept = performance[rows - per_block * n_blocks :]
    return kept.reshape(n_blocks, per_block, columns)


def _half_combinations(n_blocks: int) -> FloatArray:
    picks = np.array(list(combinations(range(n_blocks), n_blocks // 2)), dtype=np.int64)
    indicator = np.zeros((len(picks), n_blocks))
    np.put_along_axis(indicator, picks, 1.0, axis=1)
    return indicator


@dataclass(frozen=True, eq=False)
class _BlockStats:
    """Per-block sums (``S x N``) of centred returns, their squares and downside squares."""

    column_mean: FloatArray
    sums: FloatArray
    squares: FloatArray
    downside: FloatArray
    rows_per_half: int

    @classmethod
    def of(cls, blocks: FloatArray) -> _BlockStats:
        column_mean = blocks.mean(axis=(0, 1))
        centred = blocks - column_mean
        shortfall = np.minimum(blocks, 0.0)
        return cls(
            column_mean=column_mean,
            sums=centred.sum(axis=1),
            squares=(centred**2).sum(axis=1),
            downside=(shortfall**2).sum(axis=1),
            rows_per_half=blocks.shape[0] // 2 * blocks.shape[1],
        )

    def split_metrics(
        self, indicator: FloatArray, metric: CscvMetric
    ) -> tuple[FloatArray, FloatArray]:
        """The metric of every trial in and out of sample for each chosen half."""
        halves = []
        for pick in (indicator, 1.0 - indicator):
            halves.append(
                self._metric(pick @ self.sums, pick @ self.squares, pick @ self.downside, metric)
            )
        return halves[0], halves[1]

    def _metric(
        self, sums: FloatArray, squares: FloatArray, downside: FloatArray, metric: CscvMetric
    ) -> FloatArray:
        n = self.rows_per_half
        mean = self.column_mean + sums / n
        if metric == "mean":
            return mean
        with np.errstate(divide="ignore", invalid="ignore"):
            if metric == "sharpe":
                risk = np.sqrt(np.maximum(squares - sums**2 / n, 0.0) / (n - 1))
            else:
                risk = np.sqrt(downside / n)
            value = mean / risk
        return np.where(np.isnan(value), -np.inf, value)


def _logits(out_of_sample: FloatArray, chosen: FloatArray) -> FloatArray:
    below = (out_of_sample < chosen[:, None]).sum(axis=1)
    tied = (out_of_sample == chosen[:, None]).sum(axis=1)
    relative_rank: FloatArray = (below + (tied + 1) / 2.0) / (out_of_sample.shape[1] + 1)
    logits: FloatArray = np.log(relative_rank / (1.0 - relative_rank))
    return logits
