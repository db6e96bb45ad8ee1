"""What the optimizer needs from the transactional store.

``OptimizationRunStore`` keeps each run's JSON document (``document.outcome_document``),
one row per run and one per trial, so past searches can be listed and compared.
``jts.adapters.sql.optimization_runs.SqlOptimizationRunStore`` implements it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class OptimizationRunStore(Protocol):
    """Saves and loads optimization runs by id."""

    def save_run(self, run_id: str, created_ns: int, document: Mapping[str, Any]) -> None:
        """Store the run and its trials in one transaction; an existing id is an error."""
        ...

    def load_run(self, run_id: str) -> dict[str, Any] | None:
        """The document stored for ``run_id``, or ``None``."""
        ...
