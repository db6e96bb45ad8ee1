"""Write an ``ir`` node back as source text, for messages and ``jts strategy explain``."""

from __future__ import annotations

from collections.abc import Mapping

from jts.contexts.strategy.domain.language import ir
from jts.contexts.strategy.domain.language.catalog import indicator_specs

_PRECEDENCE = {
    "or": 1,
    "and": 2,
    "<": 4, "<=": 4, ">": 4, ">=": 4, "==": 4, "!=": 4,
    "+": 5, "-": 5,
    "*": 6, "/": 6,
}  # fmt: skip
_ATOM = 9


def render(node: ir.Node, primary: str, names: Mapping[ir.Node, str] | None = None) -> str:
    """Source-like text for ``node``; ``names`` replaces known sub-graphs by their let name."""
    return _render(node, primary, names or {})[0]


def _number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _wrap(part: tuple[str, int], minimum: int) -> str:
    text, precedence = part
    return f"({text})" if precedence < minimum else text


def _render(node: ir.Node, primary: str, names: Mapping[ir.Node, str]) -> tuple[str, int]:
    if node in names:
        return names[node], _ATOM
    if isinstance(node, ir.Const):
        return _number(node.value), _ATOM
    if isinstance(node, ir.Param):
        return node.name, _ATOM
    if isinstance(node, ir.Field):
        suffix = "" if node.frame == primary else f"@{node.frame}"
        return node.name + suffix, _ATOM
    if isinstance(node, ir.Align):
        return _render(node.source, primary, names)
    if isinstance(node, ir.Binary):
        return _binary(node, primary, names)
    if isinstance(node, ir.Unary):
        inner = _render(node.operand, primary, names)
        if node.op == "abs":
            return f"abs({inner[0]})", _ATOM
        if node.op == "not":
            return f"not {_wrap(inner, 3)}", 3
        return f"-{_wrap(inner, 7)}", 7
    return _call(node, primary, names), _ATOM


def _is_clock(node: ir.Node) -> bool:
    return isinstance(node, ir.Field) and node.name == "time"


def _time_of_day(node: ir.Node) -> str | None:
    if isinstance(node, ir.Const) and node.value == int(node.value):
        hours, minutes = divmod(int(node.value), 60)
        return f"{hours:02d}:{minutes:02d}"
    return None


def _binary(node: ir.Binary, primary: str, names: Mapping[ir.Node, str]) -> tuple[str, int]:
    left = _render(node.left, primary, names)
    right = _render(node.right, primary, names)
    if node.op in ir.COMPARISONS and (_is_clock(node.left) or _is_clock(node.right)):
        # A constant compared with ``time`` was written as a time of day.
        left = (_time_of_day(node.left) or left[0], _ATOM)
        right = (_time_of_day(node.right) or right[0], _ATOM)
    if node.op in ir.EXTREMA:
        return f"{node.op}({left[0]}, {right[0]})", _ATOM
    precedence = _PRECEDENCE[node.op]
    text = f"{_wrap(left, precedence)} {node.op} {_wrap(right, precedence + 1)}"
    return text, precedence


def _call(node: ir.Node, primary: str, names: Mapping[ir.Node, str]) -> str:
    def text(child: ir.Node) -> str:
        return _render(child, primary, names)[0]

    if isinstance(node, ir.Lag):
        return f"{_wrap(_render(node.source, primary, names), _ATOM)}[{node.bars}]"
    if isinstance(node, ir.Cross):
        name = "crosses_above" if node.above else "crosses_below"
        return f"{name}({text(node.a)}, {text(node.b)})"
    if isinstance(node, ir.Window):
        name = "highest" if node.op == "max" else "lowest"
        return f"{name}({text(node.source)}, {text(node.length)})"
    assert isinstance(node, ir.Indicator)
    spec = indicator_specs()[node.name]
    output = f".{spec.outputs[node.output]}" if len(spec.outputs) > 1 else ""
    return call_text(node, primary, names) + output


def call_text(node: ir.Indicator, primary: str, names: Mapping[ir.Node, str] | None = None) -> str:
    """``bbands(close, 20, 2, 2, 0)``: the call without an output selection."""
    known = names or {}
    args = ", ".join(_render(child, primary, known)[0] for child in (*node.inputs, *node.params))
    return f"{node.name}({args})"
