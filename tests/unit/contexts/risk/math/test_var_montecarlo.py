from __future__ import annotations

import numpy as np
import pytest

from jts.contexts.risk.domain.var import (
    covariance_root,
    historical_var,
    monte_carlo_var,
    parametric_var,
    sample_moments,
    simulate_returns,
)
from jts.shared_kernel.errors import DataError


def _book() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(17)
    factor = rng.normal(0.0, 0.015, (250, 1))
    returns = 0.7 * factor + rng.normal(0.0003, 0.01, (250, 4))
    return returns, np.array([4e6, 2e6, -3e6, 1e6])


@pytest.mark.parametrize("confidence", [0.95, 0.99])
def test_monte_carlo_converges_to_parametric(confidence: float) -> None:
    returns, positions = _book()
    moments = sample_moments(returns)
    simulated = simulate_returns(moments, np.random.default_rng(1), paths=400_000)

    mc = monte_carlo_var(positions, simulated, confidence=confidence)
    parametric = parametric_var(positions, moments, confidence=confidence)

    assert mc.var == pytest.approx(parametric.var, rel=0.02)
    assert mc.cvar == pytest.approx(parametric.cvar, rel=0.02)


def test_simulated_returns_have_the_sample_moments() -> None:
    returns, _ = _book()
    moments = sample_moments(returns)

    simulated = simulate_returns(moments, np.random.default_rng(2), paths=200_000)

    np.testing.assert_allclose(np.cov(simulated, rowvar=False), moments.covariance, rtol=0.03)


def test_same_seed_same_draws() -> None:
    moments = sample_moments(_book()[0])

    first = simulate_returns(moments, np.random.default_rng(8), paths=100)
    second = simulate_returns(moments, np.random.default_rng(8), paths=100)

    np.testing.assert_array_equal(first, second)


def test_student_t_keeps_covariance_and_fattens_the_far_tail() -> None:
    returns, positions = _book()
    moments = sample_moments(returns)
    normal = simulate_returns(moments, np.random.default_rng(3), paths=400_000)
    fat = simulate_returns(moments, np.random.default_rng(3), paths=400_000, student_t_dof=4.0)

    normal_var = monte_carlo_var(positions, normal, confidence=0.999).var
    fat_var = monte_carlo_var(positions, fat, confidence=0.999).var

    np.testing.assert_allclose(np.cov(fat, rowvar=False), moments.covariance, rtol=0.1)
    assert fat_var > 1.1 * normal_var


def test_non_positive_definite_covariance_is_clipped_to_a_valid_root() -> None:
    base = np.random.default_rng(4).normal(0.0, 0.01, (100, 2))
    returns = np.column_stack([base, base[:, 0]])  # a duplicated column: singular covariance
    covariance = sample_moments(returns).covariance
    indefinite = covariance - 1e-6 * np.eye(3)  # a negative eigenvalue

    root = covariance_root(indefinite)

    eigenvalues, vectors = np.linalg.eigh(indefinite)
    nearest_psd = (vectors * np.clip(eigenvalues, 0, None)) @ vectors.T
    np.testing.assert_allclose(root @ root.T, nearest_psd, atol=1e-15)
    np.testing.assert_allclose(
        covariance_root(covariance) @ covariance_root(covariance).T, covariance, atol=1e-15
    )


def test_monte_carlo_on_singular_covariance_matches_historical_scale() -> None:
    base = np.random.default_rng(6).normal(0.0, 0.01, (250, 1))
    returns = np.column_stack([base, base])
    simulated = simulate_returns(sample_moments(returns), np.random.default_rng(7), paths=50_000)

    mc = monte_carlo_var([1e6, -1e6], simulated, confidence=0.99)

    assert abs(mc.var) < 1e-6  # perfectly hedged: the duplicate legs cancel in every draw
    assert historical_var([1e6, 1e6], returns, confidence=0.99).var > 0


@pytest.mark.parametrize(("paths", "dof", "message"), [(1, None, "2 paths"), (10, 2.0, "exceed 2")])
def test_bad_simulation_settings_are_refused(paths: int, dof: float | None, message: str) -> None:
    moments = sample_moments(_book()[0])

    with pytest.raises(DataError, match=message):
        simulate_returns(moments, np.random.default_rng(0), paths=paths, student_t_dof=dof)
