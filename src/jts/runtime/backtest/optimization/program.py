"""A ``BatchEvaluator`` for strategy-language programs over any engine that runs them.

``ProgramEvaluator`` cuts the program's bar series to a window (by the bars' start times,
so every instrument is cut at the same moments), runs each parameter set through a
``ProgramBacktester`` (``EventDrivenBacktest``, or ``VectorizedBacktest``, a
``SweepBacktester`` whose bars are prepared once per window and batch) and keeps the
equity curve and the closed trades' pnls in the base currency. Windows are cut once per
batch and shared by every set in it.

With a ``SweepBacktester``, ``run_batch`` (ranking) uses its float ``sweep``: the kernel's
equity curve and round-trip pnls, no ``Decimal`` replay, so every objective (SQN too) is
computed from it, about six times faster; a decision on a float boundary may differ from
the exact run. ``run_exact`` (the reported sets) goes through ``run_prepared``. Other
backtesters are exact both ways.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.strategy.domain.language.compiler import CompiledStrategy
from jts.runtime.backtest.optimization.evaluation import (
    FloatArray,
    Int64Array,
    TrialRun,
    Window,
)
from jts.runtime.backtest.results import BacktestResult
from jts.shared_kernel.errors import DataError

WARM_UP_BARS = 500


class ProgramBacktester(Protocol):
    """Runs a compiled program over bars with given parameters."""

    def run_program(
        self,
        compiled: CompiledStrategy,
        bars: Sequence[BarSeries],
        *,
        params: Mapping[str, float] | None = None,
    ) -> BacktestResult: ...


class SweepResult(Protocol):
    """One set of a float sweep (``vectorized.engine.SweepRun``), base-currency amounts."""

    @property
    def equity_ts_ns(self) -> Int64Array: ...

    @property
    def equity(self) -> FloatArray: ...

    @property
    def trade_pnl(self) -> FloatArray: ...


@runtime_checkable
class SweepBacktester(Protocol):
    """A ``ProgramBacktester`` that can do the parameter-free work of a run once
    (``VectorizedBacktest``): ``prepare`` the bars, then ``run_prepared`` per set."""

    def run_program(
        self,
        compiled: CompiledStrategy,
        bars: Sequence[BarSeries],
        *,
        params: Mapping[str, float] | None = None,
    ) -> BacktestResult: ...

    def prepare(self, bars: Sequence[BarSeries], *, universe: Sequence[Any] = ()) -> Any: ...

    def run_prepared(
        self,
        compiled: CompiledStrategy,
        prepared: Any,
        *,
        params: Mapping[str, float] | None = None,
    ) -> BacktestResult: ...

    def sweep(
        self,
        compiled: CompiledStrategy,
        prepared: Any,
        param_sets: Sequence[Mapping[str, float]],
    ) -> Sequence[SweepResult]: ...


class ProgramEvaluator:
    """Parameter sets of one program over windows of its bars, through ``backtester``."""

    def __init__(
        self,
        backtester: ProgramBacktester,
        strategy: CompiledStrategy,
        bars: Sequence[BarSeries],
    ) -> None:
        if not bars or not any(len(series) for series in bars):
            raise DataError("optimization needs bars; the data holds none")
        self.backtester = backtester
        self.strategy = strategy
        self.bars = list(bars)
        self._times: Int64Array = np.unique(np.concatenate([s.ts_start for s in self.bars]))

    def bar_times(self) -> Int64Array:
        return self._times

    def warm_up(self) -> None:
        """One short run each way: imports, numba kernels from their caches, indicators."""
        stop = min(len(self._times), WARM_UP_BARS)
        if stop > 1:
            defaults = [self.strategy.default_params()]
            self.run_batch(Window(0, stop), defaults)
            self.run_exact(Window(0, stop), defaults)

    def run_batch(
        self, window: Window, param_sets: Sequence[Mapping[str, float]]
    ) -> list[TrialRun]:
        """Float sweep runs for ranking (exact runs when the backtester cannot sweep)."""
        backtester = self.backtester
        if not isinstance(backtester, SweepBacktester):
            return self.run_exact(window, param_sets)
        prepared = backtester.prepare(self._cut(window), universe=self.strategy.program.universe)
        swept = backtester.sweep(self.strategy, prepared, param_sets)
        return [TrialRun(run.equity_ts_ns, run.equity, run.trade_pnl) for run in swept]

    def run_exact(
        self, window: Window, param_sets: Sequence[Mapping[str, float]]
    ) -> list[TrialRun]:
        """The backtester's exact runs (``Decimal`` replay), for the reported sets."""
        cut = self._cut(window)
        backtester = self.backtester
        if isinstance(backtester, SweepBacktester):
            prepared = backtester.prepare(cut, universe=self.strategy.program.universe)
            return [
                _trial(backtester.run_prepared(self.strategy, prepared, params=params))
                for params in param_sets
            ]
        return [
            _trial(backtester.run_program(self.strategy, cut, params=params))
            for params in param_sets
        ]

    def _cut(self, window: Window) -> list[BarSeries]:
        if window.stop > len(self._times):
            raise DataError(f"window {window} ends after the last of {len(self._times)} bars")
        start = int(self._times[window.start])
        end = int(self._times[window.stop]) if window.stop < len(self._times) else None
        cut = [series.between(start, end) for series in self.bars]
        return [series for series in cut if len(series)]


def _trial(result: BacktestResult) -> TrialRun:
    """The equity curve and the closed trades' pnls in the base currency."""
    pnl = np.array([float(t.pnl * t.fx_rate) for t in result.trades], dtype=np.float64)
    return TrialRun(result.equity_ts_ns, result.equity, pnl)
