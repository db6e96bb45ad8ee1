"""The bars of one run: each instrument's columns for the hot loop, and the merged timeline.

``MarketData`` keeps one instrument's ``BarSeries`` as plain Python lists (indexing a list
is several times cheaper than indexing a numpy array from Python) and makes the exact
things the engine needs only when it needs them: a ``Bar`` message for the exchange or a
Python strategy, a ``Decimal`` close for sizing and valuation.

``merged_timeline`` orders every bar of every instrument by close time, ties in universe
order, as both engines do.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np

from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.strategy.domain.language.bars import BarValues
from jts.messages.market_data import Bar
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.venues.instruments import Instrument
from jts.shared_kernel.venues.krx import KrxRules


class MarketData:
    """One instrument's bars, read row by row."""

    __slots__ = (
        "_bar",
        "close",
        "close_units",
        "high",
        "instrument",
        "low",
        "open",
        "price_exponent",
        "series",
        "session_ends",
        "ts_event",
        "volume",
    )

    def __init__(self, series: BarSeries, instrument: Instrument) -> None:
        if series.instrument_id != instrument.id:
            raise DataError(f"bars of {series.instrument_id} given for {instrument.id}")
        if len(series) == 0:
            raise DataError(f"no bars for {instrument.id}; give at least one")
        self.series = series
        self.instrument = instrument
        self.ts_event: list[int] = series.ts_event.tolist()
        self.open: list[float] = series.open.tolist()
        self.high: list[float] = series.high.tolist()
        self.low: list[float] = series.low.tolist()
        self.close: list[float] = series.close.tolist()
        self.volume: list[float] = series.volume.tolist()
        self.close_units: list[int] = series.close_units.tolist()
        self.price_exponent = -series.price_scale
        self.session_ends = _session_ends(series, instrument)
        self._bar: Bar | None = None

    def __len__(self) -> int:
        return len(self.ts_event)

    def close_price(self, row: int) -> Decimal:
        """The exact close of bar ``row``."""
        return Decimal(self.close_units[row]).scaleb(self.price_exponent)

    def bar(self, row: int) -> Bar:
        """Bar ``row`` as an exact ``Bar`` message (the exchange and the strategy runner
        often want the same one: the last is kept)."""
        bar = self._bar
        if bar is None or bar.ts_event != self.ts_event[row]:
            bar = self._bar = self.series.bar_at(row)
        return bar

    def values(self, row: int) -> BarValues:
        """Bar ``row`` as the strategy language's evaluator takes it."""
        return BarValues(
            self.ts_event[row],
            self.open[row],
            self.high[row],
            self.low[row],
            self.close[row],
            self.volume[row],
        )


def _session_ends(series: BarSeries, instrument: Instrument) -> list[bool]:
    """Bars the exchange must see although nothing works there: with a daily price band
    (KRX), each bar followed by a gap may be a session's last, whose close is the next
    band's base price. Other venues never need one."""
    if not isinstance(instrument.venue_rules, KrxRules):
        return [False] * len(series)
    gap = np.ones(len(series), dtype=np.bool_)
    gap[:-1] = series.ts_start[1:] > series.ts_event[:-1]
    ends: list[bool] = gap.tolist()
    return ends


def merged_timeline(markets: Sequence[MarketData]) -> tuple[list[int], list[int]]:
    """``(instrument index, row)`` of every bar, by close time, ties in the given order."""
    ts = np.concatenate([m.series.ts_event for m in markets])
    which = np.concatenate([np.full(len(m), k, dtype=np.int64) for k, m in enumerate(markets)])
    rows = np.concatenate([np.arange(len(m), dtype=np.int64) for m in markets])
    order = np.lexsort((which, ts))
    merged_which: list[int] = which[order].tolist()
    merged_rows: list[int] = rows[order].tolist()
    return merged_which, merged_rows
