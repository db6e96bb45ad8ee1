"""Alpha and beta against quantstats' greeks and empyrical's alpha_beta."""

from __future__ import annotations

import math

import empyrical
import numpy as np
import pandas as pd
import pytest
import quantstats as qs

from jts.contexts.portfolio.domain.analytics import (
    MetricConventions,
    alpha_beta,
    daily_returns,
    paired_returns,
    per_period_rate,
)
from tests.unit.contexts.portfolio.analytics.builders import daily_curve, seeded_returns

TOLERANCE = {"rel": 1e-9, "abs": 1e-12}


def _strategy_and_benchmark(seed: int) -> tuple[np.ndarray, np.ndarray]:
    market = seeded_returns(seed + 100)
    noise = seeded_returns(seed, mean=2e-4, std=0.006)
    return 0.7 * market + noise, market


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_alpha_and_beta_match_quantstats_greeks(seed: int) -> None:
    r, b = _strategy_and_benchmark(seed)
    index = pd.bdate_range("2019-01-02", periods=len(r))

    ours = alpha_beta(r, b, 252)

    theirs = qs.stats.greeks(pd.Series(r, index=index), pd.Series(b, index=index))
    assert ours.beta == pytest.approx(theirs["beta"], **TOLERANCE)
    assert ours.alpha == pytest.approx(theirs["alpha"], **TOLERANCE)
    assert ours.correlation == pytest.approx(np.corrcoef(r, b)[0, 1], **TOLERANCE)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_empyrical_compounds_the_same_per_period_alpha(seed: int) -> None:
    r, b = _strategy_and_benchmark(seed)
    rf = per_period_rate(0.03, 252)

    ours = alpha_beta(r, b, 252, rf)

    their_alpha, their_beta = empyrical.alpha_beta(r, b, risk_free=rf)
    assert ours.beta == pytest.approx(their_beta, **TOLERANCE)
    assert (1.0 + ours.alpha / 252) ** 252 - 1.0 == pytest.approx(their_alpha, **TOLERANCE)


def test_series_are_paired_on_shared_days_and_missing_values_dropped() -> None:
    r, b = _strategy_and_benchmark(9)
    ts, equity, _ = daily_curve(r[:200])
    bench_ts, bench_equity, _ = daily_curve(b[:250])
    strategy = daily_returns(ts, equity, "Asia/Seoul")
    benchmark = daily_returns(bench_ts[30:], bench_equity[30:], "Asia/Seoul")  # starts later
    strategy.returns[50] = np.nan

    paired_r, paired_b = paired_returns(strategy, benchmark, by_day=True)

    assert len(paired_r) == 200 - 30 - 1
    np.testing.assert_allclose(paired_r[:5], r[30:35], rtol=1e-12)
    np.testing.assert_allclose(paired_b[:5], b[30:35], rtol=1e-12)


def test_a_flat_benchmark_or_too_few_pairs_give_nan() -> None:
    flat = alpha_beta(np.array([0.01, 0.02, -0.01]), np.zeros(3), 252)
    single = alpha_beta(np.array([0.01]), np.array([0.02]), 252)

    assert math.isnan(flat.beta)
    assert math.isnan(single.alpha)
    assert single.observations == 1


def test_columns_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="pair them"):
        alpha_beta(np.zeros(3), np.zeros(4), 252)


def test_conventions_reject_bad_settings_with_a_hint() -> None:
    from jts.shared_kernel.errors import DataError

    with pytest.raises(DataError, match="252"):
        MetricConventions(periods_per_year=0)
    with pytest.raises(DataError, match="annual rate"):
        MetricConventions(risk_free_rate=-2.0)
    with pytest.raises(DataError, match="IANA"):
        MetricConventions(time_zone="Seoul")
