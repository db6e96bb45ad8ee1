"""One contract every ``MarketDataFeed`` passes: replay, the simulator live, venue streams.

A future venue feed (KIS, Upbit, Binance websockets) adds a parameter to ``feed_case``.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date

import pytest

from jts.adapters.brokers.binance.parse import BinanceParser
from jts.adapters.feeds.base import StreamingFeed
from jts.adapters.feeds.replay import ReplayFeed, StoreSource
from jts.adapters.feeds.synthetic import SyntheticLiveFeed
from jts.adapters.marketsim.simulator import MarketSimulator
from jts.adapters.timeseries.memory import InMemoryTimeSeriesStore
from jts.contexts.market_data.application.ports import MarketDataFeed
from jts.contexts.market_data.domain.normalization import ParserRegistry
from jts.contexts.market_data.domain.normalizer import Normalizer
from jts.messages.market_data import Bar, FeedRecovered, FeedStale, MarketDataEvent, TradeTick
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe
from tests.unit.adapters.feeds.fakes import FakeSleep, FakeTransport
from tests.unit.adapters.feeds.recorded import recorded_lines

BTC = InstrumentId.parse("BTCUSDT.BINANCE")
ETH = InstrumentId.parse("ETHUSDT.BINANCE")
ONE_MINUTE = Timeframe.parse("1m")
HEALTH = (FeedStale, FeedRecovered)
NOON_2024_05_03 = 1_714_737_600_000_000_000


@dataclass
class FeedCase:
    feed: MarketDataFeed
    instrument: InstrumentId
    other: InstrumentId  # an instrument the source also has, never subscribed here
    sample: int = 3  # how many events of one subscription the source can supply


def _replay() -> FeedCase:
    simulator = MarketSimulator()
    store = InMemoryTimeSeriesStore()
    for market in simulator.generate(
        [BTC, ETH], date(2024, 5, 3), date(2024, 5, 3), seed=5, with_ticks=True
    ):
        store.append_bars(market.minute_bars)
        assert market.ticks is not None
        store.append_ticks(market.ticks)
    clock = TestClock(1)
    feed = ReplayFeed(StoreSource(store, store), clock=clock, speed=60.0, sleep=FakeSleep(clock))
    return FeedCase(feed, BTC, ETH)


def _synthetic() -> FeedCase:
    clock = TestClock(NOON_2024_05_03)
    feed = SyntheticLiveFeed(
        MarketSimulator(), clock=clock, seed=5, horizon_days=1, sleep=FakeSleep(clock)
    )
    return FeedCase(feed, BTC, ETH)


def _streaming() -> FeedCase:
    frames = recorded_lines("binance", "ws_combined.jsonl")
    clock = TestClock(1_714_730_405_000_000_000)
    normalizer = Normalizer(ParserRegistry([BinanceParser()])).for_venue("BINANCE")
    feed = StreamingFeed(
        FakeTransport(frames),
        normalizer,
        clock=clock,
        rng=random.Random(7),
        sleep=FakeSleep(clock),
    )
    return FeedCase(feed, BTC, ETH, sample=1)


@pytest.fixture(params=["replay", "synthetic", "streaming"])
async def case(request: pytest.FixtureRequest) -> AsyncIterator[FeedCase]:
    built = {"replay": _replay, "synthetic": _synthetic, "streaming": _streaming}[request.param]()
    yield built
    await built.feed.close()


async def _take(feed: MarketDataFeed, count: int) -> list[MarketDataEvent]:
    events: list[MarketDataEvent] = []
    async for event in feed.stream():
        if isinstance(event, HEALTH):
            continue
        events.append(event)
        if len(events) == count:
            break
    return events


async def test_subscriptions_are_tracked_and_idempotent(case: FeedCase) -> None:
    feed = case.feed
    await feed.subscribe(case.instrument, TradeTick)
    await feed.subscribe(case.instrument, TradeTick)
    await feed.subscribe(case.instrument, Bar, timeframe=ONE_MINUTE)

    assert len(feed.subscriptions) == 2
    await feed.unsubscribe(case.instrument, TradeTick)
    (remaining,) = feed.subscriptions
    assert remaining.instrument_id == case.instrument
    await feed.unsubscribe(case.instrument, TradeTick)  # unknown: no error
    assert len(feed.subscriptions) == 1


async def test_stream_yields_only_what_was_subscribed(case: FeedCase) -> None:
    await case.feed.subscribe(case.instrument, TradeTick)

    events = await _take(case.feed, case.sample)

    assert events
    assert all(isinstance(e, TradeTick) and e.instrument_id == case.instrument for e in events)
    assert all(e.instrument_id != case.other for e in events)


async def test_bars_come_in_the_subscribed_timeframe_in_time_order(case: FeedCase) -> None:
    await case.feed.subscribe(case.instrument, Bar, timeframe=ONE_MINUTE)

    bars = await _take(case.feed, case.sample)

    assert bars
    assert all(isinstance(b, Bar) and b.timeframe == ONE_MINUTE for b in bars)
    closes = [b.ts_event for b in bars]
    assert closes == sorted(closes)


async def test_close_ends_the_stream(case: FeedCase) -> None:
    await case.feed.subscribe(case.instrument, TradeTick)
    seen = 0
    async for event in case.feed.stream():
        if not isinstance(event, HEALTH):
            seen += 1
            await case.feed.close()
    assert seen == 1
