"""Scoring one run: the objective, a metrics summary and the constraints.

An objective comes from the analytics registry (``sharpe``, ``sortino``, ``calmar``,
``return_over_max_drawdown``, ``sqn``; higher is better). A run that breaks a constraint
(fewer closed trades than ``min_trades``, a drawdown deeper than ``max_drawdown``) keeps its
objective value for the record but scores ``-inf``, as does an undefined objective (NaN),
so ranking is plain ``max`` and an infeasible set is never chosen over a feasible one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from jts.contexts.portfolio.domain.analytics import (
    LocalDays,
    MetricConventions,
    Objective,
    ObjectiveInput,
    max_drawdown,
    objective,
)
from jts.runtime.backtest.optimization.evaluation import FloatArray, TrialRun
from jts.shared_kernel.errors import StrategyError


@dataclass(frozen=True)
class Constraints:
    """Limits a chosen parameter set must respect; ``max_drawdown`` is a positive fraction."""

    min_trades: int = 0
    max_drawdown: float | None = None

    def __post_init__(self) -> None:
        if self.min_trades < 0:
            raise StrategyError(f"min_trades is {self.min_trades}; give 0 or more")
        limit = self.max_drawdown
        if limit is not None and not 0.0 < limit <= 1.0:
            raise StrategyError(
                f"max_drawdown is {limit}; give a fraction in (0, 1], e.g. 0.25 for 25%"
            )

    def violation(self, trades: int, drawdown: float) -> str | None:
        """Why a run with ``trades`` closed trades and ``drawdown`` (<= 0) is refused, if it is."""
        if trades < self.min_trades:
            return f"{trades} trades < min_trades {self.min_trades}"
        if self.max_drawdown is not None and -drawdown > self.max_drawdown:
            return f"max drawdown {-drawdown:.2%} > {self.max_drawdown:.2%}"
        return None


@dataclass(frozen=True, eq=False)
class TrialResult:
    """One parameter set scored: the objective (NaN: undefined), the ranking score and a
    summary; ``returns`` are the measured per-period returns (for DSR and PBO)."""

    params: Mapping[str, float]
    objective_value: float
    score: float
    trades: int
    total_return: float
    max_drawdown: float
    sharpe: float
    violation: str | None = None
    returns: FloatArray = field(default_factory=lambda: np.empty(0))

    @property
    def feasible(self) -> bool:
        return self.violation is None and math.isfinite(self.score)

    def summary(self) -> dict[str, float | int]:
        """The metrics every report and the JSON document show for a trial."""
        return {
            "total_return": self.total_return,
            "max_drawdown": self.max_drawdown,
            "sharpe": self.sharpe,
            "trades": self.trades,
        }


class Scorer:
    """Scores runs under one objective, conventions and constraints; picklable.

    Remembers the local-day split of the last timestamp column it saw, since every run of a
    batch shares its window's timestamps."""

    def __init__(
        self,
        objective_name: str,
        conventions: MetricConventions,
        constraints: Constraints | None = None,
    ) -> None:
        try:
            self.objective: Objective = objective(objective_name)
        except KeyError as e:
            raise StrategyError(str(e.args[0])) from None
        self._sharpe = objective("sharpe")
        self.conventions = conventions
        self.constraints = constraints or Constraints()
        self._days: tuple[int, int, int, LocalDays] | None = None

    def score(self, params: Mapping[str, float], run: TrialRun) -> TrialResult:
        """The run of ``params`` scored and summarised."""
        measured = ObjectiveInput.of(
            run.ts_ns,
            run.equity,
            conventions=self.conventions,
            trade_pnl=run.trade_pnl,
            days=self._local_days(run),
        )
        value = self.objective.evaluate(measured)
        drawdown = max_drawdown(run.equity) if len(run.equity) else math.nan
        depth = 0.0 if math.isnan(drawdown) else drawdown
        violation = self.constraints.violation(run.trades, depth)
        ranked = -math.inf if violation is not None or math.isnan(value) else value
        return TrialResult(
            params=dict(params),
            objective_value=value,
            score=ranked,
            trades=run.trades,
            total_return=_total_return(run.equity),
            max_drawdown=drawdown,
            sharpe=self._sharpe.evaluate(measured),
            violation=violation,
            returns=measured.returns,
        )

    def _local_days(self, run: TrialRun) -> LocalDays | None:
        if not self.conventions.daily or len(run.ts_ns) == 0:
            return None
        key = (int(run.ts_ns[0]), int(run.ts_ns[-1]), len(run.ts_ns))
        if self._days is None or self._days[:3] != key:
            self._days = (*key, LocalDays.of(run.ts_ns, self.conventions.time_zone))
        return self._days[3]


def _total_return(equity: FloatArray) -> float:
    if len(equity) < 2 or equity[0] == 0:
        return math.nan
    return float(equity[-1] / equity[0] - 1.0)
