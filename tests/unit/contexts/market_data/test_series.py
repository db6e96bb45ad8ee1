"""Exact columnar series: scaled-integer round trips, invariants, merging, slicing."""

from __future__ import annotations

import re
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jts.contexts.market_data.domain.fixed_point import (
    decimal_scale,
    decimals_to_units,
    floats_to_units,
    infer_float_scale,
    trim_scale,
    units_to_decimals,
)
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.tick_series import TickSeries
from jts.contexts.portfolio.domain.equity_curve import EquityCurve
from jts.messages.market_data import Bar, TradeTick
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

BTC = InstrumentId.parse("BTCUSDT.BINANCE")
ONE_MINUTE = Timeframe.parse("1m")
MINUTE_NS = 60_000_000_000


def bar(i: int, price: str = "100", volume: str = "1") -> Bar:
    p = Decimal(price)
    return Bar(
        instrument_id=BTC,
        timeframe=ONE_MINUTE,
        ts_start=i * MINUTE_NS,
        ts_event=(i + 1) * MINUTE_NS,
        ts_init=(i + 1) * MINUTE_NS,
        open=p,
        high=p + 1,
        low=p - 1,
        close=p,
        volume=Decimal(volume),
    )


def columns(**overrides: list[int]) -> dict[str, np.ndarray]:
    base = {
        "ts_start": [0, 60],
        "ts_event": [60, 120],
        "open": [10, 11],
        "high": [12, 12],
        "low": [9, 10],
        "close": [11, 11],
        "volume": [5, 0],
    }
    base.update(overrides)
    return {name: np.array(values, dtype=np.int64) for name, values in base.items()}


def series_from(cols: dict[str, np.ndarray]) -> BarSeries:
    return BarSeries(
        BTC,
        ONE_MINUTE,
        cols["ts_start"],
        cols["ts_event"],
        cols["open"],
        cols["high"],
        cols["low"],
        cols["close"],
        cols["volume"],
    )


decimals = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=6)


@given(st.lists(decimals, max_size=50))
def test_decimals_round_trip_through_units(values: list[Decimal]) -> None:
    scale = decimal_scale(values)

    assert units_to_decimals(decimals_to_units(values, scale), scale) == values


@given(st.lists(st.decimals(min_value=Decimal(0), max_value=Decimal("1e7"), places=4), max_size=50))
def test_floats_written_from_decimals_recover_their_decimals(values: list[Decimal]) -> None:
    floats = np.array([float(v) for v in values], dtype=np.float64)

    scale = infer_float_scale(floats)

    assert scale <= max((decimal_scale([v.normalize()]) for v in values), default=0)
    assert units_to_decimals(floats_to_units(floats, scale), scale) == values


def test_trim_scale_drops_only_unused_decimals() -> None:
    [units], scale = trim_scale([np.array([1200, 3400], dtype=np.int64)], 3)

    assert (units.tolist(), scale) == ([12, 34], 1)


def test_series_rejects_broken_bars_naming_the_bar() -> None:
    for overrides, reason in [
        ({"ts_start": [0, 0]}, "bar 1 (ts_start 0): timestamp is not after"),
        ({"ts_event": [60, 60]}, "bar 1 (ts_start 60): bar closes at or before it starts"),
        ({"high": [12, 9]}, "bar 1 (ts_start 60): high is below low"),
        ({"low": [11, 10]}, "bar 0 (ts_start 0): low is above open or close"),
        ({"volume": [5, -1]}, "bar 1 (ts_start 60): volume is negative"),
        ({"open": [0, 11]}, "bar 0 (ts_start 0): open is not positive"),
    ]:
        with pytest.raises(DataError, match=re.escape(reason)):
            series_from(columns(**overrides))


def test_series_columns_are_read_only_views() -> None:
    series = series_from(columns())

    with pytest.raises(ValueError, match="read-only"):
        series.close_units[0] = 1


def test_merge_keeps_both_sides_and_prefers_the_newer_bar() -> None:
    old = BarSeries.from_bars([bar(0), bar(1), bar(2)])
    new = BarSeries.from_bars([bar(2, "200.5"), bar(3, "201.5", "0.25")])

    merged = old.merged_with(new)

    assert merged.ts_start.tolist() == [0, MINUTE_NS, 2 * MINUTE_NS, 3 * MINUTE_NS]
    assert [b.open for b in merged.to_bars()] == [100, 100, Decimal("200.5"), Decimal("201.5")]
    assert merged.to_bars()[3].volume == Decimal("0.25")


def test_between_is_half_open_and_bar_at_is_exact() -> None:
    series = BarSeries.from_bars([bar(i, "65000.12") for i in range(5)])

    window = series.between(MINUTE_NS, 3 * MINUTE_NS)

    assert window.ts_start.tolist() == [MINUTE_NS, 2 * MINUTE_NS]
    assert window.bar_at(0, ts_init=7).open == Decimal("65000.12")
    assert window.bar_at(0, ts_init=7).ts_init == 7


def test_from_bars_refuses_mixed_instruments() -> None:
    other = Bar(
        instrument_id=InstrumentId.parse("ETHUSDT.BINANCE"),
        timeframe=ONE_MINUTE,
        ts_start=MINUTE_NS,
        ts_event=2 * MINUTE_NS,
        ts_init=0,
        open=Decimal(1),
        high=Decimal(1),
        low=Decimal(1),
        close=Decimal(1),
        volume=Decimal(1),
    )

    with pytest.raises(DataError, match="one instrument and timeframe"):
        BarSeries.from_bars([bar(0), other])


def test_ticks_without_sequence_get_ordinals_and_merge_by_key() -> None:
    ticks = [
        TradeTick(instrument_id=BTC, ts_event=ts, ts_init=0, price=Decimal(p), size=Decimal(1))
        for ts, p in [(5, "10"), (5, "11"), (6, "12")]
    ]
    series = TickSeries.from_ticks(ticks)
    corrected = TickSeries.from_ticks(
        [
            TradeTick(
                instrument_id=BTC,
                ts_event=5,
                ts_init=0,
                price=Decimal("10.5"),
                size=Decimal(2),
                sequence=1,
            )
        ]
    )

    merged = series.merged_with(corrected)

    assert series.sequence.tolist() == [0, 1, 0]
    assert [t.price for t in merged.to_ticks()] == [10, Decimal("10.5"), 12]
    assert merged.price_scale == 1


def test_equity_curve_round_trips_and_refuses_unsorted_points() -> None:
    points = [(1, Decimal("100.5")), (2, Decimal("-3")), (3, Decimal("1000000"))]

    curve = EquityCurve.from_points("run-1", points)

    assert curve.points() == points
    assert curve.equity.tolist() == [100.5, -3.0, 1e6]
    with pytest.raises(DataError, match=r"point 1 .* is not after the previous point"):
        EquityCurve.from_points("run-1", [(2, Decimal(1)), (2, Decimal(2))])
