"""Binance payloads -> JTS market data (the ``VenueParser`` for ``BINANCE``).

Streams (brokers.md 3.4), raw (``/ws/<stream>``) or combined (``/stream?streams=...``):

- ``@trade`` / ``@aggTrade`` -> ``TradeRecord``; the trade (or aggregate) id is the
  sequence, contiguous per symbol, so the normalizer sees lost trades. Subscribe to one of
  the two per symbol: their ids are different number spaces.
- ``@kline_<interval>`` -> ``Bar`` once the kline has closed (``x``); updates of the open
  kline are skipped. A kline's ``T`` is its last millisecond, so the bar closes at ``T + 1``.
- ``@bookTicker`` -> ``QuoteTick``; ``@depth<N>`` (combined streams only: the symbol is in
  the stream name) -> ``OrderBookSnapshot`` with ``lastUpdateId`` as its sequence. Neither
  carries an event time: the receive time stands in.

Binance prints every price and quantity with 8 decimals, so units are at scale 8.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import msgspec

from jts.adapters.brokers.binance import schemas
from jts.contexts.market_data.domain.normalization import Normalized, SequencePolicy, TradeRecord
from jts.contexts.market_data.domain.units import text_units
from jts.messages.market_data import Bar, BookLevel, OrderBookSnapshot, QuoteTick
from jts.shared_kernel.clock import NANOS_PER_MILLI
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import BINANCE, InstrumentId
from jts.shared_kernel.timeframes import Timeframe

VENUE: Final = "BINANCE"
PRICE_SCALE: Final = 8
SIZE_SCALE: Final = 8
BUYER, SELLER = 1, 2  # ``TickSeries`` aggressor codes

INTERVALS: Final = {
    text: Timeframe.parse(text)
    for text in (
        "1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d",
        "1w",
    )
}  # fmt: skip
"""Binance kline intervals JTS has a ``Timeframe`` for (``1M``, a calendar month, is not)."""

_EVENTS = msgspec.json.Decoder(schemas.Trade | schemas.AggTrade | schemas.KlineEvent)
_ENVELOPE = msgspec.json.Decoder(schemas.Envelope)
_TRADE = msgspec.json.Decoder(schemas.Trade)
_AGG_TRADE = msgspec.json.Decoder(schemas.AggTrade)
_KLINE = msgspec.json.Decoder(schemas.KlineEvent)
_BOOK_TICKER = msgspec.json.Decoder(schemas.BookTicker)
_DEPTH = msgspec.json.Decoder(schemas.PartialDepth)


def interval_timeframe(interval: str) -> Timeframe:
    """The ``Timeframe`` of a Binance kline interval (``"1m"`` .. ``"1w"``)."""
    try:
        return INTERVALS[interval]
    except KeyError:
        raise DataError(
            f"Binance kline interval {interval!r} is not one of {', '.join(INTERVALS)}"
        ) from None


def binance_interval(timeframe: Timeframe) -> str:
    """The Binance interval name of ``timeframe``; refuses lengths Binance does not serve."""
    for text, frame in INTERVALS.items():
        if frame == timeframe:
            return text
    raise ValueError(f"Binance has no {timeframe} klines; use one of {', '.join(INTERVALS)}")


class BinanceParser:
    """Parses Binance Spot market data payloads (see the module docstring)."""

    venue: Final = VENUE
    trade_sequences: Final = SequencePolicy.CONTIGUOUS

    def __init__(self) -> None:
        self._instruments: dict[str, InstrumentId] = {}
        self._channels: dict[str, Callable[[bytes, str, int], list[Normalized]]] = {
            "trade": self._trade_data,
            "aggTrade": self._agg_trade_data,
            "bookTicker": self._book_ticker_data,
        }

    def instrument(self, symbol: str) -> InstrumentId:
        """``BTCUSDT`` (any case) -> ``BTCUSDT.BINANCE``, cached."""
        instrument_id = self._instruments.get(symbol)
        if instrument_id is None:
            instrument_id = InstrumentId(symbol.upper(), BINANCE)
            self._instruments[symbol] = instrument_id
        return instrument_id

    def parse(self, payload: bytes, received_ns: int) -> list[Normalized]:
        if payload.startswith(b'{"stream"'):
            envelope = _ENVELOPE.decode(payload)
            symbol, _, channel = envelope.stream.partition("@")
            return self._combined(bytes(envelope.data), symbol, channel, received_ns)
        if b'"e":' in payload:
            return self._event(_EVENTS.decode(payload))
        return self._book_ticker(_BOOK_TICKER.decode(payload), received_ns)

    def _combined(
        self, data: bytes, symbol: str, channel: str, received_ns: int
    ) -> list[Normalized]:
        handler = self._channels.get(channel)
        if handler is not None:
            return handler(data, symbol, received_ns)
        if channel.startswith("kline_"):
            return self._event(_KLINE.decode(data))
        if channel.startswith("depth") and channel[5:6].isdigit():  # partial book, not diffs
            return [self._depth(_DEPTH.decode(data), symbol, received_ns)]
        raise DataError(
            f"Binance stream {symbol}@{channel} is not one JTS reads (trade, aggTrade, "
            "kline_<interval>, bookTicker, depth<5|10|20>)"
        )

    def _trade_data(self, data: bytes, symbol: str, received_ns: int) -> list[Normalized]:
        return self._event(_TRADE.decode(data))

    def _agg_trade_data(self, data: bytes, symbol: str, received_ns: int) -> list[Normalized]:
        return self._event(_AGG_TRADE.decode(data))

    def _book_ticker_data(self, data: bytes, symbol: str, received_ns: int) -> list[Normalized]:
        return self._book_ticker(_BOOK_TICKER.decode(data), received_ns)

    def _event(
        self, event: schemas.Trade | schemas.AggTrade | schemas.KlineEvent
    ) -> list[Normalized]:
        if type(event) is schemas.Trade:
            sequence = event.t
        elif type(event) is schemas.AggTrade:
            sequence = event.a
        else:
            assert isinstance(event, schemas.KlineEvent)
            return [] if not event.k.x else [self._bar(event.k)]
        return [
            TradeRecord(
                self.instrument(event.s),
                event.T * NANOS_PER_MILLI,
                text_units(event.p, PRICE_SCALE),
                text_units(event.q, SIZE_SCALE),
                PRICE_SCALE,
                SIZE_SCALE,
                SELLER if event.m else BUYER,
                sequence,
            )
        ]

    def _bar(self, kline: schemas.Kline) -> Bar:
        end_ns = (kline.T + 1) * NANOS_PER_MILLI
        return Bar(
            instrument_id=self.instrument(kline.s),
            timeframe=interval_timeframe(kline.i),
            ts_start=kline.t * NANOS_PER_MILLI,
            ts_event=end_ns,
            ts_init=end_ns,
            open=kline.o,
            high=kline.h,
            low=kline.l,
            close=kline.c,
            volume=kline.v,
        )

    def _book_ticker(self, ticker: schemas.BookTicker, received_ns: int) -> list[Normalized]:
        return [
            QuoteTick(
                instrument_id=self.instrument(ticker.s),
                ts_event=received_ns,
                ts_init=received_ns,
                bid_price=ticker.b,
                bid_size=ticker.B,
                ask_price=ticker.a,
                ask_size=ticker.A,
            )
        ]

    def _depth(self, depth: schemas.PartialDepth, symbol: str, received_ns: int) -> Normalized:
        return OrderBookSnapshot(
            instrument_id=self.instrument(symbol),
            ts_event=received_ns,
            ts_init=received_ns,
            bids=tuple(BookLevel(price, size) for price, size in depth.bids),
            asks=tuple(BookLevel(price, size) for price, size in depth.asks),
            sequence=depth.lastUpdateId,
        )
