"""Merged timelines, session rolls, dated tick tables and sell tax rates."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from jts.runtime.backtest.vectorized.timeline import (
    merge,
    roll_flags,
    session_days,
    table_index,
    tax_rates,
)
from jts.shared_kernel.venues import krx_tax
from jts.shared_kernel.venues.catalog import default_registry
from jts.shared_kernel.venues.errors import UnknownRuleDate
from jts.shared_kernel.venues.fees import FeeSchedule
from jts.shared_kernel.venues.instruments import upbit_instrument
from jts.shared_kernel.venues.types import MarketSegment
from tests.unit.runtime.backtest.vectorized.builders import CALENDARS, SAMSUNG, krx_minutes
from tests.unit.shared_kernel.venues.calendars import kst

KRX = CALENDARS["XKRX"]


def test_merge_orders_by_close_time_then_universe() -> None:
    merged = merge([np.array([10, 20, 30]), np.array([5, 20, 40])])

    assert merged.ts.tolist() == [5, 10, 20, 20, 30, 40]
    assert merged.instrument.tolist() == [1, 0, 0, 1, 0, 1]
    assert merged.bar.tolist() == [3, 0, 1, 4, 2, 5]
    assert merged.point.tolist() == [True, True, False, True, True, True]
    assert merged.point_ts.tolist() == [5, 10, 20, 30, 40]


def test_sessions_roll_on_their_first_bar() -> None:
    starts = krx_minutes(3)

    flags = roll_flags(starts, KRX)

    assert np.flatnonzero(flags).tolist() == [0, 390, 780]


def test_session_days_are_local_dates() -> None:
    days = session_days(np.array([kst(2026, 1, 5, 0, 30), kst(2026, 1, 5, 23, 59)]), KRX)

    assert days.tolist() == [(date(2026, 1, 5) - date(1970, 1, 1)).days] * 2


def test_tax_rates_follow_the_settlement_date() -> None:
    days = session_days(np.array([kst(2025, 12, 26, 10), kst(2025, 12, 29, 10)]), KRX)

    stt, rural = tax_rates(SAMSUNG, days, KRX)

    settled = [krx_tax.settlement_date(d, KRX) for d in (date(2025, 12, 26), date(2025, 12, 29))]
    rates = [krx_tax.sell_tax_rate(MarketSegment.KOSPI, s) for s in settled]
    assert stt.tolist() == [int(r.securities_transaction.scaleb(8)) for r in rates]
    assert rural.tolist() == [int(r.rural_special.scaleb(8)) for r in rates]
    assert stt[0] != stt[1]  # 12-26 settles in 2025, 12-29 in 2026


def test_a_sale_on_a_holiday_has_no_rate() -> None:
    days = session_days(np.array([kst(2026, 1, 1, 10)]), KRX)

    assert tax_rates(SAMSUNG, days, KRX)[0].tolist() == [-1]


def test_dated_tick_tables_are_chosen_by_day() -> None:
    upbit = default_registry().get("BTC-KRW.UPBIT")
    days = np.array(
        [
            (date(d[0], d[1], d[2]) - date(1970, 1, 1)).days
            for d in [(2024, 1, 28), (2024, 1, 29), (2025, 7, 31)]
        ],
        dtype=np.int64,
    )

    assert table_index(upbit, days).tolist() == [0, 1, 2]


def test_dates_before_a_rule_is_known_are_refused() -> None:
    usdt = upbit_instrument(
        "BTC",
        "USDT",
        fees=FeeSchedule(maker_rate=0, taker_rate=0),  # type: ignore[arg-type]
    )
    days = np.array([(date(2024, 1, 1) - date(1970, 1, 1)).days], dtype=np.int64)

    with pytest.raises(UnknownRuleDate, match="2024-08-19"):
        table_index(usdt, days)
