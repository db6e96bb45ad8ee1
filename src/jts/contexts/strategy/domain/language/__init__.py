"""The JTS strategy language: source text in, two evaluators with one meaning out.

Pipeline::

    parse_program (parser.py, grammar.lark)  ->  ast.Program
    check_program (checker.py)               ->  CheckedProgram, expressions as ir nodes
    CompiledStrategy (compiler.py)           ->  VectorizedEvaluator | IncrementalEvaluator

Errors are ``LanguageError`` carrying ``Diagnostic``s that render compiler style
(``FILE:LINE:COL: error: MESSAGE``, the line, a caret). The language has no way to reach
files, the network or Python objects: names resolve only to bar fields, parameters, lets,
catalog indicators and built-in functions, and program size is bounded (``limits.py``).
"""

from jts.contexts.strategy.domain.language.bars import BarArrays, BarValues, resample
from jts.contexts.strategy.domain.language.checker import CheckedProgram, check_program
from jts.contexts.strategy.domain.language.compiler import CompiledStrategy, compile_strategy
from jts.contexts.strategy.domain.language.errors import (
    Diagnostic,
    LanguageError,
    Severity,
    Span,
    render_all,
)
from jts.contexts.strategy.domain.language.incremental import (
    BarSignal,
    EvaluatorState,
    IncrementalEvaluator,
)
from jts.contexts.strategy.domain.language.limits import DEFAULT_LIMITS, ProgramLimits
from jts.contexts.strategy.domain.language.parser import parse_program
from jts.contexts.strategy.domain.language.vectorized import Levels, Signals, VectorizedEvaluator

__all__ = [
    "DEFAULT_LIMITS",
    "BarArrays",
    "BarSignal",
    "BarValues",
    "CheckedProgram",
    "CompiledStrategy",
    "Diagnostic",
    "EvaluatorState",
    "IncrementalEvaluator",
    "LanguageError",
    "Levels",
    "ProgramLimits",
    "Severity",
    "Signals",
    "Span",
    "VectorizedEvaluator",
    "check_program",
    "compile_strategy",
    "parse_program",
    "render_all",
    "resample",
]
