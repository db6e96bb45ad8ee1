"""Checking ``size quantity(N) | percent_equity(P%) | kelly(F, max=P%) | risk(P%, stop=X)``."""

from __future__ import annotations

from jts.contexts.strategy.domain.language import ast
from jts.contexts.strategy.domain.language.expressions import ExpressionChecker, align_to
from jts.contexts.strategy.domain.language.names import did_you_mean
from jts.contexts.strategy.domain.language.trading_rules import SizingSpec, check_within
from jts.contexts.strategy.domain.language.value_types import Typed

_FORMS: dict[str, tuple[int, tuple[str, ...]]] = {
    # form: (positional arguments, required keywords)
    "quantity": (1, ()),
    "percent_equity": (1, ()),
    "kelly": (1, ("max",)),
    "risk": (1, ("stop",)),
}
_EXAMPLES = {
    "quantity": "quantity(10)",
    "percent_equity": "percent_equity(10%)",
    "kelly": "kelly(0.5, max=20%)",
    "risk": "risk(1%, stop=atr(14) * 2)",
}


def _shape_ok(call: ast.Call, checker: ExpressionChecker) -> bool:
    positional, keywords = _FORMS[call.name]
    example = _EXAMPLES[call.name]
    report = checker.report
    if len(call.args) != positional:
        report.error(call.span, f"{call.name} takes {positional} value; write {example}")
        return False
    given = [keyword.name for keyword in call.keywords]
    for keyword in call.keywords:
        if keyword.name not in keywords:
            hint = did_you_mean(keyword.name, keywords) if keywords else ""
            report.error(
                keyword.name_span,
                f"{call.name} has no option '{keyword.name}'{hint}; write {example}",
            )
            return False
        if given.count(keyword.name) > 1:
            report.error(keyword.name_span, f"'{keyword.name}' is given twice")
            return False
    missing = [name for name in keywords if name not in given]
    if missing:
        report.error(call.span, f"{call.name} needs {missing[0]}=...; write {example}")
        return False
    return True


def _fraction(checker: ExpressionChecker, expr: ast.Expr, what: str, example: str) -> Typed | None:
    typed = checker.check(expr, checker.scope.primary)
    if typed is None or not checker.expect_number(typed, expr.span, what):
        return None
    if typed.is_series or not typed.percent:
        checker.report.error(
            expr.span, f"{what} is a share of equity written as a percent, e.g. {example}"
        )
        return None
    ok = check_within(
        checker, typed, expr.span, what, lambda v: 0 < v <= 1, "above 0% and at most 100%"
    )
    return typed if ok else None


def _positive(checker: ExpressionChecker, expr: ast.Expr, what: str) -> Typed | None:
    typed = checker.check(expr, checker.scope.primary)
    if typed is None or not checker.expect_number(typed, expr.span, what):
        return None
    ok = check_within(checker, typed, expr.span, what, lambda v: v > 0, "positive")
    return typed if ok else None


def check_sizing_call(call: ast.Call, checker: ExpressionChecker) -> SizingSpec | None:
    """A checked sizing form, or ``None`` after reporting what was wrong."""
    if not _shape_ok(call, checker):
        return None
    keywords = {keyword.name: keyword.value for keyword in call.keywords}
    primary = checker.scope.primary
    form = call.name
    if form == "quantity":
        value = _positive(checker, call.args[0], "quantity")
        return None if value is None else SizingSpec(form=form, value=align_to(value.node, primary))
    if form == "percent_equity":
        value = _fraction(checker, call.args[0], "percent_equity", "percent_equity(10%)")
        return None if value is None else SizingSpec(form=form, value=value.node)
    if form == "kelly":
        fraction = _kelly_fraction(checker, call.args[0])
        cap = _fraction(checker, keywords["max"], "the kelly cap", "kelly(0.5, max=20%)")
        if fraction is None or cap is None:
            return None
        return SizingSpec(form=form, value=fraction.node, cap=cap.node)
    risk = _fraction(checker, call.args[0], "risk per trade", "risk(1%, stop=atr(14) * 2)")
    stop = _positive(checker, keywords["stop"], "the risk stop distance")
    if risk is None or stop is None:
        return None
    return SizingSpec(form=form, value=risk.node, stop=align_to(stop.node, primary))


def _kelly_fraction(checker: ExpressionChecker, expr: ast.Expr) -> Typed | None:
    typed = checker.check(expr, checker.scope.primary)
    if typed is None or not checker.expect_number(typed, expr.span, "the kelly fraction"):
        return None
    if typed.is_series:
        checker.report.error(expr.span, "the kelly fraction must be the same on every bar")
        return None
    ok = check_within(
        checker,
        typed,
        expr.span,
        "the kelly fraction",
        lambda v: 0 < v <= 1,
        "above 0 and at most 1",
    )
    return typed if ok else None
