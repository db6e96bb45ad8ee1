"""Upbit market data payloads as msgspec structs, field names exactly as on the wire
(brokers.md 4.3, 4.4). Unknown fields are ignored: Upbit adds fields without notice.

KRW markets send prices and volumes as JSON numbers; msgspec reads them straight into
``Decimal`` from their text, so nothing passes through a binary float.
WebSocket payloads carry their kind in ``type`` (a msgspec tag). Candles are REST objects,
newest first.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec


class Trade(msgspec.Struct, frozen=True, gc=False, tag_field="type", tag="trade"):
    """A trade; ``ask_bid`` is the taker's side (``BID``: a buyer took the offer).
    ``sequential_id`` is unique but not ordered."""

    code: str
    trade_price: Decimal
    trade_volume: Decimal
    ask_bid: str
    trade_timestamp: int
    sequential_id: int


class OrderbookUnit(msgspec.Struct, frozen=True, gc=False):
    ask_price: Decimal
    bid_price: Decimal
    ask_size: Decimal
    bid_size: Decimal


class Orderbook(msgspec.Struct, frozen=True, gc=False, tag_field="type", tag="orderbook"):
    """The top of the book, one ask and one bid per unit, best first."""

    code: str
    timestamp: int
    orderbook_units: list[OrderbookUnit]


class Ticker(msgspec.Struct, frozen=True, gc=False, tag_field="type", tag="ticker"):
    """The 24h ticker: nothing JTS normalizes, but a valid payload."""

    code: str
    timestamp: int


class ErrorDetail(msgspec.Struct, frozen=True):
    name: str
    message: str = ""


class ErrorFrame(msgspec.Struct, frozen=True):
    """``{"error": {"name": "INVALID_PARAM", "message": "..."}}`` (WebSocket and REST)."""

    error: ErrorDetail


class Candle(msgspec.Struct, frozen=True, gc=False):
    """One REST candle (``/v1/candles/minutes/{unit}``, ``/v1/candles/days`` ...).

    ``candle_date_time_utc`` is the bar's start in UTC without an offset; ``timestamp`` is
    the time of the bar's last trade, not its end.
    """

    market: str
    candle_date_time_utc: str
    opening_price: Decimal
    high_price: Decimal
    low_price: Decimal
    trade_price: Decimal
    timestamp: int
    candle_acc_trade_volume: Decimal
    candle_acc_trade_price: Decimal | None = None
    unit: int | None = None
