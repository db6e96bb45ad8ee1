"""The scipy-free normal CDF and inverse CDF against scipy.stats.norm (test-only judge)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import norm

from jts.contexts.portfolio.domain.analytics import normal_cdf, normal_ppf

PROBABILITIES = np.concatenate(
    (
        np.logspace(-300, -1, 400),
        np.linspace(0.0005, 0.9995, 2001),
        1.0 - np.logspace(-15, -1, 200),
    )
)


def test_ppf_matches_scipy_within_1e_12_over_the_whole_range() -> None:
    ours = np.array([normal_ppf(float(p)) for p in PROBABILITIES])

    theirs = norm.ppf(PROBABILITIES)

    assert np.max(np.abs(ours - theirs) / np.maximum(1.0, np.abs(theirs))) < 1e-12


def test_cdf_matches_scipy_within_1e_12_including_the_lower_tail() -> None:
    xs = np.linspace(-37.5, 9.0, 4001)

    ours = np.array([normal_cdf(float(x)) for x in xs])

    assert np.max(np.abs(ours - norm.cdf(xs))) < 1e-12
    tail = xs < -5
    assert np.max(np.abs(ours[tail] / norm.cdf(xs[tail]) - 1.0)) < 1e-12


@pytest.mark.parametrize(("p", "expected"), [(0.0, -math.inf), (1.0, math.inf), (0.5, 0.0)])
def test_ppf_end_points(p: float, expected: float) -> None:
    assert normal_ppf(p) == expected


@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_ppf_refuses_values_that_are_not_probabilities(p: float) -> None:
    with pytest.raises(ValueError, match="must lie in"):
        normal_ppf(p)


def test_nan_passes_through() -> None:
    assert math.isnan(normal_cdf(math.nan))
    assert math.isnan(normal_ppf(math.nan))


@given(st.floats(min_value=1e-12, max_value=1 - 1e-12))
def test_cdf_inverts_ppf(p: float) -> None:
    assert normal_cdf(normal_ppf(p)) == pytest.approx(p, rel=1e-12, abs=1e-15)
