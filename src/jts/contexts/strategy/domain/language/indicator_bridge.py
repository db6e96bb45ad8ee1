"""Reach the indicator package's batch and streaming forms by indicator name.

The vectorized evaluator calls the batch form (numba kernels over whole arrays); the
incremental one keeps a streaming instance per indicator node. The indicator package
guarantees that the two give bit-identical values, which is what lets the two evaluators
agree bar for bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from jts.contexts.strategy.domain.indicators.registry import REGISTRY
from jts.contexts.strategy.domain.language.catalog import indicator_specs
from jts.shared_kernel.errors import StrategyError

FloatArray = NDArray[np.float64]


class Streaming(Protocol):
    """What the incremental evaluator needs from a streaming indicator."""

    @property
    def warmup(self) -> int: ...

    def update(self, *inputs: float) -> Any: ...

    def snapshot(self) -> dict[str, Any]: ...

    def restore(self, snapshot: dict[str, Any]) -> None: ...


def _entry(name: str) -> Any:
    entry = REGISTRY.get(name.upper())
    if entry is None or name not in indicator_specs():
        raise StrategyError(f"indicator {name} is not available to strategies")
    return entry


def typed_params(name: str, values: Sequence[float]) -> dict[str, float | int]:
    """Parameter values by name, whole-number parameters as ``int``."""
    specs = indicator_specs()[name].params
    return {
        spec.name: int(v) if spec.integer else float(v)
        for spec, v in zip(specs, values, strict=True)
    }


def batch(
    name: str, inputs: Sequence[FloatArray], params: Sequence[float]
) -> tuple[FloatArray, ...]:
    """Every output of indicator ``name`` over whole arrays."""
    result = _entry(name).batch(*inputs, **typed_params(name, params))
    return tuple(result) if isinstance(result, tuple) else (result,)


def stream(name: str, params: Sequence[float]) -> Streaming:
    """A fresh streaming instance of indicator ``name``."""
    indicator: Streaming = _entry(name).streaming(**typed_params(name, params))
    return indicator


def lookback(name: str, params: Sequence[float]) -> int:
    """Bars the indicator consumes before its first value."""
    return int(_entry(name).lookback(**typed_params(name, params)))
