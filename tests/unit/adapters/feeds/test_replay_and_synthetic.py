"""Replay of stored or file data at chosen speeds, and the simulator as a live feed."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest

from jts.adapters.feeds.replay import FileSource, ReplayFeed, StoreSource
from jts.adapters.feeds.synthetic import SyntheticLiveFeed
from jts.adapters.marketsim.simulator import MarketSimulator, SimulatedMarket
from jts.adapters.timeseries.files import write_bars_file
from jts.adapters.timeseries.memory import InMemoryTimeSeriesStore
from jts.contexts.market_data.domain.batch_aggregation import resample_bars
from jts.contexts.market_data.domain.sessions import LocalDaySessions
from jts.messages.market_data import Bar, MarketDataEvent, QuoteTick, TradeTick
from jts.shared_kernel.clock import NANOS_PER_SECOND, TestClock
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe
from tests.unit.adapters.feeds.fakes import FakeSleep

BTC = InstrumentId.parse("BTCUSDT.BINANCE")
SAMSUNG = InstrumentId.parse("005930.KRX")
ONE_MINUTE, FIVE_MINUTES = Timeframe.parse("1m"), Timeframe.parse("5m")
UTC_DAYS = LocalDaySessions("UTC")
NO_ID = uuid.UUID(int=0)


@pytest.fixture(scope="module")
def simulator() -> MarketSimulator:
    return MarketSimulator()


@pytest.fixture(scope="module")
def btc_day(simulator: MarketSimulator) -> SimulatedMarket:
    (market,) = simulator.generate(
        [BTC], date(2024, 5, 3), date(2024, 5, 3), seed=3, with_ticks=True
    )
    return market


@pytest.fixture
def store(btc_day: SimulatedMarket) -> InMemoryTimeSeriesStore:
    store = InMemoryTimeSeriesStore()
    store.append_bars(btc_day.minute_bars)
    assert btc_day.ticks is not None
    store.append_ticks(btc_day.ticks)
    return store


def facts(events: Sequence[MarketDataEvent]) -> list[MarketDataEvent]:
    """The events without their message ids (fresh on every build)."""
    return [msgspec.structs.replace(event, id=NO_ID) for event in events]


async def collect(
    feed: ReplayFeed | SyntheticLiveFeed, limit: int | None = None
) -> list[MarketDataEvent]:
    events: list[MarketDataEvent] = []
    async for event in feed.stream():
        events.append(event)
        if limit is not None and len(events) == limit:
            break
    return events


async def test_replay_merges_ticks_and_bars_in_market_time_as_fast_as_possible(
    store: InMemoryTimeSeriesStore, btc_day: SimulatedMarket
) -> None:
    clock = TestClock(7)
    feed = ReplayFeed(StoreSource(store, store), clock=clock, speed=None, sleep=FakeSleep(clock))
    await feed.subscribe(BTC, TradeTick)
    await feed.subscribe(BTC, Bar, timeframe=ONE_MINUTE)

    events = await collect(feed)

    assert btc_day.ticks is not None
    assert len(events) == len(btc_day.ticks) + len(btc_day.minute_bars)
    times = [e.ts_event for e in events]
    assert times == sorted(times)
    bars = [e for e in events if isinstance(e, Bar)]
    assert facts(bars) == facts(btc_day.minute_bars.to_bars(ts_init=7))
    assert all(e.ts_init == 7 for e in events)


async def test_replay_at_sixty_times_real_time_waits_a_second_per_minute(
    store: InMemoryTimeSeriesStore,
) -> None:
    clock = TestClock(0)
    sleep = FakeSleep(clock)
    feed = ReplayFeed(StoreSource(store), clock=clock, speed=60.0, sleep=sleep)
    await feed.subscribe(BTC, Bar, timeframe=ONE_MINUTE)

    events = await collect(feed, limit=11)

    assert sum(sleep.waits) == pytest.approx(10.0)
    assert [e.ts_init for e in events][:3] == [0, NANOS_PER_SECOND, 2 * NANOS_PER_SECOND]


async def test_replay_builds_a_timeframe_that_is_not_stored_from_a_finer_one(
    store: InMemoryTimeSeriesStore, btc_day: SimulatedMarket
) -> None:
    clock = TestClock()
    source = StoreSource(store, sessions_for=lambda _: UTC_DAYS)
    feed = ReplayFeed(source, clock=clock, speed=None)
    await feed.subscribe(BTC, Bar, timeframe=FIVE_MINUTES)

    events = await collect(feed)

    expected = resample_bars(btc_day.minute_bars, FIVE_MINUTES, UTC_DAYS).to_bars(ts_init=0)
    assert facts(events) == facts(expected)


async def test_replay_reads_a_range_of_files(tmp_path: Path, btc_day: SimulatedMarket) -> None:
    path = tmp_path / "btc.csv"
    write_bars_file(btc_day.minute_bars, path)
    start = int(btc_day.minute_bars.ts_start[60])
    feed = ReplayFeed(
        FileSource({(BTC, ONE_MINUTE): path}), clock=TestClock(), start_ns=start,
        end_ns=start + 30 * 60 * NANOS_PER_SECOND, speed=None,
    )  # fmt: skip
    await feed.subscribe(BTC, Bar, timeframe=ONE_MINUTE)

    events = await collect(feed)

    assert len(events) == 30
    assert isinstance(events[0], Bar)
    assert events[0].ts_start == start


async def test_replay_refuses_what_is_not_stored(store: InMemoryTimeSeriesStore) -> None:
    feed = ReplayFeed(StoreSource(store), clock=TestClock())

    with pytest.raises(ValueError, match="bars and trade ticks only"):
        await feed.subscribe(BTC, QuoteTick)
    with pytest.raises(ValueError, match="must be positive"):
        ReplayFeed(StoreSource(store), clock=TestClock(), speed=0)


async def test_synthetic_feed_streams_from_now_and_keeps_krx_quiet_outside_sessions(
    simulator: MarketSimulator,
) -> None:
    evening_kst = 1_714_730_400 * NANOS_PER_SECOND  # 2024-05-03 10:00 UTC = 19:00 KST, Friday
    clock = TestClock(evening_kst)
    feed = SyntheticLiveFeed(simulator, clock=clock, seed=5, horizon_days=5, sleep=FakeSleep(clock))
    await feed.subscribe(BTC, Bar, timeframe=ONE_MINUTE)
    await feed.subscribe(SAMSUNG, Bar, timeframe=ONE_MINUTE)

    events = await collect(feed, limit=6_000)

    assert all(e.ts_event >= evening_kst for e in events)
    assert all(e.ts_init >= e.ts_event for e in events)
    krx = [e for e in events if e.instrument_id == SAMSUNG]
    assert krx, "the next KRX session should have been reached"
    tuesday_open = 1_715_040_000 * NANOS_PER_SECOND  # 2024-05-07 09:00 KST (6 May: holiday)
    assert min(e.ts_event for e in krx) == tuesday_open + 60 * NANOS_PER_SECOND
    assert all(isinstance(e, Bar) for e in events)


async def test_synthetic_feed_trades_arrive_when_due(simulator: MarketSimulator) -> None:
    noon = 1_714_737_600 * NANOS_PER_SECOND  # 2024-05-03 12:00 UTC
    clock = TestClock(noon)
    sleep = FakeSleep(clock)
    feed = SyntheticLiveFeed(simulator, clock=clock, seed=5, horizon_days=1, sleep=sleep)
    await feed.subscribe(BTC, TradeTick)

    events = await collect(feed, limit=100)

    assert all(isinstance(e, TradeTick) for e in events)
    assert all(noon <= e.ts_event <= e.ts_init for e in events)
    assert clock.now_ns() == events[-1].ts_event  # waited exactly until the last was due


async def test_synthetic_feed_walks_on_from_one_horizon_to_the_next(
    simulator: MarketSimulator,
) -> None:
    midnight = 1_714_694_400 * NANOS_PER_SECOND  # 2024-05-03 00:00 UTC
    clock = TestClock(midnight)
    feed = SyntheticLiveFeed(simulator, clock=clock, seed=5, horizon_days=1, sleep=FakeSleep(clock))
    await feed.subscribe(BTC, Bar, timeframe=ONE_MINUTE)

    bars = [e for e in await collect(feed, limit=3 * 1_440) if isinstance(e, Bar)]

    days = [bars[i * 1_440 : (i + 1) * 1_440] for i in range(3)]
    for before, after in itertools.pairwise(days):
        gap = abs(after[0].open / before[-1].close - 1)
        assert gap < Decimal("0.005")  # a day opens near the last close, not at the start price
    first_moves = [[b.close / day[0].open for b in day[:60]] for day in days]
    assert first_moves[0] != first_moves[1] != first_moves[2]  # no day repeats another


async def test_synthetic_feed_carries_on_from_the_start_prices_it_is_given(
    simulator: MarketSimulator,
) -> None:
    midnight = 1_714_694_400 * NANOS_PER_SECOND  # 2024-05-03 00:00 UTC
    clock = TestClock(midnight)
    feed = SyntheticLiveFeed(
        simulator,
        clock=clock,
        seed=5,
        horizon_days=1,
        sleep=FakeSleep(clock),
        start_prices={BTC: 61_000.0},
    )
    await feed.subscribe(BTC, Bar, timeframe=ONE_MINUTE)

    (first,) = await collect(feed, limit=1)

    assert isinstance(first, Bar)
    assert abs(first.open / Decimal(61_000) - 1) < Decimal("0.005")  # the profile says 45,000


async def test_synthetic_feed_refuses_what_the_simulator_cannot_make(
    simulator: MarketSimulator,
) -> None:
    feed = SyntheticLiveFeed(simulator, clock=TestClock(), seed=1)

    with pytest.raises(ValueError, match="trades and bars only"):
        await feed.subscribe(BTC, QuoteTick)
    with pytest.raises(ValueError, match="whole minutes"):
        await feed.subscribe(BTC, Bar, timeframe=Timeframe.parse("30s"))
