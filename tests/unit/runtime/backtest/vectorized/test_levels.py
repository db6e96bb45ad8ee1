"""Per-bar levels equal the ``Decimal`` of the floats' text moved onto the tick grid."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from jts.contexts.strategy.domain.language.vectorized import Levels, Signals
from jts.runtime.backtest.vectorized.levels import (
    Grid,
    entry_ready,
    limit_levels,
    offset_levels,
)
from jts.runtime.backtest.vectorized.timeline import tick_rows
from jts.shared_kernel.numbers import Rounding, to_decimal
from jts.shared_kernel.venues import krx
from tests.unit.runtime.backtest.vectorized.builders import SAMSUNG

TABLE = krx.STOCK_TICKS


def grid_of(closes: list[int]) -> Grid:
    count = len(closes)
    return Grid(
        instrument=SAMSUNG,
        scale=0,
        close=np.array(closes, dtype=np.int64),
        tables=np.zeros(count, dtype=np.int64),
        rows=tick_rows([(TABLE, 0, Decimal(0))]),
        days=np.full(count, 20_458, dtype=np.int64),  # 2026-01-05
    )


def expected(value: Decimal, rounding: Rounding) -> int:
    return int(TABLE.round_price(value, rounding)) if value > 0 else 0


closes = st.lists(st.integers(1_000, 900_000), min_size=1, max_size=40)


@given(closes, st.floats(0.0001, 0.5))
def test_percent_stops_are_exact(prices: list[int], share: float) -> None:
    grid = grid_of(prices)
    levels = Levels("percent", np.full(len(prices), share))

    stop = offset_levels(grid, levels, above=False)
    target = offset_levels(grid, levels, above=True)

    p = to_decimal(share)
    assert stop.tolist() == [expected(c * (1 - p), Rounding.UP) for c in map(Decimal, prices)]
    assert target.tolist() == [expected(c * (1 + p), Rounding.UP) for c in map(Decimal, prices)]


@given(closes, st.data())
def test_distance_stops_are_exact(prices: list[int], data: st.DataObject) -> None:
    distances = data.draw(
        st.lists(st.floats(0.5, 5_000.0), min_size=len(prices), max_size=len(prices))
    )
    grid = grid_of(prices)

    stop = offset_levels(grid, Levels("distance", np.array(distances)), above=False)

    want = [
        expected(Decimal(c) - to_decimal(d), Rounding.UP)
        for c, d in zip(prices, distances, strict=True)
    ]
    assert stop.tolist() == want


def test_values_on_the_grid_and_at_band_edges_stay_exact() -> None:
    prices = [50_000, 20_000, 5_000, 2_000, 50_100]
    grid = grid_of(prices)
    limits = np.array([49_750.0, 20_000.0, 4_999.999999999999, 1_999.9999999999998, 50_049.5])

    down = limit_levels(grid, limits)

    assert down.tolist() == [expected(to_decimal(float(v)), Rounding.DOWN) for v in limits]
    assert down.tolist() == [49_750, 20_000, 4_995, 1_999, 50_000]


def test_levels_that_are_not_positive_prices_are_none() -> None:
    grid = grid_of([10_000, 10_000])

    stop = offset_levels(grid, Levels("distance", np.array([20_000.0, np.nan])), above=False)

    assert stop.tolist() == [0, 0]


def _signals(size: list[float], stop: list[float] | None) -> Signals:
    count = len(size)
    return Signals(
        ts=np.arange(count, dtype=np.int64),
        params={},
        entry_long=np.ones(count, dtype=np.bool_),
        exit_long=np.zeros(count, dtype=np.bool_),
        entry_short=np.zeros(count, dtype=np.bool_),
        exit_short=np.zeros(count, dtype=np.bool_),
        limit_price=None,
        stop_loss=None if stop is None else Levels("distance", np.array(stop)),
        take_profit=None,
        trailing_stop=None,
        size_form="percent_equity",
        size_value=np.array(size),
        size_cap=None,
        size_stop=None,
        ttl_bars=None,
        warmup={},
    )


def test_entries_wait_for_their_size_and_stop_inputs() -> None:
    signals = _signals([np.nan, 0.1, 0.1, 0.0], [1.0, np.nan, 2.0, 2.0])

    ready = entry_ready(signals, None)

    assert ready.tolist() == [False, False, True, False]
