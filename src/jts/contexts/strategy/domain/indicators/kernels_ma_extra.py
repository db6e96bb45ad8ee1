"""TRIMA, KAMA and T3 kernels, and ``TA_MA``'s switch over every moving-average type."""

from __future__ import annotations

import numpy as np

from jts.contexts.strategy.domain.indicators.jit import fma, helper, kernel
from jts.contexts.strategy.domain.indicators.kernels_ma import (
    DEMA,
    EMA,
    EPSILON,
    KAMA,
    KAMA_DIFF,
    KAMA_SLOWEST,
    SMA,
    T3_DEFAULT_VFACTOR,
    TEMA,
    TRIMA,
    WMA,
    Vector,
    copy_into,
    dema_into,
    ema_into,
    ma_lookback,
    sma_into,
    tema_into,
    wma_into,
)


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


@helper
def kama_ratio(sum_roc1: float, period_roc: float) -> float:
    """KAMA's squared smoothing constant from the efficiency ratio (TA-Lib's guards kept)."""
    ratio = abs(period_roc / sum_roc1)
    ratio = 1.0 if sum_roc1 <= period_roc or (-EPSILON < sum_roc1 < EPSILON) else ratio
    alpha = fma(ratio, KAMA_DIFF, KAMA_SLOWEST)
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
    first = start - period
    seed = x[first : start + 1]
    sum_roc1 = 0.0
    flat_run = 0
    for i in range(period):
        diff = seed[i]
        diff -= seed[i + 1]
        sum_roc1 += abs(diff)
        flat_run = flat_run + 1 if diff == 0.0 else 0
    if flat_run >= period:
        sum_roc1 = 0.0
    trailing_value = seed[0]
    prev = seed[period - 1]
    prev = fma(seed[period] - prev, kama_ratio(sum_roc1, seed[period] - trailing_value), prev)
    out[start] = prev
    entering, previous = x[start + 1 :], x[start:]
    leaving, target = x[first + 1 :], out[start + 1 :]
    for t in range(target.shape[0]):
        value = entering[t]
        departing = leaving[t]
        step = value - previous[t]
        sum_roc1 = (sum_roc1 - abs(trailing_value - departing)) + abs(step)
        trailing_value = departing
        flat_run = (flat_run + 1) * (step == 0.0)
        if flat_run >= period:
            flat_run = period
            sum_roc1 = 0.0
        period_roc = value - departing
        ratio = abs(period_roc / sum_roc1)
        ratio = 1.0 if sum_roc1 <= period_roc or (-EPSILON < sum_roc1 < EPSILON) else ratio
        alpha = fma(ratio, KAMA_DIFF, KAMA_SLOWEST)
        prev = fma(value - prev, alpha * alpha, prev)
        target[t] = prev


@kernel
def t3_seed(x: Vector, first: int, period: int, k: float, e: Vector) -> None:
    """The six chained EMAs as of bar ``first + 6*(period-1)``, each seeded by the mean of
    the first ``period`` values of the one below it."""
    one_minus_k = 1.0 - k
    seed = x[first : first + 6 * (period - 1) + 1]
    total = seed[0]
    for i in range(1, period):
        total += seed[i]
    e[0] = total / period
    bar = period
    for stage in range(1, 6):
        total = e[stage - 1]
        for _ in range(period - 1):
            e[0] = k * seed[bar] + one_minus_k * e[0]
            bar += 1
            for j in range(1, stage):
                e[j] = k * e[j - 1] + one_minus_k * e[j]
            total += e[stage - 1]
        e[stage] = total / period


@kernel
def t3_into(x: Vector, start: int, period: int, vfactor: float, out: Vector) -> None:
    """Tillson's T3: six chained EMAs combined with vFactor-derived coefficients."""
    if period == 1:
        copy_into(x, start, out)
        return
    k = 2.0 / (period + 1.0)
    one_minus_k = 1.0 - k
    e = np.empty(6)
    t3_seed(x, start - 6 * (period - 1), period, k, e)
    e1, e2, e3, e4, e5, e6 = e[0], e[1], e[2], e[3], e[4], e[5]
    v2 = vfactor * vfactor
    c1 = 0 - v2 * vfactor
    c2 = 3.0 * (v2 - c1)
    c3 = (0 - 6.0) * v2 - 3.0 * (vfactor - c1)
    c4 = 1.0 + 3.0 * vfactor - c1 + 3.0 * v2
    out[start] = c1 * e6 + c2 * e5 + c3 * e4 + c4 * e3
    entering, target = x[start + 1 :], out[start + 1 :]
    for i in range(target.shape[0]):
        e1 = k * entering[i] + one_minus_k * e1
        e2 = k * e1 + one_minus_k * e2
        e3 = k * e2 + one_minus_k * e3
        e4 = k * e3 + one_minus_k * e4
        e5 = k * e4 + one_minus_k * e5
        e6 = k * e5 + one_minus_k * e6
        target[i] = c1 * e6 + c2 * e5 + c3 * e4 + c4 * e3


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
