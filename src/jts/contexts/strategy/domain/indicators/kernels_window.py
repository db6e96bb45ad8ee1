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

from jts.contexts.strategy.domain.indicators.jit import helper, kernel
from jts.contexts.strategy.domain.indicators.kernels_ma import EPSILON

Vector = NDArray[np.float64]


@kernel
def block_max(x: Vector, period: int, out: Vector) -> None:
    """Highest value of every ``period``-bar window, from bar ``period - 1`` on."""
    n = x.shape[0]
    suffix = np.empty(period)
    prefix = np.empty(period)
    block = 0
    while block + period <= n:
        segment = x[block : block + period]
        top = segment[period - 1]
        suffix[period - 1] = top
        for i in range(period - 2, -1, -1):
            value = segment[i]
            top = value if value > top else top
            suffix[i] = top
        out[block + period - 1] = suffix[0]
        block += period
        available = min(n - block, period - 1)
        if available <= 0:
            continue
        following = x[block : block + available]
        top = following[0]
        prefix[0] = top
        for i in range(1, available):
            value = following[i]
            top = value if value > top else top
            prefix[i] = top
        older = suffix[1 : available + 1]
        target = out[block : block + available]
        for i in range(available):
            newer = prefix[i]
            target[i] = newer if newer > older[i] else older[i]


@kernel
def block_min(x: Vector, period: int, out: Vector) -> None:
    """Lowest value of every ``period``-bar window, from bar ``period - 1`` on."""
    n = x.shape[0]
    suffix = np.empty(period)
    prefix = np.empty(period)
    block = 0
    while block + period <= n:
        segment = x[block : block + period]
        bottom = segment[period - 1]
        suffix[period - 1] = bottom
        for i in range(period - 2, -1, -1):
            value = segment[i]
            bottom = value if value < bottom else bottom
            suffix[i] = bottom
        out[block + period - 1] = suffix[0]
        block += period
        available = min(n - block, period - 1)
        if available <= 0:
            continue
        following = x[block : block + available]
        bottom = following[0]
        prefix[0] = bottom
        for i in range(1, available):
            value = following[i]
            bottom = value if value < bottom else bottom
            prefix[i] = bottom
        older = suffix[1 : available + 1]
        target = out[block : block + available]
        for i in range(available):
            newer = prefix[i]
            target[i] = newer if newer < older[i] else older[i]


@kernel
def window_max(x: Vector, period: int, out: Vector) -> None:
    """Highest value over the last ``period`` bars."""
    block_max(x, period, out)


@kernel
def window_min(x: Vector, period: int, out: Vector) -> None:
    """Lowest value over the last ``period`` bars."""
    block_min(x, period, out)


MIDDLE, WILLIAMS, STOCHASTIC_K = 0, 1, 2


@helper
def range_value(mode: int, top: float, bottom: float, close: float) -> float:
    """A window's (highest, lowest) turned into the midpoint, Williams %R or raw %K."""
    if mode == MIDDLE:
        return (top + bottom) / 2.0
    if mode == STOCHASTIC_K:
        spread = top - bottom
        if abs(spread) <= EPSILON * (abs(top) + abs(bottom)):
            return 0.0
        return ((close - bottom) / spread) * 100.0
    diff = (top - bottom) / (-100.0)
    value = (top - close) / diff if diff != 0.0 else 0.0
    value = 0.0 if value > 0.0 else value
    return -100.0 if value < -100.0 else value


@kernel
def block_range(
    high: Vector, low: Vector, close: Vector, period: int, mode: int, out: Vector
) -> None:
    """Highest high and lowest low per window in one block scan, combined by ``mode``."""
    n = high.shape[0]
    suffix_high, suffix_low = np.empty(period), np.empty(period)
    prefix_high, prefix_low = np.empty(period), np.empty(period)
    block = 0
    while block + period <= n:
        highs, lows = high[block : block + period], low[block : block + period]
        top, bottom = highs[period - 1], lows[period - 1]
        suffix_high[period - 1], suffix_low[period - 1] = top, bottom
        for i in range(period - 2, -1, -1):
            value = highs[i]
            top = value if value > top else top
            value = lows[i]
            bottom = value if value < bottom else bottom
            suffix_high[i], suffix_low[i] = top, bottom
        out[block + period - 1] = range_value(mode, top, bottom, close[block + period - 1])
        block += period
        available = min(n - block, period - 1)
        if available <= 0:
            continue
        highs, lows = high[block : block + available], low[block : block + available]
        top, bottom = highs[0], lows[0]
        prefix_high[0], prefix_low[0] = top, bottom
        for i in range(1, available):
            value = highs[i]
            top = value if value > top else top
            value = lows[i]
            bottom = value if value < bottom else bottom
            prefix_high[i], prefix_low[i] = top, bottom
        prices, target = close[block : block + available], out[block : block + available]
        for i in range(available):
            top, older = prefix_high[i], suffix_high[i + 1]
            top = top if top > older else older
            bottom, older = prefix_low[i], suffix_low[i + 1]
            bottom = bottom if bottom < older else older
            target[i] = range_value(mode, top, bottom, prices[i])


@kernel
def midpoint(x: Vector, period: int, out: Vector) -> None:
    """Mean of the highest and lowest value over the last ``period`` bars."""
    block_range(x, x, x, period, MIDDLE, out)


@kernel
def midprice(high: Vector, low: Vector, period: int, out: Vector) -> None:
    """Mean of the highest high and lowest low over the last ``period`` bars."""
    block_range(high, low, high, period, MIDDLE, out)


@kernel
def willr(high: Vector, low: Vector, close: Vector, period: int, out: Vector) -> None:
    """Williams %R: where the close sits in the window's high-low range, clamped to -100..0."""
    block_range(high, low, close, period, WILLIAMS, out)


@kernel
def window_sum(x: Vector, period: int, out: Vector) -> None:
    """Sum of the last ``period`` values by a running total."""
    total = 0.0
    for i in range(period - 1):
        total += x[i]
    entering = x[period - 1 :]
    leaving = x[: x.shape[0] - period + 1]
    target = out[period - 1 :]
    for i in range(target.shape[0]):
        total += entering[i]
        value = total
        total -= leaving[i]
        target[i] = value
