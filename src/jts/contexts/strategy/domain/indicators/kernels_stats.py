"""Statistics kernels: VAR, STDDEV, BBANDS, LINEARREG, LINEARREG_SLOPE.

The variance is TA-Lib's cancellation-free form: running sums of deviations from a *shift*
near the data (not of raw values), re-anchored on the window mean every ``32 * period`` bars,
when the variance falls below a millionth of its own scale, or when a departing outlier
dwarfs what is left. After a re-anchor a variance below ``1e-12`` of its scale is exactly 0.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from jts.contexts.strategy.domain.indicators.jit import kernel
from jts.contexts.strategy.domain.indicators.kernels_ma import SMA, ma_lookback, sma_into
from jts.contexts.strategy.domain.indicators.kernels_ma_extra import ma_into

Vector = NDArray[np.float64]


@kernel
def reanchor(x: Vector, first: int, last: int, period: int, sums: Vector) -> float:
    """Rebuild ``sums = [shift, sum(d), sum(d*d)]`` on ``x[first..last]``; return the variance."""
    inv_period = 1.0 / period
    total = 0.0
    for j in range(first, last + 1):
        total += x[j]
    shift = total * inv_period
    total1 = 0.0
    total2 = 0.0
    for j in range(first, last + 1):
        deviation = x[j] - shift
        total1 += deviation
        deviation *= deviation
        total2 += deviation
    mean = total1 * inv_period
    variance = total2 * inv_period - mean * mean
    if variance < 0.000000000001 * (total2 * inv_period):
        variance = 0.0
    sums[0] = shift
    sums[1] = total1
    sums[2] = total2
    return variance


@kernel
def var_into(x: Vector, start: int, period: int, out: Vector) -> None:
    """Population variance over ``period`` bars into ``out[start:]``, seeded at ``start``."""
    inv_period = 1.0 / period
    trailing = start - (period - 1)
    sums = np.empty(3)
    sums[0] = x[trailing]
    sums[1] = 0.0
    sums[2] = 0.0
    for j in range(trailing, start):
        deviation = x[j] - sums[0]
        sums[1] += deviation
        deviation *= deviation
        sums[2] += deviation
    reseed_in = 32 * period
    for i in range(start, x.shape[0]):
        deviation = x[i] - sums[0]
        sums[1] += deviation
        deviation *= deviation
        sums[2] += deviation
        mean = sums[1] * inv_period
        variance = sums[2] * inv_period - mean * mean
        deviation = x[trailing] - sums[0]
        sums[1] -= deviation
        deviation *= deviation
        sums[2] -= deviation
        trailing += 1
        reseed_in -= 1
        if (
            variance < 0.000001 * (sums[2] * inv_period)
            or deviation > 1000000.0 * sums[2]
            or reseed_in <= 0
        ):
            reseed_in = 32 * period
            first = i - (period - 1)
            variance = reanchor(x, first, i, period, sums)
            deviation = x[first] - sums[0]
            sums[1] -= deviation
            deviation *= deviation
            sums[2] -= deviation
        out[i] = variance


@kernel
def variance(x: Vector, period: int, out: Vector) -> None:
    """Population variance over ``period`` bars (TA-Lib ignores ``nbdev`` here)."""
    var_into(x, period - 1, period, out)


@kernel
def stddev(x: Vector, period: int, nbdev: float, out: Vector) -> None:
    """Population standard deviation over ``period`` bars, times ``nbdev``."""
    var_into(x, period - 1, period, out)
    for i in range(period - 1, x.shape[0]):
        out[i] = math.sqrt(out[i]) * nbdev if nbdev != 1.0 else math.sqrt(out[i])


@kernel
def bbands(
    x: Vector,
    period: int,
    nbdev_up: float,
    nbdev_down: float,
    matype: int,
    upper: Vector,
    middle: Vector,
    lower: Vector,
) -> None:
    """Bollinger bands: a moving average and ``nbdev`` standard deviations either side."""
    start = max(ma_lookback(period, matype), period - 1)
    deviation = np.empty(x.shape[0])
    if matype == SMA:
        sma_into(x, period - 1, period, middle)
        var_into(x, period - 1, period, deviation)
        for i in range(start, x.shape[0]):
            value = deviation[i]
            deviation[i] = math.sqrt(value) if value != 0.0 else 0.0
    else:
        ma_into(x, ma_lookback(period, matype), period, matype, middle)
        var_into(x, start, period, deviation)
        for i in range(start, x.shape[0]):
            deviation[i] = math.sqrt(deviation[i])
    for i in range(start, x.shape[0]):
        center = middle[i]
        if nbdev_up == nbdev_down:
            width = deviation[i] * nbdev_up
            upper[i] = center + width
            lower[i] = center - width
        else:
            upper[i] = center + (deviation[i] * nbdev_up)
            lower[i] = center - (deviation[i] * nbdev_down)


@kernel
def regression_constants(period: int) -> tuple[float, float]:
    """(sum of x, divisor) of the least-squares fit over x = 0..period-1 (x=0 is newest)."""
    sum_x = float(period) * (period - 1) * 0.5
    sum_x_sqr = float(period) * (period - 1) * (2 * period - 1) / 6.0
    return sum_x, sum_x * sum_x - period * sum_x_sqr


@kernel
def regression_sums(x: Vector, last: int, period: int, sums: Vector) -> None:
    """``sums = [sum y, sum x*y, sum |y|]`` over the window ending at ``last``, oldest first."""
    sum_y = 0.0
    sum_xy = 0.0
    sum_abs = 0.0
    weight = float(period - 1)
    for j in range(last - period + 1, last + 1):
        value = x[j]
        sum_y += value
        sum_xy += weight * value
        sum_abs += abs(value)
        weight -= 1.0
    sums[0] = sum_y
    sums[1] = sum_xy
    sums[2] = sum_abs


@kernel
def linear_regression(x: Vector, period: int, slope_only: bool, out: Vector) -> None:
    """Least-squares line over ``period`` bars: its value at the current bar, or its slope.

    The window sums slide in O(1) and are rebuilt every ``32 * period`` bars, or when the
    departing value outweighs the window a hundredfold, as TA-Lib does.
    """
    sum_x, divisor = regression_constants(period)
    sums = np.empty(3)
    regression_sums(x, period - 1, period, sums)
    reseed_in = 32 * period
    trailing_value = x[0]
    for today in range(period - 1, x.shape[0]):
        if today >= period:
            weighted = float(period) * trailing_value
            sums[1] = sums[1] + sums[0] - weighted
            sums[0] = sums[0] - trailing_value + x[today]
            sums[2] = sums[2] - abs(trailing_value) + abs(x[today])
            reseed_in -= 1
            if reseed_in <= 0 or abs(weighted) > 100.0 * sums[2]:
                reseed_in = 32 * period
                regression_sums(x, today, period, sums)
            trailing_value = x[today - period + 1]
        slope = (period * sums[1] - sum_x * sums[0]) / divisor
        if slope_only:
            out[today] = slope
        else:
            intercept = (sums[0] - slope * sum_x) / period
            out[today] = intercept + slope * float(period - 1)
