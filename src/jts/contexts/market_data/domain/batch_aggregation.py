"""Bars from whole series at once: ``aggregate_ticks`` (trades to bars) and
``resample_bars`` (bars to a longer timeframe), vectorized over numpy columns.

Both use the session-aligned buckets of ``buckets`` and give exactly the bars the
streaming ``TimeBarAggregator`` and ``BarRollup`` give for the same data in time order:
open is a bucket's first trade (or first bar's open), close its last, high/low the
extremes and volume the sum, all in exact scaled integers.

``chunk_trades`` serves the streaming batch path: it pre-aggregates the trades of many
instruments per bucket, for ``TimeBarAggregator.add_chunk``.

``resample_bars`` expects bars of real trades: build it from ``SKIP`` bars and ask it to
fill, rather than resampling filled bars (a filled flat bar would lend its price to the
longer bar).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from jts.contexts.market_data.domain.bar_units import columns_to_series
from jts.contexts.market_data.domain.buckets import (
    EmptyIntervals,
    check_bar_timeframe,
    next_bucket,
)
from jts.contexts.market_data.domain.fixed_point import Int64Array
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.sessions import SessionWindows
from jts.contexts.market_data.domain.tick_series import TickSeries
from jts.shared_kernel.timeframes import Timeframe


def aggregate_ticks(
    ticks: TickSeries,
    timeframe: Timeframe,
    sessions: SessionWindows,
    *,
    empty_intervals: EmptyIntervals = EmptyIntervals.SKIP,
) -> BarSeries:
    """The ``timeframe`` bars of ``ticks``; trades outside every session are left out."""
    check_bar_timeframe(timeframe)
    if not len(ticks):
        return BarSeries.empty(ticks.instrument_id, timeframe)
    inside, starts, ends = bucket_columns(ticks.ts_event, timeframe, sessions)
    price, size = ticks.price_units[inside], ticks.size_units[inside]
    if not len(price):
        return BarSeries.empty(ticks.instrument_id, timeframe)
    first = np.flatnonzero(np.concatenate(([True], np.diff(starts) != 0)))
    last = np.concatenate((first[1:], [len(starts)])) - 1
    columns = [
        starts[first],
        ends[first],
        price[first],
        np.maximum.reduceat(price, first),
        np.minimum.reduceat(price, first),
        price[last],
        np.add.reduceat(size, first),
    ]
    if empty_intervals is EmptyIntervals.FILL:
        columns = _filled(columns, sessions, timeframe.nanos)
    return columns_to_series(
        ticks.instrument_id, timeframe, columns, ticks.price_scale, ticks.size_scale
    )


def resample_bars(
    bars: BarSeries,
    timeframe: Timeframe,
    sessions: SessionWindows,
    *,
    empty_intervals: EmptyIntervals = EmptyIntervals.SKIP,
) -> BarSeries:
    """``bars`` rolled up into ``timeframe`` (a whole multiple of theirs, up to ``1d``)."""
    check_bar_timeframe(timeframe)
    if timeframe.seconds % bars.timeframe.seconds:
        raise ValueError(
            f"cannot build {timeframe} bars from {bars.timeframe} bars: {timeframe} is not a "
            f"whole multiple of {bars.timeframe}"
        )
    if not len(bars):
        return BarSeries.empty(bars.instrument_id, timeframe)
    inside, starts, ends = bucket_columns(bars.ts_start, timeframe, sessions)
    if not bool(inside.all()):
        row = int(np.flatnonzero(~inside)[0])
        raise ValueError(
            f"{bars.instrument_id} {bars.timeframe} bar {row} (ts_start "
            f"{int(bars.ts_start[row])}) lies outside the sessions {sessions!r}"
        )
    first = np.flatnonzero(np.concatenate(([True], np.diff(starts) != 0)))
    last = np.concatenate((first[1:], [len(starts)])) - 1
    columns = [
        starts[first],
        ends[first],
        bars.open_units[first],
        np.maximum.reduceat(bars.high_units, first),
        np.minimum.reduceat(bars.low_units, first),
        bars.close_units[last],
        np.add.reduceat(bars.volume_units, first),
    ]
    if empty_intervals is EmptyIntervals.FILL:
        columns = _filled(columns, sessions, timeframe.nanos)
    return columns_to_series(
        bars.instrument_id, timeframe, columns, bars.price_scale, bars.volume_scale
    )


def bucket_columns(
    ts: Int64Array, timeframe: Timeframe, sessions: SessionWindows
) -> tuple[np.ndarray, Int64Array, Int64Array]:
    """Which of ``ts`` fall in a session, and the bucket start/end of those that do."""
    known = sessions.sessions_between(int(ts.min()), int(ts.max()))
    opens = np.array([s[0] for s in known] or [0], dtype=np.int64)
    closes = np.array([s[1] for s in known] or [0], dtype=np.int64)
    day = np.searchsorted(opens, ts, side="right") - 1
    clipped = np.maximum(day, 0)
    inside = (day >= 0) & (ts < closes[clipped] + np.int64(sessions.closing_print_ns))
    if not known:
        inside[:] = False
    ts, day = ts[inside], clipped[inside]
    open_, close = opens[day], closes[day]
    step = np.int64(timeframe.nanos)
    offset = np.minimum(ts - open_, close - open_ - 1)
    starts = open_ + offset // step * step
    return inside, starts, np.minimum(starts + step, close)


def _filled(columns: list[Int64Array], sessions: SessionWindows, step: int) -> list[Int64Array]:
    """The bar columns with a flat zero-volume bar in every empty bucket between bars."""
    starts, ends = columns[0].tolist(), columns[1].tolist()
    closes = columns[5].tolist()
    rows: list[int] = []
    flats: list[tuple[int, int, int]] = []
    for i in range(1, len(starts)):
        bucket = next_bucket(sessions, ends[i - 1], step)
        while bucket[0] < starts[i]:
            rows.append(i)
            flats.append((bucket[0], bucket[1], closes[i - 1]))
            bucket = next_bucket(sessions, bucket[1], step)
    if not flats:
        return columns
    where = np.array(rows, dtype=np.int64)
    flat = np.array(flats, dtype=np.int64)
    price = flat[:, 2]
    zero = np.zeros(len(flat), dtype=np.int64)
    inserted = (flat[:, 0], flat[:, 1], price, price, price, price, zero)
    pairs = zip(columns, inserted, strict=True)
    return [np.insert(column, where, extra) for column, extra in pairs]


class ChunkColumns(NamedTuple):
    """Trades grouped by (instrument, bucket), pre-aggregated, one row per group, ordered
    by instrument then bucket; ``outside`` lists the instrument of every trade that fell
    outside the sessions."""

    instrument: Int64Array
    start: Int64Array
    end: Int64Array
    first_ts: Int64Array
    last_ts: Int64Array
    open: Int64Array
    high: Int64Array
    low: Int64Array
    close: Int64Array
    volume: Int64Array
    trades: Int64Array
    outside: Int64Array


def chunk_trades(
    instrument: Int64Array,
    ts: Int64Array,
    price: Int64Array,
    size: Int64Array,
    timeframe: Timeframe,
    sessions: SessionWindows,
) -> ChunkColumns:
    """Group trades (ordered by instrument, then time, ties in arrival order) into one chunk
    per instrument and bucket: open is a chunk's first trade, close its last."""
    if not len(ts):
        n = np.empty(0, dtype=np.int64)
        return ChunkColumns(n, n, n, n, n, n, n, n, n, n, n, n)
    inside, starts, ends = bucket_columns(ts, timeframe, sessions)
    outside = instrument[~inside]
    instrument, ts, price, size = instrument[inside], ts[inside], price[inside], size[inside]
    if not len(ts):
        n = np.empty(0, dtype=np.int64)
        return ChunkColumns(n, n, n, n, n, n, n, n, n, n, n, outside)
    boundary = np.ones(len(ts), dtype=np.bool_)
    boundary[1:] = (instrument[1:] != instrument[:-1]) | (starts[1:] != starts[:-1])
    first = np.flatnonzero(boundary)
    last = np.append(first[1:], len(ts)) - 1
    return ChunkColumns(
        instrument[first],
        starts[first],
        ends[first],
        ts[first],
        ts[last],
        price[first],
        np.maximum.reduceat(price, first),
        np.minimum.reduceat(price, first),
        price[last],
        np.add.reduceat(size, first),
        np.diff(np.append(first, len(ts))),
        outside,
    )
