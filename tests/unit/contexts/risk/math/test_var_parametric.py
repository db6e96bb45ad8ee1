from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm

from jts.contexts.risk.domain.var import normal_pdf, normal_ppf, parametric_var, sample_moments
from jts.shared_kernel.errors import DataError


@pytest.mark.parametrize(
    "p", [1e-300, 1e-12, 0.001, 0.01, 0.025, 0.05, 0.3, 0.5, 0.7, 0.95, 0.975, 0.99, 0.999999]
)
def test_normal_ppf_matches_scipy(p: float) -> None:
    assert normal_ppf(p) == pytest.approx(norm.ppf(p), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("x", [-8.0, -2.326, 0.0, 1.0, 2.5758])
def test_normal_pdf_matches_scipy(x: float) -> None:
    assert normal_pdf(x) == pytest.approx(norm.pdf(x), rel=1e-14)


@pytest.mark.parametrize("confidence", [0.0, 1.0, -0.1, 1.5, math.nan])
def test_parametric_var_refuses_confidences_outside_the_open_unit_interval(
    confidence: float,
) -> None:
    moments = sample_moments(np.random.default_rng(1).normal(0.0, 0.01, (50, 1)))
    with pytest.raises(DataError, match=r"use a level in \(0, 1\)"):
        parametric_var([1_000_000.0], moments, confidence=confidence)


def test_normal_ppf_refuses_probabilities_outside_zero_one() -> None:
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\]"):
        normal_ppf(-0.1)


def test_sample_moments_match_numpy() -> None:
    returns = np.random.default_rng(5).normal(0.0, 0.01, (300, 4))

    moments = sample_moments(returns)

    np.testing.assert_allclose(moments.mean, returns.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(moments.covariance, np.cov(returns, rowvar=False), rtol=1e-12)
    np.testing.assert_allclose(moments.correlation(), np.corrcoef(returns, rowvar=False))


@pytest.mark.parametrize("confidence", [0.95, 0.99])
def test_parametric_var_matches_the_closed_form_with_scipy(confidence: float) -> None:
    returns = np.random.default_rng(9).normal(0.0004, 0.015, (250, 3))
    positions = np.array([5e6, 3e6, -2e6])
    mean = positions @ returns.mean(axis=0)
    deviation = math.sqrt(positions @ np.cov(returns, rowvar=False) @ positions)
    z = norm.ppf(confidence)

    estimate = parametric_var(positions, sample_moments(returns), confidence=confidence)

    assert estimate.var == pytest.approx(-mean + z * deviation, rel=1e-12)
    expected_cvar = -mean + deviation * norm.pdf(z) / (1 - confidence)
    assert estimate.cvar == pytest.approx(expected_cvar, rel=1e-12)


def test_parametric_var_of_one_instrument_by_hand() -> None:
    # Returns +-1% alternating: mean 0, sample deviation 0.01 * sqrt(n / (n - 1)).
    returns = np.tile([0.01, -0.01], 50)[:, None]
    deviation = 0.01 * math.sqrt(100 / 99)

    estimate = parametric_var([1_000_000.0], sample_moments(returns), confidence=0.99)

    assert estimate.var == pytest.approx(2.3263478740408408 * deviation * 1_000_000, rel=1e-12)


def test_correlation_matters_a_hedged_book_has_less_var_than_the_sum() -> None:
    rng = np.random.default_rng(21)
    market = rng.normal(0.0, 0.02, 500)
    returns = np.column_stack([market + rng.normal(0, 0.003, 500), market])
    moments = sample_moments(returns)

    long_leg = parametric_var([1e7, 0.0], moments, confidence=0.99).var
    short_leg = parametric_var([0.0, -1e7], moments, confidence=0.99).var
    hedged = parametric_var([1e7, -1e7], moments, confidence=0.99).var

    assert hedged < 0.25 * (long_leg + short_leg)
