"""A venue's tick table applied to whole numpy arrays of prices at once.

``TickTable`` (``jts.shared_kernel.venues.ticks``) answers one ``Decimal`` at a time; the
simulator moves millions of prices onto the grid, so ``PriceGrid`` does the same rounding
with ``searchsorted`` over the band bounds and integer arithmetic on scaled units
(``price = units * 10**-scale``). ``scale_for`` picks the fewest decimals that the ticks of
the bands in use need, so KRW prices stay whole numbers.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import numpy.typing as npt

from jts.contexts.market_data.domain.fixed_point import decimal_scale
from jts.shared_kernel.venues.ticks import TickTable

Int64Array = npt.NDArray[np.int64]
Float64Array = npt.NDArray[np.float64]


class PriceGrid:
    """Vectorized rounding onto one ``TickTable``."""

    def __init__(self, table: TickTable) -> None:
        self.table = table
        self._lowers = np.array([float(lower) for lower in table.lowers])
        self._tick_scales = np.array([decimal_scale([tick]) for tick in table.ticks])

    def bands(self, prices: Float64Array) -> npt.NDArray[np.intp]:
        """The index of the band each price falls in."""
        return np.maximum(np.searchsorted(self._lowers, prices, side="right") - 1, 0)

    def scale_for(self, prices: Float64Array) -> int:
        """The fewest decimals that every tick used by ``prices`` needs."""
        if not prices.size:
            return 0
        return int(self._tick_scales[np.unique(self.bands(prices))].max())

    def tick_units(self, scale: int) -> Int64Array:
        """Each band's tick in units at ``scale`` (0 where the tick is finer than the scale)."""
        return np.array([_units_or_zero(tick, scale) for tick in self.table.ticks], dtype=np.int64)

    def round_units(self, prices: Float64Array, scale: int) -> Int64Array:
        """``prices`` rounded to the nearest tick of their band, as units at ``scale``.

        ``scale`` must cover the ticks in use (see ``scale_for``). A price below the first
        tick becomes that tick: grid prices are always positive.
        """
        ticks = self.tick_units(scale)[self.bands(prices)]
        if bool((ticks == 0).any()):
            raise ValueError(f"scale {scale} is too coarse for the ticks of these prices")
        steps = np.rint(prices * float(10**scale) / ticks)
        return np.maximum(steps.astype(np.int64), 1) * ticks

    def decimal_units(self, price: Decimal, scale: int) -> int:
        """An on-grid ``Decimal`` price as units at ``scale``."""
        return int(price.scaleb(scale))


def _units_or_zero(tick: Decimal, scale: int) -> int:
    scaled = tick.scaleb(scale)
    return int(scaled) if scaled == scaled.to_integral_value() else 0
