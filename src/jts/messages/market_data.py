"""Market data events: quote ticks, trade ticks, bars and order book snapshots; surges
detected in them and the health of the feeds that carry them.

Corrupt data (a non-positive price, a negative size, a bar whose high is below its low)
raises ``DataError`` at construction and at decoding: it never enters the system.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

import msgspec

from jts.messages.base import Event, tag_for
from jts.messages.enums import AggressorSide
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import InstrumentId, TradeId
from jts.shared_kernel.timeframes import Timeframe

_ZERO = Decimal(0)


def _positive(value: Decimal, what: str, where: InstrumentId) -> None:
    if value.is_nan() or value <= _ZERO:
        raise DataError(f"{where}: {what} is {value}; prices must be positive")


def _non_negative(value: Decimal, what: str, where: InstrumentId) -> None:
    if value.is_nan() or value < _ZERO:
        raise DataError(f"{where}: {what} is {value}; sizes must not be negative")


class MarketDataEvent(Event, frozen=True, kw_only=True, tag=tag_for("market_data")):
    """Base of market data events; ``ts_event`` is when the venue produced the data."""

    instrument_id: InstrumentId


class QuoteTick(MarketDataEvent, frozen=True, kw_only=True):
    """The best bid and ask."""

    bid_price: Decimal
    ask_price: Decimal
    bid_size: Decimal
    ask_size: Decimal

    def __post_init__(self) -> None:
        _positive(self.bid_price, "bid price", self.instrument_id)
        _positive(self.ask_price, "ask price", self.instrument_id)
        _non_negative(self.bid_size, "bid size", self.instrument_id)
        _non_negative(self.ask_size, "ask size", self.instrument_id)

    @property
    def mid_price(self) -> Decimal:
        return (self.bid_price + self.ask_price) / 2


class TradeTick(MarketDataEvent, frozen=True, kw_only=True):
    """One trade printed by the venue. ``sequence`` is the venue's, when it has one."""

    price: Decimal
    size: Decimal
    aggressor_side: AggressorSide = AggressorSide.NONE
    trade_id: TradeId | None = None
    sequence: int | None = None

    def __post_init__(self) -> None:
        _positive(self.price, "trade price", self.instrument_id)
        _non_negative(self.size, "trade size", self.instrument_id)


class Bar(MarketDataEvent, frozen=True, kw_only=True):
    """An OHLCV bar over ``[ts_start, ts_event)``; it is known only once it closes.

    ``ts_event`` is the bar's close time, so nothing can see a bar before it has closed.
    """

    timeframe: Timeframe
    ts_start: int
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal

    def __post_init__(self) -> None:
        where = self.instrument_id
        for what, price in (("open", self.open), ("high", self.high), ("low", self.low)):
            _positive(price, what, where)
        _positive(self.close, "close", where)
        _non_negative(self.volume, "volume", where)
        if self.high < max(self.open, self.close, self.low) or self.low > min(
            self.open, self.close
        ):
            raise DataError(
                f"{where} bar at {self.ts_start}: high {self.high} / low {self.low} do not "
                f"contain open {self.open} and close {self.close}"
            )
        if self.ts_event <= self.ts_start:
            raise DataError(f"{where} bar closes at {self.ts_event}, not after {self.ts_start}")


class BookLevel(msgspec.Struct, frozen=True, array_like=True):
    """One price level of an order book."""

    price: Decimal
    size: Decimal


class OrderBookSnapshot(MarketDataEvent, frozen=True, kw_only=True):
    """The top levels of the book: bids best (highest) first, asks best (lowest) first."""

    bids: tuple[BookLevel, ...]
    asks: tuple[BookLevel, ...]
    sequence: int | None = None

    def __post_init__(self) -> None:
        _check_side(self.bids, descending=True, where=self.instrument_id, side="bids")
        _check_side(self.asks, descending=False, where=self.instrument_id, side="asks")

    @property
    def best_bid(self) -> BookLevel | None:
        return self.bids[0] if self.bids else None

    @property
    def best_ask(self) -> BookLevel | None:
        return self.asks[0] if self.asks else None


def _check_side(
    levels: tuple[BookLevel, ...], *, descending: bool, where: InstrumentId, side: str
) -> None:
    previous: Decimal | None = None
    for level in levels:
        _positive(level.price, f"{side} price", where)
        _non_negative(level.size, f"{side} size", where)
        if previous is not None and (
            level.price >= previous if descending else level.price <= previous
        ):
            order = "descending" if descending else "ascending"
            raise DataError(f"{where}: order book {side} must be strictly {order} by price")
        previous = level.price


class SurgeKind(StrEnum):
    """What kind of unusual activity a surge detector saw."""

    VOLUME_SPIKE = "VOLUME_SPIKE"  # volume far above its time-of-day baseline
    PRICE_VELOCITY = "PRICE_VELOCITY"  # a price move many standard deviations fast
    BOOK_IMBALANCE = "BOOK_IMBALANCE"  # resting size heavily on one side of the book
    NEW_HIGH = "NEW_HIGH"  # a price above the highest of the look-back window


class SurgeDetected(MarketDataEvent, frozen=True, kw_only=True):
    """A surge detector fired on ``instrument_id``.

    ``score`` is how far past its threshold the detector's statistic went (1 = just at it);
    ``figures`` holds the numbers behind it (the statistic, the baseline, the threshold...).
    """

    kind: SurgeKind
    score: Decimal
    reason: str
    figures: dict[str, Decimal] = msgspec.field(default_factory=dict)


class FeedStaleReason(StrEnum):
    NO_DATA = "NO_DATA"  # nothing for N expected intervals while the venue is in session
    SEQUENCE_GAP = "SEQUENCE_GAP"  # the venue's sequence skipped numbers: data was lost
    DISCONNECTED = "DISCONNECTED"  # the feed lost its connection (no heartbeat either)


class FeedStale(MarketDataEvent, frozen=True, kw_only=True):
    """The feed of ``instrument_id`` cannot be trusted: stop trading it until it recovers.

    ``last_data_ns`` is the ``ts_event`` of the last data seen (``None``: none yet);
    ``missing`` counts the sequence numbers lost (gaps) or expected intervals missed.
    """

    reason: FeedStaleReason
    last_data_ns: int | None = None
    expected_interval_ns: int = 0
    missing: int = 0
    detail: str = ""


class FeedRecovered(MarketDataEvent, frozen=True, kw_only=True):
    """Fresh data arrived for ``instrument_id`` after a ``FeedStale``; ``stale_since_ns``
    is when it went stale."""

    stale_since_ns: int
