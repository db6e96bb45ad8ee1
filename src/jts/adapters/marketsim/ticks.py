"""Trade ticks consistent with simulated bars: each bar is exactly the trades inside it.

For every bar with ``n`` trades (at least four, more when the bar is busy): the first
trade prints at the open and the last at the close, one interior trade at the high and
another at the low, the rest at grid prices in between. Trade times are sorted random
moments inside the bar (microsecond resolution), sizes split the bar's volume into whole
lots that add up to it exactly, and the aggressor follows the tick rule (an uptick was a
buyer lifting the offer). Aggregating the ticks therefore gives back the bars' open,
high, low, close and volume.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from jts.adapters.marketsim.grid import PriceGrid
from jts.adapters.marketsim.model import MIN_LOTS_PER_BAR
from jts.adapters.marketsim.timeline import Timeline
from jts.contexts.market_data.domain.fixed_point import decimal_scale, rescale_units, trim_scale
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.tick_series import AGGRESSOR_CODES, TickSeries
from jts.messages.enums import AggressorSide
from jts.shared_kernel.venues.instruments import Instrument

MIN_TRADES_PER_BAR = MIN_LOTS_PER_BAR
Int64Array = npt.NDArray[np.int64]
_MICROSECOND = 1_000
_BUYER = AGGRESSOR_CODES[AggressorSide.BUYER]
_SELLER = AGGRESSOR_CODES[AggressorSide.SELLER]


def ticks_from_bars(
    bars: BarSeries,
    instrument: Instrument,
    timeline: Timeline,
    rng: np.random.Generator,
    *,
    trades_per_bar: float = 12.0,
) -> TickSeries:
    """Trade ticks whose aggregation per bar is exactly ``bars`` (1-minute, on ``timeline``)."""
    lot = instrument.lot_size
    volume_scale = max(bars.volume_scale, decimal_scale([lot]))
    volume = rescale_units(bars.volume_units, bars.volume_scale, volume_scale, what="volume")
    lots = volume // np.int64(int(lot.scaleb(volume_scale)))
    if len(lots) and int(lots.min()) < MIN_TRADES_PER_BAR:
        raise ValueError(
            f"every bar needs at least {MIN_TRADES_PER_BAR} lots of volume to be split into "
            "trades at its open, high, low and close"
        )
    counts = _trade_counts(lots, trades_per_bar, rng)
    bar_of = np.repeat(np.arange(len(bars), dtype=np.int64), counts)
    first = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    position = np.arange(len(bar_of), dtype=np.int64) - first[bar_of]
    prices, price_scale = _prices(bars, instrument, timeline, counts, bar_of, position, rng)
    sizes = _sizes(lots, counts, bar_of, first, rng) * np.int64(int(lot.scaleb(volume_scale)))
    times = _times(bars.ts_start, bars.ts_event, counts, bar_of, first, rng)
    [prices], price_scale = trim_scale([prices], price_scale)
    [sizes], size_scale = trim_scale([sizes], volume_scale)
    sequence = np.arange(1, len(bar_of) + 1, dtype=np.int64)
    sides = _aggressors(prices, rng)
    return TickSeries(instrument.id, times, sequence, prices, sizes, sides, price_scale, size_scale)


def _trade_counts(lots: Int64Array, trades_per_bar: float, rng: np.random.Generator) -> Int64Array:
    busy = lots / max(float(np.mean(lots)), 1.0)
    extra = rng.poisson(np.maximum(trades_per_bar - MIN_TRADES_PER_BAR, 0) * busy)
    return np.minimum(MIN_TRADES_PER_BAR + extra, lots).astype(np.int64)


def _prices(
    bars: BarSeries,
    instrument: Instrument,
    timeline: Timeline,
    counts: Int64Array,
    bar_of: Int64Array,
    position: Int64Array,
    rng: np.random.Generator,
) -> tuple[Int64Array, int]:
    """Open first, close last, high and low at two interior spots, grid prices between."""
    interior = bars.low[bar_of] + rng.random(len(bar_of)) * (bars.high - bars.low)[bar_of]
    names = [instrument.tick_rule.at(day).name for day in timeline.days]
    grids = {
        name: PriceGrid(instrument.tick_rule.at(day))
        for name, day in zip(names, timeline.days, strict=True)
    }
    grid_names = list(grids)
    grid_of_day = np.array([grid_names.index(name) for name in names], dtype=np.int64)
    grid_of_tick = grid_of_day[timeline.day_of_minute()][bar_of]
    scale = max([bars.price_scale] + [grid.scale_for(interior) for grid in grids.values()])
    prices = np.empty(len(bar_of), dtype=np.int64)
    for index, grid in enumerate(grids.values()):
        mine = grid_of_tick == index
        prices[mine] = grid.round_units(interior[mine], scale)
    low, high, open_, close = (
        rescale_units(units, bars.price_scale, scale, what="prices")
        for units in (bars.low_units, bars.high_units, bars.open_units, bars.close_units)
    )
    np.clip(prices, low[bar_of], high[bar_of], out=prices)
    prices[position == 0] = open_
    prices[position == counts[bar_of] - 1] = close
    first_index = np.flatnonzero(position == 0)
    high_at = 1 + (rng.random(len(bars)) * (counts - 2)).astype(np.int64)
    low_at = 1 + (rng.random(len(bars)) * (counts - 3)).astype(np.int64)
    low_at += low_at >= high_at
    prices[first_index + high_at] = high
    prices[first_index + low_at] = low
    return prices, scale


def _sizes(
    lots: Int64Array,
    counts: Int64Array,
    bar_of: Int64Array,
    first: Int64Array,
    rng: np.random.Generator,
) -> Int64Array:
    """One lot per trade plus the bar's remaining lots split at random, summing exactly."""
    weights = rng.exponential(size=len(bar_of))
    totals = np.add.reduceat(weights, first)
    spare = (lots - counts)[bar_of]
    shares = np.floor(weights / totals[bar_of] * spare).astype(np.int64)
    leftover = lots - counts - np.add.reduceat(shares, first)
    shares[first + counts - 1] += leftover
    return 1 + shares


def _times(
    ts_start: Int64Array,
    ts_event: Int64Array,
    counts: Int64Array,
    bar_of: Int64Array,
    first: Int64Array,
    rng: np.random.Generator,
) -> Int64Array:
    """Sorted random moments inside each bar: normalised sums of exponential gaps."""
    gaps = rng.exponential(size=len(bar_of))
    running = np.cumsum(gaps)
    before = np.concatenate(([0.0], running))[first]
    closing_gap = rng.exponential(size=len(counts))
    span = np.add.reduceat(gaps, first) + closing_gap
    fraction = (running - before[bar_of]) / span[bar_of]
    length = (ts_event - ts_start)[bar_of]
    offset = (fraction * length).astype(np.int64) // _MICROSECOND * _MICROSECOND
    return ts_start[bar_of] + offset


def _aggressors(prices: Int64Array, rng: np.random.Generator) -> npt.NDArray[np.int8]:
    """Tick rule: upticks are buyers, downticks sellers, unchanged prints either at random."""
    change = np.diff(prices, prepend=prices[:1])
    coin = np.where(rng.random(len(prices)) < 0.5, _BUYER, _SELLER)
    sides = np.where(change > 0, _BUYER, np.where(change < 0, _SELLER, coin))
    return sides.astype(np.int8)
