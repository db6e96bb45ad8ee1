"""The types the checker gives expressions, and the scope names resolve in.

A value is a *number*, a *condition* (true/false) or a *time of day*, and it is either a
series (it has a timeframe and changes bar by bar) or a scalar (a literal, a parameter or
arithmetic on them, the same on every bar).
"""

from __future__ import annotations

from enum import StrEnum

import msgspec

from jts.contexts.strategy.domain.language import ast, ir
from jts.contexts.strategy.domain.language.catalog import IndicatorSpec
from jts.contexts.strategy.domain.language.errors import Diagnostic, Severity, Span


class Kind(StrEnum):
    NUMBER = "number"
    CONDITION = "condition"
    TIME = "time of day"


class Typed(msgspec.Struct, frozen=True, kw_only=True):
    """A checked expression: its graph node and what kind of value it holds."""

    node: ir.Node
    kind: Kind
    percent: bool = False
    integer: bool = False
    multi: IndicatorSpec | None = None  # an indicator call whose output is not chosen yet

    @property
    def is_series(self) -> bool:
        return self.node.timeframe is not None

    def describe(self) -> str:
        if self.kind is Kind.CONDITION:
            return "a condition (true/false)"
        if self.kind is Kind.TIME:
            return "a time of day"
        return "a number series" if self.is_series else "a number"


class ParamInfo(msgspec.Struct, frozen=True, kw_only=True):
    """A declared parameter as the checker sees it."""

    name: str
    default: float
    low: float
    high: float
    step: float
    integer: bool
    percent: bool
    line: int

    def grid(self) -> tuple[float, ...]:
        """Every value the optimizer tries, low to high."""
        if self.step <= 0 or self.high < self.low:
            return (self.default,)
        count = round((self.high - self.low) / self.step) + 1
        return tuple(_clean(self.low + i * self.step, self.integer) for i in range(count))


def _clean(value: float, integer: bool) -> float:
    return float(round(value)) if integer else round(value, 12)


class LetInfo(msgspec.Struct, kw_only=True):
    """A ``let`` binding: its source and its checked value in the primary timeframe."""

    decl: ast.LetDecl
    typed: Typed | None = None
    used: bool = False


class Reporter:
    """Collects diagnostics for one source file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.diagnostics: list[Diagnostic] = []

    def error(self, span: Span, message: str) -> None:
        self.diagnostics.append(Diagnostic(file=self.file, span=span, message=message))

    def warning(self, span: Span, message: str) -> None:
        self.diagnostics.append(
            Diagnostic(file=self.file, span=span, message=message, severity=Severity.WARNING)
        )

    @property
    def error_count(self) -> int:
        return sum(1 for d in self.diagnostics if d.is_error)
