"""Reach the indicator package's batch and streaming forms by indicator name.

The vectorized evaluator calls the batch form (numba kernels over whole arrays); the
incremental one keeps a streaming instance per indicator node. The indicator package
guarantees that the two give bit-identical values, which is what lets the two evaluators
agree bar for bar.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from jts.contexts.strategy.domain.language.catalog import indicator_specs
from jts.shared_kernel.errors import StrategyError

FloatArray = NDArray[np.float64]
_PACKAGE = "jts.contexts.strategy.domain.indicators"


class Streaming(Protocol):
    """What the incremental evaluator needs from a streaming indicator."""

    @property
    def warmup(self) -> int: ...

    def update(self, *inputs: float) -> Any: ...

    def snapshot(self) -> dict[str, Any]: ...

    def restore(self, snapshot: dict[str, Any]) -> None: ...


@functools.cache
def _modules(prefix: str) -> tuple[ModuleType, ...]:
    package = importlib.import_module(_PACKAGE)
    names = sorted(
        info.name for info in pkgutil.iter_modules(package.__path__) if info.name.startswith(prefix)
    )
    return tuple(importlib.import_module(f"{_PACKAGE}.{name}") for name in names)


def _find(prefix: str, attribute: str) -> Any:
    for module in _modules(prefix):
        found = getattr(module, attribute, None)
        if found is not None:
            return found
    return None


def typed_params(name: str, values: Sequence[float]) -> list[float | int]:
    """Parameter values as the indicator wants them: whole-number parameters as ``int``."""
    specs = indicator_specs()[name].params
    return [int(v) if spec.integer else float(v) for spec, v in zip(specs, values, strict=True)]


def is_available(name: str) -> bool:
    """Whether both forms of ``name`` exist in the indicator package."""
    return _find("batch_", name) is not None and _find("stream_", name.upper()) is not None


def batch(
    name: str, inputs: Sequence[FloatArray], params: Sequence[float]
) -> tuple[FloatArray, ...]:
    """Every output of indicator ``name`` over whole arrays."""
    compute: Callable[..., Any] | None = _find("batch_", name)
    if compute is None:
        raise StrategyError(f"indicator {name} is not available in this build (no batch form)")
    result = compute(*inputs, *typed_params(name, params))
    return tuple(result) if isinstance(result, tuple) else (result,)


def stream(name: str, params: Sequence[float]) -> Streaming:
    """A fresh streaming instance of indicator ``name``."""
    factory: Callable[..., Streaming] | None = _find("stream_", name.upper())
    if factory is None:
        raise StrategyError(f"indicator {name} is not available in this build (no streaming form)")
    return factory(*typed_params(name, params))


def lookback(name: str, params: Sequence[float]) -> int:
    """Bars the indicator consumes before its first value."""
    return int(stream(name, params).warmup)
