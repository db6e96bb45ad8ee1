"""A program's per-bar prices as exact grid units: the entry limit, stop-loss, take-profit
and trailing levels, and whether an entry's inputs are known.

The language hands over ``float64`` values; their meaning is the ``Decimal`` of their
shortest text (``repr``), as ``LanguageStrategy`` reads them. Levels are fixed from the
bar's close (``close * (1 -/+ p)`` for percent stops, ``close -/+ distance`` otherwise) and
moved onto the tick grid in force on the bar's date: stops, take-profits and trailing
levels up, limit prices down. Percent levels are computed in integers; other values go
through floats, and every value that lands within a hair of a grid point is computed again
in ``Decimal``, so the result never depends on binary rounding.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from jts.contexts.strategy.domain.language.vectorized import Levels, Signals
from jts.runtime.backtest.vectorized.specs import fraction
from jts.runtime.backtest.vectorized.timeline import TickRows, day_of
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.numbers import Rounding, to_decimal
from jts.shared_kernel.venues.instruments import Instrument

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
_NEAR = 1e-6


@dataclass(frozen=True)
class Grid:
    """One instrument's bars and tick grid, for rounding."""

    instrument: Instrument
    scale: int
    close: IntArray  # close units at ``scale``
    tables: IntArray  # tick table row of each bar
    rows: TickRows
    days: IntArray  # session day numbers
    floor: int = 0  # prices below this (units) are rounded in ``Decimal`` only

    def exact(self, index: int, value: Decimal, rounding: Rounding) -> int:
        """``value`` on bar ``index``'s grid, in units; 0 when not a positive price."""
        if not value > 0:
            return 0
        table = self.instrument.tick_rule.at(day_of(int(self.days[index])))
        try:
            price = table.round_price(value, rounding)
        except DataError:
            return 0
        scaled = price.scaleb(self.scale)
        return int(scaled) if scaled == scaled.to_integral_value() else 0

    def close_decimal(self, index: int) -> Decimal:
        return Decimal(int(self.close[index])).scaleb(-self.scale)


def _ticks_of(grid: Grid, values: FloatArray, tables: IntArray) -> FloatArray:
    ticks = np.ones(len(values))
    for row in np.unique(tables).tolist():
        mask = tables == row
        lowers = grid.rows.lowers[row]
        kept = lowers[lowers >= 0]
        band = np.searchsorted(kept.astype(np.float64), values[mask], side="right") - 1
        ticks[mask] = grid.rows.ticks[row][np.maximum(band, 0)]
    return ticks


def _round_floats(
    grid: Grid, units_f: FloatArray, up: bool, exact: Callable[[int], Decimal]
) -> IntArray:
    """Float unit values onto the grid; values near a grid point or band edge are redone
    in ``Decimal`` through ``exact(index)``."""
    out = np.zeros(len(units_f), dtype=np.int64)
    valid = np.isfinite(units_f) & (units_f > 0)
    if not valid.any():
        return out
    positions = np.flatnonzero(valid)
    values = units_f[positions]
    tables = grid.tables[positions]
    ticks = _ticks_of(grid, values, tables)
    steps = values / ticks
    rounded = np.ceil(steps) if up else np.floor(steps)
    out[positions] = rounded.astype(np.int64) * ticks.astype(np.int64)
    near = np.abs(steps - np.round(steps)) < _NEAR
    near |= values < grid.floor
    above = _ticks_of(grid, values * (1 + 1e-9), tables)
    near |= above != _ticks_of(grid, values * (1 - 1e-9), tables)
    rounding = Rounding.UP if up else Rounding.DOWN
    for index in positions[near].tolist():
        out[index] = grid.exact(index, exact(index), rounding)
    return out


def offset_levels(grid: Grid, levels: Levels, *, above: bool) -> IntArray:
    """Stop-loss (below the close) or take-profit (above) levels, rounded up; 0 where the
    value is unknown or the level is not a positive price."""
    values = np.asarray(levels.values, dtype=np.float64)
    sign = 1 if above else -1
    if levels.mode == "percent":
        constant = _constant(values)
        if constant is not None and _fits(grid, constant):
            return _percent_levels(grid, constant, sign)
        scaled = grid.close * (1.0 + sign * values)
        return _round_floats(
            grid, scaled, True, lambda i: grid.close_decimal(i) * (1 + sign * _dec(values[i]))
        )
    shifted = grid.close + sign * values * 10.0**grid.scale
    return _round_floats(
        grid, shifted, True, lambda i: grid.close_decimal(i) + sign * _dec(values[i])
    )


def _dec(value: float) -> Decimal:
    return to_decimal(float(value), what="strategy value")


def _fits(grid: Grid, share: float) -> bool:
    """Whether ``close * (den + num)`` stays well inside int64 for this share."""
    _, den = fraction(_dec(share))
    top = int(grid.close.max()) if len(grid.close) else 0
    return den <= 10**9 and top * 2 * den < 2**62


def _constant(values: FloatArray) -> float | None:
    if len(values) == 0 or not math.isfinite(float(values[0])):
        return None
    first = float(values[0])
    return first if bool(np.all(values == first)) else None


def _percent_levels(grid: Grid, share: float, sign: int) -> IntArray:
    """``close * (1 + sign * share)`` rounded up, in integers."""
    num, den = fraction(_dec(share))
    factor = den + sign * num
    if factor <= 0:
        return np.zeros(len(grid.close), dtype=np.int64)
    out = np.zeros(len(grid.close), dtype=np.int64)
    for row in np.unique(grid.tables).tolist():
        mask = grid.tables == row
        numerators = grid.close[mask] * factor
        lowers = grid.rows.lowers[row]
        kept = lowers[lowers >= 0]
        band = np.searchsorted(kept * den, numerators, side="right") - 1
        ticks = grid.rows.ticks[row][np.maximum(band, 0)]
        out[mask] = -((-numerators) // (den * ticks)) * ticks
    low = np.flatnonzero(grid.close * factor < grid.floor * den)
    for index in low.tolist():
        value = grid.close_decimal(index) * Decimal(factor) / Decimal(den)
        out[index] = grid.exact(index, value, Rounding.UP)
    return out


def limit_levels(grid: Grid, limit: FloatArray) -> IntArray:
    """Entry limit prices rounded down onto the grid (0: not a positive price)."""
    values = np.asarray(limit, dtype=np.float64)
    scaled = values * 10.0**grid.scale
    return _round_floats(grid, scaled, False, lambda i: _dec(values[i]))


def entry_ready(signals: Signals, limit: IntArray | None) -> BoolArray:
    """Bars whose entry inputs are all known: sizing values finite and positive, a limit
    price (limit entries) and every configured protection's value."""
    needed = {
        "quantity": (signals.size_value,),
        "percent_equity": (signals.size_value,),
        "kelly": (signals.size_value, signals.size_cap),
        "risk": (signals.size_value, signals.size_stop),
    }[signals.size_form]
    ready = np.ones(len(signals.ts), dtype=np.bool_)
    for values in needed:
        if values is None:
            return np.zeros(len(signals.ts), dtype=np.bool_)
        array = np.asarray(values, dtype=np.float64)
        ready &= np.isfinite(array) & (array > 0)
    if limit is not None:
        ready &= limit > 0
    for levels in (signals.stop_loss, signals.take_profit, signals.trailing_stop):
        if levels is not None:
            ready &= np.isfinite(np.asarray(levels.values, dtype=np.float64))
    return ready


def units_column(values: FloatArray | None, length: int) -> FloatArray:
    """A float column for the kernel (contiguous, writable); zeros when absent."""
    if values is None:
        return np.zeros(length)
    return np.ascontiguousarray(values, dtype=np.float64)
