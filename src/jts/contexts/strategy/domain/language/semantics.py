"""The meaning of each operator on one value: the reference both evaluators follow.

Values are floats; a condition is 1.0, 0.0 or NaN (unknown). Any NaN operand makes the
result NaN, so unknown never turns into a signal. Division by zero is NaN (no signal),
not an error. The vectorized evaluator applies the same rules to whole arrays and a
property test holds the two to identical results.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from jts.contexts.strategy.domain.language import ir

NAN = math.nan


def arithmetic(op: str, a: float, b: float) -> float:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0.0 or b != b:
        return NAN
    return a / b


def compare(op: str, a: float, b: float) -> float:
    if a != a or b != b:
        return NAN
    if op == "<":
        result = a < b
    elif op == "<=":
        result = a <= b
    elif op == ">":
        result = a > b
    elif op == ">=":
        result = a >= b
    elif op == "==":
        result = a == b
    else:
        result = a != b
    return 1.0 if result else 0.0


def logical(op: str, a: float, b: float) -> float:
    if a != a or b != b:
        return NAN
    if op == "and":
        return 1.0 if a == 1.0 and b == 1.0 else 0.0
    return 1.0 if a == 1.0 or b == 1.0 else 0.0


def extremum(op: str, a: float, b: float) -> float:
    if a != a or b != b:
        return NAN
    if op == "min":
        return a if a <= b else b
    return a if a >= b else b


def binary(op: str, a: float, b: float) -> float:
    """Apply any ``ir.Binary`` operator."""
    if op in ir.ARITHMETIC:
        return arithmetic(op, a, b)
    if op in ir.COMPARISONS:
        return compare(op, a, b)
    if op in ir.LOGICAL:
        return logical(op, a, b)
    return extremum(op, a, b)


def unary(op: str, a: float) -> float:
    """Apply any ``ir.Unary`` operator."""
    if op == "neg":
        return -a
    if op == "abs":
        return abs(a)
    return NAN if a != a else (0.0 if a == 1.0 else 1.0)


def crosses(above: bool, a_now: float, b_now: float, a_before: float, b_before: float) -> float:
    """crosses_above: ``a > b`` now and ``a <= b`` on the bar before (below: the mirror)."""
    if a_now != a_now or b_now != b_now or a_before != a_before or b_before != b_before:
        return NAN
    if above:
        return 1.0 if a_now > b_now and a_before <= b_before else 0.0
    return 1.0 if a_now < b_now and a_before >= b_before else 0.0


def evaluate_scalar(node: ir.Node, params: Mapping[str, float]) -> float:
    """The value of a scalar node (no timeframe) for one set of parameter values."""
    if isinstance(node, ir.Const):
        return node.value
    if isinstance(node, ir.Param):
        return float(params[node.name])
    if isinstance(node, ir.Unary):
        return unary(node.op, evaluate_scalar(node.operand, params))
    if isinstance(node, ir.Binary):
        left = evaluate_scalar(node.left, params)
        return binary(node.op, left, evaluate_scalar(node.right, params))
    raise TypeError(f"{type(node).__name__} is a series, not a scalar")
