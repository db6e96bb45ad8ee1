"""Monthly and yearly returns against quantstats' monthly_returns table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import quantstats as qs

from jts.contexts.portfolio.domain.analytics import daily_returns, monthly_returns
from tests.unit.contexts.portfolio.analytics.builders import daily_curve, seeded_returns


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_monthly_table_matches_quantstats(seed: int) -> None:
    r = seeded_returns(seed, n=700)
    ts, equity, s = daily_curve(r, start="2019-03-12")

    table = monthly_returns(daily_returns(ts, equity, "Asia/Seoul"))

    theirs = qs.stats.monthly_returns(s)
    assert list(table.years) == [int(y) for y in theirs.index]
    ours = table.as_array()
    present = ~np.isnan(ours)
    np.testing.assert_allclose(ours[present], theirs.iloc[:, :12].to_numpy()[present], atol=1e-12)
    np.testing.assert_allclose(table.yearly, theirs["EOY"].to_numpy(), atol=1e-12)


def test_months_without_data_are_none_not_zero() -> None:
    ts, equity, _ = daily_curve(np.full(30, 0.01), start="2020-11-02")

    table = monthly_returns(daily_returns(ts, equity, "Asia/Seoul"))

    assert table.years == (2020,)
    assert table.months[0][:10] == (None,) * 10
    assert table.months[0][10] == pytest.approx(1.01**21 - 1.0)  # 21 business days in Nov
    assert table.months[0][11] == pytest.approx(1.01**9 - 1.0)
    assert table.yearly[0] == pytest.approx(1.01**30 - 1.0)


def test_months_follow_the_exchange_time_zone() -> None:
    # 2024-01-31 23:30 UTC is already 1 February in Seoul.
    start = pd.Timestamp("2024-01-31 12:00", tz="UTC").value
    ts = np.array([start, pd.Timestamp("2024-01-31 23:30", tz="UTC").value], dtype=np.int64)
    equity = np.array([100.0, 110.0])

    in_seoul = monthly_returns(daily_returns(ts, equity, "Asia/Seoul"))
    in_utc = monthly_returns(daily_returns(ts, equity, "UTC"))

    assert in_seoul.months[0][1] == pytest.approx(0.1)
    assert in_utc.months[0][0] == pytest.approx(0.1)


def test_missing_returns_count_as_flat_months_when_compounding() -> None:
    ts, equity, _ = daily_curve(np.array([0.1, 0.1]), start="2024-05-01")
    series = daily_returns(ts, equity, "Asia/Seoul")
    series.returns[1] = np.nan

    table = monthly_returns(series)

    assert table.months[0][4] == pytest.approx(0.1)


def test_no_returns_give_an_empty_table() -> None:
    one_point = np.array([10**18], dtype=np.int64), np.array([100.0])

    table = monthly_returns(daily_returns(*one_point, "Asia/Seoul"))

    assert table.years == ()
    assert table.as_array().shape == (0, 12)
