"""Simulated trade ticks add up to their bars; coarser bars follow the sessions."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from jts.adapters.marketsim.resample import resample_bars
from jts.adapters.marketsim.simulator import MarketSimulator, SimulatedMarket
from jts.contexts.market_data.domain.tick_series import AGGRESSOR_CODES
from jts.messages.enums import AggressorSide
from jts.shared_kernel.timeframes import Timeframe

MINUTE_NS = 60_000_000_000
KST_OFFSET_NS = 9 * 3_600 * 1_000_000_000


@pytest.fixture(scope="module")
def with_ticks(simulator: MarketSimulator) -> list[SimulatedMarket]:
    return simulator.generate(
        ["005930.KRX", "ETH-KRW.UPBIT"], date(2024, 7, 1), date(2024, 7, 3), seed=4, with_ticks=True
    )


def test_ticks_aggregate_exactly_to_their_bars(with_ticks: list[SimulatedMarket]) -> None:
    for market in with_ticks:
        bars, ticks = market.minute_bars, market.ticks
        assert ticks is not None
        bar_of = np.searchsorted(bars.ts_start, ticks.ts_event, side="right") - 1
        assert np.all(ticks.ts_event < bars.ts_event[bar_of])
        starts = np.flatnonzero(np.diff(bar_of, prepend=-1))
        assert np.array_equal(bar_of[starts], np.arange(len(bars)))  # every bar has trades
        ends = np.append(starts[1:], len(ticks)) - 1
        assert np.array_equal(ticks.price[starts], bars.open)
        assert np.array_equal(ticks.price[ends], bars.close)
        assert np.array_equal(np.maximum.reduceat(ticks.price, starts), bars.high)
        assert np.array_equal(np.minimum.reduceat(ticks.price, starts), bars.low)
        volume = np.add.reduceat(ticks.size_units, starts)
        scale_gap = 10 ** (ticks.size_scale - bars.volume_scale)
        assert np.array_equal(volume, bars.volume_units * scale_gap)


def test_tick_prices_are_on_the_grid_and_sides_follow_the_tick_rule(
    with_ticks: list[SimulatedMarket],
) -> None:
    for market in with_ticks:
        ticks = market.ticks
        assert ticks is not None
        table = market.instrument.tick_rule.at(date(2024, 7, 2))
        assert all(table.is_on_grid(tick.price) for tick in ticks.to_ticks()[:5000])
        upticks = np.flatnonzero(np.diff(ticks.price_units) > 0) + 1
        assert np.all(ticks.aggressor[upticks] == AGGRESSOR_CODES[AggressorSide.BUYER])
        assert np.all(ticks.sequence == np.arange(1, len(ticks) + 1))


def test_hourly_bars_start_on_the_session_grid_and_the_last_one_is_short(
    samsung_year: SimulatedMarket,
) -> None:
    hourly = resample_bars(samsung_year.minute_bars, Timeframe.parse("1h"), samsung_year.sessions)
    second_session = hourly.between(*samsung_year.sessions[1])
    kst_hours = ((second_session.ts_start + KST_OFFSET_NS) // (60 * MINUTE_NS)) % 24

    assert kst_hours.tolist() == [9, 10, 11, 12, 13, 14, 15]
    assert int(second_session.ts_event[-1] - second_session.ts_start[-1]) == 30 * MINUTE_NS
    assert hourly.volume_units.sum() == samsung_year.minute_bars.volume_units.sum()


def test_daily_bars_span_each_session_and_hold_its_extremes(samsung_year: SimulatedMarket) -> None:
    daily, minutes = samsung_year.daily_bars, samsung_year.minute_bars

    assert len(daily) == len(samsung_year.sessions)
    assert daily.ts_start.tolist() == [open_ns for open_ns, _ in samsung_year.sessions]
    assert daily.ts_event.tolist() == [close_ns for _, close_ns in samsung_year.sessions]
    assert daily.high.max() == minutes.high.max()
    assert daily.open[0] == minutes.open[0]
    assert daily.close[-1] == minutes.close[-1]


def test_resampling_refuses_uneven_timeframes(btc_quarter: SimulatedMarket) -> None:
    with pytest.raises(ValueError, match="cannot build 90s bars from 1m bars"):
        resample_bars(btc_quarter.minute_bars, Timeframe.parse("90s"), btc_quarter.sessions)


def test_requested_timeframe_is_resampled_from_minutes(simulator: MarketSimulator) -> None:
    [market] = simulator.generate(
        ["BTCUSDT.BINANCE"],
        date(2024, 5, 1),
        date(2024, 5, 1),
        seed=2,
        timeframe=Timeframe.parse("15m"),
    )

    assert market.bars.timeframe == Timeframe.parse("15m")
    assert len(market.bars) == 96
    assert market.bars.volume_units.sum() == market.minute_bars.volume_units.sum()
