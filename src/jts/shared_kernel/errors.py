"""The JTS error tree, organised by what the caller should do.

::

    JtsError
     +-- DomainError              a rule said no: emit a rejection event, keep running
     |    +-- InvalidInstrumentId
     |    +-- InvalidOrderTransition
     +-- VenueError               a broker or exchange failed
     |    +-- TransientVenueError  retry with backoff
     |    |    +-- RateLimited     carries ``retry_after_s``
     |    +-- PermanentVenueError  never retry
     |         +-- InsufficientFunds
     |         +-- OrderNotFound
     |         +-- InvalidOrder
     +-- ConfigurationError       fatal at start
     +-- StrategyError            stop that strategy, not the process
     +-- DataError                corrupt input (NaN price, negative quantity): fail fast

Vendor exceptions never cross an adapter boundary: adapters translate them into this tree.
"""

from __future__ import annotations


class JtsError(Exception):
    """Base of every error JTS raises on purpose."""


class DomainError(JtsError):
    """A business rule refused an action; the caller reports it and keeps running."""


class InvalidInstrumentId(DomainError, ValueError):
    """An instrument id did not have the form ``SYMBOL.VENUE``."""


class InvalidOrderTransition(DomainError):
    """An order was asked to move to a state its life cycle does not allow."""


class VenueError(JtsError):
    """A venue (broker, exchange, simulator) failed to do what was asked."""

    def __init__(self, message: str, *, venue: str, code: str | None = None) -> None:
        super().__init__(message)
        self.venue = venue
        self.code = code

    def __str__(self) -> str:
        detail = super().__str__()
        return f"[{self.venue}{' ' + self.code if self.code else ''}] {detail}"


class TransientVenueError(VenueError):
    """Worth retrying after a backoff: timeouts, 5xx, rate limits, maintenance."""


class RateLimited(TransientVenueError):
    """The venue (or our own limiter) asked us to wait ``retry_after_s`` seconds."""

    def __init__(
        self, message: str, *, venue: str, retry_after_s: float, code: str | None = None
    ) -> None:
        super().__init__(message, venue=venue, code=code)
        self.retry_after_s = retry_after_s


class PermanentVenueError(VenueError):
    """Retrying cannot help: the request itself is wrong or refused."""


class InsufficientFunds(PermanentVenueError):
    """Not enough cash or holdings for the order."""


class OrderNotFound(PermanentVenueError):
    """The venue does not know the order."""


class InvalidOrder(PermanentVenueError):
    """The order breaks a venue rule (tick, lot, price band, minimum notional, session)."""


class ConfigurationError(JtsError):
    """Settings are missing or inconsistent; raised at start, fatal."""


class StrategyError(JtsError):
    """A strategy failed; that strategy is stopped, the process keeps running."""


class DataError(JtsError, ValueError):
    """Input data is corrupt (NaN price, negative quantity, unsorted timestamps)."""
