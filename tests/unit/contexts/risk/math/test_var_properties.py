from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from jts.contexts.risk.domain.var import (
    VarMethod,
    VarModel,
    historical_var,
    parametric_var,
    sample_moments,
)
from jts.shared_kernel.identifiers import InstrumentId

_SEEDS = st.integers(0, 2**32 - 1)
_SCALES = st.floats(0.01, 1000.0)


def _sample(seed: int, rows: int = 120, columns: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    returns = rng.standard_t(4, (rows, columns)) * 0.01 + rng.normal(0, 0.002, columns)
    positions = rng.normal(0.0, 1e6, columns)
    return returns, positions


@given(seed=_SEEDS)
def test_var99_is_at_least_var95_and_cvar_at_least_var(seed: int) -> None:
    returns, positions = _sample(seed)
    moments = sample_moments(returns)

    for method in ("historical", "parametric"):
        if method == "historical":
            v95 = historical_var(positions, returns, confidence=0.95)
            v99 = historical_var(positions, returns, confidence=0.99)
        else:
            v95 = parametric_var(positions, moments, confidence=0.95)
            v99 = parametric_var(positions, moments, confidence=0.99)
        assert v99.var >= v95.var
        assert v95.cvar >= v95.var
        assert v99.cvar >= v99.var
        assert v99.cvar >= v95.cvar


@given(seed=_SEEDS, scale=_SCALES)
def test_var_scales_linearly_with_position_size(seed: int, scale: float) -> None:
    returns, positions = _sample(seed)
    ids = [InstrumentId(f"A{i}", "KRX") for i in range(3)]  # type: ignore[arg-type]
    model = VarModel.fit(ids, returns, rng=np.random.default_rng(seed), paths=2_000)

    for method in VarMethod:
        base = model.estimate(positions, method=method, confidence=0.99)
        scaled = model.estimate(positions * scale, method=method, confidence=0.99)
        assert np.isclose(scaled.var, scale * base.var, rtol=1e-9, atol=1e-6)
        assert np.isclose(scaled.cvar, scale * base.cvar, rtol=1e-9, atol=1e-6)


@given(seed=_SEEDS)
def test_diversification_parametric_var_is_subadditive(seed: int) -> None:
    returns, positions = _sample(seed)
    moments = sample_moments(returns - returns.mean(axis=0))
    first = positions * np.array([1.0, 0.0, 1.0])
    second = positions - first

    total = parametric_var(positions, moments, confidence=0.99).var
    parts = parametric_var(first, moments, confidence=0.99).var
    parts += parametric_var(second, moments, confidence=0.99).var

    assert total <= parts + 1e-6
