"""Return-based ratios against quantstats and empyrical (the judges), within 1e-9."""

from __future__ import annotations

import math

import empyrical
import numpy as np
import pandas as pd
import pytest
import quantstats as qs
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from jts.contexts.portfolio.domain.analytics import (
    cagr,
    downside_deviation,
    kurtosis,
    per_period_rate,
    sharpe,
    skewness,
    sortino,
    total_return,
    volatility,
)
from tests.unit.contexts.portfolio.analytics.builders import business_days, seeded_returns

SEEDS = [1, 2, 3, 4, 5]
TOLERANCE = {"rel": 1e-9, "abs": 1e-12}


def _series(returns: np.ndarray) -> pd.Series:
    return pd.Series(returns, index=business_days(len(returns)))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("periods", [252, 365])
def test_ratios_agree_with_quantstats_and_empyrical(seed: int, periods: int) -> None:
    r = seeded_returns(seed)
    s = _series(r)

    assert sharpe(r, periods) == pytest.approx(qs.stats.sharpe(s, periods=periods), **TOLERANCE)
    assert sharpe(r, periods) == pytest.approx(
        empyrical.sharpe_ratio(r, annualization=periods), **TOLERANCE
    )
    assert sortino(r, periods) == pytest.approx(qs.stats.sortino(s, periods=periods), **TOLERANCE)
    assert sortino(r, periods) == pytest.approx(
        empyrical.sortino_ratio(r, annualization=periods), **TOLERANCE
    )
    assert volatility(r, periods) == pytest.approx(
        empyrical.annual_volatility(r, annualization=periods), **TOLERANCE
    )
    assert volatility(r, periods) == pytest.approx(
        qs.stats.volatility(s, periods=periods), **TOLERANCE
    )
    assert cagr(r, periods) == pytest.approx(qs.stats.cagr(s, periods=periods), **TOLERANCE)
    assert cagr(r, periods) == pytest.approx(
        empyrical.annual_return(r, annualization=periods), **TOLERANCE
    )
    assert total_return(r) == pytest.approx(qs.stats.comp(s), **TOLERANCE)


@pytest.mark.parametrize("seed", SEEDS)
def test_risk_free_rate_matches_quantstats_annual_and_empyrical_per_period(seed: int) -> None:
    r = seeded_returns(seed)
    s = _series(r)
    rf = per_period_rate(0.035, 252)

    assert sharpe(r, 252, rf) == pytest.approx(qs.stats.sharpe(s, rf=0.035), **TOLERANCE)
    assert sharpe(r, 252, rf) == pytest.approx(empyrical.sharpe_ratio(r, rf), **TOLERANCE)
    assert sortino(r, 252, rf) == pytest.approx(qs.stats.sortino(s, rf=0.035), **TOLERANCE)
    assert sortino(r, 252, rf) == pytest.approx(empyrical.sortino_ratio(r, rf), **TOLERANCE)
    assert downside_deviation(r, rf) * math.sqrt(252) == pytest.approx(
        empyrical.downside_risk(r, rf), **TOLERANCE
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_missing_returns_are_skipped_like_quantstats_does(seed: int) -> None:
    r = seeded_returns(seed)
    r[np.random.default_rng(seed).choice(len(r), 40, replace=False)] = np.nan
    s = _series(r)

    assert sharpe(r, 252) == pytest.approx(qs.stats.sharpe(s), **TOLERANCE)
    assert sortino(r, 252) == pytest.approx(qs.stats.sortino(s), **TOLERANCE)
    assert volatility(r, 252) == pytest.approx(qs.stats.volatility(s), **TOLERANCE)
    assert cagr(r, 252) == pytest.approx(qs.stats.cagr(s), **TOLERANCE)
    assert total_return(r) == pytest.approx(float(qs.stats.compsum(s).iloc[-1]), **TOLERANCE)


@pytest.mark.parametrize("seed", SEEDS)
def test_moments_are_the_population_estimators_scipy_computes(seed: int) -> None:
    r = seeded_returns(seed)

    assert skewness(r) == pytest.approx(scipy_stats.skew(r), **TOLERANCE)
    assert kurtosis(r) == pytest.approx(scipy_stats.kurtosis(r, fisher=False), **TOLERANCE)


def test_cagr_counts_years_in_periods_by_closed_form() -> None:
    # 126 periods of +0.1% are half a year at 252 periods per year.
    r = np.full(126, 0.001)

    assert cagr(r, 252) == pytest.approx(1.001**252 - 1.0, rel=1e-12)


def test_a_single_period_has_growth_but_no_dispersion_figures() -> None:
    r = np.array([0.02])

    assert total_return(r) == pytest.approx(0.02)
    assert cagr(r, 252) == pytest.approx(1.02**252 - 1.0)
    assert math.isnan(volatility(r, 252))
    assert math.isnan(sharpe(r, 252))
    assert math.isnan(sortino(r, 252))
    assert math.isnan(skewness(r))


def test_flat_returns_have_zero_volatility_and_undefined_ratios() -> None:
    r = np.zeros(50)

    assert volatility(r, 252) == 0.0
    assert math.isnan(sharpe(r, 252))
    assert math.isnan(sortino(r, 252))
    assert cagr(r, 252) == 0.0


def test_constant_gains_have_infinite_ratios_rather_than_rounding_noise() -> None:
    # quantstats divides by a ~1e-19 rounding residue here; empyrical also reports inf.
    r = np.full(30, 0.001)

    assert sharpe(r, 252) == math.inf
    assert empyrical.sharpe_ratio(r) == math.inf
    assert sortino(r, 252) == math.inf
    assert sharpe(-r, 252) == -math.inf


def test_no_observations_give_nan_not_errors() -> None:
    empty = np.empty(0)
    all_missing = np.full(5, np.nan)

    for values in (empty, all_missing):
        assert math.isnan(cagr(values, 252))
        assert math.isnan(sharpe(values, 252))
        assert math.isnan(downside_deviation(values))
        assert total_return(values) == 0.0


@given(
    st.lists(st.floats(min_value=-0.5, max_value=0.5), min_size=2, max_size=80),
    st.floats(min_value=0.1, max_value=10.0),
)
def test_sharpe_is_scale_invariant_and_sortino_bounds_it(values: list[float], k: float) -> None:
    r = np.array(values)

    assert sharpe(r * k, 252) == pytest.approx(sharpe(r, 252), rel=1e-9, abs=1e-9, nan_ok=True)
    if np.mean(r) > 0 and np.std(r) > 1e-12:
        # with a positive mean, sum(min(r, 0)^2) <= sum((r - mean)^2) = (n - 1) * var
        bound = sharpe(r, 252) * math.sqrt(len(r) / (len(r) - 1))
        assert sortino(r, 252) >= bound * (1 - 1e-9)
