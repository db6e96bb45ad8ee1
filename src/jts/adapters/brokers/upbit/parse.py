"""Upbit payloads -> JTS market data (the ``VenueParser`` for ``UPBIT``).

WebSocket (brokers.md 4.4, ``DEFAULT`` format; frames arrive as binary UTF-8 JSON):

- ``trade`` -> ``TradeRecord`` with ``sequential_id`` as its sequence: unique but not
  ordered, so duplicates are found in a recent window and gaps cannot be seen.
- ``orderbook`` -> ``OrderBookSnapshot`` (Upbit numbers no snapshots: no sequence).
- ``ticker`` -> nothing (it holds no data JTS normalizes).
- ``{"error": ...}`` -> ``DataError`` naming Upbit's error, so the feed stops loudly.

Markets are written quote-first at Upbit (``KRW-BTC``) and base-first in JTS
(``BTC-KRW.UPBIT``); ``instrument_for`` and ``market_for`` convert. Prices and sizes are
held at 8 decimals (Upbit's finest size step; KRW prices are far coarser).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Final

import msgspec

from jts.adapters.brokers.upbit import schemas
from jts.contexts.market_data.domain.normalization import (
    Normalized,
    ParsedRun,
    SequencePolicy,
    TradeRecord,
)
from jts.contexts.market_data.domain.trade_batch import parse_each
from jts.contexts.market_data.domain.units import decimal_units
from jts.messages.market_data import BookLevel, OrderBookSnapshot
from jts.shared_kernel.clock import NANOS_PER_MILLI, datetime_to_ns
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import UPBIT, InstrumentId

VENUE: Final = "UPBIT"
PRICE_SCALE: Final = 8
SIZE_SCALE: Final = 8
_AGGRESSOR: Final = {"BID": 1, "ASK": 2}  # ``TickSeries`` codes: buyer, seller

_MESSAGES = msgspec.json.Decoder(schemas.Trade | schemas.Orderbook | schemas.Ticker)
_ERROR = msgspec.json.Decoder(schemas.ErrorFrame)


def instrument_for(market: str) -> InstrumentId:
    """``KRW-BTC`` -> ``BTC-KRW.UPBIT``."""
    quote, dash, base = market.partition("-")
    if not dash or not quote or not base:
        raise DataError(f"Upbit market {market!r} is not QUOTE-BASE such as KRW-BTC")
    return InstrumentId(f"{base}-{quote}", UPBIT)


def market_for(instrument_id: InstrumentId) -> str:
    """``BTC-KRW.UPBIT`` -> ``KRW-BTC``."""
    base, dash, quote = instrument_id.symbol.partition("-")
    if instrument_id.venue != UPBIT or not dash:
        raise ValueError(f"{instrument_id} is not an Upbit market such as BTC-KRW.UPBIT")
    return f"{quote}-{base}"


def candle_start_ns(candle: schemas.Candle) -> int:
    """The start of a REST candle: ``candle_date_time_utc`` read as UTC."""
    try:
        start = datetime.fromisoformat(candle.candle_date_time_utc)
    except ValueError:
        raise DataError(
            f"Upbit candle time {candle.candle_date_time_utc!r} is not ISO 8601"
        ) from None
    return datetime_to_ns(start.replace(tzinfo=UTC))


class UpbitParser:
    """Parses Upbit market data payloads (see the module docstring)."""

    venue: Final = VENUE
    trade_sequences: Final = SequencePolicy.UNIQUE

    def __init__(self) -> None:
        self._instruments: dict[str, InstrumentId] = {}

    def instrument(self, market: str) -> InstrumentId:
        instrument_id = self._instruments.get(market)
        if instrument_id is None:
            instrument_id = self._instruments[market] = instrument_for(market)
        return instrument_id

    def parse(self, payload: bytes, received_ns: int) -> list[Normalized]:
        if payload.startswith(b'{"error"'):
            error = _ERROR.decode(payload).error
            raise DataError(f"Upbit sent error {error.name}: {error.message}")
        message = _MESSAGES.decode(payload)
        if type(message) is schemas.Trade:
            return [self._trade(message)]
        if type(message) is schemas.Orderbook:
            return [self._book(message)]
        return []

    def parse_run(self, payloads: Sequence[bytes], received_ns: int) -> ParsedRun:
        return parse_each(self, payloads, received_ns)

    def _trade(self, trade: schemas.Trade) -> TradeRecord:
        try:
            aggressor = _AGGRESSOR[trade.ask_bid]
        except KeyError:
            raise DataError(f"Upbit trade ask_bid {trade.ask_bid!r} is not ASK or BID") from None
        return TradeRecord(
            self.instrument(trade.code),
            trade.trade_timestamp * NANOS_PER_MILLI,
            decimal_units(trade.trade_price, PRICE_SCALE),
            decimal_units(trade.trade_volume, SIZE_SCALE),
            PRICE_SCALE,
            SIZE_SCALE,
            aggressor,
            trade.sequential_id,
        )

    def _book(self, book: schemas.Orderbook) -> OrderBookSnapshot:
        units = book.orderbook_units
        return OrderBookSnapshot(
            instrument_id=self.instrument(book.code),
            ts_event=book.timestamp * NANOS_PER_MILLI,
            ts_init=book.timestamp * NANOS_PER_MILLI,
            bids=tuple(BookLevel(u.bid_price, u.bid_size) for u in units if u.bid_size),
            asks=tuple(BookLevel(u.ask_price, u.ask_size) for u in units if u.ask_size),
        )
