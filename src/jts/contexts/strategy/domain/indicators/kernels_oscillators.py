"""Oscillator kernels over high/low/close (and volume): CCI, MFI, ULTOSC, BOP."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from jts.contexts.strategy.domain.indicators.jit import kernel
from jts.contexts.strategy.domain.indicators.kernels_ma import EPSILON

Vector = NDArray[np.float64]


@kernel
def is_zero_scaled(value: float, scale: float) -> bool:
    """TA-Lib's ``TA_IS_ZERO_SCALED``: zero within ``TA_EPSILON`` of the operands' magnitude."""
    return abs(value) <= EPSILON * scale


@kernel
def cci_value(ring: Vector, last: float, period: int) -> float:
    """CCI of a full ring of typical prices, summed in slot order as TA-Lib sums them."""
    average = 0.0
    for j in range(period):
        average += ring[j]
    average /= period
    deviation = 0.0
    for j in range(period):
        deviation += abs(ring[j] - average)
    offset = last - average
    if is_zero_scaled(offset, abs(last) + abs(average)):
        return 0.0
    return offset / (0.015 * (deviation / period))


@kernel
def cci(high: Vector, low: Vector, close: Vector, period: int, out: Vector) -> None:
    """Commodity channel index: typical price's distance from its mean, in mean deviations."""
    ring = np.empty(period)
    for today in range(high.shape[0]):
        last = (high[today] + low[today] + close[today]) / 3
        ring[today % period] = last
        if today >= period - 1:
            out[today] = cci_value(ring, last, period)


@kernel
def money_flow_split(typical: float, previous: float, volume: float) -> tuple[float, float]:
    """(positive, negative) money flow of one bar; a flat typical price moves nothing."""
    change = typical - previous
    flow = 0.0 if is_zero_scaled(change, abs(typical) + abs(previous)) else typical * volume
    return (0.0, flow) if change < 0.0 else (flow, 0.0)


@kernel
def mfi_ratio(positive: float, negative: float) -> float:
    """``100 * positive / (positive + negative)`` with the numerator clamped into range."""
    total = positive + negative
    if total <= 0.0:
        return 0.0
    clamped = 0.0 if positive < 0.0 else (total if positive > total else positive)
    return 100.0 * (clamped / total)


@kernel
def mfi(high: Vector, low: Vector, close: Vector, volume: Vector, period: int, out: Vector) -> None:
    """Money flow index: RSI-like ratio of up-bar to all money flow over ``period`` bars."""
    positive_ring = np.zeros(period)
    negative_ring = np.zeros(period)
    previous = (high[0] + low[0] + close[0]) / 3.0
    positive = 0.0
    negative = 0.0
    null_run = 0
    for today in range(1, high.shape[0]):
        slot = (today - 1) % period
        if today > period:
            positive -= positive_ring[slot]
            negative -= negative_ring[slot]
        typical = (high[today] + low[today] + close[today]) / 3.0
        up, down = money_flow_split(typical, previous, volume[today])
        previous = typical
        positive_ring[slot] = up
        negative_ring[slot] = down
        positive += up
        negative += down
        null_run = null_run + 1 if up + down == 0.0 else 0
        if null_run >= period:
            null_run = period
            positive = 0.0
            negative = 0.0
        if today >= period:
            out[today] = mfi_ratio(positive, negative)


@kernel
def ultosc_terms(high: Vector, low: Vector, close: Vector, today: int) -> tuple[float, float]:
    """(close - true low, true range) of one bar."""
    previous_close = close[today - 1]
    true_low = low[today] if low[today] < previous_close else previous_close
    greatest = high[today] - low[today]
    candidate = abs(previous_close - high[today])
    if candidate > greatest:
        greatest = candidate
    candidate = abs(previous_close - low[today])
    if candidate > greatest:
        greatest = candidate
    return close[today] - true_low, greatest


@kernel
def ultosc_combine(sums: Vector) -> float:
    """Weighted average of the three windows' buying-pressure ratios, scaled to 0..100."""
    output = 0.0
    if sums[1] > 0.0:
        output += 4.0 * (sums[0] / sums[1])
    if sums[3] > 0.0:
        output += 2.0 * (sums[2] / sums[3])
    if sums[5] > 0.0:
        output += sums[4] / sums[5]
    return 100.0 * (output / 7.0)


@kernel
def ultosc(
    high: Vector, low: Vector, close: Vector, period1: int, period2: int, period3: int, out: Vector
) -> None:
    """Ultimate oscillator: buying pressure over true range on three windows, weighted 4:2:1
    from the shortest window to the longest, whatever order the periods are given in."""
    windows = np.sort(np.array([period1, period2, period3]))
    longest = windows[2]
    n = high.shape[0]
    pressure = np.empty(n)
    ranges = np.empty(n)
    sums = np.zeros(6)
    for today in range(1, n):
        pressure[today], ranges[today] = ultosc_terms(high, low, close, today)
        for w in range(3):
            if today > longest - windows[w]:
                sums[2 * w] += pressure[today]
                sums[2 * w + 1] += ranges[today]
        if today < longest:
            continue
        out[today] = ultosc_combine(sums)
        for w in range(3):
            leaving = today - windows[w] + 1
            sums[2 * w] -= pressure[leaving]
            sums[2 * w + 1] -= ranges[leaving]


@kernel
def bop(open_: Vector, high: Vector, low: Vector, close: Vector, out: Vector) -> None:
    """Balance of power: ``(close - open) / (high - low)``, 0 on a bar without range."""
    for today in range(high.shape[0]):
        spread = high[today] - low[today]
        out[today] = 0.0 if spread <= 0.0 else (close[today] - open_[today]) / spread
