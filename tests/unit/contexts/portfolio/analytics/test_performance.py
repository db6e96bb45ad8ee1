"""The whole performance report: intraday curves measured on daily returns, edge cases."""

from __future__ import annotations

import math
from decimal import Decimal

import msgspec
import numpy as np
import pandas as pd
import pytest
import quantstats as qs
from hypothesis import given
from hypothesis import strategies as st

from jts.contexts.portfolio.domain.analytics import (
    KRX_DAILY,
    MetricConventions,
    analyze_equity_curve,
    analyze_performance,
)
from jts.contexts.portfolio.domain.equity_curve import EquityCurve
from tests.unit.contexts.portfolio.analytics.builders import (
    NS_PER_DAY,
    daily_curve,
    minute_curve,
    seeded_returns,
    trade,
)

TOLERANCE = {"rel": 1e-9, "abs": 1e-12}


def _daily_judge_series(ts: np.ndarray, equity: np.ndarray, tz: str) -> pd.Series:
    local = pd.DatetimeIndex(ts).tz_localize("UTC").tz_convert(tz)
    closes = pd.Series(equity, index=local).resample("D").last().dropna()
    returns = closes / np.concatenate(([equity[0]], closes.to_numpy()[:-1])) - 1.0
    return pd.Series(returns.to_numpy(), index=closes.index.tz_localize(None))


def test_intraday_equity_is_measured_on_daily_returns_in_the_exchange_zone() -> None:
    ts, equity = minute_curve(120, seed=11)
    judge = _daily_judge_series(ts, equity, "Asia/Seoul")

    report = analyze_performance(ts, equity, conventions=KRX_DAILY)

    assert report.periods == len(judge) == 120
    assert report.sharpe == pytest.approx(qs.stats.sharpe(judge), **TOLERANCE)
    assert report.sortino == pytest.approx(qs.stats.sortino(judge), **TOLERANCE)
    assert report.volatility == pytest.approx(qs.stats.volatility(judge), **TOLERANCE)
    assert report.cagr == pytest.approx(qs.stats.cagr(judge), **TOLERANCE)
    assert report.total_return == pytest.approx(qs.stats.comp(judge), **TOLERANCE)


def test_drawdown_of_intraday_equity_sees_intraday_troughs() -> None:
    ts, equity = minute_curve(120, seed=11)
    judge = _daily_judge_series(ts, equity, "Asia/Seoul")

    report = analyze_performance(ts, equity, conventions=KRX_DAILY)

    assert report.max_drawdown == pytest.approx(
        float(np.min(equity / np.maximum.accumulate(equity) - 1))
    )
    assert report.max_drawdown <= qs.stats.max_drawdown(judge)
    assert report.calmar == pytest.approx(report.cagr / abs(report.max_drawdown), **TOLERANCE)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_daily_curve_reproduces_the_judges_drawdown_and_calmar(seed: int) -> None:
    ts, equity, s = daily_curve(seeded_returns(seed))

    report = analyze_performance(ts, equity)

    assert report.max_drawdown == pytest.approx(qs.stats.max_drawdown(s), **TOLERANCE)
    assert report.calmar == pytest.approx(qs.stats.calmar(s), **TOLERANCE)
    assert report.return_over_max_drawdown == pytest.approx(
        qs.stats.comp(s) / abs(qs.stats.max_drawdown(s)), **TOLERANCE
    )


def test_sampled_mode_measures_every_bar_with_its_own_annualisation() -> None:
    ts, equity = minute_curve(10, seed=12)
    minute_returns = pd.Series(equity[1:] / equity[:-1] - 1.0, index=pd.DatetimeIndex(ts[1:]))
    conventions = MetricConventions(periods_per_year=252 * 390, daily=False)

    report = analyze_performance(ts, equity, conventions=conventions)

    assert report.periods == len(ts) - 1
    assert report.sharpe == pytest.approx(
        qs.stats.sharpe(minute_returns, periods=252 * 390), **TOLERANCE
    )


def test_benchmark_comparison_pairs_daily_returns() -> None:
    ts, equity, s = daily_curve(seeded_returns(1))
    bench_ts, bench_equity, b = daily_curve(seeded_returns(2))

    report = analyze_performance(ts, equity, benchmark=(bench_ts, bench_equity))

    assert report.benchmark is not None
    greeks = qs.stats.greeks(s, b)
    assert report.benchmark.beta == pytest.approx(greeks["beta"], **TOLERANCE)
    assert report.benchmark.alpha == pytest.approx(greeks["alpha"], **TOLERANCE)
    assert report.benchmark_total_return == pytest.approx(bench_equity[-1] / bench_equity[0] - 1)


def test_exposure_and_turnover_by_hand() -> None:
    ts = np.arange(11, dtype=np.int64) * NS_PER_DAY  # ten daily periods
    equity = np.full(11, 1_000_000.0)
    trades = [
        trade("0", entry_ts_ns=0, exit_ts_ns=5 * NS_PER_DAY, quantity="10",
              entry_price="10000", exit_price="10000"),
    ]  # fmt: skip
    conventions = MetricConventions(periods_per_year=10, time_zone="UTC")

    report = analyze_performance(ts, equity, conventions=conventions, trades=trades)

    assert report.exposure == pytest.approx(0.5)
    # 200,000 traded over both legs, /2, / 1,000,000 mean equity, over one year
    assert report.turnover == pytest.approx(0.1)
    assert report.trades.trade_count == 1


def test_flat_equity_without_trades() -> None:
    ts = np.arange(30, dtype=np.int64) * NS_PER_DAY
    equity = np.full(30, 5_000.0)

    report = analyze_performance(ts, equity, conventions=MetricConventions(time_zone="UTC"))

    assert report.total_return == 0.0
    assert report.cagr == 0.0
    assert report.volatility == 0.0
    assert report.max_drawdown == 0.0
    assert math.isnan(report.sharpe)
    assert math.isnan(report.calmar)
    assert report.exposure == 0.0
    assert report.trades.trade_count == 0
    assert math.isnan(report.trades.win_rate)


def test_steady_gains_without_a_drawdown_have_infinite_calmar() -> None:
    ts = np.arange(5, dtype=np.int64) * NS_PER_DAY
    equity = 100.0 * 1.01 ** np.arange(5)

    report = analyze_performance(ts, equity, conventions=MetricConventions(time_zone="UTC"))

    assert report.calmar == math.inf
    assert report.return_over_max_drawdown == math.inf


@pytest.mark.parametrize("points", [1, 2])
def test_one_or_two_points(points: int) -> None:
    ts = np.arange(points, dtype=np.int64) * NS_PER_DAY
    equity = np.array([100.0, 103.0][:points])

    report = analyze_performance(ts, equity, conventions=MetricConventions(time_zone="UTC"))

    assert report.periods == points - 1
    assert report.total_return == pytest.approx(equity[-1] / equity[0] - 1)
    assert math.isnan(report.sharpe)
    assert math.isnan(report.volatility)


def test_report_from_a_stored_equity_curve_encodes_to_json() -> None:
    curve = EquityCurve.from_points(
        "run-1",
        [(i * NS_PER_DAY, Decimal(v)) for i, v in enumerate(["100", "104.5", "99", "108.25"])],
    )

    report = analyze_equity_curve(curve, conventions=MetricConventions(time_zone="UTC"))
    decoded = msgspec.json.decode(msgspec.json.encode(report))

    assert report.total_return == pytest.approx(0.0825)
    assert decoded["max_drawdown"] == pytest.approx(99 / 104.5 - 1)
    assert decoded["monthly"]["years"] == [1970]


@given(
    st.lists(st.floats(min_value=-0.3, max_value=0.3), min_size=1, max_size=120),
    st.integers(min_value=1, max_value=30),
)
def test_report_figures_are_consistent_with_each_other(steps: list[float], hours: int) -> None:
    ts = np.arange(len(steps) + 1, dtype=np.int64) * hours * 3_600 * 10**9
    equity = 1_000.0 * np.cumprod(np.concatenate(([1.0], 1.0 + np.array(steps))))

    report = analyze_performance(ts, equity, conventions=MetricConventions(time_zone="UTC"))

    assert np.prod(1.0 + np.array(report.monthly.yearly)) - 1.0 == pytest.approx(
        report.total_return, rel=1e-9, abs=1e-12
    )
    assert -1.0 < report.max_drawdown <= 0.0
    assert 0 <= report.drawdown.longest_duration_ns <= ts[-1]
    days = ts // NS_PER_DAY
    first_day_has_only_the_start = int((days == days[0]).sum()) == 1
    assert report.periods == len(np.unique(days)) - int(first_day_has_only_the_start)
