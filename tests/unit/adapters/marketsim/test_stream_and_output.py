"""The paced replay stream (driven by a TestClock) and writing simulated data out."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jts.adapters.marketsim.output import write_to_files, write_to_store
from jts.adapters.marketsim.simulator import MarketSimulator, SimulatedMarket
from jts.adapters.marketsim.stream import MarketReplay
from jts.adapters.timeseries.files import read_bars_file
from jts.adapters.timeseries.memory import InMemoryTimeSeriesStore
from jts.adapters.timeseries.tick_files import read_ticks_file
from jts.messages.market_data import Bar, TradeTick
from jts.shared_kernel.clock import NANOS_PER_SECOND, TestClock
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.timeframes import Timeframe

ONE_DAY = Timeframe.parse("1d")


@pytest.fixture(scope="module")
def day_of_data(simulator: MarketSimulator) -> list[SimulatedMarket]:
    return simulator.generate(
        ["005930.KRX", "BTCUSDT.BINANCE"],
        date(2024, 7, 2),
        date(2024, 7, 2),
        seed=9,
        with_ticks=True,
    )


class FakeSleep:
    """Records each wait and moves the test clock on by it, as time would pass."""

    def __init__(self, clock: TestClock) -> None:
        self.clock = clock
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.clock.advance_ns(round(seconds * NANOS_PER_SECOND))


async def collect(replay: MarketReplay) -> list[Bar | TradeTick]:
    return [message async for message in replay]


async def test_replay_merges_instruments_in_market_time_order(
    day_of_data: list[SimulatedMarket],
) -> None:
    clock = TestClock(1_000)
    replay = MarketReplay(
        clock=clock,
        bars=[market.minute_bars for market in day_of_data],
        ticks=[market.ticks for market in day_of_data if market.ticks is not None],
        speed=None,
        sleep=FakeSleep(clock),
    )

    messages = await collect(replay)

    assert len(messages) == len(replay)
    times = [message.ts_event for message in messages]
    assert times == sorted(times)
    bars = [message for message in messages if isinstance(message, Bar)]
    assert {str(bar.instrument_id) for bar in bars} == {"005930.KRX", "BTCUSDT.BINANCE"}
    first_bar = bars[0]
    ticks_before = [m for m in messages[: messages.index(first_bar)] if isinstance(m, TradeTick)]
    assert all(tick.ts_event < first_bar.ts_event for tick in ticks_before)
    assert all(message.ts_init == 1_000 for message in messages)  # unpaced: no time passes


async def test_replay_at_sixty_times_real_time_waits_a_second_per_bar_minute(
    day_of_data: list[SimulatedMarket],
) -> None:
    clock = TestClock(5 * NANOS_PER_SECOND)
    sleep = FakeSleep(clock)
    minutes = day_of_data[1].minute_bars.take(slice(0, 10))
    replay = MarketReplay(clock=clock, bars=[minutes], speed=60, sleep=sleep)

    messages = await collect(replay)

    assert [m.ts_event for m in messages] == minutes.ts_event.tolist()
    assert sleep.waits == pytest.approx([1.0] * 9)
    assert [m.ts_init for m in messages] == [(5 + k) * NANOS_PER_SECOND for k in range(10)]


async def test_replay_in_real_time_does_not_wait_when_the_consumer_is_late(
    day_of_data: list[SimulatedMarket],
) -> None:
    clock = TestClock(0)
    sleep = FakeSleep(clock)
    minutes = day_of_data[1].minute_bars.take(slice(0, 3))
    received = []

    async for message in MarketReplay(clock=clock, bars=[minutes], speed=1, sleep=sleep):
        received.append(message)
        clock.advance_ns(90 * NANOS_PER_SECOND)  # slow consumer: 90 s per bar

    assert len(received) == 3
    assert sleep.waits == []


def test_replay_refuses_a_non_positive_speed() -> None:
    with pytest.raises(ValueError, match="must be positive"):
        MarketReplay(clock=TestClock(), speed=0)


def test_store_gets_bars_daily_bars_and_ticks(day_of_data: list[SimulatedMarket]) -> None:
    store = InMemoryTimeSeriesStore()

    written = write_to_store(day_of_data, store, store)

    listed = {(str(s.instrument_id), s.kind, str(s.timeframe)) for s in store.list_bars()}
    assert listed == {
        ("005930.KRX", "bars", "1m"),
        ("005930.KRX", "bars", "1d"),
        ("BTCUSDT.BINANCE", "bars", "1m"),
        ("BTCUSDT.BINANCE", "bars", "1d"),
    }
    assert [s.count for s in store.list_ticks()] == [len(m.ticks or ()) for m in day_of_data]
    expected = sum(len(m.bars) + len(m.daily_bars) + len(m.ticks or ()) for m in day_of_data)
    assert written == expected


def test_files_get_one_bar_file_per_instrument_and_ticks_beside_them(
    day_of_data: list[SimulatedMarket], tmp_path: Path
) -> None:
    paths = write_to_files(day_of_data, tmp_path / "sim.parquet")

    assert [path.name for path in paths] == [
        "sim.005930.KRX.parquet",
        "sim.005930.KRX.ticks.parquet",
        "sim.BTCUSDT.BINANCE.parquet",
        "sim.BTCUSDT.BINANCE.ticks.parquet",
    ]
    samsung = day_of_data[0]
    assert read_bars_file(paths[0], samsung.instrument.id, Timeframe.parse("1m")) == samsung.bars
    assert read_ticks_file(paths[1], samsung.instrument.id) == samsung.ticks


def test_files_refuse_an_unknown_suffix(day_of_data: list[SimulatedMarket], tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"use \.csv or \.parquet"):
        write_to_files(day_of_data, tmp_path / "sim.json")
