"""One slot per graph node for the incremental evaluator; each advances in O(1) per bar.

A slot reads its children's current values from the evaluator's value list and returns its
own. Stateful slots (indicators, look-backs, crosses, windows) expose ``state()`` and
``load()`` with plain, msgpack-friendly values so an evaluator can be saved and resumed.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections import deque
from typing import Any

from jts.contexts.strategy.domain.language import semantics
from jts.contexts.strategy.domain.language.indicator_bridge import Streaming

NAN = math.nan


class Slot(ABC):
    """A node's evaluation rule; stateless by default."""

    __slots__ = ()

    @abstractmethod
    def step(self, values: list[float]) -> float:
        """This node's value on the current bar of its timeframe."""

    def state(self) -> Any:
        return None

    def load(self, state: Any) -> None:
        return None


class Copy(Slot):
    """The current value of another slot (alignment to a finer timeframe)."""

    __slots__ = ("source",)

    def __init__(self, source: int) -> None:
        self.source = source

    def step(self, values: list[float]) -> float:
        return values[self.source]


class UnarySlot(Slot):
    __slots__ = ("op", "operand")

    def __init__(self, op: str, operand: int) -> None:
        self.op, self.operand = op, operand

    def step(self, values: list[float]) -> float:
        return semantics.unary(self.op, values[self.operand])


class BinarySlot(Slot):
    __slots__ = ("left", "op", "right")

    def __init__(self, op: str, left: int, right: int) -> None:
        self.op, self.left, self.right = op, left, right

    def step(self, values: list[float]) -> float:
        return semantics.binary(self.op, values[self.left], values[self.right])


class IndicatorCall:
    """One streaming indicator instance, shared by the nodes reading its outputs."""

    __slots__ = ("indicator", "inputs", "only_input", "outputs", "stepped")

    def __init__(self, indicator: Streaming, inputs: tuple[int, ...], count: int) -> None:
        self.indicator = indicator
        self.inputs = inputs
        self.only_input = inputs[0] if len(inputs) == 1 else -1
        self.outputs: tuple[float, ...] = (NAN,) * count
        self.stepped = -1

    def advance(self, bar: int, values: list[float]) -> tuple[float, ...]:
        if self.stepped != bar:
            if self.only_input >= 0:  # most indicators read one series: no argument tuple
                result = self.indicator.update(values[self.only_input])
            else:
                result = self.indicator.update(*[values[i] for i in self.inputs])
            self.outputs = result if isinstance(result, tuple) else (result,)
            self.stepped = bar
        return self.outputs


class IndicatorSlot(Slot):
    __slots__ = ("call", "clock", "output")

    def __init__(self, call: IndicatorCall, output: int, clock: list[int]) -> None:
        self.call, self.output, self.clock = call, output, clock

    def step(self, values: list[float]) -> float:
        return float(self.call.advance(self.clock[0], values)[self.output])

    def state(self) -> Any:
        return {
            "indicator": self.call.indicator.snapshot(),
            "outputs": list(self.call.outputs),
            "stepped": self.call.stepped,
        }

    def load(self, state: Any) -> None:
        self.call.indicator.restore(state["indicator"])
        self.call.outputs = tuple(float(v) for v in state["outputs"])
        self.call.stepped = int(state["stepped"])


class LagSlot(Slot):
    """The source's value ``bars`` bars ago, from a ring of the last ``bars + 1`` values."""

    __slots__ = ("recent", "source")

    def __init__(self, source: int, bars: int) -> None:
        self.source = source
        self.recent: deque[float] = deque(maxlen=bars + 1)

    def step(self, values: list[float]) -> float:
        self.recent.append(values[self.source])
        return self.recent[0] if len(self.recent) == self.recent.maxlen else NAN

    def state(self) -> Any:
        return list(self.recent)

    def load(self, state: Any) -> None:
        self.recent.clear()
        self.recent.extend(float(v) for v in state)


class CrossSlot(Slot):
    __slots__ = ("a", "above", "b", "before")

    def __init__(self, above: bool, a: int, b: int) -> None:
        self.above, self.a, self.b = above, a, b
        self.before = (NAN, NAN)

    def step(self, values: list[float]) -> float:
        a_now, b_now = values[self.a], values[self.b]
        result = semantics.crosses(self.above, a_now, b_now, *self.before)
        self.before = (a_now, b_now)
        return result

    def state(self) -> Any:
        return list(self.before)

    def load(self, state: Any) -> None:
        self.before = (float(state[0]), float(state[1]))


class WindowSlot(Slot):
    """Rolling max/min with a monotonic queue, exactly as ``vector_ops.rolling_extreme``."""

    __slots__ = ("count", "monotonic", "recent", "source", "take_max", "unknown", "window")

    def __init__(self, source: int, window: int, take_max: bool) -> None:
        self.source, self.window, self.take_max = source, window, take_max
        self.recent: deque[float] = deque(maxlen=window)
        self.monotonic: deque[tuple[int, float]] = deque()
        self.count = 0
        self.unknown = 0

    def step(self, values: list[float]) -> float:
        value, i = values[self.source], self.count
        if value != value:
            self.unknown += 1
        else:
            queue = self.monotonic
            while queue and (queue[-1][1] <= value if self.take_max else queue[-1][1] >= value):
                queue.pop()
            queue.append((i, value))
        if len(self.recent) == self.window:
            leaving = self.recent[0]
            if leaving != leaving:
                self.unknown -= 1
            while self.monotonic and self.monotonic[0][0] <= i - self.window:
                self.monotonic.popleft()
        self.recent.append(value)
        self.count += 1
        if i >= self.window - 1 and self.unknown == 0:
            return self.monotonic[0][1]
        return NAN

    def state(self) -> Any:
        return {
            "recent": list(self.recent),
            "monotonic": [list(item) for item in self.monotonic],
            "count": self.count,
            "unknown": self.unknown,
        }

    def load(self, state: Any) -> None:
        self.recent.clear()
        self.recent.extend(float(v) for v in state["recent"])
        self.monotonic = deque((int(i), float(v)) for i, v in state["monotonic"])
        self.count, self.unknown = int(state["count"]), int(state["unknown"])
