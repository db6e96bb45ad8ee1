"""Moving-average kernels: SMA, EMA, WMA, DEMA, TEMA, TRIMA, KAMA, T3 and the ``matype`` switch.

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
    today = start - (period - 1)
    total = 0.0
    for _ in range(period):
        total += x[today]
        today += 1
    prev = total / period
    while today <= start:
        prev = ((x[today] - prev) * k) + prev
        today += 1
    out[start] = prev
    while today < x.shape[0]:
        prev = ((x[today] - prev) * k) + prev
        out[today] = prev
        today += 1


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


@kernel
def trima_into(x: Vector, start: int, period: int, out: Vector) -> None:
    """Triangular MA (an SMA of an SMA) kept by three running sums, as TA-Lib does."""
    half = period >> 1
    if period % 2 == 1:
        factor = 1.0 / ((half + 1) * (half + 1))
        trailing = start - (period - 1)
        middle = trailing + half
    else:
        factor = 1.0 / (half * (half + 1))
        trailing = start - (period - 1)
        middle = trailing + half - 1
    today = middle + half
    numerator = 0.0
    numerator_sub = 0.0
    for i in range(middle, trailing - 1, -1):
        numerator_sub += x[i]
        numerator += numerator_sub
    numerator_add = 0.0
    middle += 1
    for i in range(middle, today + 1):
        numerator_add += x[i]
        numerator += numerator_add
    value = x[trailing]
    trailing += 1
    out[today] = numerator * factor
    today += 1
    odd = period % 2 == 1
    while today < x.shape[0]:
        numerator -= numerator_sub
        numerator_sub -= value
        value = x[middle]
        middle += 1
        numerator_sub += value
        if odd:
            numerator += numerator_add
            numerator_add -= value
        else:
            numerator_add -= value
            numerator += numerator_add
        value = x[today]
        numerator_add += value
        numerator += value
        value = x[trailing]
        trailing += 1
        out[today] = numerator * factor
        today += 1


@kernel
def kama_ratio(sum_roc1: float, period_roc: float) -> float:
    """KAMA's squared smoothing constant from the efficiency ratio (TA-Lib's guards kept)."""
    if sum_roc1 <= period_roc or (-EPSILON < sum_roc1 < EPSILON):
        ratio = 1.0
    else:
        ratio = abs(period_roc / sum_roc1)
    alpha = ratio * KAMA_DIFF + KAMA_SLOWEST
    return alpha * alpha


@kernel
def kama_into(x: Vector, start: int, period: int, out: Vector) -> None:
    """Kaufman adaptive MA: an EMA whose factor follows the efficiency ratio.

    The volatility (sum of absolute one-bar changes over the window) is a running sum; after
    ``period`` consecutive unchanged bars it is set to exactly zero, as TA-Lib does, so
    add/subtract residue cannot pass for movement on a flat stretch.
    """
    if period == 1:
        copy_into(x, start, out)
        return
    today = start - period
    trailing = today
    sum_roc1 = 0.0
    flat_run = 0
    for _ in range(period):
        diff = x[today]
        today += 1
        diff -= x[today]
        sum_roc1 += abs(diff)
        flat_run = flat_run + 1 if diff == 0.0 else 0
    if flat_run >= period:
        sum_roc1 = 0.0
    prev = x[today - 1]
    trailing_value = x[trailing]
    trailing += 1
    alpha = kama_ratio(sum_roc1, x[today] - trailing_value)
    prev = (x[today] - prev) * alpha + prev
    out[today] = prev
    today += 1
    while today < x.shape[0]:
        value = x[today]
        leaving = x[trailing]
        trailing += 1
        sum_roc1 -= abs(trailing_value - leaving)
        step = value - x[today - 1]
        sum_roc1 += abs(step)
        trailing_value = leaving
        flat_run = flat_run + 1 if step == 0.0 else 0
        if flat_run >= period:
            flat_run = period
            sum_roc1 = 0.0
        alpha = kama_ratio(sum_roc1, value - leaving)
        prev = (value - prev) * alpha + prev
        out[today] = prev
        today += 1


@kernel
def t3_into(x: Vector, start: int, period: int, vfactor: float, out: Vector) -> None:
    """Tillson's T3: six chained EMAs combined with vFactor-derived coefficients."""
    if period == 1:
        copy_into(x, start, out)
        return
    today = start - 6 * (period - 1)
    k = 2.0 / (period + 1.0)
    one_minus_k = 1.0 - k
    total = x[today]
    today += 1
    for _ in range(period - 1):
        total += x[today]
        today += 1
    e1 = total / period
    total = e1
    for _ in range(period - 1):
        e1 = k * x[today] + one_minus_k * e1
        today += 1
        total += e1
    e2 = total / period
    total = e2
    for _ in range(period - 1):
        e1 = k * x[today] + one_minus_k * e1
        today += 1
        e2 = k * e1 + one_minus_k * e2
        total += e2
    e3 = total / period
    total = e3
    for _ in range(period - 1):
        e1 = k * x[today] + one_minus_k * e1
        today += 1
        e2 = k * e1 + one_minus_k * e2
        e3 = k * e2 + one_minus_k * e3
        total += e3
    e4 = total / period
    total = e4
    for _ in range(period - 1):
        e1 = k * x[today] + one_minus_k * e1
        today += 1
        e2 = k * e1 + one_minus_k * e2
        e3 = k * e2 + one_minus_k * e3
        e4 = k * e3 + one_minus_k * e4
        total += e4
    e5 = total / period
    total = e5
    for _ in range(period - 1):
        e1 = k * x[today] + one_minus_k * e1
        today += 1
        e2 = k * e1 + one_minus_k * e2
        e3 = k * e2 + one_minus_k * e3
        e4 = k * e3 + one_minus_k * e4
        e5 = k * e4 + one_minus_k * e5
        total += e5
    e6 = total / period
    v2 = vfactor * vfactor
    c1 = 0 - v2 * vfactor
    c2 = 3.0 * (v2 - c1)
    c3 = (0 - 6.0) * v2 - 3.0 * (vfactor - c1)
    c4 = 1.0 + 3.0 * vfactor - c1 + 3.0 * v2
    while today <= start:
        e1 = k * x[today] + one_minus_k * e1
        today += 1
        e2 = k * e1 + one_minus_k * e2
        e3 = k * e2 + one_minus_k * e3
        e4 = k * e3 + one_minus_k * e4
        e5 = k * e4 + one_minus_k * e5
        e6 = k * e5 + one_minus_k * e6
    out[start] = c1 * e6 + c2 * e5 + c3 * e4 + c4 * e3
    while today < x.shape[0]:
        e1 = k * x[today] + one_minus_k * e1
        e2 = k * e1 + one_minus_k * e2
        e3 = k * e2 + one_minus_k * e3
        e4 = k * e3 + one_minus_k * e4
        e5 = k * e4 + one_minus_k * e5
        e6 = k * e5 + one_minus_k * e6
        out[today] = c1 * e6 + c2 * e5 + c3 * e4 + c4 * e3
        today += 1


@kernel
def ma_into(x: Vector, start: int, period: int, matype: int, out: Vector) -> None:
    """``TA_MA``: dispatch on ``matype``; a period of 1 copies the input for every type."""
    if period == 1:
        copy_into(x, start, out)
    elif matype == SMA:
        sma_into(x, start, period, out)
    elif matype == EMA:
        ema_into(x, start, period, out)
    elif matype == WMA:
        wma_into(x, start, period, out)
    elif matype == DEMA:
        dema_into(x, start, period, out)
    elif matype == TEMA:
        tema_into(x, start, period, out)
    elif matype == TRIMA:
        trima_into(x, start, period, out)
    elif matype == KAMA:
        kama_into(x, start, period, out)
    else:
        t3_into(x, start, period, T3_DEFAULT_VFACTOR, out)


@kernel
def moving_average(x: Vector, period: int, matype: int, out: Vector) -> None:
    """A standalone average from its own lookback; SMA and TRIMA keep their arithmetic at 1."""
    start = ma_lookback(period, matype)
    if matype == SMA:
        sma_into(x, start, period, out)
    elif matype == TRIMA:
        trima_into(x, start, period, out)
    else:
        ma_into(x, start, period, matype, out)


@kernel
def generic_ma(x: Vector, period: int, matype: int, out: Vector) -> None:
    """``TA_MA`` from its own lookback (period 1 copies the input for every type)."""
    ma_into(x, ma_lookback(period, matype), period, matype, out)


@kernel
def t3(x: Vector, period: int, vfactor: float, out: Vector) -> None:
    """T3 with an explicit vFactor, from its own lookback."""
    t3_into(x, 6 * (period - 1), period, vfactor, out)
