"""``LivePerformance``: the backtest analytics on the live account's equity curve.

The figures are the portfolio context's ``analyze_performance`` (the same code, and the
same quantstats-judged conventions, as the backtest reports) on the ``EquityRecorder``'s
curve, which spans the account's whole recorded life, with the tracker's closed round
trips (pnl and fees in the base currency) for the trade figures. ``figures_of`` picks the
ones a live account shows, as fractions (``total_return`` 0.012 is +1.2%):

``total_return``, ``cagr`` (only once the curve holds ``min_cagr_periods`` return periods:
annualising a few days' return says nothing), ``volatility``, ``sharpe``, ``sortino``,
``max_drawdown`` and ``drawdown`` (now, from the curve's peak; both <= 0), ``exposure``
(share of the curve's span with a trade open), ``trades``, ``win_rate``,
``profit_factor``, ``expectancy`` (base currency per trade) and ``periods``. A figure that
is undefined (NaN, e.g. Sharpe of a flat curve) or infinite (profit factor without a
loss) is left out rather than sent as a number it is not.

Measuring is throttled by market time: at most once per ``every_ns`` (the node asks on its
portfolio reports), and always when forced (the node stopping). The daily resampling of
the conventions keeps the cost of the ratios to one return per day; drawdowns walk the
curve once (numpy).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from jts.contexts.portfolio.domain.analytics import (
    KRX_DAILY,
    ClosedTrade,
    MetricConventions,
    PerformanceReport,
    analyze_performance,
)
from jts.messages.portfolio import PerformanceUpdated
from jts.runtime.backtest.results import Trade
from jts.shared_kernel.identifiers import AccountId

FloatArray = npt.NDArray[np.float64]
Int64Array = npt.NDArray[np.int64]
HOUR_NS = 3_600_000_000_000
MIN_CAGR_PERIODS = 20


def figures_of(
    report: PerformanceReport, equity: FloatArray, *, min_cagr_periods: int = MIN_CAGR_PERIODS
) -> dict[str, Decimal]:
    """The live account's figures from ``report`` on ``equity`` (see the module docstring)."""
    trades = report.trades
    peak = float(np.max(equity)) if len(equity) else math.nan
    raw = {
        "total_return": report.total_return,
        "cagr": report.cagr if report.periods >= min_cagr_periods else math.nan,
        "volatility": report.volatility,
        "sharpe": report.sharpe,
        "sortino": report.sortino,
        "max_drawdown": report.max_drawdown,
        "drawdown": float(equity[-1]) / peak - 1.0 if len(equity) else math.nan,
        "exposure": report.exposure,
        "trades": float(trades.trade_count),
        "win_rate": trades.win_rate,
        "profit_factor": trades.profit_factor,
        "expectancy": trades.expectancy,
        "periods": float(report.periods),
    }
    return {name: _decimal(value) for name, value in raw.items() if math.isfinite(value)}


def _decimal(value: float) -> Decimal:
    """Ten significant digits: more than any of these figures means."""
    return Decimal(f"{value:.10g}") + 0


class LivePerformance:
    """Measures the live curve now and then (see the module docstring)."""

    def __init__(
        self,
        *,
        conventions: MetricConventions = KRX_DAILY,
        every_ns: int = HOUR_NS,
        min_cagr_periods: int = MIN_CAGR_PERIODS,
    ) -> None:
        self.conventions = conventions
        self._every = every_ns
        self._min_cagr_periods = min_cagr_periods
        self._last_ns: int | None = None
        self._closed: list[ClosedTrade] = []
        self.figures: dict[str, Decimal] = {}
        self.report: PerformanceReport | None = None
        self.measured = 0

    def due(self, now_ns: int) -> bool:
        return self._last_ns is None or now_ns - self._last_ns >= self._every

    def measure(
        self, now_ns: int, ts_ns: Int64Array, equity: FloatArray, trades: Sequence[Trade]
    ) -> dict[str, Decimal] | None:
        """The figures of the curve ``(ts_ns, equity)`` with ``trades`` (every round trip
        closed so far, oldest first); ``None`` below two points (nothing to measure)."""
        self._last_ns = now_ns
        if len(ts_ns) < 2:
            return None
        self._closed.extend(t.closed_trade() for t in trades[len(self._closed) :])
        self.report = analyze_performance(
            ts_ns, equity, conventions=self.conventions, trades=self._closed
        )
        self.figures = figures_of(self.report, equity, min_cagr_periods=self._min_cagr_periods)
        self.measured += 1
        return self.figures

    def message(self, account_id: AccountId, equity: Decimal, now_ns: int) -> PerformanceUpdated:
        """``PerformanceUpdated`` with the last figures measured."""
        return PerformanceUpdated(
            account_id=account_id,
            equity=equity,
            figures=dict(self.figures),
            ts_event=now_ns,
            ts_init=now_ns,
        )
