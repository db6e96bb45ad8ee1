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

import dataclasses
from collections.abc import Callable, Sequence
from typing import Final

import msgspec
import numpy as np

from jts.adapters.brokers.binance import schemas
from jts.contexts.market_data.domain.decimal_kernel import column_units
from jts.contexts.market_data.domain.fixed_point import Int64Array
from jts.contexts.market_data.domain.normalization import (
    Normalized,
    ParsedRun,
    SequencePolicy,
    TradeRecord,
)
from jts.contexts.market_data.domain.trade_batch import TradeBatch, concat_batches, parse_each
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
_TRADE_FRAME = msgspec.json.Decoder(schemas.TradeFrame)
_TRADE_FRAMES = msgspec.json.Decoder(list[schemas.TradeFrame])
_AGG_TRADE = msgspec.json.Decoder(schemas.AggTrade)
_KLINE = msgspec.json.Decoder(schemas.KlineEvent)
_BOOK_TICKER = msgspec.json.Decoder(schemas.BookTicker)
_DEPTH = msgspec.json.Decoder(schemas.PartialDepth)


def _units_column(texts: list[str]) -> Int64Array:
    """Units of decimal strings at scale 8, exactly: compiled for the whole column, or one by
    one through ``text_units`` (which names the offending text) when that cannot take one."""
    units, first_bad = column_units(texts, PRICE_SCALE)
    if first_bad < 0:
        return units
    return np.array([text_units(text, PRICE_SCALE) for text in texts], dtype=np.int64)


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
            if payload.find(b'@trade"', 11, 80) > 0:  # the bulk of the traffic, in one decode
                return [self._trade(_TRADE_FRAME.decode(payload).data)]
            envelope = _ENVELOPE.decode(payload)
            symbol, _, channel = envelope.stream.partition("@")
            return self._combined(bytes(envelope.data), symbol, channel, received_ns)
        if payload.startswith(b'{"e":"trade"'):
            return [self._trade(_TRADE.decode(payload))]
        if b'"e":' in payload:
            return self._event(_EVENTS.decode(payload))
        return self._book_ticker(_BOOK_TICKER.decode(payload), received_ns)

    def parse_run(self, payloads: Sequence[bytes], received_ns: int) -> ParsedRun:
        """Many payloads at once. A run of combined-stream trade frames (the usual case on
        a trade connection) is decoded in one call and converted column-wise; otherwise
        trade frames still go the fast way and the rest through ``parse``."""
        try:
            return ParsedRun(self._trade_frames(payloads, range(len(payloads))), [])
        except (msgspec.ValidationError, msgspec.DecodeError):
            pass  # not all trade frames: sort them out
        fast_rows: list[int] = []
        slow_rows: list[int] = []
        for row, payload in enumerate(payloads):
            fast = payload.startswith(b'{"stream"') and payload.find(b'@trade"', 11, 80) > 0
            (fast_rows if fast else slow_rows).append(row)
        trades = self._trade_frames([payloads[row] for row in fast_rows], fast_rows)
        parsed = parse_each(self, [payloads[row] for row in slow_rows], received_ns)
        rows = np.array(slow_rows, dtype=np.int64)
        slow = dataclasses.replace(parsed.trades, source=rows[parsed.trades.source])
        merged = concat_batches([trades, slow])
        merged = merged.take(np.argsort(merged.source, kind="stable"))  # arrival order
        return ParsedRun(merged, [(slow_rows[source], record) for source, record in parsed.others])

    def _trade_frames(self, payloads: Sequence[bytes], sources: Sequence[int]) -> TradeBatch:
        if not payloads:
            return TradeBatch.empty(PRICE_SCALE, SIZE_SCALE)
        frames = _TRADE_FRAMES.decode(b"[" + b",".join(payloads) + b"]")
        if any(not stream.endswith("@trade") for stream in {frame.stream for frame in frames}):
            raise msgspec.ValidationError("a frame of another stream")
        trades = [frame.data for frame in frames]
        index: dict[str, int] = {}
        instrument = [index.setdefault(t.s, len(index)) for t in trades]
        return TradeBatch(
            tuple(self.instrument(symbol) for symbol in index),
            np.array(instrument, dtype=np.int64),
            np.array([t.T for t in trades], dtype=np.int64) * NANOS_PER_MILLI,
            np.array([t.t for t in trades], dtype=np.int64),
            _units_column([t.p for t in trades]),
            _units_column([t.q for t in trades]),
            np.array([SELLER if t.m else BUYER for t in trades], dtype=np.int8),
            np.array(sources, dtype=np.int64),
            PRICE_SCALE,
            SIZE_SCALE,
        )

    def _trade(self, trade: schemas.Trade) -> TradeRecord:
        instrument_id = self._instruments.get(trade.s)
        if instrument_id is None:
            instrument_id = self.instrument(trade.s)
        return TradeRecord(
            instrument_id,
            trade.T * NANOS_PER_MILLI,
            text_units(trade.p, PRICE_SCALE),
            text_units(trade.q, SIZE_SCALE),
            PRICE_SCALE,
            SIZE_SCALE,
            SELLER if trade.m else BUYER,
            trade.t,
        )

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
        return [self._trade(_TRADE.decode(data))]

    def _agg_trade_data(self, data: bytes, symbol: str, received_ns: int) -> list[Normalized]:
        return self._event(_AGG_TRADE.decode(data))

    def _book_ticker_data(self, data: bytes, symbol: str, received_ns: int) -> list[Normalized]:
        return self._book_ticker(_BOOK_TICKER.decode(data), received_ns)

    def _event(
        self, event: schemas.Trade | schemas.AggTrade | schemas.KlineEvent
    ) -> list[Normalized]:
        if type(event) is schemas.Trade:
            return [self._trade(event)]
        if type(event) is schemas.KlineEvent:
            return [self._bar(event.k)] if event.k.x else []
        assert isinstance(event, schemas.AggTrade)
        return [
            TradeRecord(
                self.instrument(event.s),
                event.T * NANOS_PER_MILLI,
                text_units(event.p, PRICE_SCALE),
                text_units(event.q, SIZE_SCALE),
                PRICE_SCALE,
                SIZE_SCALE,
                SELLER if event.m else BUYER,
                event.a,
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
