"""Binance and Upbit parsers on recorded payloads, through the normalizer."""

from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest

from jts.adapters.brokers.binance.parse import BinanceParser, binance_interval
from jts.adapters.brokers.upbit.parse import UpbitParser, instrument_for, market_for
from jts.contexts.market_data.domain.normalization import (
    ParserRegistry,
    SequenceGap,
    TradeRecord,
)
from jts.contexts.market_data.domain.normalizer import Normalizer
from jts.messages.enums import AggressorSide
from jts.messages.market_data import Bar, OrderBookSnapshot, QuoteTick
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe
from tests.unit.adapters.feeds.recorded import recorded, recorded_lines

RECEIVED = 1_714_730_405_000_000_000
BTCUSDT = InstrumentId.parse("BTCUSDT.BINANCE")
BTC_KRW = InstrumentId.parse("BTC-KRW.UPBIT")


def normalizer(gaps: list[SequenceGap] | None = None) -> Normalizer:
    registry = ParserRegistry([BinanceParser(), UpbitParser()])
    return Normalizer(registry, on_gap=None if gaps is None else gaps.append)


def test_binance_trades_keep_exact_units_drop_duplicates_and_report_the_gap() -> None:
    gaps: list[SequenceGap] = []
    n = normalizer(gaps)

    records = [
        r for frame in recorded_lines("binance", "ws_trades.jsonl")
        for r in n.normalize("BINANCE", frame, RECEIVED)
    ]  # fmt: skip

    trades = [r for r in records if isinstance(r, TradeRecord)]
    assert [t.sequence for t in trades] == [3581000001, 3581000002, 3581000003, 3581000007]
    first = trades[0].to_message(RECEIVED)
    assert (first.instrument_id, first.price, first.size) == (
        BTCUSDT,
        Decimal("63250.01"),
        Decimal("0.0015"),
    )
    assert first.ts_event == 1_714_730_400_011_000_000
    assert first.aggressor_side is AggressorSide.BUYER  # m=false: the buyer took
    assert trades[1].to_message(RECEIVED).aggressor_side is AggressorSide.SELLER
    assert n.counts.duplicates == 1
    assert gaps == [SequenceGap(BTCUSDT, 3581000004, 3581000007, 1_714_730_401_349_000_000)]


def test_binance_combined_streams_give_every_kind_of_market_data() -> None:
    n = normalizer()

    records = [
        r for frame in recorded_lines("binance", "ws_combined.jsonl")
        for r in n.normalize("BINANCE", frame, RECEIVED)
    ]  # fmt: skip

    trade, agg_trade, bar, quote, book = records  # the open kline update is skipped
    assert isinstance(trade, TradeRecord)
    assert trade.instrument_id == BTCUSDT
    assert isinstance(agg_trade, TradeRecord)
    assert agg_trade.sequence == 1160000001
    assert agg_trade.instrument_id == InstrumentId.parse("ETHUSDT.BINANCE")
    assert isinstance(bar, Bar)
    assert (bar.timeframe, bar.ts_start, bar.ts_event) == (
        Timeframe.parse("1m"),
        1_714_730_340_000_000_000,
        1_714_730_400_000_000_000,
    )
    assert (bar.open, bar.high, bar.low, bar.close, bar.volume) == tuple(
        Decimal(v) for v in ("63240", "63262.1", "63231", "63250.01", "12.533")
    )
    assert isinstance(quote, QuoteTick)
    assert (quote.bid_price, quote.ask_price, quote.ts_event) == (
        Decimal("63249.99"),
        Decimal("63250"),
        RECEIVED,
    )
    assert isinstance(book, OrderBookSnapshot)
    assert book.sequence == 46217123005
    assert [level.price for level in book.bids] == [
        Decimal("63249.99"),
        Decimal("63249.98"),
        Decimal("63249.5"),
    ]


def test_binance_unknown_stream_and_month_klines_fail_fast() -> None:
    n = normalizer()
    diff_depth = b'{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","U":1,"u":2}}'
    month = (
        b'{"e":"kline","E":1714730402001,"s":"BTCUSDT","k":{"t":1714730340000,'
        b'"T":1714730399999,"s":"BTCUSDT","i":"1M","o":"1","c":"1","h":"1","l":"1","v":"1",'
        b'"n":1,"x":true}}'
    )

    with pytest.raises(DataError, match="not one JTS reads"):
        n.normalize("BINANCE", diff_depth, RECEIVED)
    with pytest.raises(DataError, match="interval '1M'"):
        n.normalize("BINANCE", month, RECEIVED)


def test_binance_intervals_map_both_ways() -> None:
    assert binance_interval(Timeframe.parse("4h")) == "4h"
    with pytest.raises(ValueError, match="no 7m klines"):
        binance_interval(Timeframe.parse("7m"))


def test_upbit_trades_are_exact_and_deduplicated_by_sequential_id() -> None:
    n = normalizer()

    records = [
        r for frame in recorded_lines("upbit", "ws_trades.jsonl")
        for r in n.normalize("UPBIT", frame, RECEIVED)
    ]  # fmt: skip

    ticks = [r.to_message(RECEIVED) for r in records if isinstance(r, TradeRecord)]
    assert len(ticks) == 2  # the snapshot repeats the first trade; the ticker holds none
    assert (ticks[0].instrument_id, ticks[0].price, ticks[0].size) == (
        BTC_KRW,
        Decimal("87650000"),
        Decimal("0.00114084"),
    )
    assert ticks[0].aggressor_side is AggressorSide.BUYER
    assert ticks[1].aggressor_side is AggressorSide.SELLER
    assert n.counts.duplicates == 1


def test_upbit_order_book_lists_bids_down_and_asks_up() -> None:
    (book,) = normalizer().normalize("UPBIT", recorded("upbit", "ws_orderbook.json"), RECEIVED)

    assert isinstance(book, OrderBookSnapshot)
    assert [lvl.price for lvl in book.bids] == [Decimal(p) for p in ("87649000", "87645000",
                                                                     "87640000")]  # fmt: skip
    assert book.asks[1].size == Decimal("1.82345678")
    assert book.ts_event == 1_714_730_400_512_000_000


def test_upbit_error_frame_fails_fast_with_its_name() -> None:
    with pytest.raises(DataError, match="INVALID_PARAM"):
        normalizer().normalize("UPBIT", recorded("upbit", "ws_error.json"), RECEIVED)


def test_upbit_markets_and_instruments_convert_both_ways() -> None:
    assert instrument_for("KRW-BTC") == BTC_KRW
    assert market_for(BTC_KRW) == "KRW-BTC"
    with pytest.raises(DataError, match="QUOTE-BASE"):
        instrument_for("KRWBTC")


def _by_frame(venue: str, frames: list[bytes]) -> tuple[list[TradeRecord], list[object]]:
    n = normalizer()
    records = [r for frame in frames for r in n.normalize(venue, frame, RECEIVED)]
    return [r for r in records if isinstance(r, TradeRecord)], [
        r for r in records if not isinstance(r, TradeRecord)
    ]


@pytest.mark.parametrize(
    ("venue", "name"),
    [
        ("binance", "ws_trades.jsonl"),
        ("binance", "ws_combined.jsonl"),
        ("upbit", "ws_trades.jsonl"),
    ],
)
def test_a_run_of_payloads_normalizes_like_each_payload_alone(venue: str, name: str) -> None:
    frames = recorded_lines(venue, name)
    trades, others = _by_frame(venue.upper(), frames)

    run = normalizer().normalize_run(venue.upper(), frames, RECEIVED)

    assert list(run.trades.records()) == trades
    same_ids = [
        msgspec.structs.replace(got, id=want.id)  # type: ignore[type-var]
        for got, want in zip(run.others, others, strict=True)
    ]
    assert same_ids == others


def test_a_run_of_binance_trade_frames_takes_the_column_path_and_reports_gaps() -> None:
    frames = [
        recorded("binance", "ws_combined.jsonl").splitlines()[0].replace(b"3581000001", seq)
        for seq in (b"11", b"12", b"15", b"12")
    ]
    gaps: list[SequenceGap] = []
    n = normalizer(gaps)

    first = n.normalize_run("BINANCE", frames[:3], RECEIVED)
    again = n.normalize_run("BINANCE", frames[3:], RECEIVED)

    assert first.trades.sequence.tolist() == [11, 12, 15]
    assert first.trades.price.tolist() == [6325001000000] * 3
    assert [(g.expected, g.received) for g in gaps] == [(13, 15)]
    assert len(again.trades) == 0
    assert n.counts.duplicates == 1


def test_a_corrupt_payload_in_a_run_is_quoted() -> None:
    good = recorded("binance", "ws_combined.jsonl").splitlines()[0]
    bad = good.replace(b'"p":"63250.01000000"', b'"p":"63250.01x"')

    with pytest.raises(DataError, match=r"63250\.01x"):
        normalizer().normalize_run("BINANCE", [good, bad], RECEIVED)
