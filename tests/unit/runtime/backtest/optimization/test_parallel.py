from __future__ import annotations

import io

import numpy as np
import pytest

from jts.runtime.backtest.optimization import (
    ParameterSpace,
    Scorer,
    SearchSettings,
    TrialRunner,
    WalkForwardPlan,
    optimize,
)
from jts.runtime.backtest.optimization.parallel import chunk_size
from jts.runtime.backtest.optimization.progress import NullProgress, RichProgress, progress_for
from jts.shared_kernel.errors import StrategyError
from tests.unit.runtime.backtest.optimization.fakes import PARAMS, FakeEvaluator


class CountingProgress:
    def __init__(self) -> None:
        self.stages: list[tuple[str, int]] = []
        self.done: dict[str, int] = {}

    def stage(self, description: str, total: int) -> None:
        self.stages.append((description, total))
        self.done[description] = 0

    def advance(self, done: int) -> None:
        self.done[self.stages[-1][0]] += done

    def close(self) -> None:
        return None


def test_two_workers_give_the_same_trials_in_the_same_order(sharpe_scorer: Scorer) -> None:
    space = ParameterSpace.of(PARAMS)
    plan = WalkForwardPlan(200, 100)
    outcomes = []
    for jobs in (1, 2):
        with TrialRunner(FakeEvaluator(), sharpe_scorer, jobs=jobs) as runner:
            outcomes.append(optimize(runner, space, SearchSettings("grid"), plan))
    serial, pooled = outcomes
    assert [t.params for t in pooled.trials] == [t.params for t in serial.trials]
    assert [t.score for t in pooled.trials] == [t.score for t in serial.trials]
    assert np.array_equal(pooled.trials[5].returns, serial.trials[5].returns)
    assert [w.params for w in pooled.windows] == [w.params for w in serial.windows]


def test_seeded_tpe_gives_the_same_trials_with_any_number_of_workers(
    sharpe_scorer: Scorer,
) -> None:
    space = ParameterSpace.of(PARAMS)
    runs = []
    for jobs in (1, 2):
        with TrialRunner(FakeEvaluator(), sharpe_scorer, jobs=jobs) as runner:
            runs.append(optimize(runner, space, SearchSettings("tpe", 12, seed=5)))
    assert [t.params for t in runs[0].trials] == [t.params for t in runs[1].trials]


def test_progress_counts_every_trial_of_every_stage(sharpe_scorer: Scorer) -> None:
    progress = CountingProgress()
    space = ParameterSpace.of(PARAMS)
    with TrialRunner(FakeEvaluator(), sharpe_scorer, jobs=2, progress=progress) as runner:
        optimize(runner, space, SearchSettings("grid"), WalkForwardPlan(300, 100))
    assert progress.stages == [("search", 27), ("walk-forward 1/1", 27)]
    assert progress.done == {"search": 27, "walk-forward 1/1": 27}


def test_warm_up_runs_before_any_trial(sharpe_scorer: Scorer) -> None:
    evaluator = FakeEvaluator()
    with TrialRunner(evaluator, sharpe_scorer):
        assert evaluator.warmed == 1


@pytest.mark.parametrize(
    ("count", "jobs", "size"), [(27, 1, 7), (27, 2, 4), (1, 8, 1), (10_000, 2, 64)]
)
def test_chunks_give_each_worker_several_tasks(count: int, jobs: int, size: int) -> None:
    assert chunk_size(count, jobs) == size


def test_zero_jobs_is_refused(sharpe_scorer: Scorer) -> None:
    with pytest.raises(StrategyError, match="give 1 or more worker processes"):
        TrialRunner(FakeEvaluator(), sharpe_scorer, jobs=0)


def test_rich_progress_shows_counts_and_eta_per_stage_and_only_on_terminals() -> None:
    stream = io.StringIO()
    progress = RichProgress(stream)
    progress.stage("search", 10)
    progress.advance(4)
    progress.stage("walk-forward 1/1", 5)  # completes the search's bar
    progress.advance(5)
    progress.close()
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("search")
    assert "10/10 trials" in lines[0]
    assert "ETA" in lines[0]
    assert "5/5" in lines[1]
    assert isinstance(progress_for(True, io.StringIO()), NullProgress)  # not a terminal
    assert isinstance(progress_for(False), NullProgress)
