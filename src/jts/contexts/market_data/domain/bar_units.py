"""``BarUnits``: one finished bar as exact scaled integers, before it becomes a message.

Aggregation runs per tick, so it never builds ``Decimal``s: prices and volumes stay ``int``
units at the instrument's scales (``fixed_point``) and a finished bar is a ``BarUnits``.
Only a bar that leaves the context becomes a ``Bar`` message (``to_message``) or a row of a
``BarSeries`` (``bars_to_series``), both exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import msgspec
import numpy as np

from jts.contexts.market_data.domain.fixed_point import Int64Array
from jts.contexts.market_data.domain.series import BarSeries
from jts.messages.market_data import Bar
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe


class BarUnits(msgspec.Struct, frozen=True, gc=False):
    """A bar over ``[ts_start, ts_event)`` in units; ``trades`` counts the prints in it
    (0 for a filled empty interval). ``revision`` marks a re-issue after a late tick."""

    instrument_id: InstrumentId
    timeframe: Timeframe
    ts_start: int
    ts_event: int
    open: int
    high: int
    low: int
    close: int
    volume: int
    price_scale: int
    volume_scale: int
    trades: int = 0
    revision: bool = False

    @property
    def key(self) -> tuple[InstrumentId, Timeframe, int]:
        """What identifies the bar in a store: a revision replaces the bar with its key."""
        return self.instrument_id, self.timeframe, self.ts_start

    def to_message(self, ts_init: int | None = None) -> Bar:
        """The exact ``Bar``; ``ts_init`` defaults to the bar's close."""
        price_exponent, volume_exponent = -self.price_scale, -self.volume_scale
        return Bar(
            instrument_id=self.instrument_id,
            timeframe=self.timeframe,
            ts_start=self.ts_start,
            ts_event=self.ts_event,
            ts_init=self.ts_event if ts_init is None else ts_init,
            open=Decimal(self.open).scaleb(price_exponent),
            high=Decimal(self.high).scaleb(price_exponent),
            low=Decimal(self.low).scaleb(price_exponent),
            close=Decimal(self.close).scaleb(price_exponent),
            volume=Decimal(self.volume).scaleb(volume_exponent),
        )


def bars_to_series(bars: Sequence[BarUnits]) -> BarSeries:
    """A ``BarSeries`` of ``bars`` (one instrument, timeframe and pair of scales).

    Later entries win over earlier ones with the same ``ts_start`` (revisions), and the
    result is in time order whatever order the bars came in.
    """
    if not bars:
        raise ValueError("bars_to_series needs at least one bar")
    first = bars[0]
    for bar in bars:
        if (bar.instrument_id, bar.timeframe, bar.price_scale, bar.volume_scale) != (
            first.instrument_id,
            first.timeframe,
            first.price_scale,
            first.volume_scale,
        ):
            raise ValueError(
                f"a series holds one instrument, timeframe and scale: {bar.instrument_id} "
                f"{bar.timeframe} among {first.instrument_id} {first.timeframe} bars"
            )
    latest = {bar.ts_start: bar for bar in bars}
    ordered = [latest[start] for start in sorted(latest)]
    rows = [(b.ts_start, b.ts_event, b.open, b.high, b.low, b.close, b.volume) for b in ordered]
    table = np.array(rows, dtype=np.int64).T
    columns = [np.ascontiguousarray(column) for column in table]
    return columns_to_series(
        first.instrument_id, first.timeframe, columns, first.price_scale, first.volume_scale
    )


def columns_to_series(
    instrument_id: InstrumentId,
    timeframe: Timeframe,
    columns: Sequence[Int64Array],
    price_scale: int,
    volume_scale: int,
) -> BarSeries:
    """A ``BarSeries`` from its seven columns, ``ts_start`` .. ``volume``, in that order."""
    ts_start, ts_event, open_, high, low, close, volume = columns
    return BarSeries(
        instrument_id,
        timeframe,
        ts_start,
        ts_event,
        open_,
        high,
        low,
        close,
        volume,
        price_scale,
        volume_scale,
    )


def series_to_bars(series: BarSeries) -> list[BarUnits]:
    """Every bar of ``series`` as ``BarUnits`` (``trades`` unknown: 0)."""
    rows = zip(
        series.ts_start.tolist(),
        series.ts_event.tolist(),
        series.open_units.tolist(),
        series.high_units.tolist(),
        series.low_units.tolist(),
        series.close_units.tolist(),
        series.volume_units.tolist(),
        strict=True,
    )
    return [
        BarUnits(
            series.instrument_id,
            series.timeframe,
            ts_start,
            ts_event,
            open_,
            high,
            low,
            close,
            volume,
            series.price_scale,
            series.volume_scale,
        )
        for ts_start, ts_event, open_, high, low, close, volume in rows
    ]
