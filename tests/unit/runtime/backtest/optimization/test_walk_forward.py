from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jts.runtime.backtest.optimization import (
    ParameterSpace,
    Scorer,
    SearchSettings,
    TrialRun,
    TrialRunner,
    WalkForwardPlan,
    Window,
    optimize,
    stitch,
)
from jts.shared_kernel.errors import StrategyError
from tests.unit.runtime.backtest.optimization.fakes import DAY_NS, PARAMS, START_NS, FakeEvaluator

HOUR_NS = 3_600 * 1_000_000_000


def test_parse_bars_days_and_anchored() -> None:
    assert WalkForwardPlan.parse("train=500,test=100") == WalkForwardPlan(500, 100)
    assert WalkForwardPlan.parse("train=90d, test=30d, anchored") == WalkForwardPlan(
        90, 30, anchored=True, in_days=True
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("train=500", "write train=N,test=M"),
        ("train=5x,test=1", "is not a length"),
        ("train=90d,test=10", "lengths in bars or both in days"),
        ("train=0,test=10", "both must be positive"),
    ],
)
def test_parse_refuses_bad_plans_saying_how_to_write_them(text: str, message: str) -> None:
    with pytest.raises(StrategyError, match=message):
        WalkForwardPlan.parse(text)


def test_rolling_windows_by_bars_slide_by_one_test_length() -> None:
    times = np.arange(10, dtype=np.int64)
    pairs = WalkForwardPlan(4, 2).windows(times)
    assert pairs == [
        (Window(0, 4), Window(4, 6)),
        (Window(2, 6), Window(6, 8)),
        (Window(4, 8), Window(8, 10)),
    ]


def test_anchored_windows_keep_the_first_bar() -> None:
    pairs = WalkForwardPlan(4, 3, anchored=True).windows(np.arange(11, dtype=np.int64))
    assert pairs == [(Window(0, 4), Window(4, 7)), (Window(0, 7), Window(7, 10))]


def test_windows_by_days_cut_at_day_boundaries_of_hourly_bars() -> None:
    times = START_NS + HOUR_NS * np.arange(1, 24 * 10 + 1, dtype=np.int64)  # 10 days
    pairs = WalkForwardPlan(4, 2, in_days=True).windows(times)
    starts = [(train.start, test.start, test.stop) for train, test in pairs]
    # days run from the first close; a span holds the bars closing inside it
    assert starts == [(0, 96, 144), (48, 144, 192), (96, 192, 240)]


def test_too_little_data_for_one_window_is_an_error() -> None:
    with pytest.raises(StrategyError, match="needs more data than the 5 bars"):
        WalkForwardPlan(4, 2).windows(np.arange(5, dtype=np.int64))


@given(st.integers(1, 30), st.integers(1, 30), st.integers(2, 200), st.booleans())
def test_test_windows_tile_the_data_after_the_first_training_span(
    train: int, test: int, count: int, anchored: bool
) -> None:
    plan = WalkForwardPlan(train, test, anchored=anchored)
    try:
        pairs = plan.windows(np.arange(count, dtype=np.int64))
    except StrategyError:
        assert train + test > count
        return
    assert pairs[0][1].start == train
    for (_, test_w), (_, following) in itertools.pairwise(pairs):
        assert test_w.stop == following.start
    for train_w, test_w in pairs:
        assert train_w.stop == test_w.start
        assert test_w.length == test
        assert train_w.length == (test_w.start if anchored else train)
    assert pairs[-1][1].stop + test > count


def test_stitch_chains_curves_keeping_each_runs_returns() -> None:
    first = TrialRun(np.array([1, 2, 3]), np.array([100.0, 110.0, 121.0]), np.empty(0))
    second = TrialRun(np.array([4, 5]), np.array([50.0, 25.0]), np.empty(0))
    ts, equity = stitch([first, second])
    assert ts.tolist() == [1, 2, 3, 4, 5]
    assert equity.tolist() == pytest.approx([100.0, 110.0, 121.0, 121.0, 60.5])


def test_walk_forward_optimizes_each_window_and_stitches_out_of_sample(
    sharpe_scorer: Scorer,
) -> None:
    space = ParameterSpace.of(PARAMS)
    evaluator = FakeEvaluator(days=400)
    plan = WalkForwardPlan(200, 50)
    with TrialRunner(evaluator, sharpe_scorer) as runner:
        outcome = optimize(runner, space, SearchSettings("grid"), plan)
    assert len(outcome.windows) == 4
    assert evaluator.evaluated == space.size * 5  # full search, 4 searches: ranking only
    for number, window in enumerate(outcome.windows):
        assert window.test == Window(200 + 50 * number, 250 + 50 * number)
        assert window.train_start_ns == START_NS + DAY_NS * (1 + 50 * number)
        assert dict(window.params) == {"a": 30.0, "b": 2.0}
    assert outcome.out_of_sample_ts is not None
    assert outcome.out_of_sample_equity is not None
    assert outcome.out_of_sample_ts.tolist() == evaluator.ts[200:].tolist()
    assert outcome.out_of_sample is not None
    assert outcome.out_of_sample.trades == 4 * 6


def test_walk_forward_reruns_only_each_winner_exactly_in_and_out_of_sample(
    sharpe_scorer: Scorer,
) -> None:
    evaluator = FakeEvaluator(days=400)
    with TrialRunner(evaluator, sharpe_scorer) as runner:
        outcome = optimize(
            runner, ParameterSpace.of(PARAMS), SearchSettings("grid"), WalkForwardPlan(200, 50)
        )
    windows = [Window(0, 400)] + [w for step in outcome.windows for w in (step.train, step.test)]
    assert [window for window, _ in evaluator.exact] == windows
    for step in outcome.windows:
        train_run = evaluator.exact_run(step.train, step.params)
        test_run = evaluator.exact_run(step.test, step.params)
        assert (
            step.in_sample.objective_value
            == sharpe_scorer.score(step.params, train_run).objective_value
        )
        assert (
            step.out_of_sample.objective_value
            == sharpe_scorer.score(step.params, test_run).objective_value
        )
