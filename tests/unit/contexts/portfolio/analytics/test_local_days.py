"""Exchange-local days of UNIX-ns timestamps against pandas' time-zone conversion."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jts.contexts.portfolio.domain.analytics import LocalDays, local_day_numbers
from jts.contexts.portfolio.domain.analytics.local_days import day_to_date, month_numbers
from jts.shared_kernel.errors import DataError


def _pandas_days(ts: np.ndarray, tz: str) -> np.ndarray:
    local = pd.DatetimeIndex(ts).tz_localize("UTC").tz_convert(tz).tz_localize(None)
    return local.normalize().asi8 // (86_400 * 10**9)


@pytest.mark.parametrize("tz", ["Asia/Seoul", "UTC", "America/New_York", "Europe/London"])
def test_day_numbers_match_pandas_across_dst_changes(tz: str) -> None:
    rng = np.random.default_rng(7)
    start = pd.Timestamp("2022-01-01", tz="UTC").value
    ts = np.sort(start + rng.integers(0, 800 * 86_400 * 10**9, 20_000)).astype(np.int64)

    ours = local_day_numbers(ts, tz)

    np.testing.assert_array_equal(ours, _pandas_days(ts, tz))


def test_midnight_belongs_to_the_new_day_and_one_nanosecond_earlier_to_the_old() -> None:
    midnight = pd.Timestamp("2024-03-05 00:00", tz="Asia/Seoul").value
    ts = np.array([midnight - 1, midnight], dtype=np.int64)

    days = local_day_numbers(ts, "Asia/Seoul")

    assert [day_to_date(int(d)).isoformat() for d in days] == ["2024-03-04", "2024-03-05"]


def test_local_days_index_the_last_point_of_each_day() -> None:
    base = pd.Timestamp("2024-01-02 09:00", tz="Asia/Seoul").value
    hour = 3_600 * 10**9
    ts = np.array([base, base + hour, base + 24 * hour, base + 72 * hour, base + 73 * hour])

    days = LocalDays.of(ts.astype(np.int64), "Asia/Seoul")

    np.testing.assert_array_equal(days.last_index, [1, 2, 4])
    assert [day_to_date(int(d)).isoformat() for d in days.days] == [
        "2024-01-02",
        "2024-01-03",
        "2024-01-05",
    ]


def test_month_numbers_count_months_since_1970() -> None:
    days = local_day_numbers(
        np.array([pd.Timestamp("2024-02-29 12:00", tz="UTC").value], dtype=np.int64), "UTC"
    )

    assert month_numbers(days).tolist() == [(2024 - 1970) * 12 + 1]


def test_empty_timestamps_give_no_days() -> None:
    assert len(local_day_numbers(np.empty(0, dtype=np.int64), "UTC")) == 0
    assert len(LocalDays.of(np.empty(0, dtype=np.int64), "UTC").last_index) == 0


def test_unknown_time_zone_is_refused_with_its_name() -> None:
    with pytest.raises(DataError, match="Asia/Sole"):
        local_day_numbers(np.array([0], dtype=np.int64), "Asia/Sole")


def test_unsorted_timestamps_are_refused() -> None:
    with pytest.raises(DataError, match="sorted ascending"):
        local_day_numbers(np.array([5, 3], dtype=np.int64), "UTC")
