from __future__ import annotations

import math

import pytest

from jts.runtime.backtest.optimization import (
    Constraints,
    ParameterSpace,
    Scorer,
    SearchSettings,
    TrialRunner,
    Window,
    best_of,
    optimize,
)
from jts.runtime.backtest.optimization.search import search
from jts.shared_kernel.errors import StrategyError
from tests.unit.runtime.backtest.optimization.conftest import DAILY_UTC
from tests.unit.runtime.backtest.optimization.fakes import PARAMS, PEAK_A, FakeEvaluator

SPACE = ParameterSpace.of(PARAMS)


def test_grid_search_runs_every_set_once_and_finds_the_known_best(sharpe_scorer: Scorer) -> None:
    evaluator = FakeEvaluator()
    with TrialRunner(evaluator, sharpe_scorer) as runner:
        outcome = optimize(runner, SPACE, SearchSettings("grid"))
    assert evaluator.evaluated == SPACE.size == len(outcome.trials)
    assert [t.params for t in outcome.trials] == list(SPACE.grid())
    assert dict(outcome.best.params) == {"a": PEAK_A, "b": 2.0}
    assert outcome.best.score == max(t.score for t in outcome.trials)
    assert outcome.best.trades == int(PEAK_A) // 5


def test_only_the_best_set_is_rerun_exactly_and_its_exact_result_is_reported(
    sharpe_scorer: Scorer,
) -> None:
    evaluator = FakeEvaluator()
    with TrialRunner(evaluator, sharpe_scorer) as runner:
        outcome = optimize(runner, SPACE, SearchSettings("grid"))
    best = {"a": PEAK_A, "b": 2.0}
    assert evaluator.exact == [(Window(0, 400), best)]
    exact = sharpe_scorer.score(best, evaluator.exact_run(Window(0, 400), best))
    fast = sharpe_scorer.score(best, evaluator.run_batch(Window(0, 400), [best])[0])
    assert exact.objective_value != fast.objective_value
    assert outcome.best.objective_value == exact.objective_value
    reported = [t for t in outcome.trials if dict(t.params) == best]
    assert reported == [outcome.best]


def test_tpe_is_seeded_stays_on_the_grid_and_never_repeats_a_set(sharpe_scorer: Scorer) -> None:
    def run(seed: int) -> list[dict[str, float]]:
        with TrialRunner(FakeEvaluator(), sharpe_scorer) as runner:
            trials = search(runner, SPACE, Window(0, 400), SearchSettings("tpe", 15, seed))
        return [dict(t.params) for t in trials]

    first = run(3)
    assert first == run(3)
    assert len(first) == 15
    keys = [(p["a"], p["b"]) for p in first]
    assert len(set(keys)) == len(keys)
    grid = {(p["a"], p["b"]) for p in SPACE.grid()}
    assert set(keys) <= grid


def test_tpe_never_runs_more_sets_than_the_grid_holds(sharpe_scorer: Scorer) -> None:
    evaluator = FakeEvaluator()
    with TrialRunner(evaluator, sharpe_scorer) as runner:
        outcome = optimize(runner, SPACE, SearchSettings("tpe", trials=500, seed=1))
    assert len(outcome.trials) <= SPACE.size
    assert evaluator.evaluated == len(outcome.trials)


def test_min_trades_constraint_scores_too_few_trades_as_minus_infinity() -> None:
    scorer = Scorer("sharpe", DAILY_UTC, Constraints(min_trades=8))
    with TrialRunner(FakeEvaluator(), scorer) as runner:
        outcome = optimize(runner, SPACE, SearchSettings("grid"))
    refused = [t for t in outcome.trials if t.params["a"] < 40]
    assert refused
    assert all(t.score == -math.inf and not t.feasible for t in refused)
    assert all("min_trades 8" in (t.violation or "") for t in refused)
    assert math.isfinite(refused[0].objective_value)  # kept for the record
    assert outcome.best.params["a"] == 40.0


def test_max_drawdown_constraint_refuses_deep_drawdowns() -> None:
    scorer = Scorer("sharpe", DAILY_UTC, Constraints(max_drawdown=0.0001))
    with TrialRunner(FakeEvaluator(), scorer) as runner:
        outcome = optimize(runner, SPACE, SearchSettings("grid"))
    assert not any(t.feasible for t in outcome.trials)
    assert "no trial met the constraints" in outcome.notes
    assert all("max drawdown" in (t.violation or "") for t in outcome.trials)


def test_bad_settings_get_clear_errors() -> None:
    with pytest.raises(StrategyError, match="choose grid or tpe"):
        SearchSettings("random")  # type: ignore[arg-type]
    with pytest.raises(StrategyError, match="unknown objective 'profit'"):
        Scorer("profit", DAILY_UTC)
    with pytest.raises(StrategyError, match="fraction in"):
        Constraints(max_drawdown=25)
    with pytest.raises(StrategyError, match="no trials"):
        best_of([])


@pytest.mark.parametrize("name", ["sharpe", "sortino", "calmar", "return_over_max_drawdown", "sqn"])
def test_every_objective_ranks_the_fake_optimum_first_or_scores_finitely(name: str) -> None:
    with TrialRunner(FakeEvaluator(), Scorer(name, DAILY_UTC)) as runner:
        outcome = optimize(runner, SPACE, SearchSettings("grid"))
    assert math.isfinite(outcome.best.score)
    if name != "sqn":  # SQN ranks trade pnls, not the equity the fake shapes
        assert outcome.best.params["a"] == PEAK_A
