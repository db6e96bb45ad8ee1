"""Report building blocks: downsampling, axis ticks and number formatting."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jts.adapters.reports.downsample import extreme_indices
from jts.adapters.reports.formatting import compact, duration, escape, exact, number, percent
from jts.adapters.reports.svg import path_data
from jts.adapters.reports.ticks import time_ticks, value_ticks


def test_downsampling_keeps_spikes_first_and_last_points() -> None:
    values = np.sin(np.linspace(0, 60, 1_000_000))
    values[123_457] = -50.0  # a one-point crash
    values[876_543] = 40.0

    kept = extreme_indices(values, 2_000)

    assert len(kept) <= 2_000
    assert {0, 123_457, 876_543, 999_999} <= set(kept.tolist())
    assert np.all(np.diff(kept) > 0)


def test_short_series_are_not_thinned() -> None:
    np.testing.assert_array_equal(extreme_indices(np.arange(5.0), 10), np.arange(5))


@given(
    st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=3_000),
    st.integers(min_value=4, max_value=500),
)
def test_thinned_series_keeps_the_envelope(values: list[float], max_points: int) -> None:
    array = np.array(values)

    kept = extreme_indices(array, max_points)

    assert len(kept) <= max(max_points, len(values) if len(values) <= max_points else 0)
    assert array[kept].max() == array.max()
    assert array[kept].min() == array.min()


def test_value_ticks_are_round_and_inside_the_range() -> None:
    assert value_ticks(97_300_000.0, 131_200_000.0) == pytest.approx([1.0e8, 1.1e8, 1.2e8, 1.3e8])
    assert value_ticks(-0.123, 0.0) == pytest.approx([-0.1, -0.075, -0.05, -0.025, 0.0])
    assert value_ticks(1.0, 1.0) == [1.0]


@pytest.mark.parametrize(
    ("start", "end", "expected_first"),
    [
        ("2015-03-01", "2024-06-01", "2016"),
        ("2021-01-04", "2022-02-27", "2021-03"),
        ("2021-01-04", "2021-01-20", "01-11"),  # weekly steps
        ("2021-01-04 09:00", "2021-01-04 15:30", "01-04 10:00"),
    ],
)
def test_time_ticks_fall_on_local_calendar_boundaries(
    start: str, end: str, expected_first: str
) -> None:
    start_ns = pd.Timestamp(start, tz="Asia/Seoul").value
    end_ns = pd.Timestamp(end, tz="Asia/Seoul").value

    ticks = time_ticks(start_ns, end_ns, "Asia/Seoul")

    assert ticks[0][1] == expected_first
    assert 2 <= len(ticks) <= 9
    assert all(start_ns <= ts <= end_ns for ts, _ in ticks)


def test_numbers_never_print_nan_or_python_infinity() -> None:
    assert percent(math.nan) == "–"
    assert percent(0.12345) == "+12.35%"
    assert percent(-0.5, 0) == "−50%"
    assert number(math.inf) == "∞"
    assert number(-1234.567) == "−1,234.57"
    assert number(123_456_789.9) == "123,456,790"
    assert exact(Decimal("70000.00")) == "70,000"
    assert exact(Decimal("0.00012")) == "0.00012"
    assert compact(75_000.0) == "75k"
    assert compact(1.5e8) == "150M"
    assert duration(3 * 86_400e9) == "3 days"
    assert duration(5 * 3_600e9) == "5.0 hours"


def test_escape_covers_markup_and_quotes() -> None:
    assert escape('<a href="x">&\'') == "&lt;a href=&quot;x&quot;&gt;&amp;&#x27;"


def test_path_data_is_compact_and_deterministic() -> None:
    assert path_data(np.array([1.0, 2.04]), np.array([3.0, 4.06])) == "M1.0 3.0L2.0 4.1"
    assert path_data(np.empty(0), np.empty(0)) == ""
