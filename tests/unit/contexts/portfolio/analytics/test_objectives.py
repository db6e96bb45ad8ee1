"""The objectives registry: names, agreement with the performance report, ranking NaN last."""

from __future__ import annotations

import math

import numpy as np
import pytest

from jts.contexts.portfolio.domain.analytics import (
    KRX_DAILY,
    OBJECTIVES,
    LocalDays,
    ObjectiveInput,
    analyze_performance,
    objective,
)
from tests.unit.contexts.portfolio.analytics.builders import NS_PER_DAY, minute_curve, trade


def test_the_registry_holds_the_five_objectives_by_name() -> None:
    assert sorted(OBJECTIVES) == [
        "calmar",
        "return_over_max_drawdown",
        "sharpe",
        "sortino",
        "sqn",
    ]
    assert all(name == item.name for name, item in OBJECTIVES.items())


def test_objectives_agree_with_the_performance_report() -> None:
    ts, equity = minute_curve(60, seed=21)
    trades = [trade(str(p), entry_ts_ns=0, exit_ts_ns=NS_PER_DAY) for p in (120, -40, 75, 10)]
    report = analyze_performance(ts, equity, conventions=KRX_DAILY, trades=trades)
    pnl = np.array([120.0, -40.0, 75.0, 10.0])

    run = ObjectiveInput.of(ts, equity, conventions=KRX_DAILY, trade_pnl=pnl)

    assert objective("sharpe").evaluate(run) == report.sharpe
    assert objective("sortino").evaluate(run) == report.sortino
    assert objective("calmar").evaluate(run) == report.calmar
    assert objective("return_over_max_drawdown").evaluate(run) == pytest.approx(
        report.return_over_max_drawdown, rel=1e-12
    )
    assert objective("sqn").evaluate(run) == report.trades.sqn


def test_shared_local_days_give_the_same_scores_for_many_runs() -> None:
    ts, equity = minute_curve(20, seed=22)
    days = LocalDays.of(ts, KRX_DAILY.time_zone)

    for scale in (1.0, 0.5):
        curve = equity[0] + (equity - equity[0]) * scale
        shared = ObjectiveInput.of(ts, curve, conventions=KRX_DAILY, days=days)
        fresh = ObjectiveInput.of(ts, curve, conventions=KRX_DAILY)

        assert OBJECTIVES["sharpe"].evaluate(shared) == OBJECTIVES["sharpe"].evaluate(fresh)


def test_undefined_objectives_score_minus_infinity() -> None:
    flat = ObjectiveInput.of(
        np.arange(5, dtype=np.int64) * NS_PER_DAY, np.full(5, 100.0), conventions=KRX_DAILY
    )

    for item in OBJECTIVES.values():
        assert math.isnan(item.evaluate(flat))
        assert item.score(flat) == -math.inf


def test_an_unknown_objective_lists_the_known_ones() -> None:
    with pytest.raises(KeyError, match="choose one of: calmar, return_over_max_drawdown"):
        objective("profit")
