"""Wilder's parabolic SAR kernel, bootstrapped the way TA-Lib does it.

The first bar only seeds the state: the trade starts short if the first bar's -DM is
positive, long otherwise; the first SAR is the first bar's low (long) or high (short) and
the first extreme point the second bar's high (long) or low (short). Each later bar emits the
SAR computed on the bar before, then either reverses (the bar penetrated the SAR) or moves
the SAR toward the extreme point by the acceleration factor, clamped to the last two bars.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from jts.contexts.strategy.domain.indicators.jit import helper, kernel

Vector = NDArray[np.float64]


@kernel
def sar_starts_long(high: Vector, low: Vector) -> bool:
    """Direction of the first trade: long unless bar 1 extends bar 0's range more downward."""
    diff_plus = high[1] - high[0]
    diff_minus = low[0] - low[1]
    return not (diff_minus > 0 and diff_plus < diff_minus)


@helper
def max_of(value: float, first: float, second: float) -> float:
    """``value`` raised to ``first`` then to ``second`` (TA-Lib's clamp order)."""
    if value < first:
        value = first
    if value < second:
        value = second
    return value


@helper
def min_of(value: float, first: float, second: float) -> float:
    """``value`` lowered to ``first`` then to ``second`` (TA-Lib's clamp order)."""
    if value > first:
        value = first
    if value > second:
        value = second
    return value


@helper
def accelerate(af: float, acceleration: float, maximum: float) -> float:
    """The acceleration factor after a new extreme, capped at ``maximum``."""
    af += acceleration
    return maximum if af > maximum else af


@helper
def long_step(
    sar: float, ep: float, af: float, bar: Vector, acceleration: float, maximum: float
) -> tuple[float, bool, float, float, float]:
    """One bar of a long trade; ``bar = [prev_high, prev_low, high, low]``.

    Returns ``(emitted, still_long, sar, ep, af)``.
    """
    prev_high, prev_low, high, low = bar[0], bar[1], bar[2], bar[3]
    if low <= sar:
        sar = max_of(ep, prev_high, high)
        emitted = sar
        ep = low
        af = acceleration
        return emitted, False, max_of(sar + af * (ep - sar), prev_high, high), ep, af
    if high > ep:
        ep = high
        af = accelerate(af, acceleration, maximum)
    return sar, True, min_of(sar + af * (ep - sar), prev_low, low), ep, af


@helper
def short_step(
    sar: float, ep: float, af: float, bar: Vector, acceleration: float, maximum: float
) -> tuple[float, bool, float, float, float]:
    """One bar of a short trade; ``bar = [prev_high, prev_low, high, low]``.

    Returns ``(emitted, now_long, sar, ep, af)``.
    """
    prev_high, prev_low, high, low = bar[0], bar[1], bar[2], bar[3]
    if high >= sar:
        sar = min_of(ep, prev_low, low)
        emitted = sar
        ep = high
        af = acceleration
        return emitted, True, min_of(sar + af * (ep - sar), prev_low, low), ep, af
    if low < ep:
        ep = low
        af = accelerate(af, acceleration, maximum)
    return sar, False, max_of(sar + af * (ep - sar), prev_high, high), ep, af


@kernel
def sar(high: Vector, low: Vector, acceleration: float, maximum: float, out: Vector) -> None:
    """Parabolic SAR from bar 1 on: each bar emits the SAR computed on the bar before, then
    reverses when the bar penetrates it or moves it toward the extreme point."""
    if acceleration > maximum:
        acceleration = maximum
    is_long = sar_starts_long(high, low)
    value = low[0] if is_long else high[0]
    ep = high[1] if is_long else low[1]
    af = acceleration
    bar = np.empty(4)
    bar[0], bar[1] = high[1], low[1]
    highs, lows, target = high[1:], low[1:], out[1:]
    for i in range(target.shape[0]):
        bar[2], bar[3] = highs[i], lows[i]
        if is_long:
            emitted, is_long, value, ep, af = long_step(value, ep, af, bar, acceleration, maximum)
        else:
            emitted, is_long, value, ep, af = short_step(value, ep, af, bar, acceleration, maximum)
        target[i] = emitted
        bar[0], bar[1] = bar[2], bar[3]
