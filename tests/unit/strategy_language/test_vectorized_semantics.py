"""What a signal means: crosses, look-back, warm-up, NaN, sessions, longer timeframes."""

from __future__ import annotations

import numpy as np
import pytest

from jts.contexts.strategy.domain.language import BarArrays, resample
from jts.contexts.strategy.domain.language.bars import PeriodAggregator
from tests.unit.strategy_language.builders import (
    BINANCE,
    KRX,
    KRX_DAY_ONE,
    KST_NS,
    MINUTE_NS,
    bars_from_closes,
    random_walk,
    strategy,
)


def test_crosses_above_fires_on_the_bar_after_a_at_or_below_b() -> None:
    closes = [9, 11, 11, 9, 10, 12, 13]
    compiled = strategy("entry long when crosses_above(close, 10)\n")

    signals = compiled.evaluate(bars_from_closes(closes), instrument=KRX)

    assert np.flatnonzero(signals.entry_long).tolist() == [1, 5]


def test_crosses_below_is_the_mirror() -> None:
    closes = [11, 9, 9, 11, 10, 8]
    compiled = strategy("entry short when crosses_below(close, 10)\n")

    signals = compiled.evaluate(bars_from_closes(closes), instrument=KRX)

    assert np.flatnonzero(signals.entry_short).tolist() == [1, 5]


def test_lookback_index_reads_the_value_n_bars_ago() -> None:
    closes = [10, 11, 12, 11, 13, 9]
    compiled = strategy("entry long when close > close[2]\n")

    signals = compiled.evaluate(bars_from_closes(closes), instrument=KRX)

    assert signals.entry_long.tolist() == [False, False, True, False, True, False]


def test_no_signal_during_warm_up_even_under_not() -> None:
    closes = [10, 9, 8, 7, 6, 5]
    compiled = strategy("entry long when not (close > sma(close, 3))\n")

    signals = compiled.evaluate(bars_from_closes(closes), instrument=KRX)

    assert signals.entry_long.tolist() == [False, False, True, True, True, True]
    assert signals.warmup == {"1d": 2}


def test_division_by_zero_is_no_signal() -> None:
    closes = [10, 10, 11, 11]
    compiled = strategy("entry long when 1 / (close - close[1]) > 0\n")

    signals = compiled.evaluate(bars_from_closes(closes), instrument=KRX)

    assert signals.entry_long.tolist() == [False, False, True, False]


def test_highest_and_lowest_cover_the_last_n_bars_including_this_one() -> None:
    closes = [5, 7, 6, 4, 8, 3]
    compiled = strategy(
        "entry long when close >= highest(close, 3)\nexit long when close <= lowest(close, 3)\n"
    )

    signals = compiled.evaluate(bars_from_closes(closes), instrument=KRX)

    assert signals.entry_long.tolist() == [False, False, False, False, True, False]
    assert signals.exit_long.tolist() == [False, False, False, True, False, True]


def test_rules_with_the_same_label_fire_independently() -> None:
    closes = [10, 11, 12, 13, 14, 15]
    compiled = strategy("entry long when close > sma(close, 5)\nentry long when close > close[1]\n")

    signals = compiled.evaluate(bars_from_closes(closes), instrument=KRX)

    assert signals.entry_long.tolist() == [False, True, True, True, True, True]


def _krx_minutes(days: int, first_hour_kst: int = 9, count: int = 390) -> BarArrays:
    ts = [
        KRX_DAY_ONE + day * 86_400 * 10**9 - KST_NS + (first_hour_kst * 60 + m + 1) * MINUTE_NS
        for day in range(days)
        for m in range(count)
    ]
    closes = random_walk(len(ts))
    return BarArrays(ts, closes, closes * 1.001, closes * 0.999, closes, np.ones(len(ts)))


def test_session_filter_gates_entries_in_exchange_time_but_not_exits() -> None:
    compiled = strategy(
        "entry long when close > 0\nexit long when close > 0\nsession 09:05-15:15\n",
        timeframe="1m",
    )
    bars = _krx_minutes(days=1)

    signals = compiled.evaluate(bars, instrument=KRX)

    local_minutes = ((bars.ts + KST_NS) // MINUTE_NS) % 1440
    expected = (local_minutes >= 9 * 60 + 5) & (local_minutes <= 15 * 60 + 15)
    assert signals.entry_long.tolist() == expected.tolist()
    assert signals.exit_long.all()


def test_time_field_is_the_bar_close_in_the_exchange_time_zone() -> None:
    compiled = strategy("entry long when time == 09:30\n", timeframe="1m")
    bars = _krx_minutes(days=1)

    signals = compiled.evaluate(bars, instrument=KRX)

    (hit,) = np.flatnonzero(signals.entry_long)
    assert ((int(bars.ts[hit]) + KST_NS) // MINUTE_NS) % 1440 == 9 * 60 + 30


def test_crypto_clock_is_utc_unless_the_session_names_a_zone() -> None:
    minutes = bars_from_closes(random_walk(180), start_ns=KRX_DAY_ONE, step_ns=MINUTE_NS)
    utc = strategy("entry long when hour == 1\n", timeframe="1m", universe="BTCUSDT.BINANCE")
    seoul = strategy(
        'entry long when hour == 1\nsession 00:00-23:59 tz "Asia/Seoul"\n',
        timeframe="1m",
        universe="BTCUSDT.BINANCE",
    )

    utc_hits = utc.evaluate(minutes, instrument=BINANCE).entry_long
    seoul_hits = seoul.evaluate(minutes, instrument=BINANCE).entry_long

    assert np.flatnonzero(utc_hits).min() == 59  # the bar closing at 01:00 UTC
    assert not seoul_hits.any()  # 01:00 in Seoul is 16:00 UTC the day before


def test_a_daily_value_at_a_minute_bar_is_the_last_closed_day_never_today() -> None:
    compiled = strategy("entry long when close@1d > 0\norder limit(close@1d)\n", timeframe="1m, 1d")
    bars = _krx_minutes(days=3)

    signals = compiled.evaluate(bars, instrument=KRX)

    assert signals.limit_price is not None
    day = ((bars.ts - 1 + KST_NS) // (86_400 * 10**9)).astype(np.int64)
    first_day = day == day[0]
    assert np.isnan(signals.limit_price[first_day]).all()
    for later in np.unique(day[~first_day]):
        previous_close = bars.close[day == later - 1][-1]
        assert (signals.limit_price[day == later] == previous_close).all()


def test_resample_stamps_periods_at_their_end_and_matches_the_bar_by_bar_aggregator() -> None:
    bars = _krx_minutes(days=3)

    daily = resample(bars, "1d", "Asia/Seoul")
    aggregator = PeriodAggregator("1d", "Asia/Seoul")
    streamed = [done for i in range(len(bars)) for done in aggregator.add(bars.bar(i))]

    assert len(daily) == 3
    assert ((daily.ts + KST_NS) % (86_400 * 10**9) == 0).all()  # local midnight
    assert daily.high.tolist()[:2] == [b.high for b in streamed]
    assert daily.volume.tolist()[:2] == [b.volume for b in streamed]


def test_stops_sizes_and_limit_prices_come_out_per_bar() -> None:
    compiled = strategy(
        "entry long when close > 0\nstop_loss 5%\ntake_profit close * 0.1\n"
        "size risk(1%, stop=close * 0.02)\norder limit(close * 0.99) ttl 2 bars\n"
    )
    closes = [100.0, 200.0]

    signals = compiled.evaluate(bars_from_closes(closes), instrument=KRX)

    assert signals.stop_loss is not None
    assert signals.stop_loss.mode == "percent"
    assert signals.stop_loss.values.tolist() == [0.05, 0.05]
    assert signals.take_profit is not None
    assert signals.take_profit.mode == "distance"
    assert signals.take_profit.values.tolist() == pytest.approx([10.0, 20.0])
    assert signals.size_form == "risk"
    assert signals.size_value.tolist() == [0.01, 0.01]
    assert signals.size_stop is not None
    assert signals.size_stop.tolist() == pytest.approx([2.0, 4.0])
    assert signals.limit_price is not None
    assert signals.limit_price.tolist() == pytest.approx([99.0, 198.0])
    assert signals.ttl_bars == 2


def test_evaluate_many_shares_indicator_results_across_parameter_sets() -> None:
    compiled = strategy(
        "param fast = 5 range 5..10 step 5\nparam slow = 20 range 20..30 step 10\n"
        "entry long when crosses_above(sma(close, fast), sma(close, slow))\n"
    )
    bars = bars_from_closes(random_walk(300))
    grid = list(compiled.grid())
    evaluator = compiled.vectorized(bars, instrument=KRX)

    together = list(evaluator.evaluate_many(grid))

    assert len(grid) == 4
    assert evaluator.indicator_runs == 4  # 2 fast + 2 slow, not 8
    for params, signals in zip(grid, together, strict=True):
        alone = compiled.evaluate(bars, instrument=KRX, params=params)
        assert (alone.entry_long == signals.entry_long).all()
        assert signals.params == params


def test_parameter_overrides_are_checked_by_name_and_range() -> None:
    compiled = strategy(
        "param fast = 5 range 5..10 step 5\nentry long when close > sma(close, fast)\n"
    )

    with pytest.raises(Exception, match="did you mean 'fast'"):
        compiled.resolve_params({"fats": 5})
    with pytest.raises(Exception, match="outside its range"):
        compiled.resolve_params({"fast": 50})
    assert compiled.resolve_params({"fast": 10}) == {"fast": 10.0}
