"""Enumerations shared by several message modules."""

from __future__ import annotations

from enum import StrEnum

from jts.shared_kernel.venues.types import LiquiditySide, OrderSide

__all__ = [
    "AggressorSide",
    "Direction",
    "HealthStatus",
    "LiquiditySide",
    "OrderSide",
    "OrderStatus",
    "OrderType",
    "Severity",
    "TimeInForce",
]


class AggressorSide(StrEnum):
    BUYER = "BUYER"
    SELLER = "SELLER"
    NONE = "NONE"


class OrderType(StrEnum):
    MARKET = "MARKET"
    LIMIT = "LIMIT"
    STOP_MARKET = "STOP_MARKET"
    STOP_LIMIT = "STOP_LIMIT"


class TimeInForce(StrEnum):
    GTC = "GTC"  # good till canceled
    DAY = "DAY"  # until the end of the venue's session
    IOC = "IOC"  # immediate or cancel
    FOK = "FOK"  # fill or kill
    GTD = "GTD"  # good till a date (``expire_time_ns``)


class Direction(StrEnum):
    """The side of a position a signal is about."""

    LONG = "LONG"
    SHORT = "SHORT"


class Severity(StrEnum):
    INFO = "INFO"
    WARNING = "WARNING"
    CRITICAL = "CRITICAL"


class HealthStatus(StrEnum):
    OK = "OK"
    DEGRADED = "DEGRADED"
    DOWN = "DOWN"


class OrderStatus(StrEnum):
    """Where an order is in its life cycle; the trading context owns the transition table."""

    INITIALIZED = "INITIALIZED"
    DENIED = "DENIED"
    SUBMITTED = "SUBMITTED"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    PARTIALLY_FILLED = "PARTIALLY_FILLED"
    FILLED = "FILLED"
    PENDING_CANCEL = "PENDING_CANCEL"
    PENDING_MODIFY = "PENDING_MODIFY"
    CANCELED = "CANCELED"
    EXPIRED = "EXPIRED"

    @property
    def is_terminal(self) -> bool:
        return self in _TERMINAL

    @property
    def is_open(self) -> bool:
        """Working at a venue (or about to be): it can still fill."""
        return not self.is_terminal and self is not OrderStatus.INITIALIZED


_TERMINAL = frozenset(
    {
        OrderStatus.DENIED,
        OrderStatus.REJECTED,
        OrderStatus.FILLED,
        OrderStatus.CANCELED,
        OrderStatus.EXPIRED,
    }
)
