"""Base class of the streaming indicators: one bar in, the same value the batch form gives.

A streaming indicator performs, bar by bar, exactly the floating-point operations its batch
kernel performs over the array, in the same order, so the two agree bit for bit. Like the
batch form (and TA-Lib's Python wrapper) it ignores the bars before the first bar on which
every input is a number; a NaN after that flows through the arithmetic.

State is held in ``__slots__`` of plain Python values (floats, ints, lists, deques and
nested indicators), which lets :meth:`StreamingIndicator.snapshot` produce a plain dict that
pickles, and :meth:`StreamingIndicator.restore` resume from it exactly.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, TypeVar

from jts.contexts.strategy.domain.indicators.jit import fma as kernel_fma

NAN = math.nan

Output = float | tuple[float, ...]
S = TypeVar("S", bound="StreamingIndicator")


class StreamingIndicator:
    """One indicator's incremental state; subclasses define ``update``."""

    __slots__ = ("_lookback", "_started", "_value")

    name: ClassVar[str] = ""
    outputs: ClassVar[tuple[str, ...]] = ("real",)

    def __init__(self, lookback: int) -> None:
        self._lookback = lookback
        self._started = False
        self._value: Output = NAN if len(self.outputs) == 1 else (NAN,) * len(self.outputs)

    @property
    def warmup(self) -> int:
        """Complete bars consumed before the first value (TA-Lib's lookback)."""
        return self._lookback

    @property
    def value(self) -> Output:
        """The latest output: NaN (or a tuple of NaN) until the warm-up is over."""
        return self._value

    @property
    def params(self) -> dict[str, object]:
        """The parameters this instance was built with, by TA-Lib name."""
        return {}

    def snapshot(self) -> dict[str, Any]:
        """The full state as a plain, picklable dict; see :meth:`restore`."""
        return {
            "indicator": self.name,
            "params": self.params,
            "state": {slot: _encode(getattr(self, slot)) for slot in self._state_slots()},
        }

    def restore(self, snapshot: dict[str, Any]) -> None:
        """Continue from a :meth:`snapshot` taken of an indicator with the same parameters."""
        if snapshot.get("indicator") != self.name or snapshot.get("params") != self.params:
            raise ValueError(
                f"cannot restore {snapshot.get('indicator')}{snapshot.get('params')} into "
                f"{self.name}{self.params}: the indicator and its parameters must match"
            )
        state = snapshot["state"]
        for slot in self._state_slots():
            current = getattr(self, slot)
            if isinstance(current, StreamingIndicator):
                current.restore(state[slot])
            elif isinstance(current, deque):
                current.clear()
                current.extend(
                    tuple(item) if isinstance(item, list) else item for item in state[slot]
                )
            elif isinstance(current, list):
                setattr(self, slot, list(state[slot]))
            else:
                setattr(self, slot, _decode(state[slot]))

    def _state_slots(self) -> Iterator[str]:
        for cls in type(self).__mro__:
            yield from getattr(cls, "__slots__", ())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{type(self).__name__}({args})"


class SingleSeries(StreamingIndicator, ABC):
    """A streaming indicator of one input series and one output."""

    __slots__ = ()

    @abstractmethod
    def update(self, real: float) -> float:
        """Consume one bar and return the indicator's value (NaN during the warm-up)."""


def _encode(value: object) -> object:
    if isinstance(value, StreamingIndicator):
        return value.snapshot()
    if isinstance(value, deque | list):
        return [_encode(item) for item in value]
    return value


def _decode(value: object) -> object:
    if isinstance(value, list):
        return tuple(value)
    return value


fma: Callable[[float, float, float], float] = getattr(math, "fma", kernel_fma)
"""``a * b + c`` rounded once: the kernels' fused multiply-add, callable per bar.

``math.fma`` where Python has it (3.13+), otherwise the compiled kernel ``jit.fma`` (one
hardware instruction behind a ~0.1-0.4 µs call).
"""


def nested(indicator: S) -> S:
    """Mark a component fed by another indicator: it must not skip leading NaNs.

    Only the outermost indicator skips the incomplete bars before the data starts, exactly
    as TA-Lib's wrapper does; inner calculations see every value they are given.
    """
    indicator._started = True
    return indicator
