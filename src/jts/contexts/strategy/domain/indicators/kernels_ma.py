"""Moving-average kernels: SMA, EMA, WMA, DEMA, TEMA (TRIMA, KAMA, T3 in ``kernels_ma_extra``).

Each ``*_into(x, start, period, out)`` writes ``out[start:]`` and leaves the rest alone. Like
TA-Lib's ``startIdx``, ``start`` may lie beyond the average's lookback: the average is then
seeded at ``start - lookback`` rather than at bar 0, which is how TA-Lib's composite
indicators (MACDEXT, STOCH, BBANDS...) call their moving averages, and it changes the values
of every seeded average. The arithmetic follows TA-Lib's C line by line (same operations,
same order) so the streaming classes can reproduce it bit for bit.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from jts.contexts.strategy.domain.indicators.jit import kernel

Vector = NDArray[np.float64]

SMA, EMA, WMA, DEMA, TEMA, TRIMA, KAMA, T3 = 0, 1, 2, 3, 4, 5, 6, 8
T3_DEFAULT_VFACTOR = 0.7
KAMA_FASTEST = 2.0 / (2.0 + 1.0)
KAMA_SLOWEST = 2.0 / (30.0 + 1.0)
KAMA_DIFF = KAMA_FASTEST - KAMA_SLOWEST
EPSILON = 0.00000000000001
"""TA-Lib's ``TA_EPSILON``: the ``TA_IS_ZERO`` band of the build under test."""


@kernel
def ma_lookback(period: int, matype: int) -> int:
    """Bars TA-Lib's ``TA_MA`` consumes before its first output."""
    if period <= 1:
        return 0
    if matype == DEMA:
        return 2 * (period - 1)
    if matype == TEMA:
        return 3 * (period - 1)
    if matype == KAMA:
        return period
    if matype == T3:
        return 6 * (period - 1)
    return period - 1


@kernel
def copy_into(x: Vector, start: int, out: Vector) -> None:
    """``TA_MA`` at period 1: no smoothing, the output is the input."""
    for i in range(start, x.shape[0]):
        out[i] = x[i]


@kernel
def sma_into(x: Vector, start: int, period: int, out: Vector) -> None:
    """Simple moving average by a running total (add the new bar, emit, drop the oldest)."""
    trailing = start - (period - 1)
    total = 0.0
    i = trailing
    if period > 1:
        while i < start:
            total += x[i]
            i += 1
    while i < x.shape[0]:
        total += x[i]
        value = total
        total -= x[trailing]
        trailing += 1
        out[i] = value / period
        i += 1


@kernel
def ema_into(x: Vector, start: int, period: int, out: Vector) -> None:
    """Exponential moving average seeded by the simple average of its first ``period`` bars."""
    if period == 1:
        copy_into(x, start, out)
        return
    k = 2.0 / (period + 1)
    seed = x[start - (period - 1) : start + 1]
    total = 0.0
    for i in range(period):
        total += seed[i]
    prev = total / period
    out[start] = prev
    entering, target = x[start + 1 :], out[start + 1 :]
    for i in range(target.shape[0]):
        prev = ((entering[i] - prev) * k) + prev
        target[i] = prev


@kernel
def wma_into(x: Vector, start: int, period: int, out: Vector) -> None:
    """Linearly weighted MA kept by a weighted and a plain running sum.

    Both sums are rebuilt from the window every ``8 * period`` bars, as TA-Lib does, so
    rounding residue cannot accumulate over long series.
    """
    if period == 1:
        copy_into(x, start, out)
        return
    divider = float(period) * (period + 1) / 2.0
    trailing = start - (period - 1)
    period_sub = 0.0
    period_sum = 0.0
    i = trailing
    weight = 1
    while i < start:
        value = x[i]
        period_sub += value
        period_sum += value * weight
        weight += 1
        i += 1
    reseed_in = 8 * period
    trailing_value = 0.0
    while i < x.shape[0]:
        value = x[i]
        period_sub += value
        period_sub -= trailing_value
        period_sum += value * period
        reseed_in -= 1
        if reseed_in <= 0:
            reseed_in = 8 * period
            period_sub = 0.0
            period_sum = 0.0
            weight = 1
            for j in range(i - (period - 1), i + 1):
                value = x[j]
                period_sub += value
                period_sum += value * weight
                weight += 1
        trailing_value = x[trailing]
        trailing += 1
        out[i] = period_sum / divider
        period_sum -= period_sub
        i += 1


@kernel
def dema_into(x: Vector, start: int, period: int, out: Vector) -> None:
    """Double EMA, ``2*EMA - EMA(EMA)``, both EMAs advanced in one lockstep pass."""
    if period == 1:
        copy_into(x, start, out)
        return
    lookback = period - 1
    k = 2.0 / (period + 1)
    today = start - 2 * lookback
    total = 0.0
    for _ in range(period):
        total += x[today]
        today += 1
    e1 = total / period
    while today <= start - lookback:
        e1 = ((x[today] - e1) * k) + e1
        today += 1
    total = 0.0
    total += e1
    for _ in range(period - 1):
        e1 = ((x[today] - e1) * k) + e1
        today += 1
        total += e1
    e2 = total / period
    while today <= start:
        e1 = ((x[today] - e1) * k) + e1
        e2 = ((e1 - e2) * k) + e2
        today += 1
    out[start] = (2.0 * e1) - e2
    while today < x.shape[0]:
        e1 = ((x[today] - e1) * k) + e1
        e2 = ((e1 - e2) * k) + e2
        out[today] = (2.0 * e1) - e2
        today += 1


@kernel
def tema_into(x: Vector, start: int, period: int, out: Vector) -> None:
    """Triple EMA, ``3*EMA - 3*EMA(EMA) + EMA(EMA(EMA))``, in one lockstep pass."""
    if period == 1:
        copy_into(x, start, out)
        return
    lookback = period - 1
    k = 2.0 / (period + 1)
    today = start - 3 * lookback
    total = 0.0
    for _ in range(period):
        total += x[today]
        today += 1
    e1 = total / period
    while today <= start - 2 * lookback:
        e1 = ((x[today] - e1) * k) + e1
        today += 1
    total = 0.0
    total += e1
    for _ in range(period - 1):
        e1 = ((x[today] - e1) * k) + e1
        today += 1
        total += e1
    e2 = total / period
    while today <= start - lookback:
        e1 = ((x[today] - e1) * k) + e1
        e2 = ((e1 - e2) * k) + e2
        today += 1
    total = 0.0
    total += e2
    for _ in range(period - 1):
        e1 = ((x[today] - e1) * k) + e1
        e2 = ((e1 - e2) * k) + e2
        today += 1
        total += e2
    e3 = total / period
    while today <= start:
        e1 = ((x[today] - e1) * k) + e1
        e2 = ((e1 - e2) * k) + e2
        e3 = ((e2 - e3) * k) + e3
        today += 1
    out[start] = e3 + ((3.0 * e1) - (3.0 * e2))
    while today < x.shape[0]:
        e1 = ((x[today] - e1) * k) + e1
        e2 = ((e1 - e2) * k) + e2
        e3 = ((e2 - e3) * k) + e3
        out[today] = e3 + ((3.0 * e1) - (3.0 * e2))
        today += 1
