"""The collector pipeline: payloads -> normalized, aggregated, stored, judged, published."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

from jts.adapters.brokers.binance.parse import BinanceParser
from jts.adapters.timeseries.memory import InMemoryTimeSeriesStore
from jts.contexts.market_data.application.collector import MarketDataCollector
from jts.contexts.market_data.application.ingest import TickIngest
from jts.contexts.market_data.domain.normalization import ParserRegistry
from jts.contexts.market_data.domain.normalizer import Normalizer
from jts.contexts.market_data.domain.surge import SurgeScanner
from jts.contexts.market_data.domain.watchdog import FeedWatchdog, WatchdogConfig
from jts.messages.base import Message
from jts.messages.market_data import (
    Bar,
    FeedStale,
    FeedStaleReason,
    QuoteTick,
    TradeTick,
)
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe
from tests.unit.adapters.feeds.recorded import recorded_lines
from tests.unit.contexts.market_data.builders import MINUTE, SECOND, UTC_DAYS

BTCUSDT = InstrumentId.parse("BTCUSDT.BINANCE")
RECEIVED = 1_714_730_402_000_000_000  # just after the recorded trades
FRAMES = [Timeframe.parse("1m"), Timeframe.parse("5m")]


def collector(
    clock: TestClock, **options: object
) -> tuple[MarketDataCollector, list[Message], InMemoryTimeSeriesStore]:
    published: list[Message] = []

    async def publish(message: Message) -> None:
        published.append(message)

    store = InMemoryTimeSeriesStore()
    watchdog = FeedWatchdog(lambda _: UTC_DAYS, WatchdogConfig(expected_interval_ns=10 * SECOND))
    watchdog.watch(BTCUSDT, feed="binance", now_ns=clock.now_ns())
    subject = MarketDataCollector(
        normalizer=Normalizer(ParserRegistry([BinanceParser()])).for_venue("BINANCE"),
        ingest=TickIngest(
            bars=store, ticks=store, sessions_for=lambda _: UTC_DAYS, timeframes=FRAMES
        ),
        publish=publish,
        clock=clock,
        surges=SurgeScanner(),
        watchdog=watchdog,
        **options,  # type: ignore[arg-type]
    )
    return subject, published, store


async def test_payloads_are_stored_bars_published_and_gaps_reported() -> None:
    clock = TestClock(RECEIVED)
    subject, published, store = collector(clock)
    trades = recorded_lines("binance", "ws_trades.jsonl")  # a duplicate and a 3-trade gap

    await subject.on_payloads(trades, RECEIVED)
    await subject.on_timer(RECEIVED + 2 * MINUTE)

    stale = [m for m in published if isinstance(m, FeedStale)]
    assert [(s.reason, s.missing) for s in stale] == [(FeedStaleReason.SEQUENCE_GAP, 3)]
    bars = [m for m in published if isinstance(m, Bar)]
    assert [(b.timeframe, b.open, b.close) for b in bars] == [
        (FRAMES[0], Decimal("63250.01"), Decimal("63249.50"))
    ]
    assert len(store.read_ticks(BTCUSDT)) == 4
    assert len(store.read_bars(BTCUSDT, FRAMES[0])) == 1
    assert not any(isinstance(m, TradeTick) for m in published)


async def test_quotes_and_books_are_passed_on_and_ticks_when_asked() -> None:
    clock = TestClock(RECEIVED)
    subject, published, _ = collector(clock, publish_ticks=True)

    await subject.on_payloads(recorded_lines("binance", "ws_combined.jsonl"), RECEIVED)

    kinds = {type(m).__name__ for m in published}
    assert {"TradeTick", "QuoteTick", "OrderBookSnapshot", "Bar"} <= kinds
    quote = next(m for m in published if isinstance(m, QuoteTick))
    assert quote.instrument_id == BTCUSDT


async def test_run_consumes_a_feed_in_runs_and_stores_everything_at_the_end() -> None:
    clock = TestClock(RECEIVED)
    subject, _published, store = collector(clock)
    frames = recorded_lines("binance", "ws_trades.jsonl")

    async def feed() -> AsyncIterator[tuple[int, bytes]]:
        for frame in frames:
            yield RECEIVED, frame

    await subject.run_payloads(feed(), timer_s=60)

    assert subject.counts.payloads == len(frames)
    assert len(store.read_ticks(BTCUSDT)) == 4
    assert len(store.read_bars(BTCUSDT, FRAMES[1])) == 1  # closed at the end of the feed


async def test_trade_messages_from_a_replay_are_aggregated_too() -> None:
    clock = TestClock(RECEIVED)
    subject, published, _store = collector(clock)
    start = 1_714_730_400_000_000_000
    for second, price in ((1, "100.5"), (20, "101.25"), (61, "99.75")):
        tick = TradeTick(instrument_id=BTCUSDT, price=Decimal(price), size=Decimal("0.5"),
                         ts_event=start + second * SECOND, ts_init=0, sequence=second)  # fmt: skip
        await subject.on_event(tick)

    bars = [m for m in published if isinstance(m, Bar)]
    assert [(b.open, b.high, b.close, b.volume) for b in bars] == [
        (Decimal("100.50"), Decimal("101.25"), Decimal("101.25"), Decimal("1.0"))
    ]
