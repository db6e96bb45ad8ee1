"""Streaming aggregation equals batch aggregation, and longer bars equal rolled-up shorter
ones, on random trades (hypothesis)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jts.contexts.market_data.domain.aggregation import TimeBarAggregator
from jts.contexts.market_data.domain.bar_units import BarUnits, bars_to_series
from jts.contexts.market_data.domain.batch_aggregation import aggregate_ticks, resample_bars
from jts.contexts.market_data.domain.buckets import AggregationRules, EmptyIntervals, LateTicks
from jts.contexts.market_data.domain.rollup import BarRollup
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.sessions import SessionWindows
from jts.shared_kernel.timeframes import Timeframe
from tests.unit.contexts.market_data.builders import (
    BTC_USDT,
    HOUR,
    KST_DAYS,
    SAMSUNG,
    SECOND,
    UTC_DAYS,
    Trade,
    in_time_order,
    krx_sessions,
    kst,
    tick_series,
    trades_over,
    utc,
)

KRX = krx_sessions(closing_print_s=30)
FRAMES = [Timeframe.parse(f) for f in ("1s", "15s", "1m", "5m", "1h", "4h", "1d")]
CRYPTO_START = utc(2024, 5, 3, 20)
KRX_START = kst(2024, 5, 2, 8)  # Thu 08:00 KST: pre-open, two sessions, weekend, holiday
WINDOWS = [
    (UTC_DAYS, CRYPTO_START, 30 * HOUR, BTC_USDT),
    (KST_DAYS, CRYPTO_START, 30 * HOUR, BTC_USDT),
    (KRX, KRX_START, 6 * 24 * HOUR, SAMSUNG),
]
window_cases = st.sampled_from(WINDOWS).flatmap(
    lambda w: st.tuples(st.just(w[0]), trades_over(w[1], w[2]), st.just(w[3]))
)


def stream(
    trades: list[Trade],
    timeframe: Timeframe,
    sessions: SessionWindows,
    rules: AggregationRules | None = None,
    instrument_id: object = BTC_USDT,
) -> tuple[list[BarUnits], TimeBarAggregator]:
    aggregator = TimeBarAggregator(
        instrument_id,  # type: ignore[arg-type]
        timeframe,
        sessions,
        price_scale=2,
        volume_scale=4,
        rules=rules,
    )
    out: list[BarUnits] = []
    for trade in trades:
        aggregator.add(trade.ts, trade.price, trade.size, out)
    aggregator.flush(out)
    return out, aggregator


def as_series(bars: list[BarUnits], like: BarSeries) -> BarSeries:
    return bars_to_series(bars) if bars else BarSeries.empty(like.instrument_id, like.timeframe)


@settings(max_examples=60)
@given(case=window_cases, timeframe=st.sampled_from(FRAMES), fill=st.booleans())
def test_streaming_bars_equal_batch_bars(
    case: tuple[SessionWindows, list[Trade], object], timeframe: Timeframe, fill: bool
) -> None:
    sessions, trades, instrument_id = case
    empty = EmptyIntervals.FILL if fill else EmptyIntervals.SKIP
    ordered = in_time_order(trades)
    expected = aggregate_ticks(
        tick_series(trades, instrument_id),  # type: ignore[arg-type]
        timeframe,
        sessions,
        empty_intervals=empty,
    )

    bars, _ = stream(ordered, timeframe, sessions, AggregationRules(empty), instrument_id)

    assert [bar.ts_start for bar in bars] == sorted(bar.ts_start for bar in bars)
    assert as_series(bars, expected) == expected


@settings(max_examples=60)
@given(case=window_cases, pair=st.sampled_from([(0, 3), (2, 3), (2, 4), (1, 4), (3, 5), (0, 6)]))
def test_longer_bars_built_from_shorter_equal_bars_from_ticks(
    case: tuple[SessionWindows, list[Trade], object], pair: tuple[int, int]
) -> None:
    sessions, trades, instrument_id = case
    short, long = FRAMES[pair[0]], FRAMES[pair[1]]
    ticks = tick_series(trades, instrument_id)  # type: ignore[arg-type]
    if long.seconds % short.seconds:
        pytest.skip("not a whole multiple")

    direct = aggregate_ticks(ticks, long, sessions)
    resampled = resample_bars(aggregate_ticks(ticks, short, sessions), long, sessions)

    assert resampled == direct


@settings(max_examples=60)
@given(case=window_cases, fill=st.booleans())
def test_streaming_rollup_equals_bars_from_ticks(
    case: tuple[SessionWindows, list[Trade], object], fill: bool
) -> None:
    sessions, trades, instrument_id = case
    empty = EmptyIntervals.FILL if fill else EmptyIntervals.SKIP
    one_minute, one_hour = Timeframe.parse("1m"), Timeframe.parse("1h")
    expected = aggregate_ticks(
        tick_series(trades, instrument_id),  # type: ignore[arg-type]
        one_hour,
        sessions,
        empty_intervals=empty,
    )
    minutes, _ = stream(in_time_order(trades), one_minute, sessions, None, instrument_id)
    rollup = BarRollup(one_minute, one_hour, sessions, rules=AggregationRules(empty))
    hours: list[BarUnits] = []

    for bar in minutes:
        rollup.add(bar, hours)
    rollup.flush(hours)

    assert as_series(hours, expected) == expected


@settings(max_examples=40)
@given(case=window_cases, seed=st.integers(0, 2**32))
def test_out_of_order_trades_within_the_lateness_give_the_same_bars(
    case: tuple[SessionWindows, list[Trade], object], seed: int
) -> None:
    sessions, trades, instrument_id = case
    lateness = 20 * SECOND
    distinct = {trade.ts: trade for trade in trades}  # ties would make arrival order matter
    ordered = sorted(distinct.values())
    shuffled = _shuffle_within(ordered, lateness // 2, random.Random(seed))
    minute = Timeframe.parse("1m")
    expected = aggregate_ticks(tick_series(ordered, instrument_id), minute, sessions)  # type: ignore[arg-type]

    bars, aggregator = stream(
        shuffled, minute, sessions, AggregationRules(allowed_lateness_ns=lateness), instrument_id
    )

    assert aggregator.counts.late_dropped == 0
    assert as_series(bars, expected) == expected


@settings(max_examples=40)
@given(case=window_cases, seed=st.integers(0, 2**32))
def test_revised_bars_end_up_equal_to_bars_of_all_trades(
    case: tuple[SessionWindows, list[Trade], object], seed: int
) -> None:
    sessions, trades, instrument_id = case
    distinct = sorted({trade.ts: trade for trade in trades}.values())
    shuffled = _shuffle_within(distinct, 3 * 60 * SECOND, random.Random(seed))
    minute = Timeframe.parse("1m")
    expected = aggregate_ticks(tick_series(distinct, instrument_id), minute, sessions)  # type: ignore[arg-type]
    rules = AggregationRules(late_ticks=LateTicks.REVISE, revision_depth=10_000)

    bars, aggregator = stream(shuffled, minute, sessions, rules, instrument_id)

    assert as_series(bars, expected) == expected  # later issues replace earlier ones
    assert aggregator.counts.revised == sum(bar.revision for bar in bars)


def _shuffle_within(trades: list[Trade], max_delay_ns: int, rng: random.Random) -> list[Trade]:
    """Each trade delivered up to ``max_delay_ns`` after its time, in delivery order."""
    delivered = [(t.ts + rng.randrange(max_delay_ns + 1), i, t) for i, t in enumerate(trades)]
    return [t for _, _, t in sorted(delivered)]
