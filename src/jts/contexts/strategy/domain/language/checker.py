"""Semantic analysis: every check that runs before a strategy can be evaluated.

``check_program`` resolves names (with "did you mean"), types every expression (number,
condition, time of day; series or scalar), validates parameter ranges, rejects look-ahead
(``x[-1]``, computed look-backs, finer timeframes inside coarser ones), exits without
entries, rules that can never fire and repeated rules, and enforces program limits. It
reports every problem it finds at once and raises ``LanguageError``; on success it returns
a ``CheckedProgram`` whose expressions are nodes of the shared ``ir`` graph.
"""

from __future__ import annotations

from collections import defaultdict

import msgspec

from jts.contexts.strategy.domain.language import ast, ir
from jts.contexts.strategy.domain.language.catalog import BUILTINS, SIZING_FORMS, indicator_specs
from jts.contexts.strategy.domain.language.declarations import (
    SessionWindow,
    check_param,
    check_session,
    check_timeframes,
    check_universe,
    duplicate,
    grid_size,
)
from jts.contexts.strategy.domain.language.errors import (
    Diagnostic,
    LanguageError,
    Span,
)
from jts.contexts.strategy.domain.language.expressions import ExpressionChecker, Scope
from jts.contexts.strategy.domain.language.limits import DEFAULT_LIMITS, ProgramLimits
from jts.contexts.strategy.domain.language.trading_rules import (
    OrderSpec,
    Protection,
    Rule,
    SizingSpec,
    check_order,
    check_protection,
    check_rule,
    check_size,
)
from jts.contexts.strategy.domain.language.value_types import LetInfo, ParamInfo, Reporter
from jts.shared_kernel.identifiers import InstrumentId

_FALLBACK_FRAME = "1d"
_RESERVED_NAMES = {*ir.BAR_FIELDS, *ir.CLOCK_FIELDS, *BUILTINS, *SIZING_FORMS}
_START = Span.point(1, 1)


class CheckedProgram(msgspec.Struct, frozen=True, kw_only=True):
    """A strategy that passed every check; its expressions are ``ir`` nodes."""

    file: str
    source: str
    name: str
    universe: tuple[InstrumentId, ...]
    timeframe: str
    extra_timeframes: tuple[str, ...]
    params: tuple[ParamInfo, ...]
    lets: tuple[tuple[str, ir.Node], ...]
    rules: tuple[Rule, ...]
    protections: tuple[Protection, ...]
    sizing: SizingSpec
    order: OrderSpec
    sessions: tuple[SessionWindow, ...]
    session_zone: str | None
    warnings: tuple[Diagnostic, ...]


class _Checking:
    """State of one run of the checker."""

    def __init__(self, program: ast.Program, limits: ProgramLimits) -> None:
        self.program = program
        self.limits = limits
        self.report = Reporter(program.file)
        self.singletons: dict[str, ast.Statement] = {}

    def singleton(self, key: str, statement: ast.Statement, what: str) -> bool:
        first = self.singletons.get(key)
        if first is not None:
            duplicate(self.report, statement.span, what, first.span.line)
            return False
        self.singletons[key] = statement
        return True


def check_program(program: ast.Program, limits: ProgramLimits = DEFAULT_LIMITS) -> CheckedProgram:
    """Check a parsed program; raise ``LanguageError`` listing every problem found."""
    run = _Checking(program, limits)
    statements = program.statements
    name = _strategy_name(run, statements)
    universe = _universe(run, statements)
    primary, extras = _timeframes(run, statements)
    params = _params(run, statements)
    sessions, zone = _sessions(run, statements)
    scope = _scope(statements, primary, extras, params)
    checker = ExpressionChecker(scope, run.report, limits)
    body = _Body(run, checker)
    body.check(statements)
    _require_entries(run, body.rules)
    if not run.report.error_count:
        _warn_unused(run, scope, body)
    _check_graph_depth(run, body)
    if run.report.error_count:
        raise LanguageError(run.report.diagnostics, program.source)
    assert body.sizing is not None
    return CheckedProgram(
        file=program.file,
        source=program.source,
        name=name,
        universe=universe,
        timeframe=primary,
        extra_timeframes=tuple(extras),
        params=tuple(params),
        lets=tuple((n, info.typed.node) for n, info in scope.lets.items() if info.typed),
        rules=tuple(body.rules),
        protections=tuple(body.protections),
        sizing=body.sizing,
        order=body.order,
        sessions=sessions,
        session_zone=zone,
        warnings=tuple(run.report.diagnostics),
    )


def _scope(
    statements: tuple[ast.Statement, ...], primary: str, extras: list[str], params: list[ParamInfo]
) -> Scope:
    scope = Scope(primary, {primary, *extras})
    scope.params = {info.name: info for info in params}
    scope.broken = {
        s.name for s in statements if isinstance(s, ast.ParamDecl) and s.name not in scope.params
    }
    return scope


def _strategy_name(run: _Checking, statements: tuple[ast.Statement, ...]) -> str:
    name = ""
    for statement in statements:
        if isinstance(statement, ast.StrategyDecl) and run.singleton(
            "strategy", statement, "the strategy name"
        ):
            name = statement.name
            if not name.strip():
                run.report.error(statement.span, "the strategy name is empty; write a name")
    if "strategy" not in run.singletons:
        run.report.error(_START, 'the strategy has no name; start it with: strategy "my_name"')
    return name


def _universe(run: _Checking, statements: tuple[ast.Statement, ...]) -> tuple[InstrumentId, ...]:
    universe: tuple[InstrumentId, ...] = ()
    for statement in statements:
        if isinstance(statement, ast.UniverseDecl) and run.singleton(
            "universe", statement, "the universe"
        ):
            universe = check_universe(statement, run.report, run.limits)
    if "universe" not in run.singletons:
        run.report.error(_START, "the strategy has no universe; add e.g.: universe 005930.KRX")
    return universe


def _timeframes(run: _Checking, statements: tuple[ast.Statement, ...]) -> tuple[str, list[str]]:
    frames: list[str] = []
    for statement in statements:
        if isinstance(statement, ast.TimeframeDecl) and run.singleton(
            "timeframe", statement, "the timeframe"
        ):
            frames = check_timeframes(statement, run.report)
    if "timeframe" not in run.singletons:
        run.report.error(_START, "the strategy has no timeframe; add e.g.: timeframe 1d")
    if not frames:
        return _FALLBACK_FRAME, []
    return frames[0], frames[1:]


def _params(run: _Checking, statements: tuple[ast.Statement, ...]) -> list[ParamInfo]:
    params: list[ParamInfo] = []
    lines: dict[str, int] = {}
    for statement in statements:
        if not isinstance(statement, ast.ParamDecl):
            continue
        if statement.name in lines:
            duplicate(
                run.report,
                statement.name_span,
                f"parameter {statement.name}",
                lines[statement.name],
            )
            continue
        lines[statement.name] = statement.span.line
        if _reserved(run, statement.name, statement.name_span, "parameter"):
            continue
        info = check_param(statement, run.report)
        if info is not None:
            params.append(info)
    if len(lines) > run.limits.max_parameters:
        run.report.error(
            _START, f"{len(lines)} parameters; the limit is {run.limits.max_parameters}"
        )
    size = grid_size(params)
    if size > run.limits.max_grid_size:
        run.report.error(
            _START,
            f"the parameter ranges make {size} combinations; the limit is "
            f"{run.limits.max_grid_size}: widen the steps or fix some parameters",
        )
    return params


def _reserved(run: _Checking, name: str, span: Span, what: str) -> bool:
    if name in _RESERVED_NAMES or name in indicator_specs():
        run.report.error(span, f"{what} '{name}' would hide the built-in '{name}'; rename it")
        return True
    return False


def _sessions(
    run: _Checking, statements: tuple[ast.Statement, ...]
) -> tuple[tuple[SessionWindow, ...], str | None]:
    for statement in statements:
        if isinstance(statement, ast.SessionDecl) and run.singleton(
            "session", statement, "the session"
        ):
            return check_session(statement, run.report)
    return (), None


class _Body:
    """Lets, rules, stops, sizing and order, checked in source order."""

    def __init__(self, run: _Checking, checker: ExpressionChecker) -> None:
        self.run = run
        self.checker = checker
        self.rules: list[Rule] = []
        self.rule_lines: dict[tuple[str, ir.Node], int] = {}
        self.protections: list[Protection] = []
        self.sizing: SizingSpec | None = None
        self.order = OrderSpec()

    def check(self, statements: tuple[ast.Statement, ...]) -> None:
        scope = self.checker.scope
        scope.later_lets = {s.name: s.span.line for s in statements if isinstance(s, ast.LetDecl)}
        for statement in statements:
            if isinstance(statement, ast.LetDecl):
                self._let(statement)
            elif isinstance(statement, ast.RuleDecl):
                self._rule(statement)
            elif isinstance(statement, ast.ProtectDecl):
                self._protection(statement)
            elif isinstance(statement, ast.SizeDecl):
                self._size(statement)
            elif isinstance(statement, ast.OrderDecl):
                self._order(statement)
        if "size" not in self.run.singletons:
            self.run.report.error(
                _START, "the strategy has no size; add e.g.: size percent_equity(10%)"
            )

    def _let(self, decl: ast.LetDecl) -> None:
        scope = self.checker.scope
        if decl.name in scope.lets:
            first = scope.lets[decl.name].decl.span.line
            duplicate(self.run.report, decl.name_span, f"let {decl.name}", first)
            return
        scope.later_lets.pop(decl.name, None)
        if decl.name in scope.params:
            self.run.report.error(
                decl.name_span, f"let {decl.name} would hide the parameter {decl.name}; rename it"
            )
            return
        if _reserved(self.run, decl.name, decl.name_span, "let"):
            return
        info = LetInfo(decl=decl)
        info.typed = self.checker.check(decl.value, scope.primary)
        if info.typed is None:
            scope.broken.add(decl.name)
            return
        scope.lets[decl.name] = info

    def _rule(self, decl: ast.RuleDecl) -> None:
        rule = check_rule(decl, self.checker)
        if rule is None:
            return
        key = (rule.label, rule.node)
        if key in self.rule_lines:
            self.run.report.error(
                decl.span,
                f"this {rule.label} rule repeats the one on line {self.rule_lines[key]} "
                "and can never add a signal; remove it",
            )
            return
        self.rule_lines[key] = rule.line
        self.rules.append(rule)

    def _protection(self, decl: ast.ProtectDecl) -> None:
        if self.run.singleton(decl.kind, decl, decl.kind):
            protection = check_protection(decl, self.checker)
            if protection is not None:
                self.protections.append(protection)

    def _size(self, decl: ast.SizeDecl) -> None:
        if self.run.singleton("size", decl, "the size"):
            self.sizing = check_size(decl, self.checker)

    def _order(self, decl: ast.OrderDecl) -> None:
        if self.run.singleton("order", decl, "the order type"):
            self.order = check_order(decl, self.checker) or self.order

    def nodes(self) -> list[ir.Node]:
        found: list[ir.Node | None] = [rule.node for rule in self.rules]
        found += [protection.node for protection in self.protections]
        if self.sizing is not None:
            found += [self.sizing.value, self.sizing.cap, self.sizing.stop]
        found.append(self.order.price)
        return [node for node in found if node is not None]


def _require_entries(run: _Checking, rules: list[Rule]) -> None:
    entries = {rule.side for rule in rules if rule.action == "entry"}
    declared_entries = {
        s.side
        for s in run.program.statements
        if isinstance(s, ast.RuleDecl) and s.action == "entry"
    }
    if not declared_entries:
        run.report.error(
            _START, "the strategy has no entry rule; add e.g.: entry long when close > open"
        )
    for statement in run.program.statements:
        if not isinstance(statement, ast.RuleDecl) or statement.action != "exit":
            continue
        if statement.side not in declared_entries and statement.side not in entries:
            run.report.error(
                statement.span,
                f"exit {statement.side} has no entry {statement.side} to exit from; add "
                f"'entry {statement.side} when ...' or remove this rule",
            )


def _warn_unused(run: _Checking, scope: Scope, body: _Body) -> None:
    used: set[str] = set()
    for node in body.nodes():
        used |= ir.parameters_of(node)
    lines = {s.name: s for s in run.program.statements if isinstance(s, ast.ParamDecl)}
    for name in scope.params:
        if name not in used and name in lines:
            run.report.warning(lines[name].name_span, f"parameter {name} is never used")
    for name, info in scope.lets.items():
        if not info.used:
            run.report.warning(info.decl.name_span, f"let {name} is never used")


def _check_graph_depth(run: _Checking, body: _Body) -> None:
    depth: dict[ir.Node, int] = defaultdict(int)
    for root in body.nodes():
        for node in ir.walk(root):
            depth[node] = 1 + max((depth[child] for child in node.children()), default=0)
        if depth[root] > run.limits.max_graph_depth:
            run.report.error(
                _START,
                f"after expanding lets an expression is {depth[root]} levels deep; the limit "
                f"is {run.limits.max_graph_depth}",
            )
            return
