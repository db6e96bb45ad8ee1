"""The two searches: the whole grid, or Optuna's TPE over the same grid points.

Grid search hands the runner every parameter set at once (the engine evaluates each chunk
as one vectorized batch). TPE (Optuna's ``TPESampler``, seeded, so a run repeats exactly)
asks for ``batch`` suggestions at a time, evaluates them together (in parallel
when the runner has workers) and reports the scores back before asking again; a set TPE
suggests twice is not run twice. Scores of ``-inf`` (constraint broken, objective
undefined) are told as such, so TPE learns to avoid them. Optuna's own logging is kept at
warnings.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import optuna

from jts.runtime.backtest.optimization.evaluation import Window
from jts.runtime.backtest.optimization.parallel import TrialRunner
from jts.runtime.backtest.optimization.scoring import TrialResult
from jts.runtime.backtest.optimization.space import Dimension, ParameterSpace
from jts.shared_kernel.errors import StrategyError

Method = Literal["grid", "tpe"]
METHODS: tuple[Method, ...] = ("grid", "tpe")
ParamKey = tuple[float, ...]


@dataclass(frozen=True)
class SearchSettings:
    """How to search: ``grid`` (every set) or ``tpe`` (``trials`` suggestions, ``seed``,
    asked ``batch`` at a time; the batch, not the number of workers, shapes TPE's path, so
    a seeded search gives the same trials with any ``--jobs``)."""

    method: Method = "grid"
    trials: int = 100
    seed: int = 0
    batch: int = 8

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise StrategyError(f"unknown method {self.method!r}; choose grid or tpe")
        if self.trials < 1 or self.batch < 1:
            raise StrategyError(
                f"trials is {self.trials}, batch {self.batch}; give 1 or more of each"
            )


def search(
    runner: TrialRunner, space: ParameterSpace, window: Window, settings: SearchSettings
) -> list[TrialResult]:
    """Every trial the search ran over ``window``, in the order it ran them."""
    if settings.method == "grid":
        return runner.run(window, list(space.grid()))
    return _tpe(runner, space, window, settings)


def planned_trials(space: ParameterSpace, settings: SearchSettings) -> int:
    """How many trials the search will run (TPE never runs more sets than the grid has)."""
    return space.size if settings.method == "grid" else min(settings.trials, space.size)


def _tpe(
    runner: TrialRunner, space: ParameterSpace, window: Window, settings: SearchSettings
) -> list[TrialResult]:
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler = optuna.samplers.TPESampler(seed=settings.seed)
    study = optuna.create_study(direction="maximize", sampler=sampler)
    seen: dict[ParamKey, TrialResult] = {}
    ran: list[TrialResult] = []
    budget = planned_trials(space, settings)
    batch = settings.batch
    asked = 0
    while len(ran) < budget and asked < budget * 20:
        trials = [study.ask() for _ in range(min(batch, budget - len(ran)))]
        asked += len(trials)
        suggested = [_suggest(trial, space) for trial in trials]
        fresh = _unseen(space, suggested, seen)
        for result in runner.run(window, fresh):
            seen[_key(space, result.params)] = result
            ran.append(result)
        for trial, params in zip(trials, suggested, strict=True):
            study.tell(trial, seen[_key(space, params)].score)
    return ran


def _unseen(
    space: ParameterSpace, suggested: list[dict[str, float]], seen: Mapping[ParamKey, object]
) -> list[dict[str, float]]:
    fresh: dict[ParamKey, dict[str, float]] = {}
    for params in suggested:
        key = _key(space, params)
        if key not in seen:
            fresh.setdefault(key, params)
    return list(fresh.values())


def _key(space: ParameterSpace, params: Mapping[str, float]) -> ParamKey:
    return tuple(params[name] for name in space.names)


def _suggest(trial: optuna.Trial, space: ParameterSpace) -> dict[str, float]:
    return {d.name: _suggest_value(trial, d) for d in space.dimensions}


def _suggest_value(trial: optuna.Trial, dimension: Dimension) -> float:
    values = dimension.values
    if not dimension.varies:
        return values[0]
    step = values[1] - values[0]
    if dimension.integer:
        low, high = int(values[0]), int(values[-1])
        return float(trial.suggest_int(dimension.name, low, high, step=int(step)))
    raw = trial.suggest_float(dimension.name, values[0], values[-1], step=step)
    return min(values, key=lambda v: math.fabs(v - raw))
