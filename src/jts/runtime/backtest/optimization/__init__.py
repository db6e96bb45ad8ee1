"""Parameter optimization of strategy-language programs.

Grid search (every declared grid point, evaluated in vectorized batches) and Optuna TPE
(seeded) over the program's ``param ... range ... step`` declarations (``space``); the
objectives of the analytics registry with constraints on trade count and drawdown
(``scoring``); walk-forward analysis over rolling or anchored windows by bars or days with
the out-of-sample tests stitched into one curve (``walk_forward``); the deflated Sharpe
ratio and the probability of backtest overfitting by CSCV over the trials (``guards``);
worker processes with chunked tasks (``parallel``); a progress bar with ETA (``progress``);
a stable JSON document (``document``) and the store port (``ports``).

The optimizer evaluates nothing itself: a ``BatchEvaluator`` (``evaluation``) runs batches
of parameter sets over bar windows with the backtest engine. Entry point::

    with TrialRunner(evaluator, Scorer("sharpe", conventions, Constraints(min_trades=10)),
                     jobs=2) as runner:
        outcome = optimize(runner, ParameterSpace.of(program.params),
                           SearchSettings("grid"), WalkForwardPlan.parse("train=500,test=100"))
"""

from jts.runtime.backtest.optimization.document import outcome_document
from jts.runtime.backtest.optimization.evaluation import BatchEvaluator, TrialRun, Window
from jts.runtime.backtest.optimization.optimizer import (
    OptimizationOutcome,
    WindowOutcome,
    best_of,
    optimize,
)
from jts.runtime.backtest.optimization.parallel import TrialRunner
from jts.runtime.backtest.optimization.ports import OptimizationRunStore
from jts.runtime.backtest.optimization.progress import (
    NullProgress,
    RichProgress,
    SearchProgress,
    progress_for,
)
from jts.runtime.backtest.optimization.scoring import Constraints, Scorer, TrialResult
from jts.runtime.backtest.optimization.search import METHODS, SearchSettings
from jts.runtime.backtest.optimization.space import Dimension, ParameterSpace
from jts.runtime.backtest.optimization.walk_forward import WalkForwardPlan, stitch

__all__ = [
    "METHODS",
    "BatchEvaluator",
    "Constraints",
    "Dimension",
    "NullProgress",
    "OptimizationOutcome",
    "OptimizationRunStore",
    "ParameterSpace",
    "RichProgress",
    "Scorer",
    "SearchProgress",
    "SearchSettings",
    "TrialResult",
    "TrialRun",
    "TrialRunner",
    "WalkForwardPlan",
    "Window",
    "WindowOutcome",
    "best_of",
    "optimize",
    "outcome_document",
    "progress_for",
    "stitch",
]
