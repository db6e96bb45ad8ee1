"""Performance analytics: returns, risk-adjusted ratios, drawdowns, trade statistics,
monthly tables, alpha/beta, optimization objectives and overfitting statistics.

Pure numpy over ``float64`` columns (equity values, UNIX-ns timestamps); ``Decimal`` values
are converted at the boundary (``EquityCurve.equity``, ``TradeColumns.of``). The same code
measures backtests, optimizer trials and (later) live equity.

Start with ``analyze_performance(ts_ns, equity, conventions=KRX_DAILY, trades=...,
benchmark=...)``, which returns a ``PerformanceReport``. The optimizer uses ``OBJECTIVES``
(or ``objective(name)``) with ``ObjectiveInput.of(...)``, and the overfitting guards
``deflated_sharpe_ratio*`` and ``probability_of_backtest_overfitting``.

Conventions, documented where they are implemented and compared with quantstats/empyrical
in the tests: ``conventions`` (periods per year, time zone, risk-free rate), ``returns``
(daily resampling), ``ratios`` (definitions), ``drawdown``, ``trades``, ``monthly``,
``benchmark``, ``performance``.
"""

from jts.contexts.portfolio.domain.analytics.benchmark import AlphaBeta, alpha_beta, paired_returns
from jts.contexts.portfolio.domain.analytics.conventions import (
    BINANCE_DAILY,
    KRX_DAILY,
    UPBIT_DAILY,
    MetricConventions,
    per_period_rate,
)
from jts.contexts.portfolio.domain.analytics.drawdown import (
    DrawdownStats,
    drawdown_series,
    drawdown_stats,
    max_drawdown,
)
from jts.contexts.portfolio.domain.analytics.local_days import LocalDays, local_day_numbers
from jts.contexts.portfolio.domain.analytics.monthly import MonthlyReturns, monthly_returns
from jts.contexts.portfolio.domain.analytics.objectives import (
    OBJECTIVES,
    Objective,
    ObjectiveInput,
    objective,
)
from jts.contexts.portfolio.domain.analytics.overfitting import (
    BacktestOverfitting,
    DeflatedSharpe,
    deflated_sharpe_ratio,
    deflated_sharpe_ratio_of_returns,
    expected_maximum_sharpe,
    probabilistic_sharpe_ratio,
    probability_of_backtest_overfitting,
)
from jts.contexts.portfolio.domain.analytics.performance import (
    PerformanceReport,
    analyze_equity_curve,
    analyze_performance,
)
from jts.contexts.portfolio.domain.analytics.ratios import (
    cagr,
    downside_deviation,
    kurtosis,
    sharpe,
    skewness,
    sortino,
    total_return,
    volatility,
)
from jts.contexts.portfolio.domain.analytics.returns import (
    ReturnSeries,
    daily_returns,
    measured_returns,
    period_returns,
)
from jts.contexts.portfolio.domain.analytics.trades import (
    ClosedTrade,
    TradeColumns,
    TradeStatistics,
    profit_factor,
    sqn,
    time_in_market,
    trade_statistics,
)
from jts.shared_kernel.normal import normal_cdf, normal_ppf

__all__ = [
    "BINANCE_DAILY",
    "KRX_DAILY",
    "OBJECTIVES",
    "UPBIT_DAILY",
    "AlphaBeta",
    "BacktestOverfitting",
    "ClosedTrade",
    "DeflatedSharpe",
    "DrawdownStats",
    "LocalDays",
    "MetricConventions",
    "MonthlyReturns",
    "Objective",
    "ObjectiveInput",
    "PerformanceReport",
    "ReturnSeries",
    "TradeColumns",
    "TradeStatistics",
    "alpha_beta",
    "analyze_equity_curve",
    "analyze_performance",
    "cagr",
    "daily_returns",
    "deflated_sharpe_ratio",
    "deflated_sharpe_ratio_of_returns",
    "downside_deviation",
    "drawdown_series",
    "drawdown_stats",
    "expected_maximum_sharpe",
    "kurtosis",
    "local_day_numbers",
    "max_drawdown",
    "measured_returns",
    "monthly_returns",
    "normal_cdf",
    "normal_ppf",
    "objective",
    "paired_returns",
    "per_period_rate",
    "period_returns",
    "probabilistic_sharpe_ratio",
    "probability_of_backtest_overfitting",
    "profit_factor",
    "sharpe",
    "skewness",
    "sortino",
    "sqn",
    "time_in_market",
    "total_return",
    "trade_statistics",
    "volatility",
]
