"""Coarser bars from 1-minute bars, aligned to the venue's sessions.

A bucket of timeframe ``tf`` starts at ``session open + k * tf`` and ends at the earlier of
``start + tf`` and the session close, so KRX 1-hour bars run 09:00, 10:00, ... 15:00-15:30
and a daily bar runs from the open to the close (09:00-15:30 KST; a UTC day for crypto).
Open is the first bar's open, close the last bar's close, high/low the extremes and volume
the sum, exactly (scaled integers throughout).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from jts.contexts.market_data.domain.series import BarSeries
from jts.shared_kernel.timeframes import Timeframe

_DAY_SECONDS = 86_400


def resample_bars(
    bars: BarSeries, timeframe: Timeframe, sessions: Sequence[tuple[int, int]]
) -> BarSeries:
    """``bars`` aggregated to ``timeframe`` (a whole number of their own, up to ``1d``)."""
    if timeframe == bars.timeframe:
        return bars
    if timeframe.seconds % bars.timeframe.seconds or timeframe.seconds > _DAY_SECONDS:
        raise ValueError(
            f"cannot build {timeframe} bars from {bars.timeframe} bars; use a multiple of "
            f"{bars.timeframe} up to 1d"
        )
    if not len(bars):
        return BarSeries.empty(bars.instrument_id, timeframe)
    opens = np.array([open_ns for open_ns, _ in sessions], dtype=np.int64)
    closes = np.array([close_ns for _, close_ns in sessions], dtype=np.int64)
    day = np.searchsorted(opens, bars.ts_start, side="right") - 1
    if bool((day < 0).any()) or bool((bars.ts_start >= closes[day]).any()):
        raise ValueError(f"{bars.instrument_id} has bars outside the given sessions")
    step = np.int64(timeframe.nanos)
    slot = (bars.ts_start - opens[day]) // step
    key = day.astype(np.int64) * np.int64(_DAY_SECONDS) + slot
    starts = np.flatnonzero(np.concatenate(([True], np.diff(key) != 0)))
    ends = np.concatenate((starts[1:], [len(bars)])) - 1
    ts_start = opens[day[starts]] + slot[starts] * step
    ts_event = np.minimum(ts_start + step, closes[day[starts]])
    return BarSeries(
        bars.instrument_id,
        timeframe,
        ts_start,
        ts_event,
        bars.open_units[starts],
        np.maximum.reduceat(bars.high_units, starts),
        np.minimum.reduceat(bars.low_units, starts),
        bars.close_units[ends],
        np.add.reduceat(bars.volume_units, starts),
        bars.price_scale,
        bars.volume_scale,
    )
