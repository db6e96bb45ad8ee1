"""Momentum kernels: MOM, ROC, ROCP, ROCR, RSI, CMO and TRIX.

Each kernel receives the complete part of the input (from the first bar where every input is
a number) and writes its outputs from its lookback onward, mirroring TA-Lib's C arithmetic.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from jts.contexts.strategy.domain.indicators.jit import helper, kernel

Vector = NDArray[np.float64]

MOM, ROC, ROCP, ROCR = 0, 1, 2, 3


@kernel
def change(x: Vector, period: int, kind: int, out: Vector) -> None:
    """Change against the bar ``period`` bars back as a percent, fraction or ratio (``kind``;
    MOM, the plain difference, is a numpy subtraction in the batch module).

    A zero reference bar yields 0, as in TA-Lib; the test is exact. Each kind has its own
    loop over zero-based slices, which the compiler vectorizes.
    """
    count = x.shape[0] - period
    now = x[period:]
    then = x[:count]
    target = out[period:]
    if kind == ROC:
        for i in range(count):
            target[i] = ((now[i] / then[i]) - 1.0) * 100.0 if then[i] != 0.0 else 0.0
    elif kind == ROCP:
        for i in range(count):
            target[i] = (now[i] - then[i]) / then[i] if then[i] != 0.0 else 0.0
    else:
        for i in range(count):
            target[i] = now[i] / then[i] if then[i] != 0.0 else 0.0


@kernel
def rsi(x: Vector, period: int, out: Vector) -> None:
    """Wilder's relative strength index: smoothed gains over smoothed gains plus losses."""
    inv_period = 1.0 / period
    prev_value = x[0]
    gain = 0.0
    loss = 0.0
    for today in range(1, period + 1):
        value = x[today]
        diff = value - prev_value
        prev_value = value
        up = diff if diff > 0.0 else 0.0
        gain += up
        loss += up - diff
    loss *= inv_period
    gain *= inv_period
    total = gain + loss
    out[period] = 100.0 * (gain / total) if total > 0.0 else 0.0
    for today in range(period + 1, x.shape[0]):
        value = x[today]
        diff = value - prev_value
        prev_value = value
        loss *= period - 1
        gain *= period - 1
        up = diff if diff > 0.0 else 0.0
        gain += up
        loss += up - diff
        loss *= inv_period
        gain *= inv_period
        total = gain + loss
        out[today] = 100.0 * (gain / total) if total > 0.0 else 0.0


@kernel
def cmo(x: Vector, period: int, out: Vector) -> None:
    """Chande momentum oscillator: Wilder-smoothed (gains - losses) / (gains + losses)."""
    prev_value = x[0]
    gain = 0.0
    loss = 0.0
    for today in range(1, period + 1):
        value = x[today]
        diff = value - prev_value
        prev_value = value
        if diff < 0:
            loss -= diff
        else:
            gain += diff
    loss /= period
    gain /= period
    total = gain + loss
    out[period] = 100.0 * ((gain - loss) / total) if total > 0.0 else 0.0
    for today in range(period + 1, x.shape[0]):
        value = x[today]
        diff = value - prev_value
        prev_value = value
        loss *= period - 1
        gain *= period - 1
        if diff < 0:
            loss -= diff
        else:
            gain += diff
        loss /= period
        gain /= period
        total = gain + loss
        out[today] = 100.0 * ((gain - loss) / total) if total > 0.0 else 0.0


@helper
def ema_coefficients(period: int) -> tuple[float, float]:
    """``(k, 1-k)`` the way TA-Lib's fused EMA paths form them, so they sum to exactly 1."""
    beta = float(period - 1) / float(period + 1)
    k = 1.0 - beta
    return k, 1.0 - k


@kernel
def trix(x: Vector, period: int, out: Vector) -> None:
    """One-bar percent rate of change of a triple-smoothed EMA (each EMA seeded by an SMA)."""
    k, beta = ema_coefficients(period)
    today = 0
    total = 0.0
    for _ in range(period):
        total += x[today]
        today += 1
    e1 = total / period
    total = 0.0
    total += e1
    for _ in range(period - 1):
        e1 = k * x[today] + beta * e1
        today += 1
        total += e1
    e2 = total / period
    total = 0.0
    total += e2
    for _ in range(period - 1):
        e1 = k * x[today] + beta * e1
        today += 1
        e2 = k * e1 + beta * e2
        total += e2
    e3 = total / period
    while today < x.shape[0]:
        previous = e3
        e1 = k * x[today] + beta * e1
        e2 = k * e1 + beta * e2
        e3 = k * e2 + beta * e3
        out[today] = ((e3 / previous) - 1.0) * 100.0 if previous != 0.0 else 0.0
        today += 1
