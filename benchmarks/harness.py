"""The figure every benchmark reports, and timing helpers."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    higher_is_better: bool = True
    peer: str | None = None
    peer_value: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.peer_value is None or self.peer_value == 0 or self.value == 0:
            return None
        raw = self.value / self.peer_value
        return raw if self.higher_is_better else 1.0 / raw

    def to_json(self) -> str:
        record: dict[str, object] = {
            "name": self.name,
            "value": round(self.value, 6),
            "unit": self.unit,
        }
        if self.peer is not None:
            record["peer"] = self.peer
            record["peer_value"] = None if self.peer_value is None else round(self.peer_value, 6)
            record["ratio"] = None if self.ratio is None else round(self.ratio, 4)
        return json.dumps(record, ensure_ascii=False)


def best_of(repeats: int, fn: Callable[[], object]) -> float:
    """The fastest of ``repeats`` wall-clock runs of ``fn``, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0..100) by nearest rank."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[rank]
