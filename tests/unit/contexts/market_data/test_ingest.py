"""``TickIngest``: batches of trades -> bars and ticks in the store, equal to bars computed
directly from the same trades whatever the batching."""

from __future__ import annotations

import itertools
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jts.adapters.timeseries.memory import InMemoryTimeSeriesStore
from jts.contexts.market_data.application.ingest import TickIngest
from jts.contexts.market_data.domain.batch_aggregation import aggregate_ticks
from jts.contexts.market_data.domain.buckets import AggregationRules, EmptyIntervals, LateTicks
from jts.contexts.market_data.domain.normalization import TradeRecord
from jts.contexts.market_data.domain.sessions import SessionWindows
from jts.contexts.market_data.domain.trade_batch import TradeBatch
from jts.messages.market_data import Bar
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe
from tests.unit.contexts.market_data.builders import (
    BTC_USDT,
    HOUR,
    KST_DAYS,
    MINUTE,
    SAMSUNG,
    SECOND,
    UTC_DAYS,
    Trade,
    krx_sessions,
    kst,
    tick_series,
    trades_over,
    utc,
)

ETH_USDT = InstrumentId.parse("ETHUSDT.BINANCE")
FRAMES = [Timeframe.parse(f) for f in ("1m", "5m", "1h", "1d")]
KRX = krx_sessions(closing_print_s=30)


def sessions_for(instrument_id: InstrumentId) -> SessionWindows:
    return KRX if instrument_id.venue == "KRX" else UTC_DAYS


def records(instrument_id: InstrumentId, trades: list[Trade]) -> list[TradeRecord]:
    """The trades in time order, numbered by their list position (as ``tick_series`` does)."""
    ordered = sorted(enumerate(trades), key=lambda item: (item[1].ts, item[0]))
    return [TradeRecord(instrument_id, t.ts, t.price, t.size, 2, 4, 0, i) for i, t in ordered]


def run(ingest: TickIngest, stream: list[TradeRecord], cuts: list[int]) -> None:
    bounds = [0, *sorted(c % (len(stream) + 1) for c in cuts), len(stream)]
    for lo, hi in itertools.pairwise(bounds):
        if hi > lo:
            ingest.ingest_batch(TradeBatch.from_records(stream[lo:hi]))
    ingest.close()


multi_instrument = st.tuples(
    trades_over(utc(2024, 5, 3, 22), 6 * HOUR),
    trades_over(utc(2024, 5, 3, 22), 6 * HOUR),
    trades_over(kst(2024, 5, 3, 8), 3 * 24 * HOUR),
)


@settings(max_examples=40)
@given(case=multi_instrument, cuts=st.lists(st.integers(0, 10_000), max_size=8))
def test_stored_bars_equal_bars_from_ticks_whatever_the_batching(
    case: tuple[list[Trade], list[Trade], list[Trade]], cuts: list[int]
) -> None:
    per_instrument = dict(zip((BTC_USDT, ETH_USDT, SAMSUNG), case, strict=True))
    stream = sorted(
        (r for i, t in per_instrument.items() for r in records(i, t)), key=lambda r: r.ts_event
    )
    store = InMemoryTimeSeriesStore()
    ingest = TickIngest(bars=store, ticks=store, sessions_for=sessions_for, timeframes=FRAMES)

    run(ingest, stream, cuts)

    for instrument_id, trades in per_instrument.items():
        ticks = tick_series(trades, instrument_id)
        assert store.read_ticks(instrument_id) == ticks
        for frame in FRAMES:
            expected = aggregate_ticks(ticks, frame, sessions_for(instrument_id))
            assert store.read_bars(instrument_id, frame) == expected, (instrument_id, frame)


@settings(max_examples=40)
@given(
    trades=trades_over(utc(2024, 5, 3, 22), 4 * HOUR),
    cuts=st.lists(st.integers(0, 10_000), max_size=8),
    seed=st.integers(0, 2**32),
)
def test_late_trades_in_batches_revise_bars_to_those_of_all_trades(
    trades: list[Trade], cuts: list[int], seed: int
) -> None:
    distinct = sorted({t.ts: t for t in trades}.values())
    stream = records(BTC_USDT, distinct)
    rng = random.Random(seed)
    delivered = sorted(stream, key=lambda r: r.ts_event + rng.randrange(5 * MINUTE))
    store = InMemoryTimeSeriesStore()
    rules = AggregationRules(late_ticks=LateTicks.REVISE, revision_depth=100_000)
    ingest = TickIngest(
        bars=store, ticks=store, sessions_for=sessions_for, timeframes=FRAMES, rules=rules
    )

    run(ingest, delivered, cuts)

    ticks = tick_series(distinct, BTC_USDT)
    assert store.read_ticks(BTC_USDT) == ticks
    for frame in FRAMES:
        assert store.read_bars(BTC_USDT, frame) == aggregate_ticks(ticks, frame, UTC_DAYS)


def test_closed_bars_are_returned_as_they_close_and_advance_closes_quiet_ones() -> None:
    store = InMemoryTimeSeriesStore()
    ingest = TickIngest(bars=store, ticks=store, sessions_for=sessions_for, timeframes=FRAMES[:2])
    start = utc(2024, 5, 3, 10)
    first = TradeBatch.from_records(
        [TradeRecord(BTC_USDT, start + s * SECOND, 100 + s, 1, 2, 4, 1, s) for s in (1, 30, 61)]
    )

    closed = ingest.ingest_batch(first)
    quiet = ingest.advance(start + 5 * MINUTE)

    assert [(b.timeframe, b.ts_start, b.trades) for b in closed] == [(FRAMES[0], start, 2)]
    assert [(b.timeframe, b.ts_start) for b in quiet] == [
        (FRAMES[0], start + MINUTE),
        (FRAMES[1], start),
    ]
    assert ingest.flush() == 3 + 3  # three ticks, three bars
    assert len(store.read_bars(BTC_USDT, FRAMES[1])) == 1


def test_ticks_are_stored_once_the_batch_threshold_is_reached() -> None:
    store = InMemoryTimeSeriesStore()
    ingest = TickIngest(
        bars=store, ticks=store, sessions_for=sessions_for, timeframes=FRAMES[:1], tick_batch=3
    )
    start = utc(2024, 5, 3, 10)
    trades = [TradeRecord(BTC_USDT, start + s, 100, 1, 2, 4, 1, s) for s in range(4)]

    ingest.ingest(trades[:2])
    assert len(store.read_ticks(BTC_USDT)) == 0
    ingest.ingest(trades[2:])

    assert len(store.read_ticks(BTC_USDT)) == 4
    assert ingest.counts.ticks_stored == 4


def test_venue_bars_are_stored_as_they_are() -> None:
    store = InMemoryTimeSeriesStore()
    ingest = TickIngest(bars=store, ticks=None, sessions_for=sessions_for, timeframes=FRAMES[:1])
    one, two = Decimal(1), Decimal(2)
    bar = Bar(
        instrument_id=BTC_USDT, timeframe=FRAMES[0], ts_start=utc(2024, 5, 3),
        ts_event=utc(2024, 5, 3) + MINUTE, ts_init=0, open=one, high=two, low=one, close=two,
        volume=two,
    )  # fmt: skip

    ingest.ingest([bar])
    ingest.flush()

    assert store.read_bars(BTC_USDT, FRAMES[0]).bar_at(0).close == 2


def test_filled_intervals_reach_the_store_for_krx_sessions() -> None:
    store = InMemoryTimeSeriesStore()
    ingest = TickIngest(
        bars=store, ticks=None, sessions_for=sessions_for, timeframes=[Timeframe.parse("1h")],
        rules=AggregationRules(EmptyIntervals.FILL),
    )  # fmt: skip
    trades = [
        TradeRecord(SAMSUNG, kst(2024, 5, 2, 9, 5), 70_000, 1, 0, 0, 1, 0),
        TradeRecord(SAMSUNG, kst(2024, 5, 2, 14, 5), 70_500, 1, 0, 0, 1, 1),
    ]

    ingest.ingest(trades)
    ingest.close()

    bars = store.read_bars(SAMSUNG, Timeframe.parse("1h"))
    assert len(bars) == 6  # 09..14h: four of them flat at 70,000
    assert bars.volume_units.tolist() == [1, 0, 0, 0, 0, 1]


def test_a_change_of_scale_for_an_instrument_is_refused() -> None:
    ingest = TickIngest(
        bars=InMemoryTimeSeriesStore(), ticks=None, sessions_for=sessions_for,
        timeframes=FRAMES[:1],
    )  # fmt: skip
    ingest.ingest([TradeRecord(BTC_USDT, utc(2024, 5, 3), 1, 1, 2, 4, 1, 0)])

    with pytest.raises(DataError, match="scales 3/4 after trades at 2/4"):
        ingest.ingest([TradeRecord(BTC_USDT, utc(2024, 5, 3), 1, 1, 3, 4, 1, 1)])


def test_kst_days_can_be_chosen_per_instrument() -> None:
    store = InMemoryTimeSeriesStore()
    ingest = TickIngest(
        bars=store, ticks=None, sessions_for=lambda _: KST_DAYS, timeframes=[FRAMES[3]]
    )
    ingest.ingest([TradeRecord(BTC_USDT, utc(2024, 5, 3, 16), 1, 1, 2, 4, 1, 0)])
    ingest.close()

    assert store.read_bars(BTC_USDT, FRAMES[3]).ts_start.tolist() == [kst(2024, 5, 4)]
