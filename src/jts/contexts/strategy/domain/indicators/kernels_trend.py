"""Range and directional-movement kernels: TRANGE, ATR, NATR, +DI, -DI, DX, ADX, ADXR, SAR.

Wilder smoothing follows TA-Lib's current spelling: ``prev - prev/period`` is written
``prev - prev*(1/period)``, the ATR step is ``alpha*tr + beta*prev`` with ``alpha = 1 - beta``,
and a running true-range sum is tested against zero exactly.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from jts.contexts.strategy.domain.indicators.jit import kernel
from jts.contexts.strategy.domain.indicators.kernels_ma import EPSILON

Vector = NDArray[np.float64]


@kernel
def true_range(high: float, low: float, prev_close: float) -> float:
    """The largest of high-low, |high - previous close| and |low - previous close|."""
    greatest = high - low
    candidate = abs(prev_close - high)
    if candidate > greatest:
        greatest = candidate
    candidate = abs(prev_close - low)
    if candidate > greatest:
        greatest = candidate
    return greatest


@kernel
def trange(high: Vector, low: Vector, close: Vector, out: Vector) -> None:
    """True range of every bar after the first."""
    for today in range(1, high.shape[0]):
        out[today] = true_range(high[today], low[today], close[today - 1])


@kernel
def atr(
    high: Vector, low: Vector, close: Vector, period: int, normalize: bool, out: Vector
) -> None:
    """Wilder-smoothed true range; ``normalize`` gives NATR (percent of the close)."""
    beta = float(period - 1) / float(period)
    alpha = 1.0 - beta
    total = 0.0
    for today in range(1, period + 1):
        total += true_range(high[today], low[today], close[today - 1])
    prev = total / period
    for today in range(period, high.shape[0]):
        if today > period:
            greatest = true_range(high[today], low[today], close[today - 1])
            prev = alpha * greatest + beta * prev
        if normalize and period > 1:
            price = close[today]
            out[today] = (prev / price) * 100.0 if price != 0.0 else 0.0
        else:
            out[today] = prev


@kernel
def directional_movement(diff_plus: float, diff_minus: float) -> tuple[float, float]:
    """One bar's (-DM, +DM): the larger positive leg of the range extension, or zero."""
    minus = diff_minus if diff_minus - diff_plus > 0.0 else 0.0
    plus = diff_plus if diff_plus - diff_minus > 0.0 else 0.0
    return (minus if diff_minus > 0.0 else 0.0), (plus if diff_plus > 0.0 else 0.0)


@kernel
def directional_index(
    high: Vector, low: Vector, close: Vector, period: int, plus: bool, out: Vector
) -> None:
    """+DI (``plus``) or -DI: Wilder-smoothed directional movement over true range, in %."""
    if period == 1:
        for today in range(1, high.shape[0]):
            diff_plus = high[today] - high[today - 1]
            diff_minus = low[today - 1] - low[today]
            if plus:
                moved = diff_plus > 0 and diff_plus > diff_minus
                leg = diff_plus
            else:
                moved = diff_minus > 0 and diff_plus < diff_minus
                leg = diff_minus
            if moved:
                greatest = true_range(high[today], low[today], close[today - 1])
                out[today] = 0.0 if greatest <= 0.0 else leg / greatest
            else:
                out[today] = 0.0
        return
    inv_period = 1.0 / period
    movement = 0.0
    ranges = 0.0
    for today in range(1, high.shape[0]):
        diff_plus = high[today] - high[today - 1]
        diff_minus = low[today - 1] - low[today]
        if plus:
            leg = diff_plus if diff_plus - diff_minus > 0.0 else 0.0
        else:
            leg = diff_minus if diff_minus - diff_plus > 0.0 else 0.0
        greatest = true_range(high[today], low[today], close[today - 1])
        if today < period:
            grown = movement + leg
            movement = movement if movement > grown else grown
            ranges += greatest
            continue
        decayed = movement - (movement * inv_period)
        movement = decayed + leg
        movement = decayed if decayed > movement else movement
        ranges = ranges - (ranges * inv_period) + greatest
        out[today] = 100.0 * (movement / ranges) if ranges > 0.0 else 0.0


@kernel
def _dx_value(minus_dm: float, plus_dm: float, ranges: float) -> float:
    """DX of smoothed DMs and range, or NaN when TA-Lib leaves the previous value."""
    if ranges > 0.0:
        minus_di = 100.0 * (minus_dm / ranges)
        plus_di = 100.0 * (plus_dm / ranges)
        total = minus_di + plus_di
        if not (-EPSILON < total < EPSILON):
            return 100.0 * (abs(minus_di - plus_di) / total)
    return np.nan


@kernel
def dx_series(high: Vector, low: Vector, close: Vector, period: int, dx: Vector) -> None:
    """Raw DX from bar ``period`` on (NaN where TA-Lib keeps the previous value)."""
    inv_period = 1.0 / period
    minus_dm = 0.0
    plus_dm = 0.0
    ranges = 0.0
    for today in range(1, high.shape[0]):
        minus, plus = directional_movement(
            high[today] - high[today - 1], low[today - 1] - low[today]
        )
        greatest = true_range(high[today], low[today], close[today - 1])
        if today < period:
            minus_dm += minus
            plus_dm += plus
            ranges += greatest
            continue
        minus_dm -= minus_dm * inv_period
        plus_dm -= plus_dm * inv_period
        minus_dm += minus
        plus_dm += plus
        ranges = ranges - (ranges * inv_period) + greatest
        dx[today] = _dx_value(minus_dm, plus_dm, ranges)


@kernel
def dx(high: Vector, low: Vector, close: Vector, period: int, out: Vector) -> None:
    """Directional movement index, 0..100; a bar without a defined DX repeats the last."""
    dx_series(high, low, close, period, out)
    if out[period] != out[period]:
        out[period] = 0.0
    for today in range(period + 1, high.shape[0]):
        if out[today] != out[today]:
            out[today] = out[today - 1]


@kernel
def adx(high: Vector, low: Vector, close: Vector, period: int, out: Vector) -> None:
    """Average directional index: Wilder-smoothed DX, seeded by the mean of the first DXs."""
    values = np.empty(high.shape[0])
    dx_series(high, low, close, period, values)
    inv_period = 1.0 / period
    total = 0.0
    for today in range(period, 2 * period):
        if values[today] == values[today]:
            total += values[today]
    smoothed = total / period
    out[2 * period - 1] = smoothed
    for today in range(2 * period, high.shape[0]):
        value = values[today]
        if value == value:
            smoothed = smoothed - (smoothed - value) * inv_period
        out[today] = smoothed


@kernel
def adxr(high: Vector, low: Vector, close: Vector, period: int, out: Vector) -> None:
    """ADX rating: the mean of today's ADX and the ADX ``period - 1`` bars ago."""
    values = np.empty(high.shape[0])
    adx(high, low, close, period, values)
    for today in range(3 * period - 2, high.shape[0]):
        out[today] = (values[today] + values[today - (period - 1)]) / 2.0
