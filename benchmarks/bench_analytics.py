"""Analytics: performance metrics of a 1,000,000-point equity curve against quantstats.

The curve is ten years of one-minute KRX bars (09:00-15:30 KST, 390 a day) with a benchmark
index on the same clock. Both engines compute the same figures from the same numbers:
total return, CAGR, volatility, Sharpe, Sortino, max drawdown, Calmar, the monthly returns
table and alpha/beta.

* ``analytics.metrics_1m.sampled``: every bar is a period (annualised with 252 x 390);
  quantstats gets the minute returns as a pandas series.
* ``analytics.metrics_1m.daily``: the figures on daily returns in the exchange time zone;
  quantstats gets the curve resampled to local days by pandas first (part of its time).

Figures are seconds per full computation (best of a few runs; quantstats' return cache is
cleared before each run so it cannot answer from memory), lower is better. Two figures have
no peer: ``analytics.objective_sharpe_1m`` (one optimizer objective on the same curve with
shared local days) and ``analytics.pbo_cscv`` (PBO over 2,520 x 200 trials, 16 blocks).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from benchmarks.harness import Figure, best_of

POINTS_PER_DAY = 390
DAYS = 2_565  # 1,000,350 points
REPEATS = 3
_NS_PER_MINUTE = 60 * 10**9
_NS_PER_DAY = 86_400 * 10**9
_FIRST_OPEN = 1_262_563_200 * 10**9  # 2010-01-04 09:00 KST, a Monday


def _minute_clock() -> np.ndarray:
    weekdays = [d for d in range(DAYS * 7 // 5 + 7) if d % 7 < 5][:DAYS]
    opens = _FIRST_OPEN + np.array(weekdays, dtype=np.int64) * _NS_PER_DAY
    return (opens[:, None] + np.arange(POINTS_PER_DAY) * _NS_PER_MINUTE).ravel()


def _curves(seed: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    ts = _minute_clock()
    market = rng.normal(1e-6, 5e-4, len(ts))
    strategy = 0.6 * market + rng.normal(1e-6, 4e-4, len(ts))
    equity = 100_000_000.0 * np.cumprod(1.0 + strategy)
    index = 2_500.0 * np.cumprod(1.0 + market)
    return ts, equity, index


def _ours(ts: np.ndarray, equity: np.ndarray, index: np.ndarray, daily: bool) -> object:
    from jts.contexts.portfolio.domain.analytics import MetricConventions, analyze_performance

    periods = 252.0 if daily else 252.0 * POINTS_PER_DAY
    conventions = MetricConventions(periods_per_year=periods, daily=daily)
    return analyze_performance(ts, equity, conventions=conventions, benchmark=(ts, index))


def _quantstats(ts: np.ndarray, equity: np.ndarray, index: np.ndarray, daily: bool) -> object:
    import pandas as pd
    import quantstats as qs
    from quantstats import utils

    utils._PREPARE_RETURNS_CACHE.clear()
    when = pd.DatetimeIndex(ts).tz_localize("UTC").tz_convert("Asia/Seoul")
    values = pd.DataFrame({"equity": equity, "index": index}, index=when)
    if daily:
        values = values.resample("D").last().dropna()
    values = values.tz_localize(None)
    returns = values.pct_change().iloc[1:]
    r, b = returns["equity"], returns["index"]
    periods = 252 if daily else 252 * POINTS_PER_DAY
    return (
        qs.stats.comp(r), qs.stats.cagr(r, periods=periods),
        qs.stats.volatility(r, periods=periods), qs.stats.sharpe(r, periods=periods),
        qs.stats.sortino(r, periods=periods), qs.stats.max_drawdown(r),
        qs.stats.calmar(r, periods=periods), qs.stats.monthly_returns(r),
        qs.stats.greeks(r, b, periods=periods),
    )  # fmt: skip


def _metric_figures(ts: np.ndarray, equity: np.ndarray, index: np.ndarray) -> Iterable[Figure]:
    for daily, label in ((False, "sampled"), (True, "daily")):
        _ours(ts, equity, index, daily)  # warm-up
        mine = best_of(REPEATS, lambda d=daily: _ours(ts, equity, index, d))
        theirs = best_of(REPEATS, lambda d=daily: _quantstats(ts, equity, index, d))
        yield Figure(
            name=f"analytics.metrics_1m.{label}", value=mine, unit="s",
            higher_is_better=False, peer="quantstats", peer_value=theirs,
        )  # fmt: skip


def _objective_figure(ts: np.ndarray, equity: np.ndarray) -> Figure:
    from jts.contexts.portfolio.domain.analytics import (
        KRX_DAILY,
        OBJECTIVES,
        LocalDays,
        ObjectiveInput,
    )

    days = LocalDays.of(ts, KRX_DAILY.time_zone)
    sharpe = OBJECTIVES["sharpe"]

    def evaluate() -> float:
        return sharpe.evaluate(ObjectiveInput.of(ts, equity, conventions=KRX_DAILY, days=days))

    seconds = best_of(5, evaluate)
    return Figure(
        name="analytics.objective_sharpe_1m", value=seconds * 1e3, unit="ms",
        higher_is_better=False,
    )  # fmt: skip


def _pbo_figure() -> Figure:
    from jts.contexts.portfolio.domain.analytics import probability_of_backtest_overfitting

    performance = np.random.default_rng(9).normal(2e-4, 0.01, (2_520, 200))
    seconds = best_of(2, lambda: probability_of_backtest_overfitting(performance, n_blocks=16))
    return Figure(name="analytics.pbo_cscv", value=seconds, unit="s", higher_is_better=False)


def run() -> Iterable[Figure]:
    """Metric computation against quantstats, then the objective and PBO timings."""
    ts, equity, index = _curves()
    yield from _metric_figures(ts, equity, index)
    yield _objective_figure(ts, equity)
    yield _pbo_figure()
