"""The JTS strategy language: source text in, two evaluators with one meaning out.

Pipeline::

    parse_program (parser.py, grammar.lark)  ->  ast.Program
    check_program (checker.py)               ->  CheckedProgram, expressions as ir nodes
    CompiledStrategy (compiler.py)           ->  VectorizedEvaluator | IncrementalEvaluator

Reference (one statement per line; a newline inside brackets or after an operator
continues the statement; ``#`` and ``//`` start comments)::

    strategy "name"
    universe 005930.KRX, BTCUSDT.BINANCE          # SYMBOL.VENUE
    timeframe 5m, 1d                              # primary first, then longer ones
    param fast = 20 range 5..50 step 5            # default, optimization grid
    param sl = 5% range 1%..10% step 1%           # percent parameters
    let f = sma(close, fast)                      # a named expression
    entry long|short when CONDITION
    exit long|short when CONDITION
    stop_loss 5% | EXPR                           # percent of entry, or a price distance
    take_profit 15% | EXPR                        #   such as atr(14) * 2
    trailing_stop 3% | EXPR
    size quantity(N) | percent_equity(10%) | kelly(0.5, max=20%) | risk(1%, stop=EXPR)
    order market | limit(EXPR) [ttl N bars]
    session 09:05-15:15[, 13:00-14:00] [tz "Asia/Seoul"]

Expressions: numbers, ``5%``, times of day ``09:30``, ``true``/``false``; bar fields
``open high low close volume``; clock fields ``time`` (minutes of the local day at the
bar's close), ``hour``, ``minute``, ``weekday`` (Monday = 1); ``+ - * /``; ``< <= > >= ==
!=``; ``and or not``; ``x[n]`` (n bars ago); ``x@1d`` (on the 1d bars); indicator calls
with TA-Lib names, inputs optional (``atr(14)``) and outputs picked by name
(``macd(close, 12, 26, 9).macdsignal``); ``crosses_above crosses_below highest lowest abs
min max``. Semantics are in ``vectorized``'s docstring.

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
