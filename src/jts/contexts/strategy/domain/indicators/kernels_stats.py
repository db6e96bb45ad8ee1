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

from jts.contexts.strategy.domain.indicators.jit import helper, kernel
from jts.contexts.strategy.domain.indicators.kernels_ma import SMA, ma_lookback, sma_into
from jts.contexts.strategy.domain.indicators.kernels_ma_extra import ma_into

Vector = NDArray[np.float64]


@kernel
def reanchor(x: Vector, first: int, period: int) -> tuple[float, float, float, float]:
    """Rebuild on the window starting at ``first``: ``(shift, sum(d), sum(d*d), variance)``,
    with the deviations ``d`` taken from the window mean."""
    inv_period = 1.0 / period
    window = x[first : first + period]
    total = 0.0
    for j in range(period):
        total += window[j]
    shift = total * inv_period
    total1 = 0.0
    total2 = 0.0
    for j in range(period):
        deviation = window[j] - shift
        total1 += deviation
        deviation *= deviation
        total2 += deviation
    mean = total1 * inv_period
    variance = total2 * inv_period - mean * mean
    if variance < 0.000000000001 * (total2 * inv_period):
        variance = 0.0
    return shift, total1, total2, variance


@kernel
def var_into(x: Vector, start: int, period: int, out: Vector) -> None:
    """Population variance over ``period`` bars into ``out[start:]``, seeded at ``start``."""
    inv_period = 1.0 / period
    first = start - (period - 1)
    shift = x[first]
    total1 = 0.0
    total2 = 0.0
    for j in range(first, start):
        deviation = x[j] - shift
        total1 += deviation
        deviation *= deviation
        total2 += deviation
    reseed_in = 32 * period
    entering, leaving, target = x[start:], x[first:], out[start:]
    for t in range(target.shape[0]):
        deviation = entering[t] - shift
        total1 += deviation
        deviation *= deviation
        total2 += deviation
        mean = total1 * inv_period
        variance = total2 * inv_period - mean * mean
        deviation = leaving[t] - shift
        total1 -= deviation
        deviation *= deviation
        total2 -= deviation
        reseed_in -= 1
        if (
            variance < 0.000001 * (total2 * inv_period)
            or deviation > 1000000.0 * total2
            or reseed_in <= 0
        ):
            reseed_in = 32 * period
            shift, total1, total2, variance = reanchor(x, first + t, period)
            deviation = leaving[t] - shift
            total1 -= deviation
            deviation *= deviation
            total2 -= deviation
        target[t] = variance


@kernel
def variance(x: Vector, period: int, out: Vector) -> None:
    """Population variance over ``period`` bars (TA-Lib ignores ``nbdev`` here)."""
    var_into(x, period - 1, period, out)


@kernel
def stddev(x: Vector, period: int, nbdev: float, out: Vector) -> None:
    """Population standard deviation over ``period`` bars, times ``nbdev``."""
    var_into(x, period - 1, period, out)
    target = out[period - 1 :]
    if nbdev != 1.0:
        for i in range(target.shape[0]):
            target[i] = math.sqrt(target[i]) * nbdev
    else:
        for i in range(target.shape[0]):
            target[i] = math.sqrt(target[i])


@kernel
def bands(
    middle: Vector, deviation: Vector, up: float, down: float, upper: Vector, lower: Vector
) -> None:
    """Upper and lower band from the middle band and the standard deviation."""
    if up == down:
        for i in range(middle.shape[0]):
            width = deviation[i] * up
            upper[i] = middle[i] + width
            lower[i] = middle[i] - width
    else:
        for i in range(middle.shape[0]):
            upper[i] = middle[i] + (deviation[i] * up)
            lower[i] = middle[i] - (deviation[i] * down)


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
    """Bollinger bands: a moving average and ``nbdev`` standard deviations either side.

    The deviation is computed into ``lower``, which the last pass overwrites with the band.
    """
    start = max(ma_lookback(period, matype), period - 1)
    if matype == SMA:
        sma_into(x, period - 1, period, middle)
        var_into(x, period - 1, period, lower)
        deviation = lower[start:]
        for i in range(deviation.shape[0]):
            value = deviation[i]
            deviation[i] = math.sqrt(value) if value != 0.0 else 0.0
    else:
        ma_into(x, ma_lookback(period, matype), period, matype, middle)
        var_into(x, start, period, lower)
        deviation = lower[start:]
        for i in range(deviation.shape[0]):
            deviation[i] = math.sqrt(deviation[i])
    bands(middle[start:], deviation, nbdev_up, nbdev_down, upper[start:], lower[start:])


@helper
def regression_constants(period: int) -> tuple[float, float]:
    """(sum of x, divisor) of the least-squares fit over x = 0..period-1 (x=0 is newest)."""
    sum_x = float(period) * (period - 1) * 0.5
    sum_x_sqr = float(period) * (period - 1) * (2 * period - 1) / 6.0
    return sum_x, sum_x * sum_x - period * sum_x_sqr


@kernel
def regression_sums(x: Vector, first: int, period: int) -> tuple[float, float, float]:
    """``(sum y, sum x*y, sum |y|)`` over ``x[first:first+period]``, oldest first, where the
    oldest bar has x = period - 1 and the newest x = 0."""
    sum_y = 0.0
    sum_xy = 0.0
    sum_abs = 0.0
    weight = float(period - 1)
    window = x[first : first + period]
    for j in range(period):
        value = window[j]
        sum_y += value
        sum_xy += weight * value
        sum_abs += abs(value)
        weight -= 1.0
    return sum_y, sum_xy, sum_abs


@kernel
def linear_regression(x: Vector, period: int, slope_only: bool, out: Vector) -> None:
    """Least-squares line over ``period`` bars: its value at the current bar, or its slope.

    The window sums slide in O(1) and are rebuilt every ``32 * period`` bars, or when the
    departing value outweighs the window a hundredfold, as TA-Lib does.
    """
    sum_x, divisor = regression_constants(period)
    sum_y, sum_xy, sum_abs = regression_sums(x, 0, period)
    reseed_in = 32 * period
    entering, leaving, target = x[period - 1 :], x, out[period - 1 :]
    for t in range(target.shape[0]):
        if t > 0:
            departing = leaving[t - 1]
            weighted = float(period) * departing
            sum_xy = sum_xy + sum_y - weighted
            sum_y = sum_y - departing + entering[t]
            sum_abs = sum_abs - abs(departing) + abs(entering[t])
            reseed_in -= 1
            if reseed_in <= 0 or abs(weighted) > 100.0 * sum_abs:
                reseed_in = 32 * period
                sum_y, sum_xy, sum_abs = regression_sums(x, t, period)
        slope = (period * sum_xy - sum_x * sum_y) / divisor
        if slope_only:
            target[t] = slope
        else:
            intercept = (sum_y - slope * sum_x) / period
            target[t] = intercept + slope * float(period - 1)
