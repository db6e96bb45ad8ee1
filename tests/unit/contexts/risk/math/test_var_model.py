from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from jts.contexts.risk.domain.var import (
    MissingRiskData,
    ReturnsWindow,
    VarBudget,
    VarMethod,
    VarModel,
    check_var_budget,
    historical_var,
)
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import InstrumentId, Venue

SAMSUNG = InstrumentId("005930", Venue("KRX"))
HYNIX = InstrumentId("000660", Venue("KRX"))
BTC = InstrumentId("BTC-KRW", Venue("UPBIT"))


def _model(rng_seed: int | None = 3) -> VarModel:
    rng = np.random.default_rng(12)
    market = rng.normal(0.0, 0.015, (250, 1))
    returns = np.column_stack([market[:, 0], market[:, 0] * 1.2, rng.normal(0, 0.04, 250)])
    returns += rng.normal(0.0, 0.004, returns.shape)
    generator = None if rng_seed is None else np.random.default_rng(rng_seed)
    return VarModel.fit((SAMSUNG, HYNIX, BTC), returns, rng=generator, paths=20_000)


@pytest.mark.parametrize("method", list(VarMethod))
def test_adding_to_a_long_raises_var_and_a_hedge_lowers_it(method: VarMethod) -> None:
    model = _model()
    book = model.positions_vector({SAMSUNG: Decimal(10_000_000)})

    more = model.incremental(book, [2e6, 0, 0], method=method, confidence=0.99)
    hedge = model.incremental(book, [0, -5e6, 0], method=method, confidence=0.99)

    assert more.change > 0
    assert hedge.change < 0
    assert more.before == hedge.before


def test_model_historical_equals_the_free_function() -> None:
    model = _model(rng_seed=None)
    book = np.array([1e6, -5e5, 2e5])

    estimate = model.estimate(book, method=VarMethod.HISTORICAL, confidence=0.95)

    assert estimate == historical_var(book, model.returns, confidence=0.95)


def test_unknown_instrument_and_missing_paths_are_domain_refusals() -> None:
    model = _model(rng_seed=None)

    with pytest.raises(MissingRiskData, match="no return history for ETH"):
        model.positions_vector({InstrumentId("ETH-KRW", Venue("UPBIT")): 1.0})
    with pytest.raises(MissingRiskData, match="without Monte Carlo paths"):
        model.estimate([1.0, 0, 0], method=VarMethod.MONTE_CARLO, confidence=0.99)


def test_budget_denies_an_order_that_takes_var_over_budget_with_the_numbers() -> None:
    model = _model()
    book = np.array([10_000_000.0, 0.0, 0.0])
    before = model.estimate(book, method=VarMethod.HISTORICAL, confidence=0.99).var
    budget = VarBudget(limit=Decimal(round(before * 1.1)))

    decision = check_var_budget(model, book, [5_000_000.0, 0, 0], budget)

    assert not decision.allowed
    assert decision.rule == "var_budget"
    assert decision.var_before == Decimal(round(before))
    assert decision.var_after > budget.limit
    assert str(decision.var_after) in decision.reason
    assert str(budget.limit) in decision.reason
    assert "1-day 99% historical VaR" in decision.reason


def test_budget_allows_an_order_within_budget_and_a_reducing_order_over_it() -> None:
    model = _model()
    book = np.array([10_000_000.0, 0.0, 0.0])
    tight = VarBudget(limit=Decimal(1), method=VarMethod.PARAMETRIC)
    loose = VarBudget(limit=Decimal(10**12), confidence=0.95, method=VarMethod.MONTE_CARLO)

    reducing = check_var_budget(model, book, [-4_000_000.0, 0, 0], tight)
    within = check_var_budget(model, book, [1_000_000.0, 0, 0], loose)

    assert reducing.allowed
    assert reducing.change < 0
    assert within.allowed


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"limit": Decimal(0)}, "positive amount"),
        ({"limit": Decimal(1), "confidence": 1.5}, "confidence is 1.5"),
    ],
)
def test_bad_budget_is_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(DataError, match=message):
        VarBudget(**kwargs)  # type: ignore[arg-type]


def test_returns_window_builds_complete_simple_returns_in_period_order() -> None:
    window = ReturnsWindow((SAMSUNG, HYNIX), days=3)
    closes: dict[InstrumentId, list[float]] = {
        SAMSUNG: [100, 110, 99, 99, 108.9],
        HYNIX: [50, 50, 55, 44, 44],
    }

    for day in range(5):
        for instrument in (HYNIX, SAMSUNG):
            window.record_close(instrument, day, Decimal(str(closes[instrument][day])))

    np.testing.assert_allclose(window.returns(), [[-0.1, 0.1], [0.0, -0.2], [0.1, 0.0]])


def test_returns_window_drops_incomplete_periods() -> None:
    window = ReturnsWindow((SAMSUNG, HYNIX), days=10)
    window.record_close(SAMSUNG, 1, 100.0)
    window.record_close(HYNIX, 1, 50.0)
    window.record_close(SAMSUNG, 2, 101.0)  # HYNIX halted on day 2
    window.record_close(SAMSUNG, 3, 102.01)
    window.record_close(HYNIX, 3, 51.0)
    window.record_close(SAMSUNG, 4, 103.0301)
    window.record_close(HYNIX, 4, 51.51)
    window.record_close(SAMSUNG, 5, 1.0)  # day 5 still in progress

    np.testing.assert_allclose(window.returns(), [[0.01, 0.01]])
    with pytest.raises(DataError, match="1 complete day"):
        window.fit()


def test_returns_window_refits_a_model_and_counts_revisions() -> None:
    window = ReturnsWindow((SAMSUNG,), days=250)
    prices = 100.0 * np.cumprod(1 + np.random.default_rng(1).normal(0, 0.01, 300))
    for day, price in enumerate(prices):
        window.record_close(SAMSUNG, day, price)

    model = window.fit(rng=np.random.default_rng(0), paths=1_000)

    assert window.revision == 300
    assert model.returns.shape == (250, 1)
    np.testing.assert_allclose(model.returns[:, 0], prices[-250:] / prices[-251:-1] - 1)
    assert model.simulated is not None
    assert model.simulated.shape == (1_000, 1)


@pytest.mark.parametrize(
    ("instrument", "period", "close", "message"),
    [
        (BTC, 3, 1.0, "not in this returns window"),
        (SAMSUNG, 3, 0.0, "expected > 0"),
        (SAMSUNG, 1, 1.0, "feed bars in period order"),
    ],
)
def test_returns_window_refuses_bad_closes(
    instrument: InstrumentId, period: int, close: float, message: str
) -> None:
    window = ReturnsWindow((SAMSUNG, HYNIX), days=5)
    window.record_close(SAMSUNG, 2, 100.0)
    window.record_close(SAMSUNG, 4, 100.0)

    with pytest.raises(DataError, match=message):
        window.record_close(instrument, period, close)
