"""Type-check expressions and lower them to the ``ir`` graph.

``ExpressionChecker.check(expr, frame)`` returns a ``Typed`` node or ``None`` after
reporting why not. ``frame`` is the timeframe bare bar fields (``close``) refer to: the
primary timeframe, or another one inside ``expr@1d``. A ``let`` is a named expression: its
name stands for its body read in the frame where the name is used, so ``f@1d`` recomputes
``f`` on daily bars.

When two series of different timeframes meet, the coarser one is aligned to the finer:
at each finer bar it holds the value of its last bar that had already closed (no
look-ahead). Constant sub-expressions are folded.
"""

from __future__ import annotations

import math

from jts.contexts.strategy.domain.language import ast, frames, ir, semantics
from jts.contexts.strategy.domain.language.catalog import (
    BUILTINS,
    ORDER_KINDS,
    SIZING_FORMS,
    indicator_specs,
)
from jts.contexts.strategy.domain.language.errors import Span
from jts.contexts.strategy.domain.language.limits import ProgramLimits
from jts.contexts.strategy.domain.language.names import did_you_mean
from jts.contexts.strategy.domain.language.value_types import (
    Kind,
    LetInfo,
    ParamInfo,
    Reporter,
    Typed,
)

NUMBER_FIELDS = {"weekday", "hour", "minute"}
MAX_LET_NESTING = 64


class Scope:
    """Names visible to an expression: parameters and the lets defined above it."""

    def __init__(self, primary: str, declared_frames: set[str]) -> None:
        self.primary = primary
        self.declared_frames = declared_frames
        self.params: dict[str, ParamInfo] = {}
        self.lets: dict[str, LetInfo] = {}
        self.later_lets: dict[str, int] = {}
        self.broken: set[str] = set()  # declared, but the declaration had errors

    def visible_names(self) -> list[str]:
        return [
            *self.params,
            *self.lets,
            *ir.BAR_FIELDS,
            *ir.CLOCK_FIELDS,
            *indicator_specs(),
            *BUILTINS,
        ]


class ExpressionChecker:
    """Checks one expression at a time against a ``Scope``, reporting into a ``Reporter``."""

    def __init__(self, scope: Scope, report: Reporter, limits: ProgramLimits) -> None:
        self.scope = scope
        self.report = report
        self.limits = limits
        self._expanding: list[str] = []
        self._let_cache: dict[tuple[str, str], Typed | None] = {}

    def check(self, expr: ast.Expr, frame: str) -> Typed | None:
        # Imported here: calls.py builds on this class.
        from jts.contexts.strategy.domain.language.calls import check_call_like

        if isinstance(expr, ast.NumberLit | ast.PercentLit | ast.TimeLit | ast.BoolLit):
            return self._literal(expr)
        if isinstance(expr, ast.Name):
            return self._name(expr, frame)
        if isinstance(expr, ast.Negate):
            return self._negate(expr, frame)
        if isinstance(expr, ast.BinaryOp):
            return self._arithmetic(expr, frame)
        if isinstance(expr, ast.Compare):
            return self._compare(expr, frame)
        if isinstance(expr, ast.Logical):
            return self._logical(expr, frame)
        if isinstance(expr, ast.Not):
            return self._not(expr, frame)
        return check_call_like(self, expr, frame)

    # --- leaves -----------------------------------------------------------------------

    def _literal(self, expr: ast.Expr) -> Typed | None:
        if isinstance(expr, ast.BoolLit):
            return Typed(node=ir.Const(1.0 if expr.value else 0.0), kind=Kind.CONDITION)
        if isinstance(expr, ast.TimeLit):
            hours, minutes = divmod(expr.minutes, 60)
            if hours > 23 or int(expr.text.split(":")[1]) > 59:
                self.report.error(
                    expr.span, f"{expr.text} is not a time of day; use 00:00 to 23:59"
                )
                return None
            return Typed(node=ir.Const(float(hours * 60 + minutes)), kind=Kind.TIME)
        assert isinstance(expr, ast.NumberLit | ast.PercentLit)
        if not math.isfinite(expr.value):
            self.report.error(expr.span, f"number {expr.text} is too large")
            return None
        percent = isinstance(expr, ast.PercentLit)
        integer = isinstance(expr, ast.NumberLit) and expr.is_integer
        return Typed(node=ir.Const(expr.value), kind=Kind.NUMBER, percent=percent, integer=integer)

    def _name(self, expr: ast.Name, frame: str) -> Typed | None:
        name = expr.id
        if name in self.scope.broken:
            return None  # already reported where it was declared
        if name in self.scope.lets:
            return self._let(name, expr.span, frame)
        if name in self.scope.params:
            info = self.scope.params[name]
            return Typed(
                node=ir.Param(name), kind=Kind.NUMBER, percent=info.percent, integer=info.integer
            )
        if name in ir.BAR_FIELDS:
            return Typed(node=ir.Field(frame, name), kind=Kind.NUMBER)
        if name in ir.CLOCK_FIELDS:
            kind = Kind.TIME if name == "time" else Kind.NUMBER
            return Typed(node=ir.Field(frame, name), kind=kind, integer=name in NUMBER_FIELDS)
        self.report.error(expr.span, self._unknown_name_message(name))
        return None

    def _unknown_name_message(self, name: str) -> str:
        if name in self.scope.later_lets:
            line = self.scope.later_lets[name]
            return f"'{name}' is defined on line {line}, after this use; move its 'let' above"
        if name in indicator_specs():
            spec = indicator_specs()[name]
            return f"'{name}' is an indicator; call it, e.g. {spec.example()}"
        if name in BUILTINS:
            return f"'{name}' is a function; call it with ({', '.join(BUILTINS[name].arguments)})"
        if name in SIZING_FORMS:
            return f"'{name}' is a sizing form; use it after 'size', e.g. size {name}(...)"
        if name in ORDER_KINDS:
            return f"'{name}' is an order type; use it after 'order'"
        return f"unknown name '{name}'{did_you_mean(name, self.scope.visible_names())}"

    def _let(self, name: str, span: Span, frame: str) -> Typed | None:
        info = self.scope.lets[name]
        info.used = True
        if frame == self.scope.primary and info.typed is not None:
            return info.typed
        key = (name, frame)
        if key in self._let_cache:
            return self._let_cache[key]
        if name in self._expanding or len(self._expanding) >= MAX_LET_NESTING:
            self.report.error(span, f"'{name}' is nested too deeply in other lets to expand")
            return None
        self._expanding.append(name)
        try:
            result = self.check(info.decl.value, frame)
        finally:
            self._expanding.pop()
        self._let_cache[key] = result
        return result

    # --- operators --------------------------------------------------------------------

    def _negate(self, expr: ast.Negate, frame: str) -> Typed | None:
        operand = self.check(expr.operand, frame)
        if operand is None or not self.expect_number(operand, expr.operand.span, "'-'"):
            return None
        return Typed(
            node=fold(ir.Unary("neg", operand.node)),
            kind=Kind.NUMBER,
            percent=operand.percent,
            integer=operand.integer,
        )

    def _arithmetic(self, expr: ast.BinaryOp, frame: str) -> Typed | None:
        left = self.check(expr.left, frame)
        right = self.check(expr.right, frame)
        if left is None or right is None:
            return None
        what = f"'{expr.op}'"
        ok_left = self.expect_number(left, expr.left.span, what)
        ok_right = self.expect_number(right, expr.right.span, what)
        if not (ok_left and ok_right):
            return None
        a, b = align(left.node, right.node)
        integer = left.integer and right.integer and expr.op != "/"
        node = fold(ir.Binary(expr.op, a, b))
        return Typed(
            node=node, kind=Kind.NUMBER, integer=integer, percent=_percent(expr.op, left, right)
        )

    def _compare(self, expr: ast.Compare, frame: str) -> Typed | None:
        if len(expr.ops) > 1:
            self.report.error(
                expr.op_spans[1],
                "comparisons cannot be chained; write 'a < b and b < c' instead of 'a < b < c'",
            )
            return None
        left = self.check(expr.operands[0], frame)
        right = self.check(expr.operands[1], frame)
        if left is None or right is None:
            return None
        if not self._comparable(left, right, expr):
            return None
        a, b = align(left.node, right.node)
        return Typed(node=fold(ir.Binary(expr.ops[0], a, b)), kind=Kind.CONDITION)

    def _comparable(self, left: Typed, right: Typed, expr: ast.Compare) -> bool:
        for side, operand in ((left, expr.operands[0]), (right, expr.operands[1])):
            if side.kind is Kind.CONDITION:
                self.report.error(
                    operand.span,
                    f"'{expr.ops[0]}' compares numbers, but this is {side.describe()}; "
                    "combine conditions with 'and', 'or' and 'not'",
                )
                return False
        if (left.kind is Kind.TIME) != (right.kind is Kind.TIME):
            timed = expr.operands[0] if left.kind is Kind.TIME else expr.operands[1]
            self.report.error(
                timed.span,
                "a time of day compares only with another, e.g. time >= 09:30",
            )
            return False
        return True

    def _logical(self, expr: ast.Logical, frame: str) -> Typed | None:
        checked = [self.check(operand, frame) for operand in expr.operands]
        ok = True
        for typed, operand in zip(checked, expr.operands, strict=True):
            if typed is not None and not self.expect_condition(typed, operand.span, expr.op):
                ok = False
        if not ok or any(typed is None for typed in checked):
            return None
        node = checked[0].node  # type: ignore[union-attr]
        for typed in checked[1:]:
            a, b = align(node, typed.node)  # type: ignore[union-attr]
            node = fold(ir.Binary(expr.op, a, b))
        return Typed(node=node, kind=Kind.CONDITION)

    def _not(self, expr: ast.Not, frame: str) -> Typed | None:
        operand = self.check(expr.operand, frame)
        if operand is None or not self.expect_condition(operand, expr.operand.span, "not"):
            return None
        return Typed(node=fold(ir.Unary("not", operand.node)), kind=Kind.CONDITION)

    # --- expectations -----------------------------------------------------------------

    def expect_number(self, typed: Typed, span: Span, what: str) -> bool:
        if typed.multi is not None:
            self.report.error(span, _pick_output(typed))
            return False
        if typed.kind is Kind.NUMBER:
            return True
        if typed.kind is Kind.TIME:
            self.report.error(span, f"{what} needs a number; a time of day can only be compared")
        else:
            self.report.error(span, f"{what} needs a number, but this is {typed.describe()}")
        return False

    def expect_condition(self, typed: Typed, span: Span, what: str) -> bool:
        if typed.kind is Kind.CONDITION:
            return True
        self.report.error(
            span,
            f"'{what}' needs a condition (true/false) such as close > open, "
            f"but this is {typed.describe()}",
        )
        return False


def _percent(op: str, left: Typed, right: Typed) -> bool:
    """Whether a scalar result is still a percent: ``sl * 2``, ``sl / 2``, ``sl + 1%``."""
    if left.is_series or right.is_series:
        return False
    if op in ("+", "-"):
        return left.percent and right.percent
    if op == "*":
        return left.percent != right.percent
    return left.percent and not right.percent


def _pick_output(typed: Typed) -> str:
    spec = typed.multi
    assert spec is not None
    names = ", ".join(spec.outputs)
    return (
        f"{spec.name} has {len(spec.outputs)} outputs ({names}); "
        f"pick one, e.g. {spec.name}(...).{spec.outputs[0]}"
    )


def align(a: ir.Node, b: ir.Node) -> tuple[ir.Node, ir.Node]:
    """Bring two nodes to the finer of their timeframes (scalars stay as they are)."""
    target = frames.finest((a.timeframe, b.timeframe))
    return align_to(a, target), align_to(b, target)


def align_to(node: ir.Node, target: str | None) -> ir.Node:
    """``node`` seen from ``target``: unchanged when scalar or already there."""
    frame = node.timeframe
    if frame is None or target is None or frame == target:
        return node
    if isinstance(node, ir.Align):
        node = node.source
    return ir.Align(target, node)


def fold(node: ir.Node) -> ir.Node:
    """Replace an operator on constants by its constant value."""
    if not isinstance(node, ir.Unary | ir.Binary):
        return node
    children = node.children()
    if all(isinstance(child, ir.Const) for child in children):
        return ir.Const(semantics.evaluate_scalar(node, {}))
    return node
