"""The time-series store contract: every implementation (the fake included) passes it."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Protocol

import msgspec
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jts.adapters.timeseries.duckdb_store import DuckDbTimeSeriesStore
from jts.adapters.timeseries.memory import InMemoryTimeSeriesStore
from jts.contexts.market_data.application.ports import StoredSeries, TimeSeriesStore
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.tick_series import TickSeries
from jts.contexts.portfolio.application.ports import EquityCurveStore
from jts.contexts.portfolio.domain.equity_curve import EquityCurve
from jts.messages.enums import AggressorSide
from jts.messages.market_data import Bar, TradeTick
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

SAMSUNG = InstrumentId.parse("005930.KRX")
BTC = InstrumentId.parse("BTCUSDT.BINANCE")
ONE_MINUTE = Timeframe.parse("1m")
FIVE_MINUTES = Timeframe.parse("5m")
MINUTE_NS = 60_000_000_000
T0 = 1_704_153_600_000_000_000  # 2024-01-02 00:00 UTC (09:00 KST)


class Store(TimeSeriesStore, EquityCurveStore, Protocol):
    """Both ports, as the contract sees a store."""


@pytest.fixture(params=["memory", "duckdb"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        yield InMemoryTimeSeriesStore()
    else:
        with DuckDbTimeSeriesStore(tmp_path / "ts.duckdb") as duck:
            yield duck


def make_bars(
    instrument_id: InstrumentId = SAMSUNG,
    *,
    count: int = 5,
    first: int = 0,
    price: str = "70000",
    volume: str = "100",
    timeframe: Timeframe = ONE_MINUTE,
) -> list[Bar]:
    base, size = Decimal(price), Decimal(volume)
    step = timeframe.nanos
    return [
        Bar(
            instrument_id=instrument_id,
            timeframe=timeframe,
            ts_start=T0 + (first + i) * step,
            ts_event=T0 + (first + i + 1) * step,
            ts_init=T0 + (first + i + 1) * step,
            open=base + i,
            high=base + i + 2,
            low=base + i - 1,
            close=base + i + 1,
            volume=size * (i + 1),
        )
        for i in range(count)
    ]


def facts(messages: list[Bar] | list[TradeTick]) -> list[dict[str, object]]:
    """Message fields without the per-object id, for comparing what was stored."""
    return [
        {k: v for k, v in msgspec.structs.asdict(message).items() if k != "id"}
        for message in messages
    ]


def test_appended_bars_read_back_exactly(store: Store) -> None:
    bars = make_bars(BTC, price="65000.12", volume="0.00012345")
    store.append_bars(BarSeries.from_bars(bars))

    read = store.read_bars(BTC, ONE_MINUTE)

    assert facts(read.to_bars()) == facts(bars)
    assert read.close.dtype == np.float64
    assert read.close[0] == pytest.approx(65001.12)


def test_reading_nothing_gives_an_empty_series(store: Store) -> None:
    read = store.read_bars(SAMSUNG, ONE_MINUTE)

    assert len(read) == 0
    assert (read.instrument_id, read.timeframe) == (SAMSUNG, ONE_MINUTE)


def test_range_read_is_half_open_on_ts_start(store: Store) -> None:
    store.append_bars(BarSeries.from_bars(make_bars(count=10)))

    read = store.read_bars(
        SAMSUNG, ONE_MINUTE, start_ns=T0 + 2 * MINUTE_NS, end_ns=T0 + 5 * MINUTE_NS
    )

    assert read.ts_start.tolist() == [T0 + k * MINUTE_NS for k in (2, 3, 4)]
    assert len(store.read_bars(SAMSUNG, ONE_MINUTE, start_ns=T0 + 10 * MINUTE_NS)) == 0
    assert len(store.read_bars(SAMSUNG, ONE_MINUTE, end_ns=T0 + MINUTE_NS)) == 1


def test_appending_the_same_batch_twice_stores_it_once(store: Store) -> None:
    series = BarSeries.from_bars(make_bars(count=4))

    store.append_bars(series)
    store.append_bars(series)

    assert store.read_bars(SAMSUNG, ONE_MINUTE) == series


def test_overlapping_append_replaces_stored_bars_and_keeps_the_rest(store: Store) -> None:
    store.append_bars(BarSeries.from_bars(make_bars(count=6, price="70000")))
    newer = make_bars(count=4, first=4, price="80000")

    store.append_bars(BarSeries.from_bars(newer))

    read = store.read_bars(SAMSUNG, ONE_MINUTE)
    assert len(read) == 8
    assert read.open_units.tolist() == [70000, 70001, 70002, 70003, 80000, 80001, 80002, 80003]


def test_appends_with_different_decimals_merge_exactly(store: Store) -> None:
    coarse = make_bars(BTC, count=2, price="65000", volume="1")
    fine = make_bars(BTC, count=2, first=2, price="65000.5", volume="0.001")

    store.append_bars(BarSeries.from_bars(coarse))
    store.append_bars(BarSeries.from_bars(fine))

    read = store.read_bars(BTC, ONE_MINUTE)
    assert [bar.open for bar in read.to_bars()] == [bar.open for bar in coarse + fine]
    assert [bar.volume for bar in read.to_bars()] == [bar.volume for bar in coarse + fine]


def test_instruments_and_timeframes_are_kept_apart(store: Store) -> None:
    store.append_bars(BarSeries.from_bars(make_bars(SAMSUNG, count=3)))
    store.append_bars(BarSeries.from_bars(make_bars(SAMSUNG, count=2, timeframe=FIVE_MINUTES)))
    store.append_bars(BarSeries.from_bars(make_bars(BTC, count=4, price="65000.1")))

    assert len(store.read_bars(SAMSUNG, ONE_MINUTE)) == 3
    assert len(store.read_bars(SAMSUNG, FIVE_MINUTES)) == 2
    assert len(store.read_bars(BTC, ONE_MINUTE)) == 4
    assert len(store.read_bars(BTC, FIVE_MINUTES)) == 0


def test_list_bars_reports_counts_and_time_ranges(store: Store) -> None:
    store.append_bars(BarSeries.from_bars(make_bars(SAMSUNG, count=2, timeframe=FIVE_MINUTES)))
    store.append_bars(BarSeries.from_bars(make_bars(SAMSUNG, count=3)))
    store.append_bars(BarSeries.from_bars(make_bars(BTC, count=4, first=10)))

    listed = store.list_bars()

    assert listed == [  # ordered by instrument id text, then timeframe
        StoredSeries(
            kind="bars",
            instrument_id=SAMSUNG,
            timeframe=ONE_MINUTE,
            count=3,
            first_ts=T0,
            last_ts=T0 + 2 * MINUTE_NS,
        ),
        StoredSeries(
            kind="bars",
            instrument_id=SAMSUNG,
            timeframe=FIVE_MINUTES,
            count=2,
            first_ts=T0,
            last_ts=T0 + 5 * MINUTE_NS,
        ),
        StoredSeries(
            kind="bars",
            instrument_id=BTC,
            timeframe=ONE_MINUTE,
            count=4,
            first_ts=T0 + 10 * MINUTE_NS,
            last_ts=T0 + 13 * MINUTE_NS,
        ),
    ]


def test_empty_append_changes_nothing(store: Store) -> None:
    store.append_bars(BarSeries.empty(SAMSUNG, ONE_MINUTE))

    assert store.list_bars() == []


def make_ticks(instrument_id: InstrumentId = BTC, *, count: int = 6, price: str = "65000.01"):
    base = Decimal(price)
    sides = [AggressorSide.BUYER, AggressorSide.SELLER, AggressorSide.NONE]
    return [
        TradeTick(
            instrument_id=instrument_id,
            ts_event=T0 + (i // 2) * 1_000_000,  # two trades per millisecond
            ts_init=T0 + (i // 2) * 1_000_000,
            price=base + Decimal(i) / 100,
            size=Decimal("0.0001") * (i + 1),
            aggressor_side=sides[i % 3],
            sequence=1000 + i,
        )
        for i in range(count)
    ]


def test_ticks_sharing_a_timestamp_are_all_kept_exactly(store: Store) -> None:
    ticks = make_ticks()

    store.append_ticks(TickSeries.from_ticks(ticks))

    assert facts(store.read_ticks(BTC).to_ticks()) == facts(ticks)


def test_tick_append_is_idempotent_and_newest_wins(store: Store) -> None:
    ticks = make_ticks()
    store.append_ticks(TickSeries.from_ticks(ticks))
    corrected = [msgspec.structs.replace(tick, price=Decimal(1)) for tick in ticks[2:4]]

    store.append_ticks(TickSeries.from_ticks(ticks))
    store.append_ticks(TickSeries.from_ticks(corrected))

    read = store.read_ticks(BTC).to_ticks()
    assert len(read) == 6
    assert [tick.price for tick in read[2:4]] == [Decimal(1), Decimal(1)]
    assert facts(read[:2]) == facts(ticks[:2])


def test_tick_range_read_is_half_open_and_listed(store: Store) -> None:
    store.append_ticks(TickSeries.from_ticks(make_ticks(count=6)))

    read = store.read_ticks(BTC, start_ns=T0 + 1_000_000, end_ns=T0 + 2_000_000)

    assert read.sequence.tolist() == [1002, 1003]
    assert len(store.read_ticks(SAMSUNG)) == 0
    assert store.list_ticks() == [
        StoredSeries(
            kind="ticks",
            instrument_id=BTC,
            timeframe=None,
            count=6,
            first_ts=T0,
            last_ts=T0 + 2_000_000,
        )
    ]


def test_equity_curve_round_trips_and_newest_point_wins(store: Store) -> None:
    first = EquityCurve.from_points("run-1", [(T0, Decimal("1000000")), (T0 + 1, Decimal("999.5"))])
    newer = EquityCurve.from_points(
        "run-1", [(T0 + 1, Decimal("1001")), (T0 + 2, Decimal("1002.25"))]
    )

    store.append_equity(first)
    store.append_equity(newer)

    assert store.read_equity("run-1").points() == [
        (T0, Decimal("1000000")),
        (T0 + 1, Decimal("1001")),
        (T0 + 2, Decimal("1002.25")),
    ]
    assert store.read_equity("run-1", start_ns=T0 + 1, end_ns=T0 + 2).points() == [
        (T0 + 1, Decimal("1001"))
    ]
    assert len(store.read_equity("other")) == 0
    [info] = store.list_equity()
    assert (info.curve_id, info.count, info.first_ts, info.last_ts) == ("run-1", 3, T0, T0 + 2)


prices = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1000000"), places=3)


@given(
    st.lists(st.tuples(prices, prices, prices, prices, prices), min_size=1, max_size=30),
    st.sampled_from(["memory", "duckdb"]),
)
def test_any_valid_bars_round_trip_exactly(rows: list[tuple[Decimal, ...]], kind: str) -> None:
    bars = []
    for i, (a, b, c, d, volume) in enumerate(rows):
        low, high = min(a, b, c, d), max(a, b, c, d)
        bars.append(
            Bar(
                instrument_id=BTC,
                timeframe=ONE_MINUTE,
                ts_start=T0 + i * MINUTE_NS,
                ts_event=T0 + (i + 1) * MINUTE_NS,
                ts_init=T0 + (i + 1) * MINUTE_NS,
                open=b if low < b < high else low,
                high=high,
                low=low,
                close=c if low <= c <= high else high,
                volume=volume.normalize(),
            )
        )
    store: Store = InMemoryTimeSeriesStore() if kind == "memory" else DuckDbTimeSeriesStore()

    store.append_bars(BarSeries.from_bars(bars))

    read = store.read_bars(BTC, ONE_MINUTE)
    if isinstance(store, DuckDbTimeSeriesStore):
        store.close()
    assert facts(read.to_bars()) == facts(bars)


def test_duckdb_file_keeps_its_data_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "ts.duckdb"
    bars = make_bars(count=3)
    with DuckDbTimeSeriesStore(path) as first:
        first.append_bars(BarSeries.from_bars(bars))

    with DuckDbTimeSeriesStore(path, read_only=True) as reopened:
        assert facts(reopened.read_bars(SAMSUNG, ONE_MINUTE).to_bars()) == facts(bars)
