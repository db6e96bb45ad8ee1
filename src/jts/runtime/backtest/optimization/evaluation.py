"""What the optimizer needs from a backtest engine: a batch of runs over one bar window.

The optimizer never simulates trading itself. It asks a ``BatchEvaluator`` (the vectorized
engine, wired by ``jts.bootstrap.optimize``) to run many parameter sets over the same bars
``[start, stop)`` and gets back, per set, the equity curve and the closed trades' pnls.
``run_batch`` serves ranking and may be fast and approximate (the vectorized engine's float
sweep); ``run_exact`` gives the engine's exact result and is asked only for the sets the
optimizer reports (the chosen set, each walk-forward winner in and out of sample).
Evaluators must be picklable (they are handed to worker processes once, at start-up) and
deterministic: the same window and parameters give the same run in any process.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from jts.shared_kernel.errors import DataError

FloatArray = NDArray[np.float64]
Int64Array = NDArray[np.int64]


@dataclass(frozen=True)
class Window:
    """Bars ``[start, stop)`` of the evaluator's series, by index."""

    start: int
    stop: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.stop:
            raise DataError(
                f"bar window [{self.start}, {self.stop}) is empty or negative; "
                "give 0 <= start < stop"
            )

    @property
    def length(self) -> int:
        return self.stop - self.start


@dataclass(frozen=True, eq=False)
class TrialRun:
    """One backtest: equity (base currency) at each point of ``ts_ns`` and closed trade pnls."""

    ts_ns: Int64Array
    equity: FloatArray
    trade_pnl: FloatArray

    def __post_init__(self) -> None:
        if self.ts_ns.shape != self.equity.shape:
            raise DataError(
                f"a trial run has {self.ts_ns.shape[0]} timestamps but "
                f"{self.equity.shape[0]} equity points; the engine must give one per time"
            )

    @property
    def trades(self) -> int:
        return int(self.trade_pnl.shape[0])


class BatchEvaluator(Protocol):
    """Runs parameter sets of one strategy over windows of one bar series."""

    def bar_times(self) -> Int64Array:
        """Close time (UNIX ns) of every bar, oldest first."""
        ...

    def warm_up(self) -> None:
        """Load compiled kernels (numba caches) so the first timed run does not compile."""
        ...

    def run_batch(
        self, window: Window, param_sets: Sequence[Mapping[str, float]]
    ) -> list[TrialRun]:
        """One run per parameter set, in order, each over the bars of ``window`` only; for
        ranking, so it may be approximate (floats)."""
        ...

    def run_exact(
        self, window: Window, param_sets: Sequence[Mapping[str, float]]
    ) -> list[TrialRun]:
        """The same runs, exactly as the engine reports them (for the reported results)."""
        ...
