"""Compiler-style diagnostics for strategy source.

Every problem the parser or checker finds becomes a ``Diagnostic`` that renders like a
compiler message, so a trader sees what was wrong, where, and usually what to do::

    golden.jts:7:9: error: unknown name 'sam'; did you mean 'sma'?
        let f = sam(close, fast)
                ^~~

Several diagnostics are collected before anything is reported; ``LanguageError`` carries
all of them (a ``StrategyError``, so callers that stop a strategy handle it too).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum

import msgspec

from jts.shared_kernel.errors import StrategyError


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


class Span(msgspec.Struct, frozen=True):
    """A region of source: 1-based line and column of the first character, and its end.

    ``end_col`` is exclusive. A span that covers several lines is underlined on its first
    line only.
    """

    line: int
    col: int
    end_line: int
    end_col: int

    @classmethod
    def point(cls, line: int, col: int, width: int = 1) -> Span:
        return cls(line, col, line, col + max(width, 1))

    def to(self, other: Span) -> Span:
        """The span from the start of ``self`` to the end of ``other``."""
        return Span(self.line, self.col, other.end_line, other.end_col)


class Diagnostic(msgspec.Struct, frozen=True, kw_only=True):
    """One located message about a strategy source."""

    file: str
    span: Span
    message: str
    severity: Severity = Severity.ERROR

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def col(self) -> int:
        return self.span.col

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def headline(self) -> str:
        """``FILE:LINE:COL: error: MESSAGE``."""
        return f"{self.file}:{self.line}:{self.col}: {self.severity.value}: {self.message}"

    def render(self, source: str) -> str:
        """The headline, the offending source line and a caret under the span."""
        lines = source.splitlines()
        if not 1 <= self.line <= len(lines):
            return self.headline()
        text = lines[self.line - 1]
        return f"{self.headline()}\n    {text}\n    {_caret(text, self.span)}"


def _caret(text: str, span: Span) -> str:
    start = min(max(span.col - 1, 0), len(text))
    end = span.end_col - 1 if span.end_line == span.line else len(text)
    width = max(min(end, len(text)) - start, 1)
    # Keep tabs so the caret lines up under tab-indented source in any terminal.
    prefix = "".join("\t" if ch == "\t" else " " for ch in text[:start])
    return prefix + "^" + "~" * (width - 1)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics in source order, duplicates (same place and message) removed."""
    unique = {(d.file, d.span, d.message, d.severity): d for d in diagnostics}
    return sorted(unique.values(), key=lambda d: (d.file, d.line, d.col, d.message))


def render_all(diagnostics: Sequence[Diagnostic], source: str) -> str:
    """Every diagnostic rendered with its caret, then a one-line count of errors."""
    blocks = [d.render(source) for d in diagnostics]
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    summary = _count(errors, "error")
    if warnings:
        summary += f", {_count(warnings, 'warning')}"
    return "\n".join([*blocks, summary]) if blocks else ""


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


class LanguageError(StrategyError):
    """A strategy source failed to parse or check; ``diagnostics`` says where and why."""

    def __init__(self, diagnostics: Sequence[Diagnostic], source: str) -> None:
        self.diagnostics = tuple(sort_diagnostics(diagnostics))
        self.source = source
        first = self.diagnostics[0].headline() if self.diagnostics else "invalid strategy"
        more = len(self.diagnostics) - 1
        super().__init__(first + (f" (and {more} more)" if more > 0 else ""))

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)

    def render(self) -> str:
        """All diagnostics, compiler style, ready to print."""
        return render_all(self.diagnostics, self.source)
