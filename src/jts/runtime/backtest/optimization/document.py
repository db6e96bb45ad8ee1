"""The stable JSON document of an optimization (``jts optimize --json`` and the store).

Keys, in order: ``strategy``, ``method``, ``objective``, ``constraints``, ``best``
(``parameters``, ``score``, ``objective``, ``metrics``), ``trials`` (each ``parameters``,
``score``, ``objective``, ``metrics`` with ``total_return``, ``max_drawdown``, ``sharpe``,
``trades``, and ``violation``), ``walk_forward`` (each window's ``train`` and ``test`` as
bar indices and ISO 8601 UTC times, ``parameters``, ``in_sample_objective``,
``out_of_sample_objective``), ``out_of_sample`` (objective and metrics of the stitched
curve, or null), ``deflated_sharpe`` and ``pbo`` (null when not computed) and ``notes``.
Non-finite numbers become null (JSON has no NaN or infinity).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from jts.runtime.backtest.optimization.optimizer import OptimizationOutcome, WindowOutcome
from jts.runtime.backtest.optimization.scoring import Constraints, TrialResult
from jts.shared_kernel.clock import ns_to_datetime

Document = dict[str, Any]


def outcome_document(
    *,
    strategy: str,
    method: str,
    objective: str,
    constraints: Constraints,
    outcome: OptimizationOutcome,
) -> Document:
    """The document of ``outcome``; see the module docstring for its keys."""
    dsr, pbo = outcome.deflated_sharpe, outcome.overfitting
    return {
        "strategy": strategy,
        "method": method,
        "objective": objective,
        "constraints": {
            "min_trades": constraints.min_trades,
            "max_drawdown": constraints.max_drawdown,
        },
        "best": trial_document(outcome.best),
        "trials": [trial_document(t) for t in outcome.trials],
        "walk_forward": [window_document(w) for w in outcome.windows],
        "out_of_sample": None
        if outcome.out_of_sample is None
        else {
            "objective": finite(outcome.out_of_sample.objective_value),
            "metrics": metrics_document(outcome.out_of_sample),
        },
        "deflated_sharpe": None
        if dsr is None
        else {
            "probability": finite(dsr.probability),
            "sharpe": finite(dsr.sharpe),
            "expected_max_sharpe": finite(dsr.expected_max_sharpe),
            "n_trials": dsr.n_trials,
            "n_observations": dsr.n_observations,
        },
        "pbo": None
        if pbo is None
        else {
            "probability": finite(pbo.probability),
            "probability_of_loss": finite(pbo.probability_of_loss),
            "n_blocks": pbo.n_blocks,
            "n_combinations": pbo.n_combinations,
        },
        "notes": list(outcome.notes),
    }


def trial_document(trial: TrialResult) -> Document:
    return {
        "parameters": parameters_document(trial.params),
        "score": finite(trial.score),
        "objective": finite(trial.objective_value),
        "metrics": metrics_document(trial),
        "trades": trial.trades,
        "violation": trial.violation,
    }


def window_document(window: WindowOutcome) -> Document:
    return {
        "train": {
            "start_bar": window.train.start,
            "end_bar": window.train.stop,
            "start": iso(window.train_start_ns),
            "end": iso(window.train_end_ns),
        },
        "test": {
            "start_bar": window.test.start,
            "end_bar": window.test.stop,
            "start": iso(window.test_start_ns),
            "end": iso(window.test_end_ns),
        },
        "parameters": parameters_document(window.params),
        "in_sample_objective": finite(window.in_sample.objective_value),
        "out_of_sample_objective": finite(window.out_of_sample.objective_value),
    }


def metrics_document(trial: TrialResult) -> Document:
    return {key: finite(value) for key, value in trial.summary().items()}


def parameters_document(params: Mapping[str, float]) -> dict[str, int | float]:
    """Whole-number values as integers (``fast: 10``, not ``10.0``)."""
    return {name: int(v) if float(v).is_integer() else float(v) for name, v in params.items()}


def finite(value: float | int) -> float | int | None:
    if isinstance(value, int):
        return value
    return value if math.isfinite(value) else None


def iso(ts_ns: int) -> str:
    """UNIX ns as ISO 8601 UTC, e.g. ``2024-01-02T00:00:00+00:00``."""
    return ns_to_datetime(ts_ns).isoformat()
