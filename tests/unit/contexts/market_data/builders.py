"""Builders shared by the market data tests: sessions, tick series and tick strategies."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import NamedTuple

import numpy as np
from hypothesis import strategies as st

from jts.contexts.market_data.domain.sessions import CalendarSessions, LocalDaySessions
from jts.contexts.market_data.domain.tick_series import TickSeries
from jts.shared_kernel.clock import NANOS_PER_SECOND, datetime_to_ns
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.venues.krx_calendar import krx_session_calendar

SAMSUNG = InstrumentId.parse("005930.KRX")
BTC_KRW = InstrumentId.parse("BTC-KRW.UPBIT")
BTC_USDT = InstrumentId.parse("BTCUSDT.BINANCE")
SECOND = NANOS_PER_SECOND
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE

# 2024-05-06 (Mon) is a KRX holiday (Children's Day observed); 2024-05-04/05 a weekend.
KRX_HOLIDAY = date(2024, 5, 6)


def krx_sessions(closing_print_s: int = 0) -> CalendarSessions:
    calendar = krx_session_calendar(
        holidays={KRX_HOLIDAY}, first_day=date(2024, 1, 1), last_day=date(2024, 12, 31)
    )
    return CalendarSessions(calendar, closing_print_ns=closing_print_s * SECOND)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> int:
    return datetime_to_ns(datetime(year, month, day, hour, minute, second, tzinfo=UTC))


def kst(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> int:
    return utc(year, month, day, hour, minute, second) - 9 * HOUR


class Trade(NamedTuple):
    ts: int
    price: int
    size: int


def tick_series(
    trades: list[Trade], instrument_id: InstrumentId = BTC_USDT, *, scales: tuple[int, int] = (2, 4)
) -> TickSeries:
    """A series of ``trades`` sorted by time; sequence numbers are arrival ordinals."""
    ordered = sorted(enumerate(trades), key=lambda item: (item[1].ts, item[0]))
    return TickSeries(
        instrument_id,
        np.array([t.ts for _, t in ordered], dtype=np.int64),
        np.array([i for i, _ in ordered], dtype=np.int64),
        np.array([t.price for _, t in ordered], dtype=np.int64),
        np.array([t.size for _, t in ordered], dtype=np.int64),
        np.zeros(len(ordered), dtype=np.int8),
        *scales,
    )


def in_time_order(trades: list[Trade]) -> list[Trade]:
    """Trades sorted by time, ties kept in list order (the order ``tick_series`` uses)."""
    return [t for _, t in sorted(enumerate(trades), key=lambda item: (item[1].ts, item[0]))]


@st.composite
def trades_over(draw: st.DrawFn, start_ns: int, span_ns: int, max_size: int = 120) -> list[Trade]:
    """Random trades in ``[start_ns, start_ns + span_ns)``: clustered times (so buckets get
    several trades and ties happen), positive prices, non-negative sizes."""
    anchors = draw(st.lists(st.integers(0, span_ns - 1), min_size=1, max_size=8))
    count = draw(st.integers(1, max_size))
    trades = []
    for _ in range(count):
        anchor = draw(st.sampled_from(anchors))
        jitter = draw(st.integers(0, 90 * SECOND))
        ts = start_ns + min(anchor + jitter, span_ns - 1)
        trades.append(Trade(ts, draw(st.integers(1, 10_000)), draw(st.integers(0, 500))))
    return trades


UTC_DAYS = LocalDaySessions("UTC")
KST_DAYS = LocalDaySessions("Asia/Seoul")
