"""Oscillator kernels over high/low/close (and volume): CCI, MFI, ULTOSC, BOP."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from jts.contexts.strategy.domain.indicators.jit import helper, kernel
from jts.contexts.strategy.domain.indicators.kernels_ma import EPSILON

Vector = NDArray[np.float64]


@helper
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


@helper
def money_flow_split(typical: float, previous: float, volume: float) -> tuple[float, float]:
    """(positive, negative) money flow of one bar; a flat typical price moves nothing."""
    change = typical - previous
    flow = 0.0 if is_zero_scaled(change, abs(typical) + abs(previous)) else typical * volume
    return (0.0, flow) if change < 0.0 else (flow, 0.0)


@helper
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


@helper
def ultosc_terms(high: float, low: float, close: float, prev_close: float) -> tuple[float, float]:
    """(close - true low, true range) of one bar."""
    true_low = low if low < prev_close else prev_close
    greatest = high - low
    candidate = abs(prev_close - high)
    if candidate > greatest:
        greatest = candidate
    candidate = abs(prev_close - low)
    if candidate > greatest:
        greatest = candidate
    return close - true_low, greatest


@helper
def ultosc_combine(a1: float, b1: float, a2: float, b2: float, a3: float, b3: float) -> float:
    """Weighted average of the three windows' buying-pressure ratios, scaled to 0..100."""
    output = 0.0
    if b1 > 0.0:
        output += 4.0 * (a1 / b1)
    if b2 > 0.0:
        output += 2.0 * (a2 / b2)
    if b3 > 0.0:
        output += a3 / b3
    return 100.0 * (output / 7.0)


@helper
def next_slot(slot: np.uint64, size: np.uint64) -> np.uint64:
    """Advance a ring index (unsigned, so indexing needs no negative-index check)."""
    following = slot + np.uint64(1)
    return np.uint64(0) if following == size else following


@kernel
def ultosc_prime(
    bars: tuple[Vector, Vector, Vector, Vector],
    ring_pressure: Vector,
    ring_range: Vector,
    windows: tuple[int, int, int],
) -> tuple[float, float, float, float, float, float]:
    """Fill the rings with the first ``longest - 1`` bars' terms; return the three windows'
    sums over them: ``(a1, b1, a2, b2, a3, b3)``, shortest window first."""
    high, low, close, prev_close = bars
    short, middle, longest = windows
    a1 = b1 = a2 = b2 = a3 = b3 = 0.0
    for i in range(longest - 1):
        p, r = ultosc_terms(high[i], low[i], close[i], prev_close[i])
        ring_pressure[i] = p
        ring_range[i] = r
        if i >= longest - short:
            a1 += p
            b1 += r
        if i >= longest - middle:
            a2 += p
            b2 += r
        a3 += p
        b3 += r
    return a1, b1, a2, b2, a3, b3


@kernel
def ultosc(
    high: Vector, low: Vector, close: Vector, period1: int, period2: int, period3: int, out: Vector
) -> None:
    """Ultimate oscillator: buying pressure over true range on three windows, weighted 4:2:1
    from the shortest window to the longest, whatever order the periods are given in.

    Each bar's terms are kept in a ring of the longest window's length, as TA-Lib does.
    """
    short = min(period1, period2, period3)
    longest = max(period1, period2, period3)
    middle = period1 + period2 + period3 - short - longest
    n = high.shape[0]
    bars = (high[1:], low[1:], close[1:], close[: n - 1])
    bar_high, bar_low, bar_close, prev_close = bars
    ring_pressure, ring_range, target = np.empty(longest), np.empty(longest), out[1:]
    sums = ultosc_prime(bars, ring_pressure, ring_range, (short, middle, longest))
    a1, b1, a2, b2, a3, b3 = sums
    size = np.uint64(longest)
    slot, leave3 = np.uint64(longest - 1), np.uint64(0)
    leave1, leave2 = np.uint64(longest - short), np.uint64(longest - middle)
    for i in range(longest - 1, n - 1):
        p, r = ultosc_terms(bar_high[i], bar_low[i], bar_close[i], prev_close[i])
        ring_pressure[slot], ring_range[slot] = p, r
        a1, a2, a3, b1, b2, b3 = a1 + p, a2 + p, a3 + p, b1 + r, b2 + r, b3 + r
        target[i] = ultosc_combine(a1, b1, a2, b2, a3, b3)
        a1, b1 = a1 - ring_pressure[leave1], b1 - ring_range[leave1]
        a2, b2 = a2 - ring_pressure[leave2], b2 - ring_range[leave2]
        a3, b3 = a3 - ring_pressure[leave3], b3 - ring_range[leave3]
        slot, leave1 = next_slot(slot, size), next_slot(leave1, size)
        leave2, leave3 = next_slot(leave2, size), next_slot(leave3, size)


@kernel
def bop(open_: Vector, high: Vector, low: Vector, close: Vector, out: Vector) -> None:
    """Balance of power: ``(close - open) / (high - low)``, 0 on a bar without range."""
    for today in range(high.shape[0]):
        spread = high[today] - low[today]
        out[today] = 0.0 if spread <= 0.0 else (close[today] - open_[today]) / spread
