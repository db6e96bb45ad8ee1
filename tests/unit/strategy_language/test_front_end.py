"""Parsing and checking of valid programs: comments, continuation lines, scopes, limits."""

from __future__ import annotations

import pytest

from jts.contexts.strategy.domain.language import (
    LanguageError,
    ProgramLimits,
    ast,
    compile_strategy,
    parse_program,
)
from jts.contexts.strategy.domain.language.errors import Diagnostic, Severity, Span
from tests.unit.strategy_language.builders import strategy

HEADER = 'strategy "t"\nuniverse 005930.KRX\ntimeframe 1d\nsize quantity(1)\n'


def test_comments_blank_lines_and_continuations_parse() -> None:
    source = (
        "# a comment line\n\n" + HEADER + "let wide = max(high - low,   // a trailing comment\n"
        "               abs(close - open))\n"
        "entry long when close > open and\n"
        "    wide > 1\n"
    )

    program = parse_program(source, "t.jts")

    let = next(s for s in program.statements if isinstance(s, ast.LetDecl))
    rule = next(s for s in program.statements if isinstance(s, ast.RuleDecl))
    assert let.span.line == 7
    assert rule.span.line == 9
    assert rule.condition.span.end_line == 10


def test_the_architecture_example_compiles() -> None:
    source = (
        'strategy "golden_cross_rsi"\nuniverse 005930.KRX, 000660.KRX\ntimeframe 1d\n\n'
        "param fast = 20 range 5..50 step 5\nparam slow = 60 range 20..200 step 10\n\n"
        "let f = sma(close, fast)\nlet s = sma(close, slow)\n\n"
        "entry long when crosses_above(f, s) and rsi(close, 14) < 70\n"
        "exit long when crosses_below(f, s)\n\n"
        "stop_loss 5%\ntake_profit 15%\nsize percent_equity(10%)\n"
        "order limit(close * 0.999) ttl 1 bar\nsession 09:05-15:15\n"
    )

    compiled = compile_strategy(source, "arch.jts")

    assert compiled.program.order.ttl_bars == 1
    assert [str(i) for i in compiled.program.universe] == ["005930.KRX", "000660.KRX"]
    assert len(list(compiled.grid())) == 10 * 19


def test_percent_parameters_make_percent_stops() -> None:
    compiled = strategy(
        "param sl = 5% range 1%..10% step 1%\nstop_loss sl\nentry long when close > open\n"
    )

    (protection,) = compiled.program.protections
    assert protection.mode == "percent"
    assert compiled.default_params() == {"sl": 0.05}
    assert len(list(compiled.grid())) == 10


def test_unused_parameters_and_lets_are_warnings_not_errors() -> None:
    compiled = strategy("param unused = 3\nlet spare = close\nentry long when close > open\n")

    messages = [(d.severity, d.message) for d in compiled.program.warnings]
    assert (Severity.WARNING, "parameter unused is never used") in messages
    assert (Severity.WARNING, "let spare is never used") in messages


def test_a_let_read_on_another_timeframe_is_recomputed_there() -> None:
    compiled = strategy(
        "let avg = sma(close, 3)\nentry long when avg@1w > avg\n", timeframe="1d, 1w"
    )

    rendered = compiled.program.rules[0].node
    frames = {n.frame for n in _indicators(rendered)}
    assert frames == {"1d", "1w"}


def _indicators(node: object) -> list:  # type: ignore[type-arg]
    from jts.contexts.strategy.domain.language import ir

    return [n for n in ir.walk(node) if isinstance(n, ir.Indicator)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("limits", "body", "message"),
    [
        (ProgramLimits(max_source_chars=50), "entry long when close > open\n", "characters long"),
        (ProgramLimits(max_statements=4), "entry long when close > open\n", "statements"),
        (
            ProgramLimits(max_graph_depth=20),
            "".join(f"let a{i} = {'close' if i == 0 else f'a{i - 1} + 1'}\n" for i in range(30))
            + "entry long when a29 > open\n",
            "levels deep",
        ),
        (
            ProgramLimits(max_grid_size=10),
            "param a = 1 range 1..100\nentry long when close > a\n",
            "combinations",
        ),
    ],
    ids=["source", "statements", "let-chain", "grid"],
)
def test_program_limits_are_reported_as_errors(
    limits: ProgramLimits, body: str, message: str
) -> None:
    with pytest.raises(LanguageError) as caught:
        compile_strategy(HEADER + body, "t.jts", limits)

    assert any(message in d.message for d in caught.value.errors)


def test_a_huge_flat_expression_is_refused_without_recursion_errors() -> None:
    body = "entry long when close > " + " + ".join(["open"] * 5000) + "\n"

    with pytest.raises(LanguageError) as caught:
        compile_strategy(HEADER + body, "t.jts")

    assert any("nested" in d.message for d in caught.value.errors)


def test_diagnostics_render_with_a_caret_under_the_span() -> None:
    diagnostic = Diagnostic(file="f.jts", span=Span(2, 5, 2, 8), message="boom")

    rendered = diagnostic.render("line one\n\tlet abc = 1\n")

    assert rendered.splitlines() == ["f.jts:2:5: error: boom", "    \tlet abc = 1", "    \t   ^~~"]
