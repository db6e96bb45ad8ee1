"""``analyze_performance``: every figure of a backtest (or a live account) in one report.

Input is an equity curve (UNIX-ns timestamps and ``float64`` equity), optionally the closed
trades and a benchmark curve. Return-based figures use the returns ``MetricConventions``
selects (by default one per exchange-local day); drawdowns use the curve as given (see
``drawdown``); trade figures use the trades (see ``trades``). Conventions in one place:

* total return = last equity / first equity - 1;
* Calmar = CAGR / |max drawdown| and return over max drawdown = total return / |max
  drawdown|; with no drawdown they are ``+inf`` for a gain (empyrical returns NaN);
* exposure = share of the curve's wall-clock span with at least one trade open (quantstats
  counts the share of non-zero returns instead);
* turnover = traded value of both legs / 2 / mean equity / years: how many times a year the
  average equity went round trip through the market (years = periods / periods per year).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import msgspec
import numpy as np
import numpy.typing as npt

from jts.contexts.portfolio.domain.analytics.benchmark import (
    AlphaBeta,
    alpha_beta,
    paired_returns,
)
from jts.contexts.portfolio.domain.analytics.conventions import KRX_DAILY, MetricConventions
from jts.contexts.portfolio.domain.analytics.drawdown import DrawdownStats, drawdown_stats
from jts.contexts.portfolio.domain.analytics.local_days import LocalDays
from jts.contexts.portfolio.domain.analytics.monthly import MonthlyReturns, monthly_returns
from jts.contexts.portfolio.domain.analytics.ratios import (
    cagr,
    kurtosis,
    risk_adjusted,
    sharpe,
    skewness,
    sortino,
    volatility,
)
from jts.contexts.portfolio.domain.analytics.returns import (
    ReturnSeries,
    measured_returns,
)
from jts.contexts.portfolio.domain.analytics.trades import (
    ClosedTrade,
    TradeColumns,
    TradeStatistics,
    time_in_market,
    trade_statistics,
)
from jts.contexts.portfolio.domain.equity_curve import EquityCurve

FloatArray = npt.NDArray[np.float64]
Int64Array = npt.NDArray[np.int64]


class PerformanceReport(msgspec.Struct, frozen=True, kw_only=True):
    """The figures of one equity curve; NaN where a figure is undefined. Fractions, not
    percent: ``total_return=0.12`` is +12%, ``max_drawdown=-0.2`` a 20% fall."""

    conventions: MetricConventions
    start_ts_ns: int | None
    end_ts_ns: int | None
    periods: int
    starting_equity: float
    ending_equity: float
    total_return: float
    cagr: float
    volatility: float
    sharpe: float
    sortino: float
    calmar: float
    return_over_max_drawdown: float
    max_drawdown: float
    drawdown: DrawdownStats
    skewness: float
    kurtosis: float
    exposure: float
    turnover: float
    trades: TradeStatistics
    monthly: MonthlyReturns
    benchmark: AlphaBeta | None = None
    benchmark_total_return: float | None = None


def analyze_performance(
    ts_ns: Int64Array,
    equity: FloatArray,
    *,
    conventions: MetricConventions = KRX_DAILY,
    trades: Sequence[ClosedTrade] | TradeColumns = (),
    benchmark: tuple[Int64Array, FloatArray] | None = None,
) -> PerformanceReport:
    """Measure the equity curve ``(ts_ns, equity)``; see the module docstring."""
    days = LocalDays.of(ts_ns, conventions.time_zone) if conventions.daily else None
    series = measured_returns(ts_ns, equity, conventions, days)
    columns = trades if isinstance(trades, TradeColumns) else TradeColumns.of(trades)
    per_year, rf = conventions.periods_per_year, conventions.risk_free_per_period
    drawdown = drawdown_stats(ts_ns, equity)
    total = float(equity[-1] / equity[0] - 1.0) if len(equity) else math.nan
    growth, depth = cagr(series.returns, per_year), abs(drawdown.max_drawdown)
    compared = _compare(series, benchmark, conventions, ts_ns, days)
    return PerformanceReport(
        conventions=conventions,
        start_ts_ns=int(ts_ns[0]) if len(ts_ns) else None,
        end_ts_ns=int(ts_ns[-1]) if len(ts_ns) else None,
        periods=len(series),
        starting_equity=float(equity[0]) if len(equity) else math.nan,
        ending_equity=float(equity[-1]) if len(equity) else math.nan,
        total_return=total,
        cagr=growth,
        volatility=volatility(series.returns, per_year),
        sharpe=sharpe(series.returns, per_year, rf),
        sortino=sortino(series.returns, per_year, rf),
        calmar=risk_adjusted(growth, depth) if len(series) else math.nan,
        return_over_max_drawdown=risk_adjusted(total, depth) if len(series) else math.nan,
        max_drawdown=drawdown.max_drawdown,
        drawdown=drawdown,
        skewness=skewness(series.returns),
        kurtosis=kurtosis(series.returns),
        exposure=_exposure(columns, ts_ns),
        turnover=_turnover(columns, equity, len(series), per_year),
        trades=trade_statistics(columns),
        monthly=monthly_returns(series),
        benchmark=compared[0] if compared else None,
        benchmark_total_return=compared[1] if compared else None,
    )


def analyze_equity_curve(
    curve: EquityCurve,
    *,
    conventions: MetricConventions = KRX_DAILY,
    trades: Sequence[ClosedTrade] | TradeColumns = (),
    benchmark: tuple[Int64Array, FloatArray] | None = None,
) -> PerformanceReport:
    """``analyze_performance`` on a stored ``EquityCurve``."""
    return analyze_performance(
        curve.ts, curve.equity, conventions=conventions, trades=trades, benchmark=benchmark
    )


def _compare(
    series: ReturnSeries,
    benchmark: tuple[Int64Array, FloatArray] | None,
    conventions: MetricConventions,
    ts_ns: Int64Array,
    days: LocalDays | None,
) -> tuple[AlphaBeta, float] | None:
    if benchmark is None:
        return None
    bench_ts, bench_values = benchmark
    same_clock = bench_ts is ts_ns or np.array_equal(bench_ts, ts_ns)
    bench_series = measured_returns(
        bench_ts, bench_values, conventions, days if same_clock else None
    )
    r, b = paired_returns(series, bench_series, by_day=conventions.daily)
    result = alpha_beta(r, b, conventions.periods_per_year, conventions.risk_free_per_period)
    bench_total = float(bench_values[-1] / bench_values[0] - 1.0) if len(bench_values) else 0.0
    return result, bench_total


def _exposure(columns: TradeColumns, ts_ns: Int64Array) -> float:
    if len(ts_ns) < 2:
        return math.nan
    return time_in_market(columns, int(ts_ns[0]), int(ts_ns[-1]))


def _turnover(
    columns: TradeColumns, equity: FloatArray, periods: int, periods_per_year: float
) -> float:
    if periods == 0:
        return math.nan
    years = periods / periods_per_year
    return float(columns.notional.sum()) / 2.0 / float(np.mean(equity)) / years
