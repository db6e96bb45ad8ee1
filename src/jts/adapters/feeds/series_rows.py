"""Stored series as a stream of messages: the merged emission order of many series, and
their rows built into ``Bar`` / ``TradeTick`` messages one at a time, when due."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from jts.contexts.market_data.domain.fixed_point import Int64Array
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.tick_series import AGGRESSOR_SIDES, TickSeries
from jts.messages.market_data import Bar, MarketDataEvent, TradeTick

_TICK, _BAR = 0, 1


def merge_schedule(series: list[BarSeries | TickSeries]) -> tuple[Int64Array, Int64Array]:
    """Event times and the series each comes from, in emission order: by time, a tick
    before a bar at the same moment, then in the order the series were given."""
    if not series:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    times = np.concatenate([s.ts_event for s in series])
    kinds = np.concatenate(
        [np.full(len(s), _BAR if isinstance(s, BarSeries) else _TICK) for s in series]
    )
    sources = np.concatenate([np.full(len(s), i, dtype=np.int64) for i, s in enumerate(series)])
    order = np.lexsort((np.arange(len(times)), sources, kinds, times))
    return times[order], sources[order]


class SeriesRows:
    """One series' rows as messages, built one at a time when they are due."""

    def __init__(self, series: BarSeries | TickSeries) -> None:
        self.series = series
        self.next = 0
        if isinstance(series, BarSeries):
            self._columns = [
                c.tolist()
                for c in (
                    series.ts_start,
                    series.ts_event,
                    series.open_units,
                    series.high_units,
                    series.low_units,
                    series.close_units,
                    series.volume_units,
                )
            ]
            self._exponents = (-series.price_scale, -series.volume_scale)
        else:
            self._columns = [c.tolist() for c in series.columns()]
            self._exponents = (-series.price_scale, -series.size_scale)

    def take(self, ts_init: int) -> MarketDataEvent:
        row, self.next = self.next, self.next + 1
        price_exp, size_exp = self._exponents
        series, c = self.series, self._columns
        if isinstance(series, BarSeries):
            return Bar(
                instrument_id=series.instrument_id,
                timeframe=series.timeframe,
                ts_start=c[0][row],
                ts_event=c[1][row],
                ts_init=ts_init,
                open=Decimal(c[2][row]).scaleb(price_exp),
                high=Decimal(c[3][row]).scaleb(price_exp),
                low=Decimal(c[4][row]).scaleb(price_exp),
                close=Decimal(c[5][row]).scaleb(price_exp),
                volume=Decimal(c[6][row]).scaleb(size_exp),
            )
        return TradeTick(
            instrument_id=series.instrument_id,
            ts_event=c[0][row],
            ts_init=ts_init,
            price=Decimal(c[2][row]).scaleb(price_exp),
            size=Decimal(c[3][row]).scaleb(size_exp),
            aggressor_side=AGGRESSOR_SIDES[c[4][row]],
            sequence=c[1][row],
        )
