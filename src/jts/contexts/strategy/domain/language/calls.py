"""Checking calls, output selection (``.macdsignal``), look-back (``x[1]``) and ``x@1d``."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping

from jts.contexts.strategy.domain.language import ast, frames, ir, semantics
from jts.contexts.strategy.domain.language.catalog import (
    BUILTINS,
    ORDER_KINDS,
    SIZING_FORMS,
    IndicatorSpec,
    ParamSpec,
    indicator_specs,
    input_field,
)
from jts.contexts.strategy.domain.language.errors import Span
from jts.contexts.strategy.domain.language.expressions import (
    ExpressionChecker,
    align,
    align_to,
    fold,
)
from jts.contexts.strategy.domain.language.names import did_you_mean
from jts.contexts.strategy.domain.language.value_types import Kind, ParamInfo, Typed


def check_call_like(checker: ExpressionChecker, expr: ast.Expr, frame: str) -> Typed | None:
    """Check a call, a member, an index or an ``@`` expression."""
    if isinstance(expr, ast.Call):
        typed = _call(checker, expr, frame)
        if typed is not None and typed.multi is not None:
            checker.expect_number(typed, expr.span, "")
            return None
        return typed
    if isinstance(expr, ast.Member):
        return _member(checker, expr, frame)
    if isinstance(expr, ast.Index):
        return _index(checker, expr, frame)
    assert isinstance(expr, ast.AtTimeframe)
    return _at_timeframe(checker, expr, frame)


def _call(checker: ExpressionChecker, call: ast.Call, frame: str) -> Typed | None:
    if call.name in indicator_specs():
        return _indicator(checker, call, indicator_specs()[call.name], frame)
    if call.name in BUILTINS:
        return _builtin(checker, call, frame)
    report = checker.report
    if call.name in SIZING_FORMS:
        report.error(call.name_span, f"'{call.name}' is a sizing form; use it after 'size'")
    elif call.name in ORDER_KINDS:
        report.error(call.name_span, f"'{call.name}' is an order type; use it after 'order'")
    elif call.name in (*checker.scope.lets, *checker.scope.params, *ir.BAR_FIELDS):
        report.error(call.name_span, f"'{call.name}' is a value, not a function")
    else:
        known = [*indicator_specs(), *BUILTINS]
        report.error(
            call.name_span, f"unknown function '{call.name}'{did_you_mean(call.name, known)}"
        )
    return None


# --- indicators ---------------------------------------------------------------------------


def _indicator(
    checker: ExpressionChecker, call: ast.Call, spec: IndicatorSpec, frame: str
) -> Typed | None:
    checked = [checker.check(arg, frame) for arg in call.args]
    if any(typed is None for typed in checked):
        return None
    typed_args = [typed for typed in checked if typed is not None]
    series_count = next(
        (i for i, typed in enumerate(typed_args) if not typed.is_series), len(typed_args)
    )
    inputs = _inputs(checker, call, spec, typed_args[:series_count], frame)
    params = _params(checker, call, spec, typed_args[series_count:], series_count, frame)
    if inputs is None or params is None:
        return None
    target = frames.finest(node.timeframe for node in inputs)
    assert target is not None
    aligned = tuple(align_to(node, target) for node in inputs)
    node = ir.Indicator(target, spec.name, aligned, params)
    multi = spec if len(spec.outputs) > 1 else None
    return Typed(node=node, kind=Kind.NUMBER, multi=multi)


def _inputs(
    checker: ExpressionChecker,
    call: ast.Call,
    spec: IndicatorSpec,
    series: list[Typed],
    frame: str,
) -> tuple[ir.Node, ...] | None:
    if not series:
        return tuple(ir.Field(frame, input_field(name)) for name in spec.inputs)
    if len(series) != len(spec.inputs):
        defaults = ", ".join(input_field(name) for name in spec.inputs)
        checker.report.error(
            call.args[0].span.to(call.args[len(series) - 1].span),
            f"{spec.name} takes {len(spec.inputs)} series input(s) ({', '.join(spec.inputs)}) "
            f"or none, meaning {defaults}; got {len(series)}",
        )
        return None
    for typed, arg, name in zip(series, call.args, spec.inputs, strict=False):
        if not checker.expect_number(typed, arg.span, f"input '{name}' of {spec.name}"):
            return None
    return tuple(typed.node for typed in series)


def _params(
    checker: ExpressionChecker,
    call: ast.Call,
    spec: IndicatorSpec,
    positional: list[Typed],
    first: int,
    frame: str,
) -> tuple[ir.Node, ...] | None:
    if len(positional) > len(spec.params):
        extra = call.args[first + len(spec.params)]
        checker.report.error(extra.span, f"too many arguments; the form is {spec.signature()}")
        return None
    given: dict[str, tuple[Typed, Span]] = {
        param.name: (typed, call.args[first + i].span)
        for i, (param, typed) in enumerate(zip(spec.params, positional, strict=False))
    }
    if not _keyword_params(checker, call, spec, given, frame):
        return None
    nodes: list[ir.Node] = []
    for param in spec.params:
        if param.name not in given:
            nodes.append(ir.Const(param.default))
            continue
        typed, span = given[param.name]
        if not _valid_param(checker, typed, span, spec, param):
            return None
        nodes.append(typed.node)
    return tuple(nodes)


def _keyword_params(
    checker: ExpressionChecker,
    call: ast.Call,
    spec: IndicatorSpec,
    given: dict[str, tuple[Typed, Span]],
    frame: str,
) -> bool:
    """Add ``name=value`` arguments to ``given``; report unknown or repeated names."""
    names = [param.name for param in spec.params]
    ok = True
    for keyword in call.keywords:
        if keyword.name not in names:
            hint = did_you_mean(keyword.name, names) or f"; the form is {spec.signature()}"
            message = f"{spec.name} has no parameter '{keyword.name}'{hint}"
            checker.report.error(keyword.name_span, message)
            ok = False
        elif keyword.name in given:
            checker.report.error(keyword.name_span, f"'{keyword.name}' is given twice")
            ok = False
        else:
            typed = checker.check(keyword.value, frame)
            ok = ok and typed is not None
            if typed is not None:
                given[keyword.name] = (typed, keyword.value.span)
    return ok


def _valid_param(
    checker: ExpressionChecker, typed: Typed, span: Span, spec: IndicatorSpec, param: ParamSpec
) -> bool:
    what = f"{param.name} of {spec.name}"
    if typed.is_series or typed.kind is not Kind.NUMBER:
        checker.report.error(
            span,
            f"{what} must be a number or a parameter, the same on every bar, "
            f"but this is {typed.describe()}",
        )
        return False
    return check_scalar_range(
        checker, typed.node, span, what, param.integer, param.minimum, param.maximum
    )


def check_scalar_range(
    checker: ExpressionChecker,
    node: ir.Node,
    span: Span,
    what: str,
    integer: bool,
    minimum: float,
    maximum: float,
) -> bool:
    """Report (once) if ``node`` leaves its bounds for a parameter value the optimizer tries."""
    for values in sample_assignments(checker.scope.params, ir.parameters_of(node)):
        value = semantics.evaluate_scalar(node, values)
        bad_integer = integer and math.isfinite(value) and value != int(value)
        if math.isfinite(value) and minimum <= value <= maximum and not bad_integer:
            continue
        kind = "a whole number" if integer else "a number"
        used = {name: values[name] for name in sorted(ir.parameters_of(node))}
        where = " when " + ", ".join(f"{k} = {_show(v)}" for k, v in used.items()) if used else ""
        checker.report.error(
            span,
            f"{what} must be {kind} from {_show(minimum)} to {_show(maximum)}, "
            f"but it is {_show(value)}{where}",
        )
        return False
    return True


def _show(value: float) -> str:
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:g}"


def sample_assignments(
    params: Mapping[str, ParamInfo], involved: frozenset[str]
) -> Iterator[dict[str, float]]:
    """Parameter values worth checking: defaults, and each involved parameter's range ends."""
    base = {name: info.default for name, info in params.items()}
    names = sorted(involved & set(params))
    choices = [sorted({params[n].low, params[n].default, params[n].high}) for n in names]
    if len(names) <= 3:
        for combination in itertools.product(*choices):
            yield {**base, **dict(zip(names, combination, strict=True))}
        return
    yield base
    for name, values in zip(names, choices, strict=True):
        for value in values:
            yield {**base, name: value}


# --- outputs, look-back, timeframes -------------------------------------------------------


def _member(checker: ExpressionChecker, expr: ast.Member, frame: str) -> Typed | None:
    target = expr.target
    if not isinstance(target, ast.Call) or target.name not in indicator_specs():
        checker.report.error(
            expr.name_span,
            f"'.{expr.name}' picks an output of an indicator with several, such as "
            "bbands(close, 20).upperband",
        )
        return None
    spec = indicator_specs()[target.name]
    if expr.name not in spec.outputs:
        hint = did_you_mean(expr.name, spec.outputs)
        checker.report.error(
            expr.name_span,
            f"{spec.name} has no output '{expr.name}'{hint}; its outputs are "
            + ", ".join(spec.outputs),
        )
        return None
    typed = _call(checker, target, frame)
    if typed is None:
        return None
    assert isinstance(typed.node, ir.Indicator)
    node = ir.Indicator(
        typed.node.frame,
        typed.node.name,
        typed.node.inputs,
        typed.node.params,
        spec.outputs.index(expr.name),
    )
    return Typed(node=node, kind=Kind.NUMBER)


def _index(checker: ExpressionChecker, expr: ast.Index, frame: str) -> Typed | None:
    target = checker.check(expr.target, frame)
    bars = _bars_ago(checker, expr)
    if target is None or bars is None:
        return None
    if not target.is_series:
        checker.report.error(
            expr.target.span,
            f"only series can be indexed, but this is {target.describe()} (the same on every bar)",
        )
        return None
    if bars == 0:
        return target
    node = target.node
    lagged = (
        ir.Lag(node.source, node.bars + bars) if isinstance(node, ir.Lag) else ir.Lag(node, bars)
    )
    return Typed(node=lagged, kind=target.kind, integer=target.integer)


def _bars_ago(checker: ExpressionChecker, expr: ast.Index) -> int | None:
    index = expr.index
    report = checker.report
    if isinstance(index, ast.Negate) and isinstance(index.operand, ast.NumberLit):
        report.error(
            index.span,
            f"[-{index.operand.text}] would read a future bar "
            "(look-ahead); x[n] is the value n bars ago, so n must be 0 or more",
        )
        return None
    if not isinstance(index, ast.NumberLit):
        report.error(
            index.span,
            "the bars-ago count in x[...] must be a whole number written in the source, "
            "such as close[1]; a computed count could look ahead",
        )
        return None
    if not index.is_integer:
        report.error(index.span, f"bars ago must be a whole number, not {index.text}")
        return None
    if index.value > checker.limits.max_lookback:
        report.error(
            index.span,
            f"looking back {index.text} bars exceeds the limit of {checker.limits.max_lookback}",
        )
        return None
    return int(index.value)


def _at_timeframe(checker: ExpressionChecker, expr: ast.AtTimeframe, frame: str) -> Typed | None:
    try:
        wanted = frames.canonical(expr.timeframe)
    except ValueError as e:
        checker.report.error(expr.timeframe_span, str(e))
        return None
    if wanted not in checker.scope.declared_frames:
        declared = ", ".join(sorted(checker.scope.declared_frames, key=frames.seconds))
        checker.report.error(
            expr.timeframe_span,
            f"timeframe {wanted} is not declared; add it to the timeframe line, "
            f"e.g. timeframe {declared}, {wanted}",
        )
        return None
    if frames.seconds(wanted) < frames.seconds(frame):
        checker.report.error(
            expr.timeframe_span,
            f"{wanted} is finer than the {frame} bars this expression is read on; "
            "a series can only be read on its own or a longer timeframe",
        )
        return None
    return checker.check(expr.target, wanted)


# --- built-in functions ---------------------------------------------------------------------


def _builtin(checker: ExpressionChecker, call: ast.Call, frame: str) -> Typed | None:
    spec = BUILTINS[call.name]
    report = checker.report
    if call.keywords:
        report.error(call.keywords[0].name_span, f"{call.name} takes no named arguments")
        return None
    if len(call.args) != len(spec.arguments):
        report.error(
            call.span,
            f"{call.name} takes {len(spec.arguments)} argument(s) "
            f"({', '.join(spec.arguments)}); got {len(call.args)}",
        )
        return None
    checked = [checker.check(arg, frame) for arg in call.args]
    if any(typed is None for typed in checked):
        return None
    args = [typed for typed in checked if typed is not None]
    what = f"{call.name}"
    if not all(
        checker.expect_number(typed, arg.span, what)
        for typed, arg in zip(args, call.args, strict=True)
    ):
        return None
    if call.name in ("highest", "lowest"):
        return _window(checker, call, args)
    if call.name == "abs":
        return Typed(node=fold(ir.Unary("abs", args[0].node)), kind=Kind.NUMBER)
    a, b = align(args[0].node, args[1].node)
    if call.name in ("min", "max"):
        return Typed(node=fold(ir.Binary(call.name, a, b)), kind=Kind.NUMBER)
    if not (args[0].is_series or args[1].is_series):
        report.error(call.span, f"{call.name} needs at least one series, e.g. close")
        return None
    return Typed(node=ir.Cross(call.name == "crosses_above", a, b), kind=Kind.CONDITION)


def _window(checker: ExpressionChecker, call: ast.Call, args: list[Typed]) -> Typed | None:
    series, length = args
    if not series.is_series:
        checker.report.error(call.args[0].span, f"{call.name} needs a series, e.g. high")
        return None
    if length.is_series:
        checker.report.error(
            call.args[1].span,
            f"the bar count of {call.name} must be a number or a parameter, not a series",
        )
        return None
    limit = float(checker.limits.max_window)
    what = f"the bar count of {call.name}"
    if not check_scalar_range(checker, length.node, call.args[1].span, what, True, 1, limit):
        return None
    op = "max" if call.name == "highest" else "min"
    return Typed(node=ir.Window(op, series.node, length.node), kind=Kind.NUMBER)
