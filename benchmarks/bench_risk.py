"""Risk mathematics: VaR refresh per new bar and the VaR budget check per order (no peer).

The book is 50 instruments with 250 days of one-factor correlated returns, long and short
positions in KRW. Figures, lower is better:

* ``risk.var_refresh.<method>``: ms to refit the model on the window and compute the book's
  99% 1-day VaR and CVaR (``monte_carlo`` draws 10,000 paths each refresh);
* ``risk.var_budget_check.<method>``: us per order to compute the book's VaR with and
  without the candidate order and decide against the budget (the pre-trade cost);
* ``risk.returns_window.record_close``: us per close recorded into the rolling window.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from decimal import Decimal

import numpy as np

from benchmarks.harness import Figure, best_of
from jts.contexts.risk.domain.var import (
    ReturnsWindow,
    VarBudget,
    VarMethod,
    VarModel,
    check_var_budget,
)
from jts.shared_kernel.identifiers import InstrumentId, Venue

INSTRUMENTS = 50
DAYS = 250
PATHS = 10_000
ORDERS = 2_000
REPEATS = 5


def _universe(seed: int = 7) -> tuple[list[InstrumentId], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    ids = [InstrumentId(f"{i:06d}", Venue("KRX")) for i in range(INSTRUMENTS)]
    beta = rng.uniform(0.5, 1.5, INSTRUMENTS)
    returns = rng.normal(0, 0.012, (DAYS, 1)) * beta + rng.normal(
        0.0002, 0.015, (DAYS, INSTRUMENTS)
    )
    positions = rng.normal(20_000_000.0, 30_000_000.0, INSTRUMENTS)
    return ids, returns, positions


def _refresh(
    ids: list[InstrumentId], returns: np.ndarray, book: np.ndarray, method: VarMethod
) -> None:
    rng = np.random.default_rng(1) if method is VarMethod.MONTE_CARLO else None
    model = VarModel.fit(ids, returns, rng=rng, paths=PATHS)
    model.estimate(book, method=method, confidence=0.99)


def _check_cost_us(model: VarModel, book: np.ndarray, method: VarMethod) -> float:
    budget = VarBudget(limit=Decimal(500_000_000), method=method)
    rng = np.random.default_rng(2)
    columns = rng.integers(0, INSTRUMENTS, ORDERS)
    values = rng.normal(0.0, 5_000_000.0, ORDERS)
    delta = np.zeros(INSTRUMENTS)
    start = time.perf_counter()
    for column, value in zip(columns, values, strict=True):
        delta[column] = value
        check_var_budget(model, book, delta, budget)
        delta[column] = 0.0
    return (time.perf_counter() - start) / ORDERS * 1e6


def _record_cost_us(ids: list[InstrumentId], returns: np.ndarray) -> float:
    closes = 10_000.0 * np.cumprod(1.0 + returns, axis=0)
    window = ReturnsWindow(ids, days=DAYS)
    start = time.perf_counter()
    for day, row in enumerate(closes.tolist()):
        for instrument, close in zip(ids, row, strict=True):
            window.record_close(instrument, day, close)
    return (time.perf_counter() - start) / closes.size * 1e6


def run() -> Iterable[Figure]:
    ids, returns, book = _universe()
    model = VarModel.fit(ids, returns, rng=np.random.default_rng(1), paths=PATHS)
    for method in VarMethod:
        seconds = best_of(REPEATS, lambda m=method: _refresh(ids, returns, book, m))
        yield Figure(f"risk.var_refresh.{method.value}", seconds * 1e3, "ms", False)
    for method in VarMethod:
        yield Figure(
            f"risk.var_budget_check.{method.value}",
            _check_cost_us(model, book, method),
            "us",
            False,
        )
    yield Figure("risk.returns_window.record_close", _record_cost_us(ids, returns), "us", False)
