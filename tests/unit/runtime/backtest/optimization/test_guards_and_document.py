from __future__ import annotations

import json
import math

import numpy as np

from jts.runtime.backtest.optimization import (
    Constraints,
    ParameterSpace,
    Scorer,
    SearchSettings,
    TrialRunner,
    WalkForwardPlan,
    optimize,
    outcome_document,
)
from jts.runtime.backtest.optimization.guards import backtest_overfitting, deflated_sharpe
from tests.unit.runtime.backtest.optimization.fakes import PARAMS, FakeEvaluator

SPACE = ParameterSpace.of(PARAMS)


def test_guards_are_computed_over_all_trials(sharpe_scorer: Scorer) -> None:
    with TrialRunner(FakeEvaluator(), sharpe_scorer) as runner:
        outcome = optimize(runner, SPACE, SearchSettings("grid"))
    dsr, pbo = outcome.deflated_sharpe, outcome.overfitting
    assert dsr is not None
    assert dsr.n_trials == SPACE.size
    assert 0.0 <= dsr.probability <= 1.0
    assert pbo is not None
    assert pbo.n_blocks == 16
    # The fake's best set earns the most on every bar, so it wins out of sample too.
    assert pbo.probability == 0.0
    assert outcome.notes == ()


def test_guards_say_why_they_are_missing(sharpe_scorer: Scorer) -> None:
    with TrialRunner(FakeEvaluator(days=6), sharpe_scorer) as runner:
        outcome = optimize(runner, SPACE, SearchSettings("grid"))
    assert outcome.overfitting is None
    assert any("PBO needs at least 8 return periods" in note for note in outcome.notes)
    single = outcome.trials[:1]
    assert backtest_overfitting(single) == (None, "PBO needs at least 2 trials")
    flat = outcome.trials[0].__class__(
        params={},
        objective_value=math.nan,
        score=-math.inf,
        trades=0,
        total_return=0.0,
        max_drawdown=0.0,
        sharpe=math.nan,
        returns=np.zeros(2),
    )
    assert deflated_sharpe([flat], flat)[0] is None


def test_document_is_plain_json_with_the_stable_keys(sharpe_scorer: Scorer) -> None:
    constraints = Constraints(min_trades=8)
    scorer = Scorer("sharpe", sharpe_scorer.conventions, constraints)
    with TrialRunner(FakeEvaluator(), scorer) as runner:
        outcome = optimize(runner, SPACE, SearchSettings("grid"), WalkForwardPlan(300, 50))
    document = outcome_document(
        strategy="fake",
        method="grid",
        objective="sharpe",
        constraints=constraints,
        outcome=outcome,
    )
    text = json.dumps(document, allow_nan=False)
    assert list(json.loads(text)) == [
        "strategy",
        "method",
        "objective",
        "constraints",
        "best",
        "trials",
        "walk_forward",
        "out_of_sample",
        "deflated_sharpe",
        "pbo",
        "notes",
    ]
    assert document["best"]["parameters"] == {"a": 40, "b": 2.0}
    refused = document["trials"][0]
    assert refused["score"] is None
    assert refused["violation"] == "2 trades < min_trades 8"
    assert set(refused["metrics"]) == {"total_return", "max_drawdown", "sharpe", "trades"}
    window = document["walk_forward"][0]
    assert window["train"] == {
        "start_bar": 0,
        "end_bar": 300,
        "start": "2024-01-02T00:00:00+00:00",
        "end": "2024-10-27T00:00:00+00:00",
    }
    assert window["test"]["start_bar"] == 300
    assert document["out_of_sample"]["metrics"]["trades"] == 2 * 8
