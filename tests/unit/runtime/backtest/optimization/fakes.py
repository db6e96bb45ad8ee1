"""A fake engine for the optimizer: known equity per parameter set, no trading simulated.

Each bar has a fixed noise return; a run of ``{"a": a, "b": b}`` earns the noise plus a
drift that peaks at ``a == PEAK_A`` and grows with ``b``, and closes ``int(a) // 5`` trades.
So the best set by Sharpe is known in advance: ``a = PEAK_A`` and the highest ``b``.
``run_batch`` is the "fast" run: the exact curve off by ``FAST_ERROR`` per bar (like a
float sweep next to an exact replay), so results taken from it are told apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from jts.contexts.strategy.domain.language.value_types import ParamInfo
from jts.runtime.backtest.optimization import TrialRun, Window

DAY_NS = 86_400 * 1_000_000_000
START_NS = 1_704_067_200 * 1_000_000_000  # 2024-01-01T00:00:00Z
PEAK_A = 30.0
FAST_ERROR = 1e-7


def param(name: str, default: float, low: float, high: float, step: float) -> ParamInfo:
    integer = all(float(v).is_integer() for v in (default, low, high, step))
    return ParamInfo(
        name=name,
        default=default,
        low=low,
        high=high,
        step=step,
        integer=integer,
        percent=False,
        line=1,
    )


PARAMS = (param("a", 20, 10, 50, 5), param("b", 1.0, 1.0, 2.0, 0.5))


class FakeEvaluator:
    """``BatchEvaluator`` over ``days`` daily bars; counts the fast sets it ran and records
    each exact run's window and set."""

    def __init__(self, days: int = 400, seed: int = 7) -> None:
        self.ts = START_NS + DAY_NS * np.arange(1, days + 1, dtype=np.int64)
        self.noise = np.random.default_rng(seed).normal(0.0, 0.01, days)
        self.evaluated = 0
        self.exact: list[tuple[Window, dict[str, float]]] = []
        self.warmed = 0

    def bar_times(self) -> np.ndarray:
        return self.ts

    def warm_up(self) -> None:
        self.warmed += 1

    def run_batch(
        self, window: Window, param_sets: Sequence[Mapping[str, float]]
    ) -> list[TrialRun]:
        self.evaluated += len(param_sets)
        runs = [self.exact_run(window, params) for params in param_sets]
        drift = 1.0 + FAST_ERROR * np.arange(window.length)
        return [TrialRun(run.ts_ns, run.equity * drift, run.trade_pnl) for run in runs]

    def run_exact(
        self, window: Window, param_sets: Sequence[Mapping[str, float]]
    ) -> list[TrialRun]:
        self.exact.extend((window, dict(params)) for params in param_sets)
        return [self.exact_run(window, params) for params in param_sets]

    def exact_run(self, window: Window, params: Mapping[str, float]) -> TrialRun:
        """The exact run of ``params`` over ``window`` (recorded nowhere)."""
        drift = 0.002 * params["b"] - 1e-5 * (params["a"] - PEAK_A) ** 2
        returns = self.noise[window.start : window.stop] + drift
        equity = 1_000_000.0 * np.cumprod(1.0 + returns)
        count = int(params["a"]) // 5
        trades = 100.0 * params["b"] * (1.0 + 0.5 * np.sin(np.arange(count)))
        return TrialRun(self.ts[window.start : window.stop].copy(), equity, trades)
