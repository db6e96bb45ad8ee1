"""Binance Spot market data payloads as msgspec structs, field names exactly as on the wire
(brokers.md 3.3, 3.4). Unknown fields are ignored: Binance adds fields without notice.

Event payloads carry their type in ``e`` (a msgspec tag, so one decode picks the struct).
Prices and quantities arrive as decimal strings. Trades, the bulk of the traffic, keep them
as ``str`` (``parse`` turns them into exact units); the rarer payloads decode straight to
``Decimal``.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec


class Trade(msgspec.Struct, frozen=True, gc=False, tag_field="e", tag="trade"):
    """``<symbol>@trade``: ``t`` is the trade id, contiguous per symbol; ``m`` is true when
    the buyer was the maker (the seller took liquidity)."""

    s: str
    t: int
    p: str
    q: str
    T: int
    m: bool


class AggTrade(msgspec.Struct, frozen=True, gc=False, tag_field="e", tag="aggTrade"):
    """``<symbol>@aggTrade``: trades of one taker order at one price; ``a`` is contiguous."""

    s: str
    a: int
    p: str
    q: str
    T: int
    m: bool


class Kline(msgspec.Struct, frozen=True, gc=False):
    """The ``k`` object of ``<symbol>@kline_<interval>``; ``x`` is true once it closed.
    ``T`` is the last millisecond inside the bar."""

    t: int
    T: int
    s: str
    i: str
    o: Decimal
    c: Decimal
    h: Decimal
    l: Decimal  # noqa: E741  (the wire name)
    v: Decimal
    n: int
    x: bool


class KlineEvent(msgspec.Struct, frozen=True, gc=False, tag_field="e", tag="kline"):
    s: str
    k: Kline


class BookTicker(msgspec.Struct, frozen=True, gc=False):
    """``<symbol>@bookTicker``: best bid/ask with update id ``u`` (no event time)."""

    u: int
    s: str
    b: Decimal
    B: Decimal
    a: Decimal
    A: Decimal


class PartialDepth(msgspec.Struct, frozen=True, gc=False):
    """``<symbol>@depth<5|10|20>``: the top of the book; the symbol is only in the stream
    name, so these come through combined streams."""

    lastUpdateId: int  # noqa: N815  (the wire name)
    bids: list[tuple[Decimal, Decimal]]
    asks: list[tuple[Decimal, Decimal]]


class Envelope(msgspec.Struct, frozen=True, gc=False):
    """A combined-stream frame: ``{"stream": "btcusdt@trade", "data": {...}}``."""

    stream: str
    data: msgspec.Raw


class TradeFrame(msgspec.Struct, frozen=True, gc=False):
    """A combined-stream ``@trade`` frame, decoded in one pass (the hot path)."""

    stream: str
    data: Trade


KlineRow = tuple[int, str, str, str, str, str, int, str, int, str, str, str]
"""One row of ``GET /api/v3/klines``: open time, open, high, low, close, volume, close time,
quote volume, number of trades, taker buy base volume, taker buy quote volume, ignore."""


class ErrorBody(msgspec.Struct, frozen=True):
    """The body of a failed REST call: ``{"code": -1121, "msg": "Invalid symbol."}``."""

    code: int
    msg: str
