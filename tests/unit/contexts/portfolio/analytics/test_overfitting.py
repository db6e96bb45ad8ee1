"""Deflated Sharpe ratio and PBO by CSCV: worked examples, judges and brute force."""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
import quantstats as qs
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm, rankdata

from jts.contexts.portfolio.domain.analytics import (
    deflated_sharpe_ratio,
    deflated_sharpe_ratio_of_returns,
    expected_maximum_sharpe,
    kurtosis,
    probabilistic_sharpe_ratio,
    probability_of_backtest_overfitting,
    sharpe,
    skewness,
)
from jts.contexts.portfolio.domain.analytics.overfitting import EULER_GAMMA
from jts.shared_kernel.errors import DataError
from tests.unit.contexts.portfolio.analytics.builders import seeded_returns


def test_deflated_sharpe_reproduces_bailey_and_lopez_de_prado_2014_example() -> None:
    # The paper's example: annual SR 2.5 over 5 years of daily data (T = 1250, 250 days a
    # year), skewness -3, kurtosis 10, after N = 100 trials with annualised variance 0.5.
    result = deflated_sharpe_ratio(
        2.5 / math.sqrt(250),
        n_observations=1250,
        skewness=-3.0,
        kurtosis=10.0,
        n_trials=100,
        trial_sharpe_variance=0.5 / 250,
    )

    assert result.probability == pytest.approx(0.9004, abs=5e-5)
    assert result.expected_max_sharpe * math.sqrt(250) == pytest.approx(1.7893, abs=5e-4)


def test_expected_maximum_sharpe_matches_the_formula_with_scipy_quantiles() -> None:
    for n_trials, variance in [(2, 0.01), (10, 0.3), (1_000, 2e-4), (10**6, 1.0)]:
        expected = math.sqrt(variance) * (
            (1 - EULER_GAMMA) * norm.ppf(1 - 1 / n_trials)
            + EULER_GAMMA * norm.ppf(1 - 1 / (n_trials * math.e))
        )

        assert expected_maximum_sharpe(n_trials, variance) == pytest.approx(expected, rel=1e-12)


def test_expected_maximum_sharpe_is_close_to_a_simulated_maximum_of_null_trials() -> None:
    rng = np.random.default_rng(5)
    n_trials, n_obs, repeats = 100, 250, 200
    returns = rng.normal(0.0, 0.01, (repeats, n_obs, n_trials))
    sharpes = returns.mean(axis=1) / returns.std(axis=1, ddof=1)
    simulated = sharpes.max(axis=1).mean()

    predicted = expected_maximum_sharpe(n_trials, float(sharpes.var(ddof=1)))

    assert predicted == pytest.approx(simulated, rel=0.05)


def test_a_single_trial_is_not_deflated() -> None:
    assert expected_maximum_sharpe(1, 0.5) == 0.0


def test_psr_matches_quantstats_given_its_moment_estimators() -> None:
    s = pd.Series(seeded_returns(3), index=pd.bdate_range("2019-01-02", periods=750))
    sr = qs.stats.sharpe(s, annualize=False)

    ours = probabilistic_sharpe_ratio(
        sr, 0.0, n_observations=len(s), skewness=s.skew(), kurtosis=s.kurtosis() + 3.0
    )

    assert ours == pytest.approx(qs.stats.probabilistic_ratio(s), rel=1e-9)


def test_psr_of_normal_returns_is_lo_s_closed_form() -> None:
    sr, n = 0.08, 500

    psr = probabilistic_sharpe_ratio(sr, 0.02, n_observations=n, skewness=0.0, kurtosis=3.0)

    assert psr == pytest.approx(norm.cdf((sr - 0.02) * math.sqrt(n - 1) / math.sqrt(1 + sr**2 / 2)))


def test_dsr_of_returns_uses_the_population_moments_and_trial_variance() -> None:
    returns = seeded_returns(8)
    trials = np.array([0.01, 0.03, 0.05, sharpe(returns, 1.0)])

    result = deflated_sharpe_ratio_of_returns(returns, trials)

    expected = deflated_sharpe_ratio(
        sharpe(returns, 1.0),
        n_observations=len(returns),
        skewness=skewness(returns),
        kurtosis=kurtosis(returns),
        n_trials=4,
        trial_sharpe_variance=float(np.var(trials, ddof=1)),
    )
    assert result == expected
    assert 0.0 < result.probability < 1.0


def test_more_trials_deflate_more() -> None:
    common = {"n_observations": 750, "skewness": 0.0, "kurtosis": 3.0}
    few = deflated_sharpe_ratio(0.08, n_trials=5, trial_sharpe_variance=1e-3, **common)
    many = deflated_sharpe_ratio(0.08, n_trials=500, trial_sharpe_variance=1e-3, **common)

    assert many.probability < few.probability


@pytest.mark.parametrize(
    ("n_trials", "variance", "message"),
    [(0, 0.1, "n_trials is 0"), (3, -1.0, "non-negative"), (3, math.nan, "non-negative")],
)
def test_bad_trial_inputs_are_refused(n_trials: int, variance: float, message: str) -> None:
    with pytest.raises(DataError, match=message):
        expected_maximum_sharpe(n_trials, variance)


# PBO by CSCV -----------------------------------------------------------------------------


def test_identical_trials_have_pbo_one() -> None:
    column = np.random.default_rng(1).normal(0.001, 0.01, 480)
    performance = np.repeat(column[:, None], 6, axis=1)

    result = probability_of_backtest_overfitting(performance, n_blocks=8)

    assert result.probability == 1.0
    assert np.all(result.logits == 0.0)
    assert result.n_combinations == math.comb(8, 4)


def test_a_dominant_trial_has_pbo_zero() -> None:
    rng = np.random.default_rng(2)
    performance = rng.normal(0.0, 0.01, (800, 10))
    performance[:, 3] += 0.02  # two standard deviations better every day

    result = probability_of_backtest_overfitting(performance)

    assert result.probability == 0.0
    np.testing.assert_allclose(result.logits, math.log(10))
    assert result.probability_of_loss == 0.0


def test_pure_noise_has_pbo_near_one_half() -> None:
    pbos = [
        probability_of_backtest_overfitting(
            np.random.default_rng(seed).normal(0.0, 0.01, (320, 20)), n_blocks=10
        ).probability
        for seed in range(30)
    ]

    assert 0.4 < float(np.mean(pbos)) < 0.6


def _brute_force_logits(performance: np.ndarray, n_blocks: int, metric: str) -> np.ndarray:
    per_block = len(performance) // n_blocks
    blocks = np.split(performance[len(performance) - per_block * n_blocks :], n_blocks)

    def measure(rows: np.ndarray) -> np.ndarray:
        mean = rows.mean(axis=0)
        if metric == "mean":
            return mean
        if metric == "sharpe":
            return mean / rows.std(axis=0, ddof=1)
        return mean / np.sqrt((np.minimum(rows, 0.0) ** 2).mean(axis=0))

    logits = []
    for chosen in combinations(range(n_blocks), n_blocks // 2):
        rest = [k for k in range(n_blocks) if k not in chosen]
        in_sample = measure(np.concatenate([blocks[k] for k in chosen]))
        out_of_sample = measure(np.concatenate([blocks[k] for k in rest]))
        best = int(np.argmax(in_sample))
        relative = rankdata(out_of_sample)[best] / (performance.shape[1] + 1)
        logits.append(math.log(relative / (1 - relative)))
    return np.array(logits)


@pytest.mark.parametrize("metric", ["sharpe", "sortino", "mean"])
def test_block_sums_give_the_same_logits_as_brute_force(metric: str) -> None:
    performance = np.random.default_rng(4).normal(0.0005, 0.01, (101, 7))

    result = probability_of_backtest_overfitting(performance, n_blocks=6, metric=metric)  # type: ignore[arg-type]

    np.testing.assert_allclose(
        result.logits, _brute_force_logits(performance, 6, metric), atol=1e-12
    )


def test_the_oldest_rows_that_do_not_fill_a_block_are_dropped() -> None:
    performance = np.random.default_rng(6).normal(0.0, 0.01, (205, 4))

    trimmed = probability_of_backtest_overfitting(performance[5:], n_blocks=10)
    full = probability_of_backtest_overfitting(performance, n_blocks=10)

    np.testing.assert_array_equal(full.logits, trimmed.logits)


@pytest.mark.parametrize(
    ("shape", "n_blocks", "message"),
    [((100, 1), 4, "N >= 2"), ((100, 3), 5, "even number"), ((10, 3), 8, "blocks of at least 2")],
)
def test_unusable_matrices_are_refused(shape: tuple[int, int], n_blocks: int, message: str) -> None:
    with pytest.raises(DataError, match=message):
        probability_of_backtest_overfitting(np.zeros(shape), n_blocks=n_blocks)


def test_missing_values_and_unknown_metrics_are_refused() -> None:
    performance = np.zeros((40, 3))
    performance[3, 1] = np.nan

    with pytest.raises(DataError, match="NaN"):
        probability_of_backtest_overfitting(performance, n_blocks=4)
    with pytest.raises(DataError, match="unknown CSCV metric"):
        probability_of_backtest_overfitting(np.ones((40, 3)), n_blocks=4, metric="calmar")  # type: ignore[arg-type]


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 12), st.sampled_from([2, 4, 6]))
def test_pbo_is_a_probability_over_every_combination(seed: int, trials: int, blocks: int) -> None:
    performance = np.random.default_rng(seed).normal(0.0, 0.01, (blocks * 6, trials))

    result = probability_of_backtest_overfitting(performance, n_blocks=blocks)

    assert 0.0 <= result.probability <= 1.0
    assert result.n_combinations == math.comb(blocks, blocks // 2)
    assert np.all(np.abs(result.logits) <= math.log(trials) + 1e-12)
