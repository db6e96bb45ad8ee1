"""One optimization: search the whole history, walk forward if asked, apply the guards.

``optimize`` searches the full bar series (the trials every report lists, the best set and
the overfitting guards come from it). With a walk-forward plan it then repeats the search
in each training window, runs the winner over the following test window and stitches the
tests into one out-of-sample equity curve. The best set is the highest score; ties go to
the earliest trial, so grid results do not depend on the number of workers.

Trials are ranked on the evaluator's fast runs (``run_batch``, floats); only the sets the
outcome reports are run again exactly (``run_exact``): the best set over the whole history
(its exact result replaces its trial) and each walk-forward winner over its training and
test windows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from jts.contexts.portfolio.domain.analytics import BacktestOverfitting, DeflatedSharpe
from jts.runtime.backtest.optimization.evaluation import FloatArray, Int64Array, TrialRun, Window
from jts.runtime.backtest.optimization.guards import backtest_overfitting, deflated_sharpe
from jts.runtime.backtest.optimization.parallel import TrialRunner
from jts.runtime.backtest.optimization.scoring import TrialResult
from jts.runtime.backtest.optimization.search import SearchSettings, planned_trials, search
from jts.runtime.backtest.optimization.space import ParameterSpace
from jts.runtime.backtest.optimization.walk_forward import WalkForwardPlan, stitch
from jts.shared_kernel.errors import StrategyError


@dataclass(frozen=True, eq=False)
class WindowOutcome:
    """One walk-forward step: the windows, the set chosen in sample and both scores."""

    train: Window
    test: Window
    train_start_ns: int
    train_end_ns: int
    test_start_ns: int
    test_end_ns: int
    params: Mapping[str, float]
    in_sample: TrialResult
    out_of_sample: TrialResult


@dataclass(frozen=True, eq=False)
class OptimizationOutcome:
    """Everything a search found; ``notes`` say which guards could not be computed."""

    trials: Sequence[TrialResult]
    best: TrialResult
    windows: Sequence[WindowOutcome] = ()
    out_of_sample_ts: Int64Array | None = None
    out_of_sample_equity: FloatArray | None = None
    out_of_sample: TrialResult | None = None
    deflated_sharpe: DeflatedSharpe | None = None
    overfitting: BacktestOverfitting | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def best_of(trials: Sequence[TrialResult]) -> TrialResult:
    """The highest-scoring trial; the first of equals. No trials is an error."""
    if not trials:
        raise StrategyError("the search ran no trials; check the parameter ranges")
    best = trials[0]
    for trial in trials[1:]:
        if trial.score > best.score:
            best = trial
    return best


def exact_trial(runner: TrialRunner, window: Window, ranked: TrialResult) -> TrialResult:
    """``ranked``'s parameter set run exactly over ``window`` and scored."""
    run = runner.evaluator.run_exact(window, [ranked.params])[0]
    return runner.scorer.score(ranked.params, run)


def optimize(
    runner: TrialRunner,
    space: ParameterSpace,
    settings: SearchSettings,
    walk_forward: WalkForwardPlan | None = None,
) -> OptimizationOutcome:
    """Search, walk forward when a plan is given, and measure overfitting."""
    times = runner.evaluator.bar_times()
    if len(times) < 2:
        raise StrategyError(f"optimization needs at least 2 bars, not {len(times)}")
    pairs = walk_forward.windows(times) if walk_forward is not None else []  # fail early
    runner.progress.stage("search", planned_trials(space, settings))
    whole = Window(0, len(times))
    trials = search(runner, space, whole, settings)
    ranked = best_of(trials)
    best = exact_trial(runner, whole, ranked)
    trials = [best if trial is ranked else trial for trial in trials]
    notes = [] if best.score > -math.inf else ["no trial met the constraints"]
    dsr, dsr_note = deflated_sharpe(trials, best)
    pbo, pbo_note = backtest_overfitting(trials)
    notes += [note for note in (dsr_note, pbo_note) if note]
    if not pairs:
        return OptimizationOutcome(
            trials, best, deflated_sharpe=dsr, overfitting=pbo, notes=tuple(notes)
        )
    windows, runs = _walk(runner, space, settings, pairs, times)
    oos_ts, oos_equity, oos = _stitched(runner, runs)
    return OptimizationOutcome(
        trials,
        best,
        windows=windows,
        out_of_sample_ts=oos_ts,
        out_of_sample_equity=oos_equity,
        out_of_sample=oos,
        deflated_sharpe=dsr,
        overfitting=pbo,
        notes=tuple(notes),
    )


def _walk(
    runner: TrialRunner,
    space: ParameterSpace,
    settings: SearchSettings,
    pairs: Sequence[tuple[Window, Window]],
    times: Int64Array,
) -> tuple[list[WindowOutcome], list[TrialRun]]:
    """Each step's outcome, and its test run (evaluated here: its equity is stitched)."""
    outcomes: list[WindowOutcome] = []
    runs: list[TrialRun] = []
    for number, (train, test) in enumerate(pairs, start=1):
        stage = f"walk-forward {number}/{len(pairs)}"
        runner.progress.stage(stage, planned_trials(space, settings))
        chosen = exact_trial(runner, train, best_of(search(runner, space, train, settings)))
        run = runner.evaluator.run_exact(test, [chosen.params])[0]
        runs.append(run)
        outcomes.append(
            WindowOutcome(
                train=train,
                test=test,
                train_start_ns=int(times[train.start]),
                train_end_ns=int(times[train.stop - 1]),
                test_start_ns=int(times[test.start]),
                test_end_ns=int(times[test.stop - 1]),
                params=chosen.params,
                in_sample=chosen,
                out_of_sample=runner.scorer.score(chosen.params, run),
            )
        )
    return outcomes, runs


def _stitched(
    runner: TrialRunner, runs: Sequence[TrialRun]
) -> tuple[Int64Array, FloatArray, TrialResult]:
    """The test runs chained into one curve, scored as one run (all their trades counted)."""
    ts, equity = stitch(list(runs))
    pnls = [run.trade_pnl for run in runs]
    combined = TrialRun(ts, equity, np.concatenate(pnls) if pnls else np.empty(0))
    return ts, equity, runner.scorer.score({}, combined)
