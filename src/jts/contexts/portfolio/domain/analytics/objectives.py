"""Optimization objectives, one registry by name: ``OBJECTIVES["sharpe"].evaluate(run)``.

Every objective is "higher is better" and takes an ``ObjectiveInput`` (the measured returns,
the equity as sampled and the trade pnls of one backtest run). ``evaluate`` gives the figure
as the performance report defines it (NaN when undefined, e.g. Sharpe of a run that never
moved); ``score`` maps NaN to ``-inf`` so an optimizer can rank runs with plain ``max``.

=========================  ==========================================================
``sharpe``                 annualised Sharpe ratio of the measured returns
``sortino``                annualised Sortino ratio of the measured returns
``calmar``                 CAGR / |max drawdown|
``return_over_max_drawdown``  total return / |max drawdown|
``sqn``                    Van Tharp's System Quality Number of the trade pnls
=========================  ==========================================================
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from jts.contexts.portfolio.domain.analytics import ratios
from jts.contexts.portfolio.domain.analytics.conventions import MetricConventions
from jts.contexts.portfolio.domain.analytics.drawdown import max_drawdown
from jts.contexts.portfolio.domain.analytics.local_days import LocalDays
from jts.contexts.portfolio.domain.analytics.returns import measured_returns
from jts.contexts.portfolio.domain.analytics.trades import sqn

FloatArray = npt.NDArray[np.float64]
Int64Array = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class ObjectiveInput:
    """What an objective needs from one run."""

    returns: FloatArray
    equity: FloatArray
    trade_pnl: FloatArray
    periods_per_year: float
    risk_free_per_period: float = 0.0

    @classmethod
    def of(
        cls,
        ts_ns: Int64Array,
        equity: FloatArray,
        *,
        conventions: MetricConventions,
        trade_pnl: FloatArray | None = None,
        days: LocalDays | None = None,
    ) -> ObjectiveInput:
        """Measure an equity curve; pass ``days`` (``LocalDays.of(ts_ns, zone)``) once for
        many runs on the same timestamps to skip the time-zone work."""
        series = measured_returns(ts_ns, equity, conventions, days)
        return cls(
            returns=series.returns,
            equity=equity,
            trade_pnl=np.empty(0) if trade_pnl is None else trade_pnl,
            periods_per_year=conventions.periods_per_year,
            risk_free_per_period=conventions.risk_free_per_period,
        )


@dataclass(frozen=True)
class Objective:
    """A named figure an optimizer maximises."""

    name: str
    description: str
    evaluate: Callable[[ObjectiveInput], float]

    def score(self, run: ObjectiveInput) -> float:
        """``evaluate`` with NaN (undefined) ranked last as ``-inf``."""
        value = self.evaluate(run)
        return -math.inf if math.isnan(value) else value


def _sharpe(run: ObjectiveInput) -> float:
    return ratios.sharpe(run.returns, run.periods_per_year, run.risk_free_per_period)


def _sortino(run: ObjectiveInput) -> float:
    return ratios.sortino(run.returns, run.periods_per_year, run.risk_free_per_period)


def _calmar(run: ObjectiveInput) -> float:
    if len(run.returns) == 0:
        return math.nan
    growth = ratios.cagr(run.returns, run.periods_per_year)
    return ratios.risk_adjusted(growth, abs(max_drawdown(run.equity)))


def _return_over_max_drawdown(run: ObjectiveInput) -> float:
    if len(run.equity) < 2:
        return math.nan
    total = float(run.equity[-1] / run.equity[0] - 1.0)
    return ratios.risk_adjusted(total, abs(max_drawdown(run.equity)))


def _sqn(run: ObjectiveInput) -> float:
    return sqn(run.trade_pnl)


OBJECTIVES: Mapping[str, Objective] = MappingProxyType(
    {
        objective.name: objective
        for objective in (
            Objective("sharpe", "annualised Sharpe ratio", _sharpe),
            Objective("sortino", "annualised Sortino ratio", _sortino),
            Objective("calmar", "CAGR over |max drawdown|", _calmar),
            Objective(
                "return_over_max_drawdown",
                "total return over |max drawdown|",
                _return_over_max_drawdown,
            ),
            Objective("sqn", "System Quality Number of trade pnls", _sqn),
        )
    }
)


def objective(name: str) -> Objective:
    """The objective called ``name``; a ``KeyError`` listing the known names otherwise."""
    try:
        return OBJECTIVES[name]
    except KeyError:
        known = ", ".join(sorted(OBJECTIVES))
        raise KeyError(f"unknown objective {name!r}; choose one of: {known}") from None
