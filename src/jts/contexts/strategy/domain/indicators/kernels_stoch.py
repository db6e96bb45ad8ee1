"""Stochastic and Aroon kernels: STOCHF, STOCH, STOCHRSI, AROON, AROONOSC.

These track the window's extreme by index and rescan the window only when that index leaves
it, as TA-Lib does. The two families break ties differently: the stochastics keep the
earliest extreme on a rescan and take a new bar on a tie; Aroon takes the latest extreme in
both cases. Aroon's output depends on *where* the extreme is, so the tie rule matters.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from jts.contexts.strategy.domain.indicators.jit import helper, kernel
from jts.contexts.strategy.domain.indicators.kernels_ma import EPSILON, ma_lookback
from jts.contexts.strategy.domain.indicators.kernels_ma_extra import ma_into
from jts.contexts.strategy.domain.indicators.kernels_momentum import rsi
from jts.contexts.strategy.domain.indicators.kernels_window import STOCHASTIC_K, block_range

Vector = NDArray[np.float64]


@helper
def earliest_max(x: Vector, first: int, last: int) -> tuple[int, float]:
    """TA-Lib's rescan for the highest value: start on ``x[first]``, take strictly greater."""
    window = x[first : last + 1]
    best_idx = 0
    best = window[0]
    for i in range(1, window.shape[0]):
        if window[i] > best:
            best_idx = i
            best = window[i]
    return first + best_idx, best


@helper
def earliest_min(x: Vector, first: int, last: int) -> tuple[int, float]:
    """TA-Lib's rescan for the lowest value: start on ``x[first]``, take strictly smaller."""
    window = x[first : last + 1]
    best_idx = 0
    best = window[0]
    for i in range(1, window.shape[0]):
        if window[i] < best:
            best_idx = i
            best = window[i]
    return first + best_idx, best


@kernel
def has_nan(a: Vector, b: Vector, c: Vector) -> bool:
    """Whether any of three equally long vectors holds a NaN (a branch-free scan)."""
    found = False
    for i in range(a.shape[0]):
        found |= (a[i] != a[i]) | (b[i] != b[i]) | (c[i] != c[i])
    return found


@kernel
def fast_k(high: Vector, low: Vector, close: Vector, period: int, out: Vector) -> None:
    """Raw %K: ``(close - lowest low) / (highest high - lowest low) * 100`` over ``period``.

    Without NaN the window extremes are the same whichever way they are found, so the fast
    block scan is used; with NaN, TA-Lib's rescan-on-exit rule decides what a NaN does.
    """
    if not has_nan(high, low, close):
        block_range(high, low, close, period, STOCHASTIC_K, out)
        return
    lowest_idx = -1
    highest_idx = -1
    lowest = 0.0
    highest = 0.0
    lookback = period - 1
    lows, highs, closes, target = low[lookback:], high[lookback:], close[lookback:], out[lookback:]
    for t in range(lows.shape[0]):
        if lowest_idx < t:
            lowest_idx, lowest = earliest_min(low, t, t + lookback)
        elif lows[t] <= lowest:
            lowest_idx = t + lookback
            lowest = lows[t]
        if highest_idx < t:
            highest_idx, highest = earliest_max(high, t, t + lookback)
        elif highs[t] >= highest:
            highest_idx = t + lookback
            highest = highs[t]
        diff = highest - lowest
        if abs(diff) <= EPSILON * (abs(highest) + abs(lowest)):
            target[t] = 0.0
        else:
            target[t] = ((closes[t] - lowest) / diff) * 100.0


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
    d_lookback = ma_lookback(fastd_period, fastd_matype)
    fast_k(high, low, close, fastk_period, out_k)
    ma_into(out_k[k_start:], d_lookback, fastd_period, fastd_matype, out_d[k_start:])
    out_k[k_start : k_start + d_lookback] = np.nan


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
    """Slow stochastic: %K smoothed by ``slowk_matype``, and its ``slowd_matype`` average.

    The raw %K is built in ``out_d``, smoothed into ``out_k``, whose average then replaces
    it in ``out_d``: no temporary arrays.
    """
    k_start = fastk_period - 1
    k_lookback = ma_lookback(slowk_period, slowk_matype)
    d_lookback = ma_lookback(slowd_period, slowd_matype)
    slow_start = k_start + k_lookback
    fast_k(high, low, close, fastk_period, out_d)
    ma_into(out_d[k_start:], k_lookback, slowk_period, slowk_matype, out_k[k_start:])
    ma_into(out_k[slow_start:], d_lookback, slowd_period, slowd_matype, out_d[slow_start:])
    out_k[slow_start : slow_start + d_lookback] = np.nan
    out_d[k_start : slow_start + d_lookback] = np.nan


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


@helper
def latest_max(x: Vector, first: int, last: int) -> tuple[int, float]:
    """Aroon's rescan for the highest value: start on ``x[first]``, take greater or equal."""
    window = x[first : last + 1]
    best_idx = 0
    best = window[0]
    for i in range(1, window.shape[0]):
        if window[i] >= best:
            best_idx = i
            best = window[i]
    return first + best_idx, best


@helper
def latest_min(x: Vector, first: int, last: int) -> tuple[int, float]:
    """Aroon's rescan for the lowest value: start on ``x[first]``, take smaller or equal."""
    window = x[first : last + 1]
    best_idx = 0
    best = window[0]
    for i in range(1, window.shape[0]):
        if window[i] <= best:
            best_idx = i
            best = window[i]
    return first + best_idx, best


@kernel
def aroon_scan(
    high: Vector, low: Vector, period: int, oscillator: bool, down: Vector, up: Vector
) -> None:
    """Track the latest lowest low and highest high over ``period + 1`` bars, and write
    Aroon down/up (``100/period * (period - bars since)``) or, for ``oscillator``, up minus
    down into ``up``."""
    factor = 100.0 / period
    lowest_idx = -1
    highest_idx = -1
    lowest = 0.0
    highest = 0.0
    lows, highs = low[period:], high[period:]
    out_down, out_up = down[period:], up[period:]
    for t in range(lows.shape[0]):
        if lowest_idx < t:
            lowest_idx, lowest = latest_min(low, t, t + period)
        elif lows[t] <= lowest:
            lowest_idx = t + period
            lowest = lows[t]
        if highest_idx < t:
            highest_idx, highest = latest_max(high, t, t + period)
        elif highs[t] >= highest:
            highest_idx = t + period
            highest = highs[t]
        if oscillator:
            out_up[t] = factor * (highest_idx - lowest_idx)
        else:
            out_up[t] = factor * (period - (t + period - highest_idx))
            out_down[t] = factor * (period - (t + period - lowest_idx))


@kernel
def aroon(high: Vector, low: Vector, period: int, down: Vector, up: Vector) -> None:
    """Aroon down/up: ``100/period * (period - bars since the window's low/high)``."""
    aroon_scan(high, low, period, False, down, up)


@kernel
def aroonosc(high: Vector, low: Vector, period: int, out: Vector) -> None:
    """Aroon oscillator, up minus down: ``100/period * (high index - low index)``."""
    aroon_scan(high, low, period, True, out, out)
