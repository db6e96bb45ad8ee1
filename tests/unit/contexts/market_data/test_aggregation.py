"""Bar aggregation on concrete cases: KRX sessions, crypto days, timers, fills, late trades."""

from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest

from jts.contexts.market_data.domain.aggregation import TimeBarAggregator
from jts.contexts.market_data.domain.bar_units import BarUnits, bars_to_series, series_to_bars
from jts.contexts.market_data.domain.buckets import AggregationRules, EmptyIntervals, LateTicks
from jts.contexts.market_data.domain.rollup import BarRollup
from jts.contexts.market_data.domain.sessions import SessionsByVenue, SessionWindows
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe
from tests.unit.contexts.market_data.builders import (
    BTC_KRW,
    KST_DAYS,
    MINUTE,
    SAMSUNG,
    SECOND,
    UTC_DAYS,
    krx_sessions,
    kst,
    utc,
)

ONE_MINUTE = Timeframe.parse("1m")
ONE_HOUR = Timeframe.parse("1h")
ONE_DAY = Timeframe.parse("1d")


def aggregator(
    timeframe: Timeframe,
    sessions: SessionWindows,
    rules: AggregationRules | None = None,
    instrument_id: InstrumentId = SAMSUNG,
) -> TimeBarAggregator:
    return TimeBarAggregator(
        instrument_id, timeframe, sessions, price_scale=0, volume_scale=0, rules=rules
    )


def feed(agg: TimeBarAggregator, *trades: tuple[int, int, int]) -> list[BarUnits]:
    out: list[BarUnits] = []
    for ts, price, size in trades:
        agg.add(ts, price, size, out)
    return out


def test_krx_hour_bars_follow_the_session_and_truncate_at_the_close() -> None:
    agg = aggregator(ONE_HOUR, krx_sessions())
    out = feed(
        agg,
        (kst(2024, 5, 2, 9, 0, 0), 70_000, 10),
        (kst(2024, 5, 2, 9, 59, 59), 70_500, 5),
        (kst(2024, 5, 2, 15, 10), 71_000, 1),
        (kst(2024, 5, 2, 15, 29, 59), 70_900, 2),
    )
    agg.flush(out)

    assert [(b.ts_start, b.ts_event) for b in out] == [
        (kst(2024, 5, 2, 9), kst(2024, 5, 2, 10)),
        (kst(2024, 5, 2, 15), kst(2024, 5, 2, 15, 30)),
    ]
    assert (out[0].open, out[0].high, out[0].low, out[0].close, out[0].volume) == (
        70_000,
        70_500,
        70_000,
        70_500,
        15,
    )


def test_krx_prints_outside_the_session_are_counted_not_aggregated() -> None:
    agg = aggregator(ONE_DAY, krx_sessions())
    out = feed(
        agg,
        (kst(2024, 5, 2, 8, 35), 69_000, 100),  # pre-open trade at the previous close
        (kst(2024, 5, 2, 10), 70_000, 1),
        (kst(2024, 5, 2, 16, 10), 71_000, 100),  # after-hours single-price auction
    )
    agg.flush(out)

    assert len(out) == 1
    assert (out[0].ts_start, out[0].ts_event) == (kst(2024, 5, 2, 9), kst(2024, 5, 2, 15, 30))
    assert out[0].volume == 1
    assert agg.counts.out_of_session == 2


def test_closing_auction_print_at_the_close_joins_the_last_bar() -> None:
    agg = aggregator(ONE_MINUTE, krx_sessions(closing_print_s=60))
    out = feed(
        agg,
        (kst(2024, 5, 2, 15, 29, 10), 70_000, 1),
        (kst(2024, 5, 2, 15, 30) + SECOND // 4, 70_300, 900),
    )
    agg.flush(out)

    assert [(b.ts_start, b.close, b.volume) for b in out] == [
        (kst(2024, 5, 2, 15, 29), 70_300, 901)
    ]


def test_first_trading_day_of_the_year_opens_at_ten() -> None:
    agg = aggregator(ONE_HOUR, krx_sessions())
    out = feed(agg, (kst(2024, 1, 2, 10, 5), 70_000, 1))
    agg.flush(out)

    assert out[0].ts_start == kst(2024, 1, 2, 10)


def test_filled_intervals_skip_nights_weekends_and_holidays() -> None:
    agg = aggregator(ONE_HOUR, krx_sessions(), AggregationRules(EmptyIntervals.FILL))
    out = feed(
        agg,
        (kst(2024, 5, 3, 15, 10), 70_000, 1),  # Friday's last hour
        (kst(2024, 5, 7, 10, 30), 71_000, 2),  # Tuesday: Monday the 6th is a holiday
    )
    agg.flush(out)

    starts = [b.ts_start for b in out]
    assert starts == [kst(2024, 5, 3, 15), kst(2024, 5, 7, 9), kst(2024, 5, 7, 10)]
    flat = out[1]
    assert (flat.open, flat.high, flat.low, flat.close, flat.volume, flat.trades) == (
        70_000,
        70_000,
        70_000,
        70_000,
        0,
        0,
    )


def test_crypto_days_are_utc_by_default_and_kst_when_asked() -> None:
    late_utc_evening = utc(2024, 5, 3, 16)  # 01:00 KST on the 4th
    trades = ((utc(2024, 5, 3, 10), 100, 1), (late_utc_evening, 101, 1))
    utc_agg = aggregator(ONE_DAY, UTC_DAYS, instrument_id=BTC_KRW)
    kst_agg = aggregator(ONE_DAY, KST_DAYS, instrument_id=BTC_KRW)
    utc_bars, kst_bars = feed(utc_agg, *trades), feed(kst_agg, *trades)
    utc_agg.flush(utc_bars)
    kst_agg.flush(kst_bars)

    assert [b.ts_start for b in utc_bars] == [utc(2024, 5, 3)]
    assert [b.ts_start for b in kst_bars] == [kst(2024, 5, 3), kst(2024, 5, 4)]


def test_advance_closes_a_bar_without_waiting_for_the_next_trade() -> None:
    agg = aggregator(ONE_MINUTE, UTC_DAYS, AggregationRules(allowed_lateness_ns=2 * SECOND))
    out = feed(agg, (utc(2024, 5, 3, 10, 0, 30), 100, 1))
    start = utc(2024, 5, 3, 10)

    agg.advance(start + MINUTE + SECOND, out)
    assert out == []  # still within the lateness
    agg.advance(start + MINUTE + 2 * SECOND, out)

    assert [b.ts_start for b in out] == [start]


def test_advance_fills_quiet_minutes_in_a_live_feed() -> None:
    agg = aggregator(ONE_MINUTE, UTC_DAYS, AggregationRules(EmptyIntervals.FILL))
    start = utc(2024, 5, 3, 10)
    out = feed(agg, (start + 5 * SECOND, 100, 1))

    agg.advance(start + 3 * MINUTE, out)

    assert [(b.ts_start, b.trades) for b in out] == [
        (start, 1),
        (start + MINUTE, 0),
        (start + 2 * MINUTE, 0),
    ]


def test_late_trade_is_dropped_and_counted_by_default() -> None:
    agg = aggregator(ONE_MINUTE, UTC_DAYS)
    start = utc(2024, 5, 3, 10)
    out = feed(agg, (start + SECOND, 100, 1), (start + MINUTE, 101, 1), (start + 2 * SECOND, 99, 5))

    assert [(b.ts_start, b.low, b.volume) for b in out] == [(start, 100, 1)]
    assert agg.counts.late_dropped == 1


def test_late_trade_revises_the_bar_when_asked() -> None:
    agg = aggregator(ONE_MINUTE, UTC_DAYS, AggregationRules(late_ticks=LateTicks.REVISE))
    start = utc(2024, 5, 3, 10)
    out = feed(agg, (start + SECOND, 100, 1), (start + MINUTE, 101, 1), (start, 99, 5))

    first, revised = out
    assert not first.revision
    assert revised.revision
    assert revised.key == first.key
    assert (revised.open, revised.low, revised.close, revised.volume) == (99, 99, 100, 6)


def test_bar_units_become_exact_messages_and_series() -> None:
    bar = BarUnits(
        BTC_KRW, ONE_MINUTE, utc(2024, 5, 3), utc(2024, 5, 3) + MINUTE, 12345, 12400, 12300,
        12399, 150_000_001, 2, 8,
    )  # fmt: skip

    message = bar.to_message()
    series = bars_to_series([bar])

    assert message.open == Decimal("123.45")
    assert message.volume == Decimal("1.50000001")
    assert message.ts_init == message.ts_event == utc(2024, 5, 3) + MINUTE
    assert msgspec.structs.replace(series.bar_at(0), id=message.id) == message
    assert series_to_bars(series) == [bar]


def test_rollup_issues_an_hour_as_soon_as_its_last_minute_closes() -> None:
    rollup = BarRollup(ONE_MINUTE, ONE_HOUR, UTC_DAYS)
    hour = utc(2024, 5, 3, 10)
    minute_bars = [
        BarUnits(BTC_KRW, ONE_MINUTE, hour + m * MINUTE, hour + (m + 1) * MINUTE, 10 + m,
                 20 + m, 5, 11 + m, 1, 0, 0, 1)
        for m in (0, 30, 59)
    ]  # fmt: skip
    out: list[BarUnits] = []

    for bar in minute_bars:
        rollup.add(bar, out)

    assert [(b.ts_start, b.ts_event, b.open, b.high, b.low, b.close, b.volume) for b in out] == [
        (hour, hour + 60 * MINUTE, 10, 79, 5, 70, 3)
    ]


def test_invalid_timeframes_are_refused() -> None:
    with pytest.raises(ValueError, match="1s up to 1d"):
        aggregator(Timeframe.parse("1w"), UTC_DAYS)
    with pytest.raises(ValueError, match="longer whole multiple"):
        BarRollup(ONE_HOUR, Timeframe.parse("90m"), UTC_DAYS)


def test_sessions_by_venue_pick_krx_calendar_utc_days_and_kst_days_for_upbit() -> None:
    krx = krx_sessions().calendar
    by_venue = SessionsByVenue(krx)
    evening = utc(2024, 5, 3, 16)  # 01:00 KST on the 4th

    assert by_venue(SAMSUNG).session_at(kst(2024, 5, 2, 15, 30, 30)) is not None  # closing print
    assert by_venue(BTC_KRW).session_at(evening) == (kst(2024, 5, 4), kst(2024, 5, 5))
    assert by_venue(InstrumentId.parse("BTCUSDT.BINANCE")).session_at(evening)[0] == utc(2024, 5, 3)
    assert SessionsByVenue(krx, upbit_time_zone="UTC")(BTC_KRW).session_at(evening)[0] == utc(
        2024, 5, 3
    )
    with pytest.raises(ValueError, match="no KRX calendar"):
        SessionsByVenue()(SAMSUNG)
