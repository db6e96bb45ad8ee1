"""Parse strategy source into an ``ast.Program``, or collect located syntax errors.

The grammar (``grammar.lark``) is LALR(1) with lark's contextual lexer, so an instrument
such as ``005930.KRX`` is read as one token after ``universe`` and ``1d`` as a timeframe
after ``timeframe`` or ``@``. Statements end at a newline; ``StatementBreaks`` drops the
newlines that only continue a statement.

After a syntax error the parser blanks the broken statement (keeping every line and column
in place) and parses again, so one run reports up to ``MAX_SYNTAX_ERRORS`` problems, each
at its own place. Semantic checking runs only on a source with no syntax errors, which
avoids errors that are only echoes of a broken line.
"""

from __future__ import annotations

import functools
import importlib.resources
from collections.abc import Iterator

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.lark import PostLex

from jts.contexts.strategy.domain.language import ast
from jts.contexts.strategy.domain.language.errors import Diagnostic, LanguageError, Span
from jts.contexts.strategy.domain.language.limits import DEFAULT_LIMITS, ProgramLimits
from jts.contexts.strategy.domain.language.syntax_errors import (
    STATEMENT_KEYWORDS,
    describe_unexpected_character,
    describe_unexpected_token,
)
from jts.contexts.strategy.domain.language.syntax_tree_builder import SyntaxTreeBuilder

MAX_SYNTAX_ERRORS = 20
_CONTINUES = {
    "OR", "AND", "NOT", "COMP_OP", "PLUS", "MINUS", "STAR", "SLASH", "_COMMA", "_EQUAL",
    "WHEN", "LPAR", "LSQB", "DOT", "AT", "DOTDOT",
}  # fmt: skip
_OPENERS = {"LPAR": "RPAR", "LSQB": "RSQB"}
_KEYWORDS = {
    word: word.upper()
    for word in (
        *STATEMENT_KEYWORDS.values(), "long", "short", "when", "ttl", "tz", "range", "step",
        "and", "or", "not", "true", "false",
    )
}  # fmt: skip


class StatementBreaks(PostLex):
    """Keeps only the newlines that end a statement.

    A newline is dropped inside ``( )`` or ``[ ]``, after a token that needs more (an
    operator, ``,``, ``=``, ``when``), before the first statement and after another newline.
    A final newline is added so the last statement always ends.
    """

    always_accept = ("_NL",)

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        depth = 0
        previous: Token | None = None
        for token in stream:
            if token.type == "_NL":
                if depth or previous is None or previous.type in _CONTINUES | {"_NL"}:
                    continue
            elif token.type == "NAME" and token.value in _KEYWORDS:
                # The contextual lexer reads a keyword as a name where no keyword fits;
                # keywords are reserved, so give the parser the keyword to reject.
                token = Token.new_borrow_pos(_KEYWORDS[token.value], token.value, token)
            elif token.type in _OPENERS:
                depth += 1
            elif token.type in ("RPAR", "RSQB"):
                depth = max(depth - 1, 0)
            previous = token
            yield token
        if previous is not None and previous.type != "_NL":
            yield Token.new_borrow_pos("_NL", "\n", previous)


@functools.cache
def _lark() -> Lark:
    grammar = importlib.resources.files(__package__).joinpath("grammar.lark").read_text("utf-8")
    return Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        postlex=StatementBreaks(),
        transformer=SyntaxTreeBuilder(),
        maybe_placeholders=True,
    )


class _Progress:
    """What the parser had read when it failed: for messages and for recovery."""

    def __init__(self) -> None:
        self.tokens: list[Token] = []
        self.open_brackets: list[Token] = []
        self.statement_line = 1

    def saw(self, token: Token) -> None:
        if not self.tokens or self.tokens[-1].type == "_NL":
            self.statement_line = token.line or self.statement_line
        if token.type in _OPENERS:
            self.open_brackets.append(token)
        elif self.open_brackets and _OPENERS[self.open_brackets[-1].type] == token.type:
            self.open_brackets.pop()
        self.tokens.append(token)

    def previous_of(self, token: Token) -> Token | None:
        if self.tokens and self.tokens[-1] is token:
            return self.tokens[-2] if len(self.tokens) > 1 else None
        return self.tokens[-1] if self.tokens else None


def _parse_once(text: str, progress: _Progress) -> list[ast.Statement]:
    interactive = _lark().parse_interactive(text)
    for token in interactive.iter_parse():
        progress.saw(token)
    last = progress.tokens[-1] if progress.tokens else None
    result: list[ast.Statement] = interactive.feed_eof(last)  # type: ignore[no-untyped-call]
    return result


def _accepted(text: str, failed: Token) -> set[str]:
    """The terminals the parser would take where ``failed`` stands (precise, unlike LALR's
    ``expected``, which merges look-aheads of similar states)."""
    interactive = _lark().parse_interactive(text)
    try:
        for token in interactive.iter_parse():
            same_place = token.start_pos == failed.start_pos and token.type == failed.type
            if same_place and token.value == failed.value:
                return set(interactive.accepts())  # type: ignore[no-untyped-call]
    except UnexpectedInput:
        # The lexer found no terminal the parser could take: the parser still stands
        # just before the failed token.
        return set(interactive.accepts())  # type: ignore[no-untyped-call]
    return set()


def _widened(token: Token, text: str) -> Token:
    # "1x" lexes as NUMBER "1"; name the whole word the person typed.
    start = token.start_pos
    if token.type != "NUMBER" or start is None:
        return token
    end = start
    while end < len(text) and (text[end].isalnum() or text[end] in "_.:"):
        end += 1
    widened = Token.new_borrow_pos(token.type, text[start:end], token)
    widened.end_column = (token.column or 1) + (end - start)
    return widened


def _diagnose(
    error: UnexpectedInput, progress: _Progress, text: str, file: str
) -> tuple[Diagnostic, int]:
    if isinstance(error, UnexpectedToken):
        token = error.token
        expected = _accepted(text, token) or set(error.expected)
        span, message = describe_unexpected_token(
            _widened(token, text), expected, progress.previous_of(token), progress.open_brackets
        )
        error_line = token.line or span.line
    elif isinstance(error, UnexpectedCharacters):
        span, message = describe_unexpected_character(error.char, error.line, error.column)
        error_line = error.line
    else:
        span, message = Span.point(error.line or 1, error.column or 1), "unexpected input"
        error_line = span.line
    return Diagnostic(file=file, span=span, message=message), error_line


def _starts_statement(line: str) -> bool:
    word = line.strip().split(" ", 1)[0].split("\t", 1)[0]
    return word in STATEMENT_KEYWORDS.values()


def _blank_statement(lines: list[str], first: int, error_line: int) -> bool:
    """Blank ``first..error_line`` and any continuation after it; report whether it changed."""
    changed = False
    last = error_line
    if error_line > first and _starts_statement(lines[error_line - 1]):
        last = error_line - 1
    index = first - 1
    while index < len(lines) and (index <= last - 1 or not _starts_statement(lines[index])):
        if lines[index].strip():
            lines[index] = " " * len(lines[index])
            changed = True
        index += 1
    return changed


def _syntax_pass(source: str, file: str) -> tuple[list[ast.Statement], list[Diagnostic]]:
    lines = source.split("\n")
    diagnostics: list[Diagnostic] = []
    while len(diagnostics) < MAX_SYNTAX_ERRORS:
        progress = _Progress()
        text = "\n".join(lines)
        try:
            return _parse_once(text, progress), diagnostics
        except UnexpectedInput as e:
            diagnostic, error_line = _diagnose(e, progress, text, file)
            diagnostics.append(diagnostic)
            first = min(progress.statement_line, error_line)
            if not _blank_statement(lines, first, error_line):
                return [], diagnostics
    return [], diagnostics


def _limit_diagnostics(
    statements: list[ast.Statement], limits: ProgramLimits, file: str
) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    if len(statements) > limits.max_statements:
        span = statements[limits.max_statements].span
        problems.append(
            Diagnostic(
                file=file,
                span=span,
                message=f"program has {len(statements)} statements; the limit is "
                f"{limits.max_statements}: split it into smaller strategies",
            )
        )
    for expression in _expressions(statements):
        if expression.depth > limits.max_expression_depth:
            problems.append(
                Diagnostic(
                    file=file,
                    span=expression.span,
                    message=f"expression is nested {expression.depth} levels deep; the limit "
                    f"is {limits.max_expression_depth}: name parts of it with 'let'",
                )
            )
    total = sum(expression.size for expression in _expressions(statements))
    if total > limits.max_nodes:
        problems.append(
            Diagnostic(
                file=file,
                span=Span.point(1, 1),
                message=f"program has {total} expression parts; the limit is {limits.max_nodes}",
            )
        )
    return problems


def _expressions(statements: list[ast.Statement]) -> Iterator[ast.Expr]:
    for statement in statements:
        if isinstance(statement, ast.LetDecl):
            yield statement.value
        elif isinstance(statement, ast.RuleDecl):
            yield statement.condition
        elif isinstance(statement, ast.ProtectDecl):
            yield statement.value
        elif isinstance(statement, ast.SizeDecl):
            yield statement.call
        elif isinstance(statement, ast.OrderDecl) and statement.price is not None:
            yield statement.price


def parse_program(
    source: str, file: str = "<string>", limits: ProgramLimits = DEFAULT_LIMITS
) -> ast.Program:
    """Parse ``source``; raise ``LanguageError`` with every syntax or size problem found."""
    if len(source) > limits.max_source_chars:
        diagnostic = Diagnostic(
            file=file,
            span=Span.point(1, 1),
            message=f"program is {len(source)} characters long; the limit is "
            f"{limits.max_source_chars}",
        )
        raise LanguageError([diagnostic], source)
    text = source.removeprefix("\ufeff")
    statements, diagnostics = _syntax_pass(text, file)
    if not diagnostics:
        diagnostics = _limit_diagnostics(statements, limits, file)
    if diagnostics:
        raise LanguageError(diagnostics, source)
    return ast.Program(file=file, source=source, statements=tuple(statements))
