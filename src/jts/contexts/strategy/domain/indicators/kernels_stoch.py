"""Stochastic and Aroon kernels: STOCHF, STOCH, STOCHRSI, AROON, AROONOSC.

These track the window's extreme by index and rescan the window only when that index leaves
it, as TA-Lib does. The two families break ties differently: the stochastics keep the
earliest extreme on a rescan and take a new bar on a tie; Aroon takes the latest extreme in
both cases. Aroon's output depends on *where* the extreme is, so the tie rule matters.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from jts.contexts.strategy.domain.indicators.jit import kernel
from jts.contexts.strategy.domain.indicators.kernels_ma import EPSILON, ma_lookback
from jts.contexts.strategy.domain.indicators.kernels_ma_extra import ma_into
from jts.contexts.strategy.domain.indicators.kernels_momentum import rsi

Vector = NDArray[np.float64]
IndexVector = NDArray[np.int64]


@kernel
def earliest_max(x: Vector, first: int, last: int) -> tuple[int, float]:
    """TA-Lib's rescan for the highest value: start on ``x[first]``, take strictly greater."""
    best_idx = first
    best = x[first]
    for i in range(first + 1, last + 1):
        if x[i] > best:
            best_idx = i
            best = x[i]
    return best_idx, best


@kernel
def earliest_min(x: Vector, first: int, last: int) -> tuple[int, float]:
    """TA-Lib's rescan for the lowest value: start on ``x[first]``, take strictly smaller."""
    best_idx = first
    best = x[first]
    for i in range(first + 1, last + 1):
        if x[i] < best:
            best_idx = i
            best = x[i]
    return best_idx, best


@kernel
def fast_k(high: Vector, low: Vector, close: Vector, period: int, out: Vector) -> None:
    """Raw %K: ``(close - lowest low) / (highest high - lowest low) * 100`` over ``period``."""
    lowest_idx = -1
    highest_idx = -1
    lowest = 0.0
    highest = 0.0
    for today in range(period - 1, high.shape[0]):
        trailing = today - period + 1
        if lowest_idx < trailing:
            lowest_idx, lowest = earliest_min(low, trailing, today)
        elif low[today] <= lowest:
            lowest_idx = today
            lowest = low[today]
        if highest_idx < trailing:
            highest_idx, highest = earliest_max(high, trailing, today)
        elif high[today] >= highest:
            highest_idx = today
            highest = high[today]
        diff = highest - lowest
        if abs(diff) <= EPSILON * (abs(highest) + abs(lowest)):
            out[today] = 0.0
        else:
            out[today] = ((close[today] - lowest) / diff) * 100.0


@kernel
def stochf(
    high: Vector,
    low: Vector,
    close: Vector,
    fastk_period: int,
    fastd_period: int,
    fastd_matype: int,
    out_k: Vector,
    out_d: Vector,
) -> None:
    """Fast stochastic: raw %K and its ``fastd_matype`` average %D."""
    k_start = fastk_period - 1
    raw = np.empty(high.shape[0])
    fast_k(high, low, close, fastk_period, raw)
    d_start = ma_lookback(fastd_period, fastd_matype)
    ma_into(raw[k_start:], d_start, fastd_period, fastd_matype, out_d[k_start:])
    for i in range(k_start + d_start, high.shape[0]):
        out_k[i] = raw[i]


@kernel
def stoch(
    high: Vector,
    low: Vector,
    close: Vector,
    fastk_period: int,
    slowk_period: int,
    slowk_matype: int,
    slowd_period: int,
    slowd_matype: int,
    out_k: Vector,
    out_d: Vector,
) -> None:
    """Slow stochastic: %K smoothed by ``slowk_matype``, and its ``slowd_matype`` average."""
    k_start = fastk_period - 1
    raw = np.empty(high.shape[0])
    fast_k(high, low, close, fastk_period, raw)
    slow_start = k_start + ma_lookback(slowk_period, slowk_matype)
    smoothed = np.empty(high.shape[0])
    ma_into(raw[k_start:], slow_start - k_start, slowk_period, slowk_matype, smoothed[k_start:])
    d_lookback = ma_lookback(slowd_period, slowd_matype)
    ma_into(smoothed[slow_start:], d_lookback, slowd_period, slowd_matype, out_d[slow_start:])
    for i in range(slow_start + d_lookback, high.shape[0]):
        out_k[i] = smoothed[i]


@kernel
def stochrsi(
    x: Vector,
    timeperiod: int,
    fastk_period: int,
    fastd_period: int,
    fastd_matype: int,
    out_k: Vector,
    out_d: Vector,
) -> None:
    """Fast stochastic of the RSI."""
    values = np.empty(x.shape[0])
    rsi(x, timeperiod, values)
    tail = values[timeperiod:]
    stochf(tail, tail, tail, fastk_period, fastd_period, fastd_matype,
           out_k[timeperiod:], out_d[timeperiod:])  # fmt: skip


@kernel
def latest_max(x: Vector, first: int, last: int) -> tuple[int, float]:
    """Aroon's rescan for the highest value: start on ``x[first]``, take greater or equal."""
    best_idx = first
    best = x[first]
    for i in range(first + 1, last + 1):
        if x[i] >= best:
            best_idx = i
            best = x[i]
    return best_idx, best


@kernel
def latest_min(x: Vector, first: int, last: int) -> tuple[int, float]:
    """Aroon's rescan for the lowest value: start on ``x[first]``, take smaller or equal."""
    best_idx = first
    best = x[first]
    for i in range(first + 1, last + 1):
        if x[i] <= best:
            best_idx = i
            best = x[i]
    return best_idx, best


@kernel
def aroon_extremes(
    high: Vector, low: Vector, period: int, low_at: IndexVector, high_at: IndexVector
) -> None:
    """Index of the latest lowest low and latest highest high over ``period + 1`` bars."""
    lowest_idx = -1
    highest_idx = -1
    lowest = 0.0
    highest = 0.0
    for today in range(period, high.shape[0]):
        trailing = today - period
        if lowest_idx < trailing:
            lowest_idx, lowest = latest_min(low, trailing, today)
        elif low[today] <= lowest:
            lowest_idx = today
            lowest = low[today]
        if highest_idx < trailing:
            highest_idx, highest = latest_max(high, trailing, today)
        elif high[today] >= highest:
            highest_idx = today
            highest = high[today]
        low_at[today] = lowest_idx
        high_at[today] = highest_idx


@kernel
def aroon(high: Vector, low: Vector, period: int, down: Vector, up: Vector) -> None:
    """Aroon down/up: ``100/period * (period - bars since the window's low/high)``."""
    n = high.shape[0]
    low_at = np.empty(n, dtype=np.int64)
    high_at = np.empty(n, dtype=np.int64)
    aroon_extremes(high, low, period, low_at, high_at)
    factor = 100.0 / period
    for today in range(period, n):
        up[today] = factor * (period - (today - high_at[today]))
        down[today] = factor * (period - (today - low_at[today]))


@kernel
def aroonosc(high: Vector, low: Vector, period: int, out: Vector) -> None:
    """Aroon oscillator, up minus down: ``100/period * (high index - low index)``."""
    n = high.shape[0]
    low_at = np.empty(n, dtype=np.int64)
    high_at = np.empty(n, dtype=np.int64)
    aroon_extremes(high, low, period, low_at, high_at)
    factor = 100.0 / period
    for today in range(period, n):
        out[today] = factor * (high_at[today] - low_at[today])
