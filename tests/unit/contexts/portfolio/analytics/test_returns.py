"""Period and daily returns from equity curves."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jts.contexts.portfolio.domain.analytics import (
    LocalDays,
    MetricConventions,
    daily_returns,
    measured_returns,
    period_returns,
)
from jts.shared_kernel.errors import DataError
from tests.unit.contexts.portfolio.analytics.builders import daily_curve, minute_curve


def test_daily_returns_of_intraday_equity_match_pandas_resampling_by_local_day() -> None:
    ts, equity = minute_curve(30, seed=3)
    local = pd.DatetimeIndex(ts).tz_localize("UTC").tz_convert("Asia/Seoul")
    closes = pd.Series(equity, index=local).resample("D").last().dropna()
    expected = closes / np.concatenate(([equity[0]], closes.to_numpy()[:-1])) - 1.0

    series = daily_returns(ts, equity, "Asia/Seoul")

    np.testing.assert_allclose(series.returns, expected.to_numpy(), rtol=0, atol=1e-15)
    assert len(series) == 30  # the first day moved after its opening point, so it counts


def test_a_daily_curve_gives_exactly_its_own_period_returns() -> None:
    returns = np.random.default_rng(1).normal(0, 0.01, 40)
    ts, equity, _ = daily_curve(returns)

    daily = daily_returns(ts, equity, "Asia/Seoul")
    sampled = period_returns(ts, equity, "Asia/Seoul")

    np.testing.assert_allclose(daily.returns, returns, rtol=1e-12)
    np.testing.assert_array_equal(daily.returns, sampled.returns)
    np.testing.assert_array_equal(daily.end_ts_ns, ts[1:])


def test_reused_local_days_give_the_same_returns() -> None:
    ts, equity = minute_curve(5, seed=4)
    days = LocalDays.of(ts, "Asia/Seoul")

    reused = daily_returns(ts, equity * 1.5, "Asia/Seoul", days)
    fresh = daily_returns(ts, equity * 1.5, "Asia/Seoul")

    np.testing.assert_array_equal(reused.returns, fresh.returns)


def test_local_days_of_another_clock_are_refused() -> None:
    ts, equity = minute_curve(2, seed=4)

    with pytest.raises(DataError, match="different timestamp column"):
        daily_returns(ts, equity, "Asia/Seoul", LocalDays.of(ts[:10], "Asia/Seoul"))


def test_measured_returns_follow_the_daily_switch() -> None:
    ts, equity = minute_curve(3, seed=5)

    sampled = measured_returns(ts, equity, MetricConventions(daily=False))
    daily = measured_returns(ts, equity, MetricConventions(daily=True))

    assert len(sampled) == len(ts) - 1
    assert len(daily) == 3


def test_single_point_and_empty_curves_have_no_returns() -> None:
    one = np.array([5], dtype=np.int64), np.array([100.0])
    none = np.empty(0, dtype=np.int64), np.empty(0)

    assert len(daily_returns(*one, "UTC")) == 0
    assert len(period_returns(*one, "UTC")) == 0
    assert len(daily_returns(*none, "UTC")) == 0


@pytest.mark.parametrize(
    ("ts", "equity", "message"),
    [
        ([1, 2, 2], [1.0, 1.0, 1.0], "point 2 .* is not after"),
        ([1, 2, 3], [1.0, float("nan"), 1.0], "point 1 .* has value nan"),
        ([1, 2, 3], [1.0, 0.0, 1.0], "point 1 .* has value 0.0"),
        ([1, 2], [1.0, 2.0, 3.0], "same length"),
    ],
)
def test_corrupt_curves_fail_fast_naming_the_point(
    ts: list[int], equity: list[float], message: str
) -> None:
    with pytest.raises(DataError, match=message):
        daily_returns(np.array(ts, dtype=np.int64), np.array(equity), "UTC")


@given(
    st.lists(st.floats(min_value=-0.2, max_value=0.2), min_size=1, max_size=60),
    st.integers(min_value=1, max_value=5),
)
def test_daily_returns_compound_to_the_total_return(steps: list[float], per_day: int) -> None:
    hour = 3_600 * 10**9
    ts = np.arange(len(steps) + 1, dtype=np.int64) * (24 // per_day) * hour
    equity = 100.0 * np.cumprod(np.concatenate(([1.0], 1.0 + np.array(steps))))

    series = daily_returns(ts, equity, "UTC")

    assert np.prod(1.0 + series.returns) == pytest.approx(equity[-1] / equity[0], rel=1e-9)
