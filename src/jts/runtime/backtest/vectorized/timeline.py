"""Bars as the kernel reads them: exact price units, the tick table in force on each bar's
session date, where KRX sessions roll (the band), the sell tax of each trade date, and the
merged timeline of several instruments.

Session dates and rolls follow the simulated exchange's ``Listing``: a bar's date is the
venue-local date of its start; the band rolls on the first bar starting at or after the
next session open (``TradingCalendar.next_open``) after the previous roll.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.strategy.domain.language.exchange_time import utc_offsets_ns
from jts.runtime.backtest.vectorized.specs import digits, units
from jts.shared_kernel.clock import NANOS_PER_SECOND
from jts.shared_kernel.venues import krx_tax
from jts.shared_kernel.venues.calendar import TradingCalendar
from jts.shared_kernel.venues.errors import NotASession
from jts.shared_kernel.venues.instruments import Instrument
from jts.shared_kernel.venues.krx import KrxRules
from jts.shared_kernel.venues.ticks import TickTable

IntArray = NDArray[np.int64]
_DAY_NS = 86_400 * NANOS_PER_SECOND
_EPOCH = date(1970, 1, 1)
TAX_SCALE = 8


def session_days(ts_ns: IntArray, calendar: TradingCalendar) -> IntArray:
    """Venue-local date of each time, as days since 1970-01-01."""
    local = ts_ns + utc_offsets_ns(ts_ns, calendar.time_zone)
    return local // _DAY_NS


def day_of(number: int) -> date:
    return _EPOCH + timedelta(days=number)


def price_scale_for(instrument: Instrument, series: BarSeries) -> int:
    """The data's price scale, or finer when a tick near the traded prices needs it."""
    low = Decimal(int(series.low_units.min())).scaleb(-series.price_scale) / 4
    high = Decimal(int(series.high_units.max())).scaleb(-series.price_scale) * 4
    scale = series.price_scale
    for _, table in instrument.tick_rule.entries:
        for lower, upper, tick in _bands(table):
            if upper > low and lower <= high:
                scale = max(scale, digits(tick))
    return scale


def _bands(table: TickTable) -> list[tuple[Decimal, Decimal, Decimal]]:
    uppers = [*table.lowers[1:], Decimal("Infinity")]
    return list(zip(table.lowers, uppers, table.ticks, strict=True))


@dataclass(frozen=True)
class TickRows:
    """Tick tables in price units, padded with -1: ``lowers[row]``, ``ticks[row]``."""

    lowers: IntArray
    ticks: IntArray


def tick_rows(tables: list[tuple[TickTable, int, Decimal]]) -> TickRows:
    """Rows for ``(table, price scale, lowest relevant price)``; bands wholly below that
    price are dropped and the first kept band starts at 0."""
    rows = []
    for table, scale, floor in tables:
        kept = [(lo, t) for lo, up, t in _bands(table) if up > floor]
        pairs = [
            (0 if n == 0 else units(lo, scale, what="tick band"), units(t, scale, what="tick"))
            for n, (lo, t) in enumerate(kept)
        ]
        rows.append(pairs)
    width = max(len(row) for row in rows)
    lowers = np.full((len(rows), width), -1, dtype=np.int64)
    ticks = np.ones((len(rows), width), dtype=np.int64)
    for r, pairs in enumerate(rows):
        for m, (lower, tick) in enumerate(pairs):
            lowers[r, m], ticks[r, m] = lower, tick
    return TickRows(lowers, ticks)


def table_index(instrument: Instrument, days: IntArray) -> IntArray:
    """Which of the instrument's dated tick tables is in force on each day."""
    starts = np.array(
        [
            (start - _EPOCH).days if start > _EPOCH else -(10**9)
            for start, _ in instrument.tick_rule.entries
        ],
        dtype=np.int64,
    )
    index = np.searchsorted(starts, days, side="right") - 1
    if index.size and int(index.min()) < 0:
        instrument.tick_rule.at(day_of(int(days[int(np.argmin(index))])))  # raises, with why
    return index.astype(np.int64)


def roll_flags(ts_start: IntArray, calendar: TradingCalendar) -> NDArray[np.bool_]:
    """Bars on which a new session starts (``Listing.roll``)."""
    flags = np.zeros(len(ts_start), dtype=np.bool_)
    i = 0
    while i < len(ts_start):
        flags[i] = True
        next_open = calendar.next_open(int(ts_start[i]))
        i = int(np.searchsorted(ts_start, next_open, side="left"))
    return flags


def tax_rates(
    instrument: Instrument, days: IntArray, calendar: TradingCalendar
) -> tuple[IntArray, IntArray]:
    """KRX sell tax rates (``1e-8``) of a sale on each bar's date, at its settlement date;
    -1 where the date is not a session (the replay reports such a sale)."""
    stt = np.zeros(len(days), dtype=np.int64)
    rural = np.zeros(len(days), dtype=np.int64)
    rules = instrument.venue_rules
    if not isinstance(rules, KrxRules) or instrument.segment is None or not len(days):
        return stt, rural
    unique, inverse = np.unique(days, return_inverse=True)
    parts = np.empty((len(unique), 2), dtype=np.int64)
    for n, number in enumerate(unique.tolist()):
        try:
            settled = krx_tax.settlement_date(day_of(number), calendar, rules.settlement_lag)
        except NotASession:
            parts[n] = (-1, -1)
            continue
        rate = krx_tax.sell_tax_rate(instrument.segment, settled)
        parts[n] = (
            units(rate.securities_transaction, TAX_SCALE, what="tax rate"),
            units(rate.rural_special, TAX_SCALE, what="tax rate"),
        )
    return parts[inverse, 0].copy(), parts[inverse, 1].copy()


@dataclass(frozen=True)
class Merged:
    """The bars of every instrument as one timeline: close-time order, ties by universe."""

    instrument: IntArray  # per event: instrument index
    bar: IntArray  # per event: index into the concatenated bar columns
    point: NDArray[np.bool_]  # per event: the last bar of its close time
    ts: IntArray  # per event: close time
    point_ts: IntArray  # per equity point: its close time


def merge(ts_events: list[IntArray]) -> Merged:
    """Merge the close times of each instrument's bars (already in time order)."""
    counts = [len(ts) for ts in ts_events]
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    if len(ts_events) == 1:
        ts = ts_events[0]
        instrument = np.zeros(len(ts), dtype=np.int64)
        bar = np.arange(len(ts), dtype=np.int64)
    else:
        ts_all = np.concatenate(ts_events)
        owner = np.repeat(np.arange(len(ts_events), dtype=np.int64), counts)
        order = np.lexsort((owner, ts_all))
        ts, instrument = ts_all[order], owner[order]
        bar = order.astype(np.int64)
    point = np.ones(len(ts), dtype=np.bool_)
    if len(ts) > 1:
        point[:-1] = ts[1:] != ts[:-1]
    del offsets
    return Merged(instrument, bar, point, ts, ts[point])
