from __future__ import annotations

import numpy as np
import pytest

from jts.contexts.risk.domain.var import VarMethod, historical_var, tail_of_losses
from jts.shared_kernel.errors import DataError


def _seeded_returns(rows: int = 500, columns: int = 3, seed: int = 11) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.normal(0.0005, 0.02, (rows, columns))


def test_historical_var_matches_numpy_quantile_of_portfolio_losses() -> None:
    returns = _seeded_returns()
    positions = np.array([10_000_000.0, -4_000_000.0, 7_500_000.0])
    losses = -(returns @ positions)

    estimate = historical_var(positions, returns, confidence=0.99)

    expected_var = np.quantile(losses, 0.99)
    assert estimate.var == pytest.approx(expected_var, rel=1e-12)
    assert estimate.cvar == pytest.approx(losses[losses >= expected_var].mean(), rel=1e-12)
    assert estimate.method is VarMethod.HISTORICAL


def test_historical_var_of_a_hand_checked_sample() -> None:
    # Ten days of one instrument: losses 1..10 on a 100 position held at -1%..-10%.
    returns = -np.arange(1, 11, dtype=float)[:, None] / 100.0

    estimate = historical_var([100.0], returns, confidence=0.9)

    # Linear interpolation: position 0.9 * 9 = 8.1 between the 9th (9) and 10th (10) loss.
    assert estimate.var == pytest.approx(9.1)
    assert estimate.cvar == pytest.approx(10.0)


def test_horizon_scales_by_square_root_of_time() -> None:
    returns = _seeded_returns()
    positions = np.array([1.0, 2.0, 3.0])

    one_day = historical_var(positions, returns, confidence=0.95)
    ten_day = historical_var(positions, returns, confidence=0.95, horizon_days=10)

    assert ten_day.var == pytest.approx(one_day.var * np.sqrt(10))
    assert ten_day.cvar == pytest.approx(one_day.cvar * np.sqrt(10))


def test_tail_cvar_is_at_least_var_with_ties() -> None:
    losses = np.array([5.0, 5.0, 5.0, 5.0])

    var, cvar = tail_of_losses(losses, 0.99)

    assert var == cvar == 5.0


@pytest.mark.parametrize(
    ("positions", "returns", "confidence", "message"),
    [
        ([1.0], [[0.01], [np.nan]], 0.99, r"returns\[1, 0\] is nan"),
        ([1.0, 2.0], [[0.01], [0.02]], 0.99, "one value per instrument"),
        ([1.0], [[0.01], [0.02]], 1.0, "confidence is 1.0"),
        ([np.inf], [[0.01], [0.02]], 0.99, r"positions\[0\] is inf"),
        ([1.0], [0.01, 0.02], 0.99, "T x N matrix"),
    ],
)
def test_bad_inputs_are_refused_with_a_clear_error(
    positions: list[float], returns: object, confidence: float, message: str
) -> None:
    with pytest.raises(DataError, match=message):
        historical_var(positions, returns, confidence=confidence)  # type: ignore[arg-type]


def test_non_positive_horizon_is_refused() -> None:
    with pytest.raises(DataError, match="horizon is 0"):
        historical_var([1.0], [[0.01], [0.02]], confidence=0.99, horizon_days=0)
