"""One path from a venue payload to JTS market data: parsers by venue, then checks.

A venue's ``VenueParser`` turns one payload (a WebSocket frame, a REST page) into
normalized records: ``TradeRecord`` for trades, ``QuoteTick``, ``Bar`` and
``OrderBookSnapshot`` messages for the rest. Trades are the bulk of the traffic, so they
stay in exact ``int`` units (``TradeRecord``) until someone needs a ``TradeTick``
(``to_message``). Parsers live with their venue (``jts.adapters.brokers.<venue>.parse``);
a ``ParserRegistry`` maps venue names to them.

The ``Normalizer`` runs every record through the same checks:

- **Corrupt data fails fast.** A payload the parser cannot read, a non-positive price, a
  timestamp before ``earliest_ns`` or more than ``max_future_ns`` past the receive time
  raises ``DataError`` naming the venue and quoting the payload, which is also logged.
- **Duplicates are dropped** (and counted): trades by the venue's sequence (see
  ``SequencePolicy``), book snapshots and bars that are not newer than the last one.
- **Gaps are reported.** When a venue numbers its trades contiguously (Binance), a jump
  past ``last + 1`` means trades were lost: ``on_gap`` hears of it (the feed-health
  watchdog turns it into ``FeedStale``) and the newer trades are kept.
- Trades without a venue sequence get their ordinal among trades of the same timestamp,
  so ``(ts_event, sequence)`` identifies every trade in the store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple, Protocol

import msgspec

from jts.contexts.market_data.domain.tick_series import AGGRESSOR_SIDES
from jts.messages.market_data import Bar, OrderBookSnapshot, QuoteTick, TradeTick
from jts.shared_kernel.clock import NANOS_PER_SECOND
from jts.shared_kernel.errors import ConfigurationError
from jts.shared_kernel.identifiers import InstrumentId, TradeId

if TYPE_CHECKING:
    from jts.contexts.market_data.domain.trade_batch import TradeBatch

EARLIEST_NS = 946_684_800 * NANOS_PER_SECOND  # 2000-01-01: older timestamps are corrupt
PAYLOAD_EXCERPT = 600


class TradeRecord(msgspec.Struct, frozen=True, gc=False):
    """A trade in exact units: ``price * 10**-price_scale``, ``size * 10**-size_scale``.
    ``aggressor`` is the ``TickSeries`` code (0 none, 1 buyer, 2 seller)."""

    instrument_id: InstrumentId
    ts_event: int
    price: int
    size: int
    price_scale: int
    size_scale: int
    aggressor: int = 0
    sequence: int | None = None
    trade_id: str | None = None

    def to_message(self, ts_init: int) -> TradeTick:
        return TradeTick(
            instrument_id=self.instrument_id,
            ts_event=self.ts_event,
            ts_init=ts_init,
            price=Decimal(self.price).scaleb(-self.price_scale),
            size=Decimal(self.size).scaleb(-self.size_scale),
            aggressor_side=AGGRESSOR_SIDES[self.aggressor],
            trade_id=None if self.trade_id is None else TradeId(self.trade_id),
            sequence=self.sequence,
        )


Normalized = TradeRecord | QuoteTick | Bar | OrderBookSnapshot


class SequencePolicy(StrEnum):
    """What a venue's trade sequence numbers promise."""

    CONTIGUOUS = "contiguous"  # +1 per trade per instrument: gaps mean lost trades
    INCREASING = "increasing"  # strictly increasing, with holes: only duplicates show
    UNIQUE = "unique"  # unique but unordered: duplicates found in a recent window
    NONE = "none"  # no sequence: JTS numbers trades within a timestamp


class ParsedRun(NamedTuple):
    """What a run of payloads held: its trades column-wise, everything else as records
    paired with the index of the payload they came from."""

    trades: TradeBatch
    others: list[tuple[int, Normalized]]


class VenueParser(Protocol):
    """Reads one venue's payloads. Raises on anything it cannot read."""

    @property
    def venue(self) -> str: ...

    @property
    def trade_sequences(self) -> SequencePolicy: ...

    def parse(self, payload: bytes, received_ns: int) -> Sequence[Normalized]:
        """The records in ``payload``; ``received_ns`` stands in for missing venue times."""
        ...

    def parse_run(self, payloads: Sequence[bytes], received_ns: int) -> ParsedRun:
        """The records of many payloads at once (``trade_batch.parse_each`` does it one
        payload at a time for parsers without a faster way)."""
        ...


class ParserRegistry:
    """Venue name -> its parser."""

    def __init__(self, parsers: Sequence[VenueParser] = ()) -> None:
        self._parsers: dict[str, VenueParser] = {}
        for parser in parsers:
            self.register(parser)

    def register(self, parser: VenueParser, *, replace: bool = False) -> None:
        if parser.venue in self._parsers and not replace:
            raise ConfigurationError(f"a parser for {parser.venue} is already registered")
        self._parsers[parser.venue] = parser

    def parser_for(self, venue: str) -> VenueParser:
        try:
            return self._parsers[venue]
        except KeyError:
            known = ", ".join(sorted(self._parsers)) or "none"
            raise ConfigurationError(
                f"no market data parser for venue {venue!r} (registered: {known})"
            ) from None

    def venues(self) -> list[str]:
        return sorted(self._parsers)


class SequenceGap(NamedTuple):
    """Trades ``expected`` .. ``received - 1`` of ``instrument_id`` never arrived."""

    instrument_id: InstrumentId
    expected: int
    received: int
    ts_event: int

    @property
    def missing(self) -> int:
        return self.received - self.expected


@dataclass
class NormalizationCounts:
    payloads: int = 0
    records: int = 0
    duplicates: int = 0
    gaps: int = 0
    missing: int = 0


GapHandler = Callable[[SequenceGap], None]
