"""Volume kernels: OBV, AD, ADOSC and the session-anchored VWAP (not a TA-Lib function)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from jts.contexts.strategy.domain.indicators.jit import fma, helper, kernel

Vector = NDArray[np.float64]
IndexVector = NDArray[np.int64]


@kernel
def obv(x: Vector, volume: Vector, out: Vector) -> None:
    """On-balance volume, starting from the first bar's volume."""
    balance = volume[0]
    previous = x[0]
    for today in range(x.shape[0]):
        value = x[today]
        if value > previous:
            balance += volume[today]
        elif value < previous:
            balance -= volume[today]
        out[today] = balance
        previous = value


@helper
def money_flow_volume(high: float, low: float, close: float, volume: float) -> float:
    """Chaikin's money-flow volume of one bar; 0 for a bar without range."""
    spread = high - low
    if spread > 0.0:
        return (((close - low) - (high - close)) / spread) * volume
    return 0.0


@kernel
def ad(high: Vector, low: Vector, close: Vector, volume: Vector, out: Vector) -> None:
    """Chaikin accumulation/distribution line."""
    line = 0.0
    for today in range(high.shape[0]):
        line += money_flow_volume(high[today], low[today], close[today], volume[today])
        out[today] = line


@kernel
def adosc(
    high: Vector, low: Vector, close: Vector, volume: Vector, fast: int, slow: int, out: Vector
) -> None:
    """Chaikin oscillator: fast EMA minus slow EMA of the A/D line, both seeded on bar 0.

    Each EMA step is ``(1-k)*ema + k*ad`` fused on the first product, as TA-Lib's build
    evaluates it.
    """
    fast_k = 2.0 / (fast + 1)
    fast_beta = 1.0 - fast_k
    slow_k = 2.0 / (slow + 1)
    slow_beta = 1.0 - slow_k
    start = max(fast, slow) - 1
    line = 0.0
    line += money_flow_volume(high[0], low[0], close[0], volume[0])
    fast_ema = line
    slow_ema = line
    highs, lows, closes, volumes = high[1:], low[1:], close[1:], volume[1:]
    for i in range(highs.shape[0]):
        line += money_flow_volume(highs[i], lows[i], closes[i], volumes[i])
        fast_ema = fma(fast_beta, fast_ema, fast_k * line)
        slow_ema = fma(slow_beta, slow_ema, slow_k * line)
        if i + 1 >= start:
            out[i + 1] = fast_ema - slow_ema


@kernel
def vwap(
    high: Vector, low: Vector, close: Vector, volume: Vector, session: IndexVector, out: Vector
) -> None:
    """Volume-weighted average typical price since the start of each session.

    The running sums restart whenever ``session`` changes. A session that has traded no
    volume yet has no VWAP (NaN).
    """
    traded = 0.0
    weighted = 0.0
    current = session[0]
    for today in range(high.shape[0]):
        if session[today] != current:
            current = session[today]
            traded = 0.0
            weighted = 0.0
        typical = (high[today] + low[today] + close[today]) / 3.0
        weighted += typical * volume[today]
        traded += volume[today]
        out[today] = weighted / traded if traded != 0.0 else np.nan
