"""The simulated market: reproducible, on the tick grid, in session, within limits, and
with the statistical texture of real markets (U-shaped volume, clustering, jumps)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import exchange_calendars as xcals
import msgspec
import numpy as np
import pytest

from jts.adapters.marketsim.profiles import profile_for
from jts.adapters.marketsim.simulator import MarketSimulator, SimulatedMarket
from jts.contexts.market_data.domain.series import BarSeries
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.venues import rules
from jts.shared_kernel.venues.catalog import default_registry
from tests.unit.adapters.marketsim.conftest import QUARTER, YEAR

SAMSUNG = InstrumentId.parse("005930.KRX")
BTCUSDT = InstrumentId.parse("BTCUSDT.BINANCE")
BTC_KRW = InstrumentId.parse("BTC-KRW.UPBIT")
MINUTE_NS = 60_000_000_000
KST_OFFSET_NS = 9 * 3_600 * 1_000_000_000


def kst_minute_of_day(ts: np.ndarray) -> np.ndarray:
    return ((ts + KST_OFFSET_NS) // MINUTE_NS) % 1440


def test_same_seed_gives_the_same_data_and_another_seed_does_not(
    simulator: MarketSimulator, samsung_year: SimulatedMarket
) -> None:
    again = simulator.generate([SAMSUNG], *YEAR, seed=11)[0]
    other = simulator.generate([SAMSUNG], *YEAR, seed=12)[0]

    assert again.minute_bars == samsung_year.minute_bars
    assert again.daily_bars == samsung_year.daily_bars
    assert other.minute_bars != samsung_year.minute_bars


def test_an_instrument_is_unaffected_by_its_companions_and_by_ticks(
    simulator: MarketSimulator,
) -> None:
    alone = simulator.generate([BTCUSDT], date(2024, 3, 4), date(2024, 3, 6), seed=5)[0]
    together = simulator.generate(
        [SAMSUNG, BTCUSDT], date(2024, 3, 4), date(2024, 3, 6), seed=5, with_ticks=True
    )[1]

    assert together.minute_bars == alone.minute_bars
    assert together.ticks is not None


def test_every_krx_price_is_on_the_tick_grid(samsung_year: SimulatedMarket) -> None:
    instrument = samsung_year.instrument
    table = instrument.tick_rule.at(date(2024, 6, 1))  # one table for all of 2024
    january = samsung_year.minute_bars.between(end_ns=samsung_year.sessions[21][0])
    for series in (january, samsung_year.daily_bars):
        prices = {p for bar in series.to_bars() for p in (bar.open, bar.high, bar.low, bar.close)}
        assert all(table.is_on_grid(price) for price in prices)
    assert len(prices) > 100  # a meaningful sample, spanning several tick bands


def test_upbit_prices_follow_the_tick_table_in_force_each_day(simulator: MarketSimulator) -> None:
    # Upbit changed its KRW tick table on 2024-01-29; the simulation spans the change.
    market = simulator.generate([BTC_KRW], date(2024, 1, 27), date(2024, 1, 31), seed=3)[0]

    for bar in market.minute_bars.to_bars():
        day = datetime.fromtimestamp(bar.ts_start // 10**9, UTC).date()
        table = market.instrument.tick_rule.at(day)
        assert all(table.is_on_grid(p) for p in (bar.open, bar.high, bar.low, bar.close)), bar


def test_krx_bars_are_exactly_the_xkrx_trading_minutes(samsung_year: SimulatedMarket) -> None:
    xkrx = xcals.get_calendar("XKRX", start="2024-01-01", end="2024-12-31")
    minutes = xkrx.minutes_in_range(xkrx.first_minute, xkrx.last_minute)
    expected = minutes.as_unit("ns").asi8

    assert np.array_equal(samsung_year.minute_bars.ts_start, expected)


def test_no_krx_bars_on_weekends_or_holidays(samsung_year: SimulatedMarket) -> None:
    days = {
        datetime.fromtimestamp((ts + KST_OFFSET_NS) // 10**9, UTC).date()
        for ts in samsung_year.daily_bars.ts_start.tolist()
    }
    holidays = {
        date(2024, 1, 1),
        date(2024, 2, 9),
        date(2024, 2, 12),
        date(2024, 5, 6),
        date(2024, 9, 16),
        date(2024, 9, 17),
        date(2024, 9, 18),
        date(2024, 10, 9),
        date(2024, 12, 25),
        date(2024, 12, 31),
    }

    assert not days & holidays
    assert all(day.weekday() < 5 for day in days)
    assert len(days) == len(samsung_year.sessions)
    minute = kst_minute_of_day(samsung_year.minute_bars.ts_start)
    assert minute.min() == 9 * 60  # 09:00 KST (10:00 on the year's first session)
    assert minute.max() == 15 * 60 + 29  # the last bar starts 15:29 and closes 15:30


def test_crypto_trades_every_minute_of_every_day(btc_quarter: SimulatedMarket) -> None:
    days = (QUARTER[1] - QUARTER[0]).days + 1

    assert len(btc_quarter.minute_bars) == days * 1440
    assert np.all(np.diff(btc_quarter.minute_bars.ts_start) == MINUTE_NS)


def assert_within_daily_limits(market: SimulatedMarket) -> int:
    """Check every session against the band around the previous close; count limit hits."""
    instrument, daily = market.instrument, market.daily_bars.to_bars()
    previous = Decimal(profile_for(instrument).start_price)
    hits = 0
    for bar in daily:
        day = datetime.fromtimestamp((bar.ts_start + KST_OFFSET_NS) // 10**9, UTC).date()
        band = rules.price_limits(instrument, previous, on=day)
        assert band is not None
        assert band.lower <= bar.low <= bar.high <= band.upper, (day, bar, band)
        hits += bar.high == band.upper or bar.low == band.lower
        previous = bar.close
    return hits


def test_krx_prices_stay_within_the_daily_limit(samsung_year: SimulatedMarket) -> None:
    assert assert_within_daily_limits(samsung_year) == 0  # ordinary days never reach 30%


def test_violent_markets_stop_at_the_daily_limit() -> None:
    instrument = default_registry().get(SAMSUNG)
    wild = msgspec.structs.replace(profile_for(instrument), jumps_per_day=4, jump_volatility=0.3)
    simulator = MarketSimulator(profiles={SAMSUNG: wild})

    market = simulator.generate([SAMSUNG], date(2024, 3, 1), date(2024, 4, 30), seed=1)[0]

    assert assert_within_daily_limits(market) >= 5


def test_krx_volume_is_u_shaped_over_the_day(samsung_year: SimulatedMarket) -> None:
    bars = samsung_year.minute_bars
    minute = kst_minute_of_day(bars.ts_start)
    first_half_hour = bars.volume[(minute >= 9 * 60) & (minute < 9 * 60 + 30)].mean()
    last_half_hour = bars.volume[minute >= 15 * 60].mean()
    midday = bars.volume[(minute >= 11 * 60) & (minute < 13 * 60)].mean()

    assert first_half_hour > 2 * midday
    assert last_half_hour > 2 * midday


def minute_returns(bars: BarSeries) -> np.ndarray:
    return np.diff(np.log(bars.close))


def squared_return_autocorrelation(bars: BarSeries) -> float:
    squared = minute_returns(bars) ** 2
    squared = np.minimum(squared, np.quantile(squared, 0.999))  # jumps would swamp it
    return float(np.corrcoef(squared[:-1], squared[1:])[0, 1])


def largest_move_in_robust_sigmas(bars: BarSeries) -> float:
    returns = minute_returns(bars)
    sigma = 1.4826 * np.median(np.abs(returns - np.median(returns)))
    return float(np.abs(returns).max() / sigma)


def test_volatility_clusters(btc_quarter: SimulatedMarket) -> None:
    assert squared_return_autocorrelation(btc_quarter.minute_bars) > 0.1


def test_without_garch_and_regimes_volatility_does_not_cluster() -> None:
    instrument = default_registry().get(BTCUSDT)
    calm = msgspec.structs.replace(
        profile_for(instrument),
        garch_alpha=0.0,
        garch_beta=0.0,
        regime_volatility=0.0,
        jumps_per_day=0.0,
    )
    market = MarketSimulator(profiles={BTCUSDT: calm}).generate([BTCUSDT], *QUARTER, seed=11)[0]

    assert squared_return_autocorrelation(market.minute_bars) < 0.05


def test_jumps_are_present(btc_quarter: SimulatedMarket) -> None:
    assert largest_move_in_robust_sigmas(btc_quarter.minute_bars) > 40


def test_without_jumps_no_move_is_that_large() -> None:
    instrument = default_registry().get(BTCUSDT)
    smooth = msgspec.structs.replace(profile_for(instrument), jumps_per_day=0.0)
    market = MarketSimulator(profiles={BTCUSDT: smooth}).generate([BTCUSDT], *QUARTER, seed=11)[0]

    assert largest_move_in_robust_sigmas(market.minute_bars) < 25


def test_volume_is_in_whole_lots(btc_quarter: SimulatedMarket) -> None:
    lot = btc_quarter.instrument.lot_size
    assert all(
        bar.volume % lot == 0 and bar.volume >= 4 * lot for bar in btc_quarter.daily_bars.to_bars()
    )
    assert btc_quarter.minute_bars.volume_scale <= 5  # BTCUSDT steps are 0.00001


def test_unknown_instruments_and_bad_ranges_are_refused(simulator: MarketSimulator) -> None:
    with pytest.raises(LookupError, match=r"no instrument spec for 999999\.KRX"):
        simulator.generate(["999999.KRX"], *QUARTER, seed=1)
    with pytest.raises(ValueError, match="before"):
        simulator.generate([SAMSUNG], date(2024, 2, 1), date(2024, 1, 1), seed=1)
