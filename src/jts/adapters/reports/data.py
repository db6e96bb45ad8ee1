"""What a report is rendered from: plain, immutable data assembled by the caller.

``BacktestReportData`` holds one run: the equity curve (UNIX-ns timestamps and ``float64``
equity), the ``PerformanceReport`` computed from it by
``jts.contexts.portfolio.domain.analytics.analyze_performance``, the closed trades, and
optionally the traded instrument's price series (for the trade chart) and a benchmark curve.

``OptimizationReportData`` holds a parameter search: every trial's parameters and objective
value, the walk-forward windows (in-sample and out-of-sample objective and the parameters
chosen), the stitched out-of-sample equity and, when computed, the deflated Sharpe ratio and
the probability of backtest overfitting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from jts.contexts.portfolio.domain.analytics import (
    BacktestOverfitting,
    ClosedTrade,
    DeflatedSharpe,
    PerformanceReport,
)
from jts.shared_kernel.errors import DataError

FloatArray = npt.NDArray[np.float64]
Int64Array = npt.NDArray[np.int64]
ParameterValue = int | float | str | bool


@dataclass(frozen=True, eq=False)
class TimeSeries:
    """A named series of values at UNIX-ns timestamps (a price, an index, an equity)."""

    name: str
    ts_ns: Int64Array
    values: FloatArray

    def __post_init__(self) -> None:
        if self.ts_ns.shape != self.values.shape or self.ts_ns.ndim != 1:
            raise DataError(
                f"series {self.name!r}: {self.ts_ns.shape} timestamps for "
                f"{self.values.shape} values; give two 1-D arrays of the same length"
            )


@dataclass(frozen=True, eq=False)
class BacktestReportData:
    """One backtest run; ``price`` is the instrument whose trades are marked on it."""

    strategy: str
    parameters: Mapping[str, ParameterValue]
    equity: TimeSeries
    metrics: PerformanceReport
    trades: Sequence[ClosedTrade] = ()
    price: TimeSeries | None = None
    benchmark: TimeSeries | None = None
    currency: str = "KRW"


@dataclass(frozen=True)
class Trial:
    """One evaluated parameter set and its objective value (NaN: undefined)."""

    parameters: Mapping[str, ParameterValue]
    objective: float


@dataclass(frozen=True)
class WalkForwardWindow:
    """One walk-forward step: optimise on ``[in_start, in_end)``, test on
    ``[out_start, out_end)`` with the parameters chosen in sample."""

    in_sample_start_ns: int
    in_sample_end_ns: int
    out_of_sample_start_ns: int
    out_of_sample_end_ns: int
    in_sample_objective: float
    out_of_sample_objective: float
    parameters: Mapping[str, ParameterValue]


@dataclass(frozen=True, eq=False)
class OptimizationReportData:
    """A parameter search; ``heatmap_axes`` names the (x, y) parameters of the heat map
    (default: the first two parameter names of the first trial)."""

    strategy: str
    objective: str
    trials: Sequence[Trial]
    walk_forward: Sequence[WalkForwardWindow] = ()
    out_of_sample_equity: TimeSeries | None = None
    out_of_sample_metrics: PerformanceReport | None = None
    heatmap_axes: tuple[str, str] | None = None
    deflated_sharpe: DeflatedSharpe | None = None
    overfitting: BacktestOverfitting | None = None
    time_zone: str = "Asia/Seoul"
    notes: Sequence[str] = field(default_factory=tuple)
