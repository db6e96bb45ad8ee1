"""The checked program's expression graph, shared by both evaluators.

Nodes are frozen and compared by value, so the same sub-expression written twice
(``rsi(close, 14)`` in two rules) is one node and is computed once. Every node knows its
timeframe (``None`` for scalars: constants, parameters and arithmetic on them).

Values are float64 everywhere. A condition is 1.0 (true), 0.0 (false) or NaN (unknown:
some input is still warming up or undefined); a signal fires only on a definite 1.0.
Arithmetic and comparisons with NaN give NaN, and so do ``and``, ``or`` and ``not`` with
an unknown operand, so ``not (x > y)`` cannot fire while ``x`` is warming up.
"""

from __future__ import annotations

from collections.abc import Iterator

import msgspec

BAR_FIELDS = ("open", "high", "low", "close", "volume")
CLOCK_FIELDS = ("time", "weekday", "hour", "minute")
ARITHMETIC = ("+", "-", "*", "/")
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")
LOGICAL = ("and", "or")
EXTREMA = ("min", "max")


class Node(msgspec.Struct, frozen=True):
    """Base of graph nodes; ``timeframe`` is ``None`` for scalars."""

    @property
    def timeframe(self) -> str | None:
        return None

    def children(self) -> tuple[Node, ...]:
        return ()


class Const(Node, frozen=True):
    value: float


class Param(Node, frozen=True):
    name: str


class Field(Node, frozen=True):
    """A bar field (``close``) or a clock field (``time`` in exchange minutes of day)."""

    frame: str
    name: str

    @property
    def timeframe(self) -> str | None:
        return self.frame


class Align(Node, frozen=True):
    """A coarser series seen from ``frame``: its last bar closed at or before each bar."""

    frame: str
    source: Node

    @property
    def timeframe(self) -> str | None:
        return self.frame

    def children(self) -> tuple[Node, ...]:
        return (self.source,)


class Indicator(Node, frozen=True):
    """Output ``output`` of catalog indicator ``name`` over ``inputs`` with scalar ``params``."""

    frame: str
    name: str
    inputs: tuple[Node, ...]
    params: tuple[Node, ...]
    output: int = 0

    @property
    def timeframe(self) -> str | None:
        return self.frame

    def children(self) -> tuple[Node, ...]:
        return (*self.inputs, *self.params)


class Unary(Node, frozen=True):
    """``neg``, ``not`` or ``abs``."""

    op: str
    operand: Node

    @property
    def timeframe(self) -> str | None:
        return self.operand.timeframe

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


class Binary(Node, frozen=True):
    """Arithmetic, comparison, ``and``/``or`` and ``min``/``max`` of two same-frame values."""

    op: str
    left: Node
    right: Node

    @property
    def timeframe(self) -> str | None:
        return self.left.timeframe or self.right.timeframe

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


class Lag(Node, frozen=True):
    """``source`` as it was ``bars`` bars of its own timeframe ago."""

    source: Node
    bars: int

    @property
    def timeframe(self) -> str | None:
        return self.source.timeframe

    def children(self) -> tuple[Node, ...]:
        return (self.source,)


class Cross(Node, frozen=True):
    """``crosses_above`` (``above``) or ``crosses_below`` of ``a`` over ``b``."""

    above: bool
    a: Node
    b: Node

    @property
    def timeframe(self) -> str | None:
        return self.a.timeframe or self.b.timeframe

    def children(self) -> tuple[Node, ...]:
        return (self.a, self.b)


class Window(Node, frozen=True):
    """``highest`` (``max``) or ``lowest`` (``min``) of ``source`` over ``length`` bars."""

    op: str
    source: Node
    length: Node

    @property
    def timeframe(self) -> str | None:
        return self.source.timeframe

    def children(self) -> tuple[Node, ...]:
        return (self.source, self.length)


def walk(root: Node) -> Iterator[Node]:
    """Every node under ``root`` once, children before parents."""
    seen: set[Node] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if node in seen:
            continue
        if expanded:
            seen.add(node)
            yield node
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.children()) if child not in seen)


def parameters_of(root: Node) -> frozenset[str]:
    """Names of the parameters ``root`` depends on."""
    return frozenset(node.name for node in walk(root) if isinstance(node, Param))
