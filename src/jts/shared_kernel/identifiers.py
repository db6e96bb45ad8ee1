"""Identifiers shared by every context.

``InstrumentId(symbol, venue)`` renders ``SYMBOL.VENUE``: ``005930.KRX``, ``BTC-KRW.UPBIT``,
``BTCUSDT.BINANCE``. Opaque ids are ``NewType``s over ``str``.
"""

from __future__ import annotations

import re
import uuid
from typing import NewType

import msgspec

from jts.shared_kernel.errors import InvalidInstrumentId

Venue = NewType("Venue", str)
ClientOrderId = NewType("ClientOrderId", str)
VenueOrderId = NewType("VenueOrderId", str)
TradeId = NewType("TradeId", str)
StrategyId = NewType("StrategyId", str)
AccountId = NewType("AccountId", str)
PositionId = NewType("PositionId", str)

KRX = Venue("KRX")
NXT = Venue("NXT")
UPBIT = Venue("UPBIT")
BINANCE = Venue("BINANCE")
SIM = Venue("SIM")

_SYMBOL = re.compile(r"^[A-Z0-9][A-Z0-9_\-/]*$")
_VENUE = re.compile(r"^[A-Z][A-Z0-9_]*$")


class InstrumentId(msgspec.Struct, frozen=True, order=True, cache_hash=True):
    """A tradable instrument on one venue; ``str()`` gives ``SYMBOL.VENUE``."""

    symbol: str
    venue: Venue

    def __post_init__(self) -> None:
        if not _SYMBOL.match(self.symbol):
            raise InvalidInstrumentId(
                f"instrument symbol {self.symbol!r} must be upper-case letters, digits, '-', '_' "
                "or '/', e.g. 005930 or BTC-KRW"
            )
        if not _VENUE.match(self.venue):
            raise InvalidInstrumentId(
                f"venue {self.venue!r} must be an upper-case name such as KRX, UPBIT or BINANCE"
            )

    @classmethod
    def parse(cls, text: str) -> InstrumentId:
        """Parse ``SYMBOL.VENUE``; the venue is the part after the last dot."""
        symbol, dot, venue = text.strip().rpartition(".")
        if not dot or not symbol or not venue:
            raise InvalidInstrumentId(
                f"instrument {text!r} must be written SYMBOL.VENUE, e.g. 005930.KRX, "
                "BTC-KRW.UPBIT or BTCUSDT.BINANCE"
            )
        return cls(symbol.upper(), Venue(venue.upper()))

    def __str__(self) -> str:
        return f"{self.symbol}.{self.venue}"


def new_client_order_id(prefix: str = "JTS") -> ClientOrderId:
    """A fresh client order id: generated once per order, the venue's idempotency key.

    32 hex characters of a UUID4 keep it under every venue's length limit (Binance 36).
    """
    return ClientOrderId(f"{prefix}-{uuid.uuid4().hex[:28]}")
