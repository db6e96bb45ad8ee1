"""``SqlOptimizationRunStore``: optimization runs and their trials in the transactional store.

Two tables, registered on the one ``MetaData`` of ``tables`` (which imports this module) and
created by migration ``0003``:

- ``optimization_runs``: one row per run: strategy, method, objective, the best parameters
  and score, trial count, DSR probability and PBO (null when not computed) and the whole
  JSON document (``jts.runtime.backtest.optimization.document``);
- ``optimization_trials``: one row per trial, ``(run_id, trial_no)``: parameters (JSON),
  score and objective (null when not finite), trade count and the constraint violation, so
  trials can be queried without parsing documents.

``save_run`` is one transaction: a run is stored whole or not at all. Database failures
leave as ``StoreError``; an id stored before is refused.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from jts.adapters.sql.errors import StoreError, describe
from jts.adapters.sql.tables import metadata

optimization_runs = Table(
    "optimization_runs",
    metadata,
    Column("run_id", String(64), primary_key=True),
    Column("created_ns", BigInteger, nullable=False),
    Column("strategy", String(128), nullable=False),
    Column("method", String(16), nullable=False),
    Column("objective", String(64), nullable=False),
    Column("best_parameters", Text, nullable=False),
    Column("best_score", Float),
    Column("trial_count", Integer, nullable=False),
    Column("deflated_sharpe", Float),
    Column("pbo", Float),
    Column("document", Text, nullable=False),
    Index(None, "strategy", "created_ns"),
)

optimization_trials = Table(
    "optimization_trials",
    metadata,
    Column("run_id", String(64), ForeignKey("optimization_runs.run_id"), primary_key=True),
    Column("trial_no", Integer, primary_key=True, autoincrement=False),
    Column("parameters", Text, nullable=False),
    Column("score", Float),
    Column("objective", Float),
    Column("trades", Integer, nullable=False),
    Column("violation", Text),
)


class SqlOptimizationRunStore:
    """``OptimizationRunStore`` (``jts.runtime.backtest.optimization.ports``) over SQL."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def save_run(self, run_id: str, created_ns: int, document: Mapping[str, Any]) -> None:
        try:
            with self._engine.begin() as connection:
                connection.execute(
                    insert(optimization_runs), _run_row(run_id, created_ns, document)
                )
                _insert_trials(connection, run_id, document.get("trials", ()))
        except IntegrityError as e:
            raise StoreError(
                f"optimization run {run_id} is already stored; runs are never overwritten"
            ) from e
        except SQLAlchemyError as e:
            raise StoreError(
                f"saving optimization run {run_id} failed and was rolled back: {describe(e)}"
            ) from e

    def load_run(self, run_id: str) -> dict[str, Any] | None:
        query = select(optimization_runs.c.document).where(optimization_runs.c.run_id == run_id)
        try:
            with self._engine.connect() as connection:
                text = connection.execute(query).scalar_one_or_none()
        except SQLAlchemyError as e:
            raise StoreError(f"loading optimization run {run_id} failed: {describe(e)}") from e
        if text is None:
            return None
        loaded: dict[str, Any] = json.loads(text)
        return loaded

    def trial_scores(self, run_id: str) -> list[tuple[int, float | None, int]]:
        """``(trial_no, score, trades)`` of every stored trial of ``run_id``, in order."""
        table = optimization_trials
        query = (
            select(table.c.trial_no, table.c.score, table.c.trades)
            .where(table.c.run_id == run_id)
            .order_by(table.c.trial_no)
        )
        try:
            with self._engine.connect() as connection:
                return [(int(n), s, int(t)) for n, s, t in connection.execute(query).all()]
        except SQLAlchemyError as e:
            raise StoreError(f"reading trials of run {run_id} failed: {describe(e)}") from e


def _run_row(run_id: str, created_ns: int, document: Mapping[str, Any]) -> dict[str, Any]:
    best = document.get("best") or {}
    dsr = document.get("deflated_sharpe") or {}
    pbo = document.get("pbo") or {}
    return {
        "run_id": run_id,
        "created_ns": created_ns,
        "strategy": str(document["strategy"]),
        "method": str(document["method"]),
        "objective": str(document["objective"]),
        "best_parameters": json.dumps(best.get("parameters", {}), sort_keys=True),
        "best_score": _finite(best.get("score")),
        "trial_count": len(document.get("trials", ())),
        "deflated_sharpe": _finite(dsr.get("probability")),
        "pbo": _finite(pbo.get("probability")),
        "document": json.dumps(document, allow_nan=False),
    }


def _insert_trials(connection: Connection, run_id: str, trials: Any) -> None:
    rows = [
        {
            "run_id": run_id,
            "trial_no": number,
            "parameters": json.dumps(trial.get("parameters", {}), sort_keys=True),
            "score": _finite(trial.get("score")),
            "objective": _finite(trial.get("objective")),
            "trades": int(trial.get("trades", 0)),
            "violation": trial.get("violation"),
        }
        for number, trial in enumerate(trials)
    ]
    if rows:
        connection.execute(insert(optimization_trials), rows)


def _finite(value: object) -> float | None:
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None
