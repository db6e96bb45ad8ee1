"""Small value types shared by every venue module: sides, asset classes, segments, rejections."""

from __future__ import annotations

from enum import StrEnum

import msgspec


class OrderSide(StrEnum):
    """Buy or sell. The one definition: ``jts.messages.enums`` re-exports it."""

    BUY = "BUY"
    SELL = "SELL"

    @property
    def opposite(self) -> OrderSide:
        return OrderSide.SELL if self is OrderSide.BUY else OrderSide.BUY


class LiquiditySide(StrEnum):
    """Whether a fill added liquidity (maker) or took it (taker); NONE when unknown (fees
    then use the taker rate)."""

    MAKER = "MAKER"
    TAKER = "TAKER"
    NONE = "NONE"


class AssetClass(StrEnum):
    EQUITY = "EQUITY"
    ETF = "ETF"
    CRYPTO = "CRYPTO"


class MarketSegment(StrEnum):
    """The KRX market an instrument is listed on; it decides the tick table and the sell tax."""

    KOSPI = "KOSPI"
    KOSDAQ = "KOSDAQ"
    KONEX = "KONEX"
    ETF = "ETF"


class Rejection(msgspec.Struct, frozen=True, kw_only=True):
    """Why a venue would refuse an order.

    ``code`` is the venue's own error name or code (``under_min_total_bid``, ``-1013``,
    ``krx.tick``), ``message`` the text the venue puts on the wire (a simulator can send it
    as is), ``detail`` the explanation for a person: which value, which limit, what to do.
    """

    venue: str
    code: str
    message: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.venue} {self.code}] {self.message}: {self.detail}"
