"""Turns lark's parse failures into friendly, located messages.

Lark reports the token it could not use and the terminals it expected. This module reads
those with the token before it and the brackets still open, and says what a person would:
"expected an expression after 'and'", "'(' is never closed", "unknown statement 'entery';
did you mean 'entry'?". The raw lark text is never shown.
"""

from __future__ import annotations

from collections.abc import Sequence

from lark import Token

from jts.contexts.strategy.domain.language.errors import Span
from jts.contexts.strategy.domain.language.names import did_you_mean
from jts.contexts.strategy.domain.language.syntax_tree_builder import token_span

STATEMENT_KEYWORDS = {
    "STRATEGY": "strategy",
    "UNIVERSE": "universe",
    "TIMEFRAME": "timeframe",
    "PARAM": "param",
    "LET": "let",
    "ENTRY": "entry",
    "EXIT": "exit",
    "STOP_LOSS": "stop_loss",
    "TAKE_PROFIT": "take_profit",
    "TRAILING_STOP": "trailing_stop",
    "SIZE": "size",
    "ORDER": "order",
    "SESSION": "session",
}
_EXPRESSION_STARTS = {"NUMBER", "NAME", "LPAR", "TIME_LIT", "TRUE", "FALSE", "MINUS", "NOT"}
_OPERATORS = {"OR", "AND", "COMP_OP", "PLUS", "MINUS", "STAR", "SLASH", "LSQB", "DOT", "AT"}
_CLOSERS = {"LPAR": ")", "LSQB": "]"}
_WORDS = {
    "NAME": "a name",
    "NUMBER": "a number",
    "STRING": 'a quoted text such as "golden_cross"',
    "INSTRUMENT": "an instrument such as 005930.KRX",
    "TIMEFRAME_LIT": "a timeframe such as 1m, 1h or 1d",
    "TIME_LIT": "a time of day such as 09:30",
    "COMP_OP": "a comparison",
    "LPAR": "'('",
    "RPAR": "')'",
    "LSQB": "'['",
    "RSQB": "']'",
    "_COMMA": "','",
    "_EQUAL": "'='",
    "PERCENT": "'%'",
    "DOT": "'.'",
    "DOTDOT": "'..'",
    "AT": "'@'",
    "PLUS": "'+'",
    "MINUS": "'-'",
    "STAR": "'*'",
    "SLASH": "'/'",
    "_NL": "the end of the line",
    "$END": "the end of the file",
}


def _word(terminal: str) -> str:
    return _WORDS.get(terminal, f"'{terminal.lower()}'")


def found(token: Token) -> str:
    """How to name the token the parser tripped over."""
    if token.type in ("_NL", "$END"):
        return _word(token.type)
    return f"'{token}'"


def _after(previous: Token) -> Span:
    # Point just past the previous token: that is where the missing piece belongs.
    span = token_span(previous)
    return Span.point(span.end_line, span.end_col)


def _statement_start(token: Token) -> tuple[Span, str]:
    if token.type == "NAME":
        hint = did_you_mean(str(token), STATEMENT_KEYWORDS.values())
        return token_span(token), (
            f"unknown statement '{token}'{hint}; a line starts with one of: "
            + ", ".join(STATEMENT_KEYWORDS.values())
        )
    return token_span(token), (
        f"expected a statement such as 'let', 'param' or 'entry' but found {found(token)}"
    )


def _missing_operand(token: Token, previous: Token | None) -> tuple[Span, str]:
    if previous is None:
        return token_span(token), f"expected an expression, found {found(token)}"
    on_later_line = (token.line or 0) > (previous.end_line or previous.line or 0)
    ends_line = token.type in ("_NL", "$END") or on_later_line
    where = _after(previous) if ends_line else token_span(token)
    return where, f"expected an expression after '{previous}', found {found(token)}"


_EXPECTATIONS: tuple[tuple[frozenset[str], str], ...] = (
    # (terminals that must all be expected, message); {after} and {found} are filled in.
    (frozenset({"LONG", "SHORT"}), "expected 'long' or 'short'{after}, found {found}"),
    (frozenset({"WHEN"}), "expected 'when'{after}, found {found}"),
    (
        frozenset({"INSTRUMENT"}),
        "expected an instrument written SYMBOL.VENUE, e.g. 005930.KRX or BTCUSDT.BINANCE, "
        "found {found}",
    ),
    (
        frozenset({"TIMEFRAME_LIT"}),
        "expected a timeframe such as 1m, 5m, 1h or 1d{after}, found {found}",
    ),
    (frozenset({"TIME_LIT"}), "expected a time of day HH:MM such as 09:05{after}, found {found}"),
)


def _specific(token: Token, expected: set[str], previous: Token | None) -> str | None:
    after = f" after '{previous}'" if previous is not None else ""
    if "NAME" in expected and str(token).isidentifier() and token.type != "NAME":
        return f"'{token}' is a reserved word; choose another name"
    if token.type == "PERCENT":
        return "'%' may only follow a number, as in 5%"
    if token.type == "_EQUAL" and "COMP_OP" in expected:
        return "'=' does not compare; write '==' to test equality"
    for needed, template in _EXPECTATIONS:
        if needed <= expected:
            return template.format(after=after, found=found(token))
    if "STRING" in expected and "TZ" not in expected:
        return f'expected a quoted name such as "golden_cross"{after}, found {found(token)}'
    if "_EQUAL" in expected and "RPAR" not in expected:
        return f"expected '='{after}, found {found(token)}"
    if "NUMBER" in expected and "NAME" not in expected:
        return f"expected a number{after}, found {found(token)}"
    return None


def _generic(token: Token, expected: set[str], previous: Token | None) -> str:
    if "RPAR" in expected and "_COMMA" in expected:
        return f"expected ',' or ')' after the argument, found {found(token)}"
    if "RPAR" in expected:
        return f"expected ')', found {found(token)}"
    if "RSQB" in expected:
        return f"expected ']', found {found(token)}"
    if "_NL" in expected and expected & _OPERATORS:
        after = f" after '{previous}'" if previous is not None else ""
        return (
            f"unexpected {found(token)}{after}; expected an operator such as 'and', '>' or '+', "
            "or the end of the line"
        )
    if "_NL" in expected:
        return f"expected the end of the line, found {found(token)}"
    choices = sorted(_word(t) for t in expected if not t.startswith("__"))
    return f"unexpected {found(token)}; expected " + ", ".join(choices[:6])


def describe_unexpected_token(
    token: Token,
    expected: set[str],
    previous: Token | None,
    open_brackets: Sequence[Token],
) -> tuple[Span, str]:
    """Where to point and what to say for a token the grammar cannot accept here."""
    at_statement_start = previous is None or previous.type == "_NL"
    if at_statement_start and expected & set(STATEMENT_KEYWORDS):
        return _statement_start(token)
    if open_brackets:
        opener = open_brackets[-1]
        new_statement = token.type in STATEMENT_KEYWORDS or token.type in ("_NL", "$END")
        if new_statement and (token.line or 0) >= (opener.line or 0):
            closer = _CLOSERS[opener.type]
            return token_span(opener), f"'{opener}' is never closed; add '{closer}'"
    if token.type in ("RPAR", "RSQB") and not open_brackets:
        return token_span(token), f"unmatched '{token}': there is no opening bracket for it"
    if {"NUMBER", "NAME", "LPAR"} <= expected and token.type not in ("_EQUAL", "PERCENT"):
        return _missing_operand(token, previous)
    message = _specific(token, expected, previous)
    if message is not None:
        where = _after(previous) if previous is not None and token.type == "_NL" else None
        return where or token_span(token), message
    where = _after(previous) if previous is not None and token.type == "_NL" else None
    return where or token_span(token), _generic(token, expected, previous)


_CHARACTER_HINTS = {
    '"': "unterminated text; close it with '\"' on the same line",
    "!": "unexpected '!'; write 'not' to negate or '!=' to compare",
    "&": "unexpected '&'; write 'and'",
    "|": "unexpected '|'; write 'or'",
    "'": 'text is written in double quotes, as in "golden_cross"',
    ";": "unexpected ';'; statements end at the end of the line",
    "{": "unexpected '{'; the language has no blocks, write one statement per line",
}


def describe_unexpected_character(char: str, line: int, column: int) -> tuple[Span, str]:
    """Where to point and what to say for a character no token starts with."""
    message = _CHARACTER_HINTS.get(char, f"unexpected character {char!r}")
    return Span.point(line, column), message
