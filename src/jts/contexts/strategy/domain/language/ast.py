"""The syntax tree of a strategy source, exactly as written (nothing resolved yet).

Every node carries the ``Span`` it came from so the checker can point at it. Expression
nodes also carry ``depth`` (1 for a leaf) and ``size`` (number of nodes), computed as the
tree is built, so program limits are enforced before any recursive pass runs.
"""

from __future__ import annotations

import msgspec

from jts.contexts.strategy.domain.language.errors import Span


class Node(msgspec.Struct, frozen=True, kw_only=True):
    span: Span


class ExprNode(Node, frozen=True, kw_only=True):
    depth: int = 1
    size: int = 1


class NumberLit(ExprNode, frozen=True, kw_only=True):
    """A number such as ``20`` or ``0.999``."""

    value: float
    text: str
    is_integer: bool


class PercentLit(ExprNode, frozen=True, kw_only=True):
    """``5%``; ``value`` is the fraction (0.05)."""

    value: float
    text: str


class TimeLit(ExprNode, frozen=True, kw_only=True):
    """A time of day ``09:30``; ``minutes`` since midnight."""

    minutes: int
    text: str


class BoolLit(ExprNode, frozen=True, kw_only=True):
    value: bool


class Name(ExprNode, frozen=True, kw_only=True):
    id: str


class KeywordArg(Node, frozen=True, kw_only=True):
    name: str
    name_span: Span
    value: Expr


class Call(ExprNode, frozen=True, kw_only=True):
    """``name(args..., key=value...)``."""

    name: str
    name_span: Span
    args: tuple[Expr, ...]
    keywords: tuple[KeywordArg, ...]


class Member(ExprNode, frozen=True, kw_only=True):
    """``target.name``: one output of a multi-output indicator."""

    target: Expr
    name: str
    name_span: Span


class Index(ExprNode, frozen=True, kw_only=True):
    """``target[index]``: the value ``index`` bars ago."""

    target: Expr
    index: Expr


class AtTimeframe(ExprNode, frozen=True, kw_only=True):
    """``target@1d``: ``target`` evaluated on another timeframe's bars."""

    target: Expr
    timeframe: str
    timeframe_span: Span


class Negate(ExprNode, frozen=True, kw_only=True):
    operand: Expr


class BinaryOp(ExprNode, frozen=True, kw_only=True):
    """Arithmetic: ``+ - * /``."""

    op: str
    op_span: Span
    left: Expr
    right: Expr


class Compare(ExprNode, frozen=True, kw_only=True):
    """``a < b``; a chain ``a < b < c`` is kept so the checker can reject it by name."""

    ops: tuple[str, ...]
    op_spans: tuple[Span, ...]
    operands: tuple[Expr, ...]


class Logical(ExprNode, frozen=True, kw_only=True):
    """``a and b and c`` or ``a or b``."""

    op: str
    operands: tuple[Expr, ...]


class Not(ExprNode, frozen=True, kw_only=True):
    operand: Expr


Expr = (
    NumberLit
    | PercentLit
    | TimeLit
    | BoolLit
    | Name
    | Call
    | Member
    | Index
    | AtTimeframe
    | Negate
    | BinaryOp
    | Compare
    | Logical
    | Not
)


class Text(Node, frozen=True, kw_only=True):
    """A located word: an instrument, a timeframe, a unit."""

    text: str


class StrategyDecl(Node, frozen=True, kw_only=True):
    name: str


class UniverseDecl(Node, frozen=True, kw_only=True):
    instruments: tuple[Text, ...]


class TimeframeDecl(Node, frozen=True, kw_only=True):
    timeframes: tuple[Text, ...]


class ParamNumber(Node, frozen=True, kw_only=True):
    """A signed literal in a ``param`` line; percent values hold the fraction."""

    value: float
    text: str
    is_integer: bool
    is_percent: bool


class ParamDecl(Node, frozen=True, kw_only=True):
    name: str
    name_span: Span
    default: ParamNumber
    low: ParamNumber | None = None
    high: ParamNumber | None = None
    step: ParamNumber | None = None


class LetDecl(Node, frozen=True, kw_only=True):
    name: str
    name_span: Span
    value: Expr


class RuleDecl(Node, frozen=True, kw_only=True):
    """``entry|exit long|short when condition``."""

    action: str
    side: str
    condition: Expr

    @property
    def label(self) -> str:
        return f"{self.action} {self.side}"


class ProtectDecl(Node, frozen=True, kw_only=True):
    """``stop_loss``, ``take_profit`` or ``trailing_stop`` with a percent or a distance."""

    kind: str
    value: Expr


class SizeDecl(Node, frozen=True, kw_only=True):
    call: Call


class TtlClause(Node, frozen=True, kw_only=True):
    bars: NumberLit
    unit: Text


class OrderDecl(Node, frozen=True, kw_only=True):
    kind: Text
    price: Expr | None = None
    ttl: TtlClause | None = None


class TimeWindow(Node, frozen=True, kw_only=True):
    start: TimeLit
    end: TimeLit


class SessionDecl(Node, frozen=True, kw_only=True):
    windows: tuple[TimeWindow, ...]
    zone: Text | None = None


Statement = (
    StrategyDecl
    | UniverseDecl
    | TimeframeDecl
    | ParamDecl
    | LetDecl
    | RuleDecl
    | ProtectDecl
    | SizeDecl
    | OrderDecl
    | SessionDecl
)


class Program(msgspec.Struct, frozen=True, kw_only=True):
    """A parsed source file."""

    file: str
    source: str
    statements: tuple[Statement, ...]
