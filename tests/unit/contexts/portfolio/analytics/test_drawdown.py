"""Drawdown depth against quantstats and empyrical; duration and timing by hand."""

from __future__ import annotations

import math

import empyrical
import numpy as np
import pytest
import quantstats as qs
from hypothesis import given
from hypothesis import strategies as st

from jts.contexts.portfolio.domain.analytics import drawdown_series, drawdown_stats, max_drawdown
from tests.unit.contexts.portfolio.analytics.builders import daily_curve, seeded_returns

DAY = 86_400 * 10**9


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_max_drawdown_of_a_daily_curve_matches_the_judges(seed: int) -> None:
    r = seeded_returns(seed)
    _, equity, s = daily_curve(r)

    ours = max_drawdown(equity)

    assert ours == pytest.approx(qs.stats.max_drawdown(s), rel=1e-9)
    assert ours == pytest.approx(empyrical.max_drawdown(r), rel=1e-9)
    np.testing.assert_allclose(
        drawdown_series(equity)[1:], qs.stats.to_drawdown_series(s).to_numpy(), atol=1e-12
    )


def test_a_loss_in_the_first_period_counts_against_the_starting_equity() -> None:
    equity = np.array([100.0, 90.0, 95.0])

    assert max_drawdown(equity) == pytest.approx(-0.10)


def test_deepest_and_longest_drawdowns_by_hand() -> None:
    # peak 120 at day 2, trough 90 at day 4 (-25%), recovered at day 6 (4 days);
    # then a shallow but longer drawdown from day 7 (130) never recovered by day 13.
    equity = np.array([100, 110, 120, 100, 90, 110, 125, 130, 129, 128, 127, 126, 125, 128.0])
    ts = np.arange(len(equity), dtype=np.int64) * DAY

    stats = drawdown_stats(ts, equity)

    assert stats.max_drawdown == pytest.approx(-0.25)
    assert stats.peak_ts_ns == 2 * DAY
    assert stats.trough_ts_ns == 4 * DAY
    assert stats.recovery_ts_ns == 6 * DAY
    assert stats.longest_duration_ns == 6 * DAY
    assert (stats.longest_start_ts_ns, stats.longest_end_ts_ns) == (7 * DAY, 13 * DAY)


def test_recovery_at_exactly_the_old_peak_ends_the_drawdown() -> None:
    equity = np.array([100.0, 80.0, 100.0, 90.0])
    ts = np.array([0, 1, 5, 6], dtype=np.int64) * DAY

    stats = drawdown_stats(ts, equity)

    assert stats.recovery_ts_ns == 5 * DAY
    assert stats.longest_duration_ns == 5 * DAY


def test_unrecovered_deepest_drawdown_has_no_recovery_time() -> None:
    stats = drawdown_stats(np.arange(3, dtype=np.int64), np.array([100.0, 120.0, 60.0]))

    assert stats.max_drawdown == pytest.approx(-0.5)
    assert stats.recovery_ts_ns is None
    assert stats.longest_duration_ns == 1


@pytest.mark.parametrize("equity", [[100.0, 100.0, 100.0], [100.0, 101.0, 102.0], [5.0]])
def test_curves_that_never_fall_have_no_drawdown(equity: list[float]) -> None:
    stats = drawdown_stats(np.arange(len(equity), dtype=np.int64), np.array(equity))

    assert stats.max_drawdown == 0.0
    assert stats.longest_duration_ns == 0
    assert stats.peak_ts_ns is None


def test_an_empty_curve_has_an_undefined_drawdown() -> None:
    assert math.isnan(max_drawdown(np.empty(0)))
    assert math.isnan(drawdown_stats(np.empty(0, dtype=np.int64), np.empty(0)).max_drawdown)


@given(st.lists(st.floats(min_value=1.0, max_value=1e6), min_size=1, max_size=100))
def test_drawdowns_are_between_minus_one_and_zero_and_agree(values: list[float]) -> None:
    equity = np.array(values)
    ts = np.arange(len(values), dtype=np.int64)

    series = drawdown_series(equity)
    stats = drawdown_stats(ts, equity)

    assert np.all((series <= 0.0) & (series > -1.0))
    assert stats.max_drawdown == series.min()
    assert 0 <= stats.longest_duration_ns <= ts[-1]
