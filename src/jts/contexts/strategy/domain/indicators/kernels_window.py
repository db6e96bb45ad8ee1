"""Kernels over a sliding window's extremes and sum: MIN, MAX, MIDPOINT, MIDPRICE, WILLR, SUM.

The extremes use TA-Lib's van Herk / Gil-Werman block scan: the series is cut into blocks
of ``period`` bars; a window ending inside block ``b`` is the union of a suffix of block
``b-1`` and a prefix of block ``b``, so its extreme is the better of a precomputed suffix
extreme and a running prefix extreme. Work per bar is constant whatever the period. Ties and
NaN follow TA-Lib's comparisons exactly (a NaN is never "better", and one that opens a scan
stays), which is what makes a NaN inside the data give TA-Lib's output.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from jts.contexts.strategy.domain.indicators.jit import kernel

Vector = NDArray[np.float64]


@kernel
def block_suffixes(
    high: Vector, low: Vector, block: int, period: int, suffix_high: Vector, suffix_low: Vector
) -> None:
    """Extremes of every suffix of the block ``[block, block + period)``, scanned backward."""
    last = block + period - 1
    top = high[last]
    bottom = low[last]
    suffix_high[period - 1] = top
    suffix_low[period - 1] = bottom
    for i in range(last - 1, block - 1, -1):
        if high[i] > top:
            top = high[i]
        if low[i] < bottom:
            bottom = low[i]
        suffix_high[i - block] = top
        suffix_low[i - block] = bottom


@kernel
def block_extremes(high: Vector, low: Vector, period: int, highest: Vector, lowest: Vector) -> None:
    """Window maximum of ``high`` and minimum of ``low`` for every bar from ``period - 1``."""
    n = high.shape[0]
    suffix_high = np.empty(period)
    suffix_low = np.empty(period)
    block = 0
    while block + period - 1 < n:
        block_suffixes(high, low, block, period, suffix_high, suffix_low)
        today = block + period - 1
        highest[today] = suffix_high[0]
        lowest[today] = suffix_low[0]
        block += period
        top = 0.0
        bottom = 0.0
        for m in range(1, min(n - block, period - 1) + 1):
            value = high[block + m - 1]
            if m == 1 or value > top:
                top = value
            value = low[block + m - 1]
            if m == 1 or value < bottom:
                bottom = value
            best = suffix_high[m]
            if top > best:
                best = top
            worst = suffix_low[m]
            if bottom < worst:
                worst = bottom
            highest[today + m] = best
            lowest[today + m] = worst


@kernel
def window_max(x: Vector, period: int, out: Vector) -> None:
    """Highest value over the last ``period`` bars."""
    block_extremes(x, x, period, out, np.empty(x.shape[0]))


@kernel
def window_min(x: Vector, period: int, out: Vector) -> None:
    """Lowest value over the last ``period`` bars."""
    block_extremes(x, x, period, np.empty(x.shape[0]), out)


@kernel
def midpoint(x: Vector, period: int, out: Vector) -> None:
    """Mean of the highest and lowest value over the last ``period`` bars."""
    lowest = np.empty(x.shape[0])
    block_extremes(x, x, period, out, lowest)
    for i in range(period - 1, x.shape[0]):
        out[i] = (out[i] + lowest[i]) / 2.0


@kernel
def midprice(high: Vector, low: Vector, period: int, out: Vector) -> None:
    """Mean of the highest high and lowest low over the last ``period`` bars."""
    lowest = np.empty(high.shape[0])
    block_extremes(high, low, period, out, lowest)
    for i in range(period - 1, high.shape[0]):
        out[i] = (out[i] + lowest[i]) / 2.0


@kernel
def willr(high: Vector, low: Vector, close: Vector, period: int, out: Vector) -> None:
    """Williams %R: where the close sits in the window's high-low range, clamped to -100..0."""
    lowest = np.empty(high.shape[0])
    block_extremes(high, low, period, out, lowest)
    for i in range(period - 1, high.shape[0]):
        top = out[i]
        diff = (top - lowest[i]) / (-100.0)
        value = (top - close[i]) / diff if diff != 0.0 else 0.0
        if value > 0.0:
            value = 0.0
        elif value < -100.0:
            value = -100.0
        out[i] = value


@kernel
def window_sum(x: Vector, period: int, out: Vector) -> None:
    """Sum of the last ``period`` values by a running total."""
    total = 0.0
    for i in range(period - 1):
        total += x[i]
    for i in range(period - 1, x.shape[0]):
        total += x[i]
        value = total
        total -= x[i - period + 1]
        out[i] = value
