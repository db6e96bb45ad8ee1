"""One instrument's data as the ``Decimal`` replay reads it: exact prices by bar, the band
of each session, the last close at any point of the merged timeline, the FX rates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from jts.runtime.backtest.exchange.listing import Listing
from jts.runtime.backtest.vectorized.timeline import day_of
from jts.shared_kernel.venues import rules
from jts.shared_kernel.venues.calendar import TradingCalendar
from jts.shared_kernel.venues.instruments import Instrument
from jts.shared_kernel.venues.krx import PriceBand

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Market:
    """One instrument of a run: spec, calendar, exact bar columns and its signal values."""

    instrument: Instrument
    calendar: TradingCalendar
    price_scale: int
    quantity_scale: int
    volume_scale: int
    offset: int  # first bar's index in the kernel's concatenated columns
    ts_start: IntArray
    ts_event: IntArray
    high: IntArray
    low: IntArray
    close: IntArray
    volume: IntArray
    days: IntArray  # session day of each bar
    roll_bars: IntArray  # bars that start a session (the band rolls)
    events: IntArray  # merged-timeline positions of this instrument's bars
    size_value: FloatArray
    size_cap: FloatArray
    size_distance: FloatArray

    def listing(self) -> Listing:
        return Listing(self.instrument, self.calendar)

    def price(self, units: int) -> Decimal:
        return Decimal(int(units)).scaleb(-self.price_scale)

    def quantity(self, units: int) -> Decimal:
        return Decimal(int(units)).scaleb(-self.quantity_scale)

    def bar_volume(self, bar: int) -> Decimal:
        return Decimal(int(self.volume[bar])).scaleb(-self.volume_scale)

    def session_date(self, bar: int) -> date:
        return day_of(int(self.days[bar]))

    def last_bar_at(self, event: int) -> int:
        """This instrument's latest bar at or before merged position ``event`` (-1: none)."""
        return int(np.searchsorted(self.events, event, side="right")) - 1

    def band_at(self, bar: int) -> PriceBand | None:
        """The KRX band in force on ``bar`` (``None`` before a previous session closed)."""
        if not len(self.roll_bars):
            return None
        rolled = int(np.searchsorted(self.roll_bars, bar, side="right")) - 1
        if rolled < 0:
            return None
        start = int(self.roll_bars[rolled])
        if start == 0:
            return None
        base = self.price(int(self.close[start - 1]))
        return rules.price_limits(self.instrument, base, on=self.session_date(start))


@dataclass(frozen=True)
class FxRates:
    """Quote currency -> base currency rates by merged-timeline position."""

    currencies: tuple[str, ...]  # index 0 is the base currency
    units: IntArray  # [currency, event or 0], rate units
    scales: tuple[int, ...]

    def rate(self, currency: int, event: int) -> Decimal:
        if currency == 0:
            return Decimal(1)
        column = event if self.units.shape[1] > 1 else 0
        return Decimal(int(self.units[currency, column])).scaleb(-self.scales[currency])

    def floats(self) -> FloatArray:
        out = self.units.astype(np.float64)
        for c, scale in enumerate(self.scales):
            out[c] /= 10.0**scale
        return out
