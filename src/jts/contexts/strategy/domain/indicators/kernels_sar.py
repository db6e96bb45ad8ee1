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

from jts.contexts.strategy.domain.indicators.jit import kernel

Vector = NDArray[np.float64]


@kernel
def sar_starts_long(high: Vector, low: Vector) -> bool:
    """Direction of the first trade: long unless bar 1 extends bar 0's range more downward."""
    diff_plus = high[1] - high[0]
    diff_minus = low[0] - low[1]
    return not (diff_minus > 0 and diff_plus < diff_minus)


@kernel
def sar_step(
    state: Vector, new_high: float, new_low: float, acceleration: float, maximum: float
) -> float:
    """Advance ``state = [is_long, sar, ep, af, prev_high, prev_low]`` by one bar.

    Returns the value emitted for the bar.
    """
    prev_high = state[4]
    prev_low = state[5]
    sar = state[1]
    ep = state[2]
    af = state[3]
    if state[0] == 1.0:
        if new_low <= sar:
            state[0] = 0.0
            sar = max_of(ep, prev_high, new_high)
            emitted = sar
            af = acceleration
            ep = new_low
            sar = max_of(sar + af * (ep - sar), prev_high, new_high)
        else:
            emitted = sar
            if new_high > ep:
                ep = new_high
                af += acceleration
                if af > maximum:
                    af = maximum
            sar = min_of(sar + af * (ep - sar), prev_low, new_low)
    elif new_high >= sar:
        state[0] = 1.0
        sar = min_of(ep, prev_low, new_low)
        emitted = sar
        af = acceleration
        ep = new_high
        sar = min_of(sar + af * (ep - sar), prev_low, new_low)
    else:
        emitted = sar
        if new_low < ep:
            ep = new_low
            af += acceleration
            if af > maximum:
                af = maximum
        sar = max_of(sar + af * (ep - sar), prev_high, new_high)
    state[1] = sar
    state[2] = ep
    state[3] = af
    state[4] = new_high
    state[5] = new_low
    return emitted


@kernel
def max_of(value: float, first: float, second: float) -> float:
    """``value`` raised to ``first`` then to ``second`` (TA-Lib's clamp order)."""
    if value < first:
        value = first
    if value < second:
        value = second
    return value


@kernel
def min_of(value: float, first: float, second: float) -> float:
    """``value`` lowered to ``first`` then to ``second`` (TA-Lib's clamp order)."""
    if value > first:
        value = first
    if value > second:
        value = second
    return value


@kernel
def sar_seed(high: Vector, low: Vector, acceleration: float, state: Vector) -> None:
    """Initial ``[is_long, sar, ep, af, prev_high, prev_low]`` from the first two bars."""
    long = sar_starts_long(high, low)
    state[0] = 1.0 if long else 0.0
    state[1] = low[0] if long else high[0]
    state[2] = high[1] if long else low[1]
    state[3] = acceleration
    state[4] = high[1]
    state[5] = low[1]


@kernel
def sar(high: Vector, low: Vector, acceleration: float, maximum: float, out: Vector) -> None:
    """Parabolic SAR from bar 1 on."""
    if acceleration > maximum:
        acceleration = maximum
    state = np.empty(6)
    sar_seed(high, low, acceleration, state)
    for today in range(1, high.shape[0]):
        out[today] = sar_step(state, high[today], low[today], acceleration, maximum)
