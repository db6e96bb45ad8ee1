"""Checking what a strategy does: entry/exit rules, stops, sizing and the order type.

Every checked value is a node on the primary timeframe (or a scalar), ready for both
evaluators.
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from jts.contexts.strategy.domain.language import ast, ir, semantics
from jts.contexts.strategy.domain.language.calls import sample_assignments
from jts.contexts.strategy.domain.language.catalog import ORDER_KINDS, SIZING_FORMS
from jts.contexts.strategy.domain.language.errors import Span
from jts.contexts.strategy.domain.language.expressions import ExpressionChecker, align_to
from jts.contexts.strategy.domain.language.names import did_you_mean
from jts.contexts.strategy.domain.language.value_types import Typed


class Rule(msgspec.Struct, frozen=True, kw_only=True):
    action: str  # entry | exit
    side: str  # long | short
    node: ir.Node
    line: int

    @property
    def label(self) -> str:
        return f"{self.action} {self.side}"


class Protection(msgspec.Struct, frozen=True, kw_only=True):
    """A stop: ``percent`` of the entry price, or a ``distance`` in price units."""

    kind: str  # stop_loss | take_profit | trailing_stop
    mode: str  # percent | distance
    node: ir.Node


class SizingSpec(msgspec.Struct, frozen=True, kw_only=True):
    form: str  # quantity | percent_equity | kelly | risk
    value: ir.Node
    cap: ir.Node | None = None
    stop: ir.Node | None = None


class OrderSpec(msgspec.Struct, frozen=True, kw_only=True):
    kind: str = "market"
    price: ir.Node | None = None
    ttl_bars: int | None = None


# --- rules ----------------------------------------------------------------------------------


def check_rule(decl: ast.RuleDecl, checker: ExpressionChecker) -> Rule | None:
    primary = checker.scope.primary
    typed = checker.check(decl.condition, primary)
    if typed is None:
        return None
    if not checker.expect_condition(typed, decl.condition.span, decl.label):
        return None
    node = align_to(typed.node, primary)
    if isinstance(node, ir.Const):
        if node.value != 1.0:
            checker.report.error(
                decl.condition.span, f"{decl.label} can never fire: its condition is always false"
            )
            return None
    elif not typed.is_series:
        checker.report.error(
            decl.condition.span,
            f"the condition of {decl.label} is the same on every bar; compare a series "
            "such as close",
        )
        return None
    reason = contradiction(node, primary)
    if reason is not None:
        checker.report.error(decl.condition.span, f"{decl.label} can never fire: {reason}")
        return None
    return Rule(action=decl.action, side=decl.side, node=node, line=decl.span.line)


def _conjuncts(node: ir.Node) -> list[ir.Node]:
    if isinstance(node, ir.Binary) and node.op == "and":
        return [*_conjuncts(node.left), *_conjuncts(node.right)]
    return [node]


def _bound(term: ir.Node) -> tuple[ir.Node, str, float] | None:
    if not isinstance(term, ir.Binary) or term.op not in ir.COMPARISONS:
        return None
    flipped = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
    if isinstance(term.right, ir.Const) and not isinstance(term.left, ir.Const):
        return term.left, term.op, term.right.value
    if isinstance(term.left, ir.Const) and not isinstance(term.right, ir.Const):
        return term.right, flipped[term.op], term.left.value
    return None


def contradiction(node: ir.Node, primary: str) -> str | None:
    """Why a condition can never be true, when that follows from its own terms."""
    from jts.contexts.strategy.domain.language.render import render

    terms = _conjuncts(node)
    for term in terms:
        if isinstance(term, ir.Const) and term.value != 1.0:
            return "one of its terms is always false"
        if isinstance(term, ir.Binary) and term.op in ("<", ">", "!=") and term.left == term.right:
            return f"'{render(term, primary)}' compares a value with itself"
        if isinstance(term, ir.Unary) and term.op == "not" and term.operand in terms:
            return f"it requires both '{render(term.operand, primary)}' and its negation"
    intervals: dict[ir.Node, list[tuple[str, float]]] = {}
    for term in terms:
        bound = _bound(term)
        if bound is not None:
            intervals.setdefault(bound[0], []).append((bound[1], bound[2]))
    for subject, bounds in intervals.items():
        if not _satisfiable(bounds):
            shown = " and ".join(f"{render(subject, primary)} {op} {_num(v)}" for op, v in bounds)
            return f"'{shown}' cannot all hold"
    return None


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def _satisfiable(bounds: list[tuple[str, float]]) -> bool:
    low, low_strict, high, high_strict = -float("inf"), False, float("inf"), False
    excluded: set[float] = set()
    for op, value in bounds:
        if op in (">", ">=", "==") and (value > low or (value == low and op == ">")):
            low, low_strict = value, op == ">"
        if op in ("<", "<=", "==") and (value < high or (value == high and op == "<")):
            high, high_strict = value, op == "<"
        if op == "!=":
            excluded.add(value)
    if low > high or (low == high and (low_strict or high_strict)):
        return False
    return not (low == high and low in excluded)


# --- stops, sizing, order -------------------------------------------------------------------


def _series_or_scalar_number(checker: ExpressionChecker, expr: ast.Expr, what: str) -> Typed | None:
    typed = checker.check(expr, checker.scope.primary)
    if typed is None or not checker.expect_number(typed, expr.span, what):
        return None
    return typed


def check_within(
    checker: ExpressionChecker,
    typed: Typed,
    span: Span,
    what: str,
    accept: Callable[[float], bool],
    expectation: str,
) -> bool:
    """Check a scalar for every parameter value worth trying; series pass unchecked."""
    if typed.is_series:
        return True
    params = checker.scope.params
    for values in sample_assignments(params, ir.parameters_of(typed.node)):
        value = semantics.evaluate_scalar(typed.node, values)
        if not accept(value):
            shown = f"{value * 100:g}%" if typed.percent else f"{value:g}"
            checker.report.error(span, f"{what} must be {expectation}, but it is {shown}")
            return False
    return True


def check_protection(decl: ast.ProtectDecl, checker: ExpressionChecker) -> Protection | None:
    typed = _series_or_scalar_number(checker, decl.value, decl.kind)
    if typed is None:
        return None
    percent = typed.percent and not typed.is_series
    if percent:
        upper = 10.0 if decl.kind == "take_profit" else 1.0
        ok = check_within(
            checker,
            typed,
            decl.value.span,
            decl.kind,
            lambda v: 0.0 < v < upper,
            f"above 0% and below {upper * 100:g}%",
        )
    else:
        ok = check_within(
            checker, typed, decl.value.span, decl.kind, lambda v: v > 0.0, "a positive distance"
        )
    if not ok:
        return None
    node = align_to(typed.node, checker.scope.primary)
    return Protection(kind=decl.kind, mode="percent" if percent else "distance", node=node)


def check_order(decl: ast.OrderDecl, checker: ExpressionChecker) -> OrderSpec | None:
    report = checker.report
    kind = decl.kind.text
    if kind not in ORDER_KINDS:
        hint = did_you_mean(kind, ORDER_KINDS)
        report.error(decl.kind.span, f"unknown order type '{kind}'{hint}; use market or limit")
        return None
    if kind == "market":
        if decl.price is not None:
            report.error(decl.price.span, "a market order takes no price; use limit(price)")
            return None
        if decl.ttl is not None:
            report.error(decl.ttl.span, "ttl applies to limit orders; a market order fills now")
            return None
        return OrderSpec(kind="market")
    if decl.price is None:
        report.error(decl.kind.span, "a limit order needs a price, e.g. limit(close * 0.999)")
        return None
    typed = _series_or_scalar_number(checker, decl.price, "limit price")
    ttl = _ttl(decl.ttl, checker) if decl.ttl is not None else None
    if typed is None or (decl.ttl is not None and ttl is None):
        return None
    price = align_to(typed.node, checker.scope.primary)
    return OrderSpec(kind="limit", price=price, ttl_bars=ttl)


def _ttl(clause: ast.TtlClause, checker: ExpressionChecker) -> int | None:
    if clause.unit.text not in ("bar", "bars"):
        checker.report.error(
            clause.unit.span, f"ttl counts bars: write 'ttl {clause.bars.text} bars'"
        )
        return None
    if not clause.bars.is_integer or clause.bars.value < 1:
        checker.report.error(clause.bars.span, "ttl must be a whole number of bars, 1 or more")
        return None
    if clause.bars.value > checker.limits.max_lookback:
        checker.report.error(clause.bars.span, "ttl is longer than any look-back allows")
        return None
    return int(clause.bars.value)


def check_size(decl: ast.SizeDecl, checker: ExpressionChecker) -> SizingSpec | None:
    from jts.contexts.strategy.domain.language.sizing import check_sizing_call

    call = decl.call
    if call.name not in SIZING_FORMS:
        hint = did_you_mean(call.name, SIZING_FORMS)
        checker.report.error(
            call.name_span,
            f"unknown sizing '{call.name}'{hint}; use one of " + ", ".join(SIZING_FORMS),
        )
        return None
    return check_sizing_call(call, checker)
