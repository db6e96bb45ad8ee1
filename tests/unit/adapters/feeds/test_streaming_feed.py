"""The shared reconnect/resubscribe loop, on a scripted transport with Binance frames."""

from __future__ import annotations

import asyncio
import random
from decimal import Decimal

import pytest

from jts.adapters.brokers.binance.parse import BinanceParser
from jts.adapters.feeds.base import ConnectionLost, ReconnectPolicy, StreamingFeed
from jts.contexts.market_data.domain.normalization import ParserRegistry
from jts.contexts.market_data.domain.normalizer import Normalizer
from jts.messages.market_data import (
    Bar,
    FeedRecovered,
    FeedStale,
    FeedStaleReason,
    MarketDataEvent,
    QuoteTick,
    TradeTick,
)
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.errors import PermanentVenueError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe
from tests.unit.adapters.feeds.fakes import FakeSleep, FakeTransport, Step
from tests.unit.adapters.feeds.recorded import recorded_lines

BTCUSDT = InstrumentId.parse("BTCUSDT.BINANCE")
ETHUSDT = InstrumentId.parse("ETHUSDT.BINANCE")
NOW = 1_714_730_405_000_000_000
COMBINED = recorded_lines("binance", "ws_combined.jsonl")
TRADE, AGG_TRADE, CLOSED_KLINE, OPEN_KLINE, BOOK_TICKER, DEPTH = COMBINED


def feed(
    transport: FakeTransport, policy: ReconnectPolicy | None = None, **kwargs: object
) -> tuple[StreamingFeed, FakeSleep]:
    clock = TestClock(NOW)
    sleep = FakeSleep(clock)
    normalizer = Normalizer(ParserRegistry([BinanceParser()])).for_venue("BINANCE")
    return StreamingFeed(
        transport, normalizer, clock=clock, rng=random.Random(7), policy=policy,
        sleep=sleep, **kwargs,  # type: ignore[arg-type]
    ), sleep  # fmt: skip


async def take(stream_feed: StreamingFeed, count: int) -> list[MarketDataEvent]:
    events: list[MarketDataEvent] = []
    async for event in stream_feed.stream():
        events.append(event)
        if len(events) == count:
            break
    return events


async def test_stream_yields_only_what_was_subscribed() -> None:
    transport = FakeTransport([*COMBINED])
    subject, _ = feed(transport)
    await subject.subscribe(BTCUSDT, TradeTick)
    await subject.subscribe(BTCUSDT, Bar, timeframe=Timeframe.parse("1m"))

    events = await take(subject, 2)

    trade, bar = events
    assert isinstance(trade, TradeTick)
    assert trade.price == Decimal("63250.01")
    assert isinstance(bar, Bar)
    assert transport.connections[0].subscribed == [sorted(subject.subscriptions, key=str)]


async def test_a_dropped_connection_reports_stale_reconnects_resubscribes_and_recovers() -> None:
    transport = FakeTransport(
        [TRADE, ConnectionLost("reset by peer", venue="BINANCE")],
        [AGG_TRADE, BOOK_TICKER],
    )
    subject, sleep = feed(transport)
    await subject.subscribe(BTCUSDT, TradeTick)
    await subject.subscribe(BTCUSDT, QuoteTick)
    await subject.subscribe(ETHUSDT, TradeTick)

    events = await take(subject, 6)

    kinds = [type(e).__name__ for e in events]
    assert kinds == [
        "TradeTick", "FeedStale", "FeedStale", "FeedRecovered", "TradeTick", "FeedRecovered"
    ]  # fmt: skip
    stale = [e for e in events if isinstance(e, FeedStale)]
    assert {e.instrument_id for e in stale} == {BTCUSDT, ETHUSDT}
    assert all(e.reason is FeedStaleReason.DISCONNECTED for e in stale)
    assert "reset by peer" in stale[0].detail
    recovered = [e for e in events if isinstance(e, FeedRecovered)]
    assert [e.instrument_id for e in recovered] == [ETHUSDT, BTCUSDT]
    second = transport.connections[1]
    assert {s for batch in second.subscribed for s in batch} == subject.subscriptions
    assert subject.stats.disconnects == 1
    assert len(sleep.waits) == 1


async def test_connect_failures_back_off_exponentially_with_jitter() -> None:
    transport = FakeTransport([TRADE], refusals=4)
    policy = ReconnectPolicy(initial_delay_s=1.0, multiplier=2.0, jitter=0.1, max_delay_s=5.0)
    subject, sleep = feed(transport, policy)
    await subject.subscribe(BTCUSDT, TradeTick)

    await take(subject, 1)

    assert transport.attempts == 5
    for wait, base in zip(sleep.waits, [1.0, 2.0, 4.0, 5.0], strict=True):
        assert base * 0.9 <= wait <= base * 1.1


async def test_too_many_failed_attempts_give_up() -> None:
    transport = FakeTransport(refusals=3)
    subject, _ = feed(transport, ReconnectPolicy(max_attempts=2))

    with pytest.raises(ConnectionLost):
        await take(subject, 1)


async def test_a_silent_connection_is_dropped_after_the_idle_timeout() -> None:
    transport = FakeTransport([], [TRADE])
    subject, _ = feed(transport, ReconnectPolicy(idle_timeout_s=0.05))
    await subject.subscribe(BTCUSDT, TradeTick)

    events = await take(subject, 3)

    assert [type(e) for e in events] == [FeedStale, FeedRecovered, TradeTick]
    assert transport.connections[0].closed


async def test_heartbeats_are_reported_and_data_flows_around_them() -> None:
    beats: list[tuple[str, int]] = []
    script: list[Step] = [None, TRADE, None]
    transport = FakeTransport(script, [TRADE])
    subject, _ = feed(transport, on_heartbeat=lambda f, t: beats.append((f, t)))
    await subject.subscribe(BTCUSDT, TradeTick)

    await take(subject, 1)

    assert beats == [("fake-feed", NOW)]
    assert subject.stats.heartbeats == 1


async def test_subscribing_while_connected_goes_straight_to_the_connection() -> None:
    transport = FakeTransport([TRADE, TRADE])
    subject, _ = feed(transport)
    await subject.subscribe(BTCUSDT, TradeTick)
    await take(subject, 1)

    await subject.subscribe(ETHUSDT, TradeTick)
    await subject.unsubscribe(BTCUSDT, TradeTick)

    connection = transport.connections[0]
    assert [str(s) for s in connection.subscribed[-1]] == ["ETHUSDT.BINANCE TradeTick"]
    assert [str(s) for s in connection.unsubscribed[-1]] == ["BTCUSDT.BINANCE TradeTick"]


async def test_close_ends_the_stream_and_releases_the_connection() -> None:
    transport = FakeTransport([TRADE])
    subject, _ = feed(transport)
    await subject.subscribe(BTCUSDT, TradeTick)

    async def consume() -> list[MarketDataEvent]:
        return [event async for event in subject.stream()]

    task = asyncio.create_task(consume())
    await asyncio.sleep(0.01)
    await subject.close()
    events = await asyncio.wait_for(task, 1.0)

    assert [type(e) for e in events] == [TradeTick]
    assert transport.connections[0].closed


async def test_frames_give_the_raw_payloads_with_their_receive_time() -> None:
    subject, _ = feed(FakeTransport([TRADE, None, BOOK_TICKER]))

    frames = []
    async for frame in subject.frames():
        frames.append(frame)
        if len(frames) == 2:
            break

    assert frames == [(NOW, TRADE), (NOW, BOOK_TICKER)]


async def test_a_permanent_venue_error_ends_the_stream() -> None:
    subject, _ = feed(FakeTransport([PermanentVenueError("bad key", venue="BINANCE")]))

    with pytest.raises(PermanentVenueError):
        await take(subject, 1)


def test_bad_subscriptions_are_refused() -> None:
    subject, _ = feed(FakeTransport())

    with pytest.raises(ValueError, match="need a timeframe"):
        asyncio.run(subject.subscribe(BTCUSDT, Bar))
    with pytest.raises(ValueError, match="cannot subscribe to FeedStale"):
        asyncio.run(subject.subscribe(BTCUSDT, FeedStale))
