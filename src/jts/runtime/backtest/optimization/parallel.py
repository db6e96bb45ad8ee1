"""Running many trials across processes: chunks of parameter sets, results in order.

``TrialRunner`` evaluates and scores parameter sets over one window, in this process
(``jobs=1``) or over a ``ProcessPoolExecutor`` that lives as long as the runner (one pool
for every stage of a search). Each worker gets the evaluator and the scorer once, through
the pool's initializer: with the ``fork`` start method (Linux) they are inherited without a
copy, the bar arrays shared copy-on-write, and numba kernels the parent already compiled
or loaded from its cache come along ready; elsewhere they are pickled once per worker and
``warm_up`` loads the on-disk caches before the first task. Work is sent in chunks
(several sets per task, so the engine shares indicator work within a chunk and the pool's
overhead is paid per chunk, not per set); only scores, summaries and measured returns come
back, never equity curves.
"""

from __future__ import annotations

import math
import multiprocessing
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed

from jts.runtime.backtest.optimization.evaluation import BatchEvaluator, Window
from jts.runtime.backtest.optimization.progress import NullProgress, SearchProgress
from jts.runtime.backtest.optimization.scoring import Scorer, TrialResult
from jts.shared_kernel.errors import StrategyError

ParamSets = Sequence[Mapping[str, float]]
CHUNKS_PER_WORKER = 4
MAX_CHUNK = 64

_worker: tuple[BatchEvaluator, Scorer] | None = None


def _install(evaluator: BatchEvaluator, scorer: Scorer) -> None:
    global _worker
    evaluator.warm_up()
    _worker = (evaluator, scorer)


def _run_chunk(window: Window, param_sets: ParamSets) -> list[TrialResult]:
    assert _worker is not None, "worker started without its evaluator"
    evaluator, scorer = _worker
    return score_batch(evaluator, scorer, window, param_sets)


def score_batch(
    evaluator: BatchEvaluator, scorer: Scorer, window: Window, param_sets: ParamSets
) -> list[TrialResult]:
    """Evaluate and score ``param_sets`` over ``window`` in this process."""
    runs = evaluator.run_batch(window, param_sets)
    if len(runs) != len(param_sets):
        raise StrategyError(
            f"the engine returned {len(runs)} runs for {len(param_sets)} parameter sets"
        )
    return [scorer.score(params, run) for params, run in zip(param_sets, runs, strict=True)]


def chunk_size(count: int, jobs: int) -> int:
    """Sets per task: about ``CHUNKS_PER_WORKER`` tasks per worker, at most ``MAX_CHUNK``."""
    return max(1, min(MAX_CHUNK, math.ceil(count / (jobs * CHUNKS_PER_WORKER))))


class TrialRunner:
    """Evaluates parameter sets with ``jobs`` processes; use as a context manager."""

    def __init__(
        self,
        evaluator: BatchEvaluator,
        scorer: Scorer,
        *,
        jobs: int = 1,
        progress: SearchProgress | None = None,
    ) -> None:
        if jobs < 1:
            raise StrategyError(f"jobs is {jobs}; give 1 or more worker processes")
        self.evaluator = evaluator
        self.scorer = scorer
        self.jobs = jobs
        self.progress = progress or NullProgress()
        self._pool: Executor | None = None

    def __enter__(self) -> TrialRunner:
        self.evaluator.warm_up()
        if self.jobs > 1:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=context,
                initializer=_install,
                initargs=(self.evaluator, self.scorer),
            )
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def run(self, window: Window, param_sets: ParamSets) -> list[TrialResult]:
        """Every set of ``param_sets`` scored over ``window``, in order."""
        size = chunk_size(len(param_sets), self.jobs)
        chunks = [param_sets[i : i + size] for i in range(0, len(param_sets), size)]
        if self._pool is None:
            results: list[TrialResult] = []
            for chunk in chunks:
                results.extend(score_batch(self.evaluator, self.scorer, window, chunk))
                self.progress.advance(len(chunk))
            return results
        return self._run_pooled(self._pool, window, chunks)

    def _run_pooled(
        self, pool: Executor, window: Window, chunks: list[ParamSets]
    ) -> list[TrialResult]:
        futures: dict[Future[list[TrialResult]], int] = {
            pool.submit(_run_chunk, window, chunk): index for index, chunk in enumerate(chunks)
        }
        done: list[list[TrialResult]] = [[] for _ in chunks]
        for future in as_completed(futures):
            index = futures[future]
            done[index] = future.result()
            self.progress.advance(len(chunks[index]))
        return [result for chunk in done for result in chunk]
