"""Range and directional-movement kernels: TRANGE, ATR, NATR, +DI, -DI, DX, ADX, ADXR, SAR.

Wilder smoothing follows TA-Lib's current spelling: ``prev - prev/period`` is written
``prev - prev*(1/period)``, the ATR step is ``alpha*tr + beta*prev`` with ``alpha = 1 - beta``
(evaluated, as TA-Lib's build does, as one fused multiply-add on ``beta*prev``), and a
running true-range sum is tested against zero exactly.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from jts.contexts.strategy.domain.indicators.jit import fma, helper, kernel
from jts.contexts.strategy.domain.indicators.kernels_ma import EPSILON

Vector = NDArray[np.float64]


@helper
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
    previous, target = close[: close.shape[0] - 1], out[1:]
    highs, lows = high[1:], low[1:]
    for i in range(target.shape[0]):
        target[i] = true_range(highs[i], lows[i], previous[i])


@kernel
def atr(
    high: Vector, low: Vector, close: Vector, period: int, normalize: bool, out: Vector
) -> None:
    """Wilder-smoothed true range; ``normalize`` gives NATR (percent of the close)."""
    beta = float(period - 1) / float(period)
    alpha = 1.0 - beta
    highs, lows, previous = high[1:], low[1:], close[: close.shape[0] - 1]
    total = 0.0
    for i in range(period):
        total += true_range(highs[i], lows[i], previous[i])
    prev = total / period
    target, closes = out[period:], close[period:]
    normalized = normalize and period > 1
    for t in range(target.shape[0]):
        if t > 0:
            i = t + period - 1
            prev = fma(beta, prev, alpha * true_range(highs[i], lows[i], previous[i]))
        if normalized:
            price = closes[t]
            target[t] = (prev / price) * 100.0 if price != 0.0 else 0.0
        else:
            target[t] = prev


@helper
def directional_movement(diff_plus: float, diff_minus: float) -> tuple[float, float]:
    """One bar's (-DM, +DM): the larger positive leg of the range extension, or zero."""
    minus = diff_minus if diff_minus - diff_plus > 0.0 else 0.0
    plus = diff_plus if diff_plus - diff_minus > 0.0 else 0.0
    return (minus if diff_minus > 0.0 else 0.0), (plus if diff_plus > 0.0 else 0.0)


@kernel
def single_bar_index(high: Vector, low: Vector, close: Vector, plus: bool, out: Vector) -> None:
    """+DI/-DI at period 1: the bar's directional leg over its true range (not in percent)."""
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


@kernel
def directional_index(
    high: Vector, low: Vector, close: Vector, period: int, plus: bool, out: Vector
) -> None:
    """+DI (``plus``) or -DI: Wilder-smoothed directional movement over true range, in %."""
    if period == 1:
        single_bar_index(high, low, close, plus, out)
        return
    inv_period = 1.0 / period
    movement = 0.0
    ranges = 0.0
    n = high.shape[0]
    highs, lows, previous_close = high[1:], low[1:], close[: n - 1]
    previous_high, previous_low, target = high[: n - 1], low[: n - 1], out[1:]
    for i in range(n - 1):
        diff_plus = highs[i] - previous_high[i]
        diff_minus = previous_low[i] - lows[i]
        if plus:
            leg = diff_plus if diff_plus - diff_minus > 0.0 else 0.0
        else:
            leg = diff_minus if diff_minus - diff_plus > 0.0 else 0.0
        greatest = true_range(highs[i], lows[i], previous_close[i])
        if i < period - 1:
            grown = movement + leg
            movement = movement if movement > grown else grown
            ranges += greatest
            continue
        decayed = movement - (movement * inv_period)
        movement = decayed + leg
        movement = decayed if decayed > movement else movement
        ranges = ranges - (ranges * inv_period) + greatest
        target[i] = 100.0 * (movement / ranges) if ranges > 0.0 else 0.0


@helper
def dx_value(minus_dm: float, plus_dm: float, ranges: float) -> float:
    """DX of smoothed DMs and range, or NaN when TA-Lib leaves the previous value."""
    if ranges > 0.0:
        minus_di = 100.0 * (minus_dm / ranges)
        plus_di = 100.0 * (plus_dm / ranges)
        total = minus_di + plus_di
        if not (-EPSILON < total < EPSILON):
            return 100.0 * (abs(minus_di - plus_di) / total)
    return np.nan


@kernel
def dx_scan(high: Vector, low: Vector, close: Vector, period: int, mode: int, out: Vector) -> None:
    """Smoothed directional movement per bar, reduced by ``mode``: DX (0) or ADX (1)."""
    inv_period = 1.0 / period
    minus_dm = plus_dm = ranges = 0.0
    dx_total = 0.0
    smoothed = 0.0
    last = 0.0
    n = high.shape[0]
    highs, lows, previous_close = high[1:], low[1:], close[: n - 1]
    previous_high, previous_low, target = high[: n - 1], low[: n - 1], out[1:]
    for i in range(n - 1):
        minus, plus = directional_movement(highs[i] - previous_high[i], previous_low[i] - lows[i])
        greatest = true_range(highs[i], lows[i], previous_close[i])
        if i < period - 1:
            minus_dm += minus
            plus_dm += plus
            ranges += greatest
            continue
        minus_dm -= minus_dm * inv_period
        plus_dm -= plus_dm * inv_period
        minus_dm += minus
        plus_dm += plus
        ranges = ranges - (ranges * inv_period) + greatest
        value = dx_value(minus_dm, plus_dm, ranges)
        defined = value == value
        if mode == 0:
            last = value if defined else (0.0 if i == period - 1 else last)
            target[i] = last
        elif i < 2 * period - 1:
            if defined:
                dx_total += value
            if i == 2 * period - 2:
                smoothed = dx_total / period
                target[i] = smoothed
        else:
            if defined:
                smoothed = smoothed - (smoothed - value) * inv_period
            target[i] = smoothed


@kernel
def dx(high: Vector, low: Vector, close: Vector, period: int, out: Vector) -> None:
    """Directional movement index, 0..100; a bar without a defined DX repeats the last."""
    dx_scan(high, low, close, period, 0, out)


@kernel
def adx(high: Vector, low: Vector, close: Vector, period: int, out: Vector) -> None:
    """Average directional index: Wilder-smoothed DX, seeded by the mean of the first DXs."""
    dx_scan(high, low, close, period, 1, out)


@kernel
def adxr(high: Vector, low: Vector, close: Vector, period: int, out: Vector) -> None:
    """ADX rating: the mean of today's ADX and the ADX ``period - 1`` bars ago."""
    values = np.empty(high.shape[0])
    adx(high, low, close, period, values)
    start = 3 * period - 2
    current, lagged = values[start:], values[start - (period - 1) :]
    target = out[start:]
    for i in range(target.shape[0]):
        target[i] = (current[i] + lagged[i]) / 2.0
