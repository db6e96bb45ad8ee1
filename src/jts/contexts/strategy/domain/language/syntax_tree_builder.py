"""Builds ``ast`` nodes while the LALR parser reduces (lark's inline transformer).

Building inline means no recursive walk over lark trees: a deeply nested source cannot
overflow the Python stack before the depth limit is checked.
"""

from __future__ import annotations

from typing import Any

from lark import Token, Transformer

from jts.contexts.strategy.domain.language import ast
from jts.contexts.strategy.domain.language.errors import Span


def token_span(token: Token) -> Span:
    line = token.line or 1
    col = token.column or 1
    end_line = token.end_line or line
    end_col = token.end_column or col + len(str(token))
    return Span(line, col, end_line, end_col)


def _span_of(item: Any) -> Span:
    if isinstance(item, Token):
        return token_span(item)
    span: Span = item.span
    return span


def _covering(first: Any, last: Any) -> Span:
    return _span_of(first).to(_span_of(last))


def _depth(*children: ast.ExprNode) -> int:
    return 1 + max((child.depth for child in children), default=0)


def _size(*children: ast.ExprNode) -> int:
    return 1 + sum(child.size for child in children)


def _number(token: Token) -> ast.NumberLit:
    text = str(token)
    return ast.NumberLit(
        span=token_span(token),
        value=float(text),
        text=text,
        is_integer=text.isdigit(),
    )


class SyntaxTreeBuilder(Transformer[Token, Any]):
    """One method per grammar rule or alias; each returns the ``ast`` node for it."""

    # --- statements -------------------------------------------------------------------

    def start(self, items: list[Any]) -> list[ast.Statement]:
        return list(items)

    def strategy_decl(self, items: list[Any]) -> ast.StrategyDecl:
        keyword, name = items
        return ast.StrategyDecl(span=_covering(keyword, name), name=str(name)[1:-1])

    def universe_decl(self, items: list[Any]) -> ast.UniverseDecl:
        keyword, *instruments = items
        texts = tuple(ast.Text(span=token_span(t), text=str(t)) for t in instruments)
        return ast.UniverseDecl(span=_covering(keyword, instruments[-1]), instruments=texts)

    def timeframe_decl(self, items: list[Any]) -> ast.TimeframeDecl:
        keyword, *frames = items
        texts = tuple(ast.Text(span=token_span(t), text=str(t)) for t in frames)
        return ast.TimeframeDecl(span=_covering(keyword, frames[-1]), timeframes=texts)

    def param_number(self, items: list[Any]) -> ast.ParamNumber:
        negative = isinstance(items[0], Token) and items[0].type == "MINUS"
        number = items[1] if negative else items[0]
        percent = items[-1] if items[-1].type == "PERCENT" else None
        text = "".join(str(t) for t in items)
        value = float(str(number)) * (-1.0 if negative else 1.0)
        return ast.ParamNumber(
            span=_covering(items[0], items[-1]),
            value=value / 100.0 if percent is not None else value,
            text=text,
            is_integer=str(number).isdigit() and percent is None,
            is_percent=percent is not None,
        )

    def param_range(self, items: list[Any]) -> tuple[ast.ParamNumber, ...]:
        numbers = [item for item in items if isinstance(item, ast.ParamNumber)]
        return tuple(numbers)

    def param_decl(self, items: list[Any]) -> ast.ParamDecl:
        keyword, name, default = items[:3]
        bounds: tuple[ast.ParamNumber, ...] = items[3] if len(items) > 3 else ()
        return ast.ParamDecl(
            span=_covering(keyword, bounds[-1] if bounds else default),
            name=str(name),
            name_span=token_span(name),
            default=default,
            low=bounds[0] if bounds else None,
            high=bounds[1] if bounds else None,
            step=bounds[2] if len(bounds) > 2 else None,
        )

    def let_decl(self, items: list[Any]) -> ast.LetDecl:
        keyword, name, value = items
        return ast.LetDecl(
            span=_covering(keyword, value),
            name=str(name),
            name_span=token_span(name),
            value=value,
        )

    def rule(self, items: list[Any]) -> ast.RuleDecl:
        action, side, _when, condition = items
        return ast.RuleDecl(
            span=_covering(action, condition),
            action=str(action),
            side=str(side),
            condition=condition,
        )

    def protect_decl(self, items: list[Any]) -> ast.ProtectDecl:
        keyword, value = items
        return ast.ProtectDecl(span=_covering(keyword, value), kind=str(keyword), value=value)

    def size_decl(self, items: list[Any]) -> ast.SizeDecl:
        keyword, call = items
        return ast.SizeDecl(span=_covering(keyword, call), call=call)

    def ttl(self, items: list[Any]) -> ast.TtlClause:
        keyword, bars, unit = items
        return ast.TtlClause(
            span=_covering(keyword, unit),
            bars=_number(bars),
            unit=ast.Text(span=token_span(unit), text=str(unit)),
        )

    def order_decl(self, items: list[Any]) -> ast.OrderDecl:
        keyword, kind, *rest = items
        ttl = rest[-1] if rest and isinstance(rest[-1], ast.TtlClause) else None
        price = rest[1] if len(rest) >= 3 else None
        return ast.OrderDecl(
            span=_covering(keyword, rest[-1] if rest else kind),
            kind=ast.Text(span=token_span(kind), text=str(kind)),
            price=price,
            ttl=ttl,
        )

    def time_range(self, items: list[Any]) -> ast.TimeWindow:
        start, _dash, end = items
        return ast.TimeWindow(
            span=_covering(start, end), start=self.time_of_day([start]), end=self.time_of_day([end])
        )

    def session_decl(self, items: list[Any]) -> ast.SessionDecl:
        keyword, *rest = items
        windows = tuple(item for item in rest if isinstance(item, ast.TimeWindow))
        zone = None
        if isinstance(rest[-1], Token) and rest[-1].type == "STRING":
            zone = ast.Text(span=token_span(rest[-1]), text=str(rest[-1])[1:-1])
        return ast.SessionDecl(span=_covering(keyword, rest[-1]), windows=windows, zone=zone)

    # --- expressions ------------------------------------------------------------------

    def number(self, items: list[Any]) -> ast.NumberLit:
        return _number(items[0])

    def percent(self, items: list[Any]) -> ast.PercentLit:
        number, sign = items
        return ast.PercentLit(
            span=_covering(number, sign),
            value=float(str(number)) / 100.0,
            text=f"{number}%",
        )

    def time_of_day(self, items: list[Any]) -> ast.TimeLit:
        token = items[0]
        hours, minutes = str(token).split(":")
        return ast.TimeLit(
            span=token_span(token), minutes=int(hours) * 60 + int(minutes), text=str(token)
        )

    def true(self, items: list[Any]) -> ast.BoolLit:
        return ast.BoolLit(span=token_span(items[0]), value=True)

    def false(self, items: list[Any]) -> ast.BoolLit:
        return ast.BoolLit(span=token_span(items[0]), value=False)

    def name(self, items: list[Any]) -> ast.Name:
        return ast.Name(span=token_span(items[0]), id=str(items[0]))

    def group(self, items: list[Any]) -> ast.Expr:
        inner: ast.Expr = items[1]
        return inner

    def keyword_arg(self, items: list[Any]) -> ast.KeywordArg:
        name, value = items
        return ast.KeywordArg(
            span=_covering(name, value), name=str(name), name_span=token_span(name), value=value
        )

    def arguments(self, items: list[Any]) -> list[Any]:
        return list(items)

    def call(self, items: list[Any]) -> ast.Call:
        name, _lpar, arguments, rpar = items
        arguments = arguments or []
        args = tuple(a for a in arguments if not isinstance(a, ast.KeywordArg))
        keywords = tuple(a for a in arguments if isinstance(a, ast.KeywordArg))
        children = [*args, *(k.value for k in keywords)]
        return ast.Call(
            span=_covering(name, rpar),
            name=str(name),
            name_span=token_span(name),
            args=args,
            keywords=keywords,
            depth=_depth(*children),
            size=_size(*children),
        )

    def member(self, items: list[Any]) -> ast.Member:
        target, _dot, name = items
        return ast.Member(
            span=_covering(target, name),
            target=target,
            name=str(name),
            name_span=token_span(name),
            depth=_depth(target),
            size=_size(target),
        )

    def index(self, items: list[Any]) -> ast.Index:
        target, _lsqb, index, rsqb = items
        return ast.Index(
            span=_covering(target, rsqb),
            target=target,
            index=index,
            depth=_depth(target, index),
            size=_size(target, index),
        )

    def at_timeframe(self, items: list[Any]) -> ast.AtTimeframe:
        target, _at, frame = items
        return ast.AtTimeframe(
            span=_covering(target, frame),
            target=target,
            timeframe=str(frame),
            timeframe_span=token_span(frame),
            depth=_depth(target),
            size=_size(target),
        )

    def negate(self, items: list[Any]) -> ast.Negate:
        sign, operand = items
        return ast.Negate(
            span=_covering(sign, operand),
            operand=operand,
            depth=_depth(operand),
            size=_size(operand),
        )

    def not_op(self, items: list[Any]) -> ast.Not:
        keyword, operand = items
        return ast.Not(
            span=_covering(keyword, operand),
            operand=operand,
            depth=_depth(operand),
            size=_size(operand),
        )

    def _arithmetic(self, items: list[Any]) -> ast.Expr:
        result: ast.Expr = items[0]
        for index in range(1, len(items), 2):
            operator, right = items[index], items[index + 1]
            result = ast.BinaryOp(
                span=_covering(result, right),
                op=str(operator),
                op_span=token_span(operator),
                left=result,
                right=right,
                depth=_depth(result, right),
                size=_size(result, right),
            )
        return result

    sum = _arithmetic
    product = _arithmetic

    def comparison(self, items: list[Any]) -> ast.Compare:
        operands = tuple(items[0::2])
        operators = items[1::2]
        return ast.Compare(
            span=_covering(operands[0], operands[-1]),
            ops=tuple(str(op) for op in operators),
            op_spans=tuple(token_span(op) for op in operators),
            operands=operands,
            depth=_depth(*operands),
            size=_size(*operands),
        )

    def _logical(self, items: list[Any]) -> ast.Logical:
        operands = tuple(items[0::2])
        return ast.Logical(
            span=_covering(operands[0], operands[-1]),
            op=str(items[1]),
            operands=operands,
            depth=_depth(*operands) + len(operands) - 2,
            size=_size(*operands),
        )

    or_expr = _logical
    and_expr = _logical
