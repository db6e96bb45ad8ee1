"""Validate strategy sources and report the result the way ``jts strategy validate`` prints it.

The caller reads the files; this module turns text into a ``SourceReport`` and never lets an
exception escape for a bad source: syntax and semantic problems become diagnostics, and an
unexpected failure inside the checker becomes one located "internal error" diagnostic.
"""

from __future__ import annotations

import msgspec

from jts.contexts.strategy.domain.language.compiler import CompiledStrategy, compile_strategy
from jts.contexts.strategy.domain.language.errors import (
    Diagnostic,
    LanguageError,
    Span,
    render_all,
    sort_diagnostics,
)
from jts.contexts.strategy.domain.language.limits import DEFAULT_LIMITS, ProgramLimits


class SourceReport(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome of checking one source."""

    file: str
    diagnostics: tuple[Diagnostic, ...]
    rendered: str
    strategy_name: str | None = None
    rule_count: int = 0

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)

    def summary(self) -> str:
        """``golden.jts: ok (strategy "golden_cross", 2 rules)`` or the error count."""
        if self.ok:
            rules = f"{self.rule_count} rule{'s' if self.rule_count != 1 else ''}"
            return f'{self.file}: ok (strategy "{self.strategy_name}", {rules})'
        errors = sum(1 for d in self.diagnostics if d.is_error)
        return f"{self.file}: {errors} error{'s' if errors != 1 else ''}"


def compile_source(
    source: str, file: str, limits: ProgramLimits = DEFAULT_LIMITS
) -> tuple[CompiledStrategy | None, SourceReport]:
    """Compile ``source``; the strategy is ``None`` when the report holds errors."""
    try:
        strategy = compile_strategy(source, file, limits)
    except LanguageError as e:
        return None, _report(file, list(e.diagnostics), source)
    except RecursionError:
        problem = "program is too deeply nested to check; simplify it with 'let'"
        return None, _report(file, [_whole_file(file, problem)], source)
    except Exception as e:  # a checker bug must not print a traceback at the user
        problem = f"internal error while checking ({type(e).__name__}: {e}); please report it"
        return None, _report(file, [_whole_file(file, problem)], source)
    warnings = list(strategy.program.warnings)
    report = _report(file, warnings, source)
    return strategy, msgspec.structs.replace(
        report, strategy_name=strategy.name, rule_count=len(strategy.program.rules)
    )


def unreadable(file: str, reason: str) -> SourceReport:
    """The report for a file that could not be read at all."""
    message = f"cannot read the file: {reason}"
    diagnostic = _whole_file(file, message)
    return SourceReport(file=file, diagnostics=(diagnostic,), rendered=f"{file}: error: {message}")


def _whole_file(file: str, message: str) -> Diagnostic:
    return Diagnostic(file=file, span=Span.point(1, 1), message=message)


def _report(file: str, diagnostics: list[Diagnostic], source: str) -> SourceReport:
    ordered = sort_diagnostics(diagnostics)
    rendered = render_all(ordered, source) if ordered else ""
    return SourceReport(file=file, diagnostics=tuple(ordered), rendered=rendered)
