"""Synthetic but realistic report inputs: a KRX minute-bar backtest and a grid search."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from jts.adapters.reports import (
    BacktestReportData,
    OptimizationReportData,
    TimeSeries,
    Trial,
    WalkForwardWindow,
)
from jts.contexts.portfolio.domain.analytics import (
    KRX_DAILY,
    ClosedTrade,
    analyze_performance,
    deflated_sharpe_ratio_of_returns,
    probability_of_backtest_overfitting,
)
from jts.messages.enums import Direction
from jts.shared_kernel.identifiers import InstrumentId

SAMSUNG = InstrumentId.parse("005930.KRX")
NS_PER_MINUTE = 60 * 10**9
NS_PER_DAY = 86_400 * 10**9
FIRST_OPEN_NS = 1_609_718_400 * 10**9  # 2021-01-04 09:00 KST


def session_minutes(n_days: int, minutes_per_day: int = 390) -> np.ndarray:
    """Minute timestamps 09:00-15:29 KST on consecutive weekdays from 2021-01-04."""
    days, day = [], 0
    while len(days) < n_days:
        if day % 7 < 5:  # day 0 is Monday 2021-01-04
            days.append(FIRST_OPEN_NS + day * NS_PER_DAY)
        day += 1
    opens = np.array(days, dtype=np.int64)
    return (opens[:, None] + np.arange(minutes_per_day) * NS_PER_MINUTE).ravel()


def simulated_backtest(
    n_days: int = 300, seed: int = 7, strategy: str = "golden_cross_rsi"
) -> BacktestReportData:
    """A long/short strategy on a random-walk price, trading every few days."""
    rng = np.random.default_rng(seed)
    ts = session_minutes(n_days)
    price = 70_000.0 * np.exp(np.cumsum(rng.normal(1e-6, 8e-4, len(ts))))
    position = np.zeros(len(ts))
    trades = []
    step = 390 * 3
    for k, start in enumerate(range(0, len(ts) - step, step * 2)):
        end = start + step + int(rng.integers(0, 390))
        direction = Direction.LONG if k % 3 else Direction.SHORT
        sign = 1.0 if direction is Direction.LONG else -1.0
        position[start:end] = sign * 1_000
        entry, exit_ = price[start], price[end]
        fees = Decimal("0.00015") * Decimal(1_000) * Decimal(f"{entry + exit_:.0f}")
        pnl = Decimal(f"{sign * 1_000 * (exit_ - entry):.0f}") - fees.quantize(Decimal(1))
        trades.append(
            ClosedTrade(
                instrument_id=SAMSUNG, direction=direction, quantity=Decimal(1_000),
                entry_ts_ns=int(ts[start]), exit_ts_ns=int(ts[end]),
                entry_price=Decimal(f"{entry:.0f}"), exit_price=Decimal(f"{exit_:.0f}"),
                pnl=pnl, fees=fees.quantize(Decimal(1)),
            )
        )  # fmt: skip
    pnl_path = np.concatenate(([0.0], np.cumsum(position[:-1] * np.diff(price))))
    equity = 100_000_000.0 + pnl_path
    index = 100.0 * np.exp(np.cumsum(rng.normal(2e-6, 5e-4, len(ts))))
    metrics = analyze_performance(
        ts, equity, conventions=KRX_DAILY, trades=trades, benchmark=(ts, index)
    )
    return BacktestReportData(
        strategy=strategy,
        parameters={"fast": 20, "slow": 60, "rsi_limit": 70.0, "stop_loss": "5%"},
        equity=TimeSeries("Equity", ts, equity),
        metrics=metrics,
        trades=trades,
        price=TimeSeries(str(SAMSUNG), ts, price),
        benchmark=TimeSeries("KOSPI 200", ts, index),
    )


def simulated_optimization(
    seed: int = 11, strategy: str = "golden_cross_rsi"
) -> OptimizationReportData:
    """A 10 x 8 grid over (fast, slow) with a smooth objective surface plus noise."""
    rng = np.random.default_rng(seed)
    trials = []
    for fast in range(5, 55, 5):
        for slow in range(20, 100, 10):
            surface = 1.2 - ((fast - 20) / 30) ** 2 - ((slow - 60) / 60) ** 2
            objective = float(surface + rng.normal(0, 0.08))
            trials.append(Trial({"fast": fast, "slow": slow}, objective))
    trials.append(Trial({"fast": 5, "slow": 20}, float("nan")))
    windows = []
    for k in range(6):
        start = FIRST_OPEN_NS + k * 60 * NS_PER_DAY
        windows.append(
            WalkForwardWindow(
                in_sample_start_ns=start, in_sample_end_ns=start + 180 * NS_PER_DAY,
                out_of_sample_start_ns=start + 180 * NS_PER_DAY,
                out_of_sample_end_ns=start + 240 * NS_PER_DAY,
                in_sample_objective=float(1.4 + rng.normal(0, 0.1)),
                out_of_sample_objective=float(0.6 + rng.normal(0, 0.4)),
                parameters={"fast": int(rng.choice([15, 20, 25])), "slow": 60},
            )
        )  # fmt: skip
    days = np.arange(360, dtype=np.int64) * NS_PER_DAY + FIRST_OPEN_NS + 390 * NS_PER_MINUTE
    daily = rng.normal(4e-4, 0.01, len(days))
    oos_equity = 100_000_000.0 * np.concatenate(([1.0], np.cumprod(1 + daily[1:])))
    performance = rng.normal(2e-4, 0.01, (400, len(trials)))
    trial_sharpes = performance.mean(axis=0) / performance.std(axis=0, ddof=1)
    return OptimizationReportData(
        strategy=strategy,
        objective="sharpe",
        trials=trials,
        walk_forward=windows,
        out_of_sample_equity=TimeSeries("Out-of-sample equity", days, oos_equity),
        out_of_sample_metrics=analyze_performance(days, oos_equity, conventions=KRX_DAILY),
        deflated_sharpe=deflated_sharpe_ratio_of_returns(daily, trial_sharpes),
        overfitting=probability_of_backtest_overfitting(performance, n_blocks=10),
        notes=("Synthetic data for the rendering tests.",),
    )
