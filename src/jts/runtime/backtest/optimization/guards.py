"""Overfitting guards over a search's trials: the deflated Sharpe ratio and PBO by CSCV.

Both read the trials' measured per-period returns (daily under the usual conventions), so
every trial of one search must cover the same periods. The DSR deflates the chosen trial's
per-period Sharpe ratio by the number of trials and the spread of their Sharpe ratios; PBO
cuts the ``T x N`` returns matrix into ``n_blocks`` blocks (16, or fewer when there are too
few periods: at least two per block) and asks how often the in-sample winner falls below the
out-of-sample median. Either is ``None`` when it cannot be computed (one trial, too few
periods, no finite Sharpe ratio), with the reason returned alongside.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from jts.contexts.portfolio.domain.analytics import (
    BacktestOverfitting,
    DeflatedSharpe,
    deflated_sharpe_ratio_of_returns,
    probability_of_backtest_overfitting,
    sharpe,
)
from jts.runtime.backtest.optimization.scoring import TrialResult

MAX_BLOCKS = 16
MIN_ROWS_PER_BLOCK = 2


def deflated_sharpe(
    trials: Sequence[TrialResult], chosen: TrialResult
) -> tuple[DeflatedSharpe | None, str | None]:
    """DSR of ``chosen`` among ``trials`` (per-period Sharpe ratios), or why there is none."""
    returns = chosen.returns[~np.isnan(chosen.returns)]
    if len(returns) < 3:
        return None, "deflated Sharpe needs at least 3 return periods"
    sharpes = np.array([_per_period_sharpe(t) for t in trials])
    sharpes = sharpes[np.isfinite(sharpes)]
    if len(sharpes) == 0 or not np.isfinite(_per_period_sharpe(chosen)):
        return None, "deflated Sharpe needs trials whose Sharpe ratio is defined"
    return deflated_sharpe_ratio_of_returns(returns, sharpes), None


def backtest_overfitting(
    trials: Sequence[TrialResult],
) -> tuple[BacktestOverfitting | None, str | None]:
    """PBO by CSCV over the trials' returns, or why it cannot be computed."""
    if len(trials) < 2:
        return None, "PBO needs at least 2 trials"
    lengths = {len(t.returns) for t in trials}
    if len(lengths) != 1:
        return None, "PBO needs every trial measured over the same periods"
    rows = lengths.pop()
    blocks = min(MAX_BLOCKS, (rows // MIN_ROWS_PER_BLOCK) // 2 * 2)
    if blocks < 4:
        return None, f"PBO needs at least {4 * MIN_ROWS_PER_BLOCK} return periods, not {rows}"
    matrix = np.nan_to_num(np.column_stack([t.returns for t in trials]), nan=0.0)
    return probability_of_backtest_overfitting(matrix, n_blocks=blocks), None


def _per_period_sharpe(trial: TrialResult) -> float:
    values = trial.returns[~np.isnan(trial.returns)]
    return sharpe(values, 1.0) if len(values) > 1 else float("nan")
