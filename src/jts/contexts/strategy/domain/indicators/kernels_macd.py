"""Price-oscillator kernels: MACD, MACDEXT, APO and PPO.

MACD (and MACDEXT with three EMAs) seeds its fast EMA on the bars that end where the slow
EMA's seed window ends, as TA-Lib does; APO and PPO seed each average at its own lookback.
The fused EMA paths use TA-Lib's ``k*x + (1-k)*prev`` spelling with ``k`` and ``1-k`` formed
so they sum to exactly one.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from jts.contexts.strategy.domain.indicators.jit import kernel
from jts.contexts.strategy.domain.indicators.kernels_ma import (
    EMA,
    EPSILON,
    SMA,
    TRIMA,
    WMA,
    ma_lookback,
    sma_into,
)
from jts.contexts.strategy.domain.indicators.kernels_ma_extra import ma_into
from jts.contexts.strategy.domain.indicators.kernels_momentum import ema_coefficients

Vector = NDArray[np.float64]


@kernel
def macd(
    x: Vector, fast: int, slow: int, signal: int, line: Vector, trigger: Vector, hist: Vector
) -> None:
    """MACD line (fast EMA - slow EMA), its signal EMA and the histogram, in one pass."""
    if slow < fast:
        fast, slow = slow, fast
    fast_k, fast_beta = ema_coefficients(fast)
    slow_k, slow_beta = ema_coefficients(slow)
    signal_k, signal_beta = ema_coefficients(signal)
    today = 0
    total = 0.0
    for _ in range(slow - fast):
        total += x[today]
        today += 1
    prev_fast = 0.0
    for _ in range(fast):
        prev_fast += x[today]
        total += x[today]
        today += 1
    prev_slow = total / slow
    prev_fast = prev_fast / fast
    value = prev_fast - prev_slow
    prev_signal = 0.0
    prev_signal += value
    for _ in range(signal - 1):
        price = x[today]
        today += 1
        prev_fast = fast_k * price + fast_beta * prev_fast
        prev_slow = slow_k * price + slow_beta * prev_slow
        value = prev_fast - prev_slow
        prev_signal += value
    prev_signal = prev_signal / signal
    start = today - 1
    line[start] = value
    trigger[start] = prev_signal
    hist[start] = value - prev_signal
    while today < x.shape[0]:
        price = x[today]
        prev_fast = fast_k * price + fast_beta * prev_fast
        prev_slow = slow_k * price + slow_beta * prev_slow
        value = prev_fast - prev_slow
        prev_signal = value if signal == 1 else signal_k * value + signal_beta * prev_signal
        line[today] = value
        trigger[today] = prev_signal
        hist[today] = value - prev_signal
        today += 1


@kernel
def macdext(
    x: Vector,
    fast: int,
    fast_type: int,
    slow: int,
    slow_type: int,
    signal: int,
    signal_type: int,
    line: Vector,
    trigger: Vector,
    hist: Vector,
) -> None:
    """MACD with a moving-average type per line; three EMAs (periods >= 2) is plain MACD."""
    all_ema = fast_type == EMA and slow_type == EMA and signal_type == EMA
    if all_ema and fast >= 2 and slow >= 2 and signal >= 2:
        macd(x, fast, slow, signal, line, trigger, hist)
        return
    if slow < fast:
        fast, slow = slow, fast
        fast_type, slow_type = slow_type, fast_type
    largest = max(ma_lookback(fast, fast_type), ma_lookback(slow, slow_type))
    signal_lookback = ma_lookback(signal, signal_type)
    n = x.shape[0]
    slow_ma = np.empty(n)
    difference = np.empty(n)
    ma_into(x, largest, slow, slow_type, slow_ma)
    ma_into(x, largest, fast, fast_type, difference)
    for i in range(largest, n):
        difference[i] = difference[i] - slow_ma[i]
    ma_into(difference[largest:], signal_lookback, signal, signal_type, slow_ma[largest:])
    for i in range(largest + signal_lookback, n):
        line[i] = difference[i]
        trigger[i] = slow_ma[i]
        hist[i] = difference[i] - slow_ma[i]


@kernel
def _fused_ema_difference(
    x: Vector, fast: int, slow: int, fast_out: Vector, slow_out: Vector
) -> None:
    fast_k, fast_beta = ema_coefficients(fast)
    slow_k, slow_beta = ema_coefficients(slow)
    slow_start = slow - 1
    prev_fast = 0.0
    for i in range(fast):
        prev_fast += x[i]
    prev_fast = prev_fast / fast
    for i in range(fast, slow_start + 1):
        prev_fast = fast_k * x[i] + fast_beta * prev_fast
    prev_slow = 0.0
    for i in range(slow):
        prev_slow += x[i]
    prev_slow = prev_slow / slow
    fast_out[slow_start] = prev_fast
    slow_out[slow_start] = prev_slow
    for i in range(slow_start + 1, x.shape[0]):
        price = x[i]
        prev_fast = fast_k * price + fast_beta * prev_fast
        prev_slow = slow_k * price + slow_beta * prev_slow
        fast_out[i] = prev_fast
        slow_out[i] = prev_slow


@kernel
def _two_averages(
    x: Vector, fast: int, slow: int, matype: int, fast_out: Vector, slow_out: Vector
) -> int:
    """Fast and slow averages, each from its own lookback; returns the slow one's first bar."""
    if matype == EMA:
        _fused_ema_difference(x, fast, slow, fast_out, slow_out)
    elif matype == SMA:
        sma_into(x, fast - 1, fast, fast_out)
        sma_into(x, slow - 1, slow, slow_out)
    else:
        ma_into(x, ma_lookback(fast, matype), fast, matype, fast_out)
        ma_into(x, ma_lookback(slow, matype), slow, matype, slow_out)
    return ma_lookback(slow, matype)


@kernel
def apo(x: Vector, fast: int, slow: int, matype: int, out: Vector) -> None:
    """Absolute price oscillator: fast average minus slow average."""
    if slow < fast:
        fast, slow = slow, fast
    fast_ma = np.empty(x.shape[0])
    start = _two_averages(x, fast, slow, matype, fast_ma, out)
    for i in range(start, x.shape[0]):
        out[i] = fast_ma[i] - out[i]


@kernel
def ppo(x: Vector, fast: int, slow: int, matype: int, out: Vector) -> None:
    """Percentage price oscillator: (fast - slow) / slow * 100, 0 where slow is (near) zero.

    For windowed averages (SMA, WMA, TRIMA) a slow window of exact zeros also yields 0,
    as TA-Lib rules, rather than the running sums' residue.
    """
    if slow < fast:
        fast, slow = slow, fast
    fast_ma = np.empty(x.shape[0])
    start = _two_averages(x, fast, slow, matype, fast_ma, out)
    windowed = matype in (SMA, WMA, TRIMA)
    zero_run = 0
    for i in range(0, start):
        zero_run = zero_run + 1 if abs(x[i]) <= 0.0 else 0
    for i in range(start, x.shape[0]):
        zero_run = zero_run + 1 if abs(x[i]) <= 0.0 else 0
        slow_ma = out[i]
        if windowed and zero_run > start:
            zero_run = start
            out[i] = 0.0
        elif not (-EPSILON < slow_ma < EPSILON):
            out[i] = ((fast_ma[i] - slow_ma) / slow_ma) * 100.0
        else:
            out[i] = 0.0
