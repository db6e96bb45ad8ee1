"""The exchange step: one bar of one instrument against its working orders.

Applies ``runtime.backtest.exchange.window``'s bar rules in the matching pass's order
(``matching.Matcher.match``): the KRX band rolls with a new session, market orders fill at
the open, the sell stop triggers at ``low <= trigger`` (a triggered stop is a market order:
its rest works on at the next opens), then the take-profit sell limit (``high > limit``)
and the entry buy limit (``low < limit``). Each side's fills in one bar share the
participation cap. Slippage moves market and stop fills against the order, clipped into
the bar and the band and rounded onto the grid against the order.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numpy.typing import NDArray

from jts.runtime.backtest.vectorized.grid import band_of, floor_lot, round_down, round_up
from jts.runtime.backtest.vectorized.kernel_fills import (
    hold_factor,
    next_decision,
    write_log,
)
from jts.runtime.backtest.vectorized.layout import (
    BUY,
    K_CANCEL,
    NO_OVERRIDE,
    P_BAND_DEN,
    P_BAND_NUM,
    P_CAP_QTY_MUL,
    P_CAP_VOLUME_MUL,
    P_LOT,
    P_QTY_SCALE,
    P_VOLUME_SCALE,
    S_BAND,
    S_BAND_HIGH,
    S_BAND_LOW,
    S_HOLD,
    S_HOLD_LOCKED,
    S_LAST,
    SELL,
    SLIP_FIXED,
    SLIP_NONE,
    X_PARTICIPATION_DEN,
    X_PARTICIPATION_NUM,
    X_SLIP_DEN,
    X_SLIP_KIND,
    X_SLIP_NUM,
)

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
UNLIMITED = -1
EXHAUSTED = -1  # a side's liquidity is used up (``Matcher._quantity`` returning None)
_JIT = {"cache": True, "nogil": True}


@numba.njit(**_JIT)
def roll_band(lowers: IntArray, ticks: IntArray, spec: IntArray, state: IntArray) -> None:
    """A new session: the band around the last price (unknown before any price)."""
    last = state[S_LAST]
    if last <= 0:
        state[S_BAND] = 0
        return
    low, high = band_of(lowers, ticks, last, spec[P_BAND_NUM], spec[P_BAND_DEN])
    state[S_BAND], state[S_BAND_LOW], state[S_BAND_HIGH] = 1, low, high


@numba.njit(**_JIT)
def capacity(volume: int, spec: IntArray, run: FloatArray) -> int:  # pragma: no cover
    """One side's liquidity in a bar, in capacity units (``UNLIMITED`` without a cap)."""
    if run[X_PARTICIPATION_DEN] == 0.0:
        return UNLIMITED
    return volume * int(run[X_PARTICIPATION_NUM]) * spec[P_CAP_VOLUME_MUL]


@numba.njit(**_JIT)
def capped(quantity: int, left: int, spec: IntArray) -> int:  # pragma: no cover
    """``quantity`` within the side's liquidity; ``EXHAUSTED`` when no lot is left."""
    if left == UNLIMITED or left >= quantity * spec[P_CAP_QTY_MUL]:
        return quantity
    lots = floor_lot(left // spec[P_CAP_QTY_MUL], spec[P_LOT])
    return lots if lots > 0 else EXHAUSTED


@numba.njit(**_JIT)
def used(left: int, quantity: int, spec: IntArray) -> int:  # pragma: no cover
    return left if left == UNLIMITED else left - quantity * spec[P_CAP_QTY_MUL]


@numba.njit(**_JIT)
def free_to_reduce(spec: IntArray, state: IntArray) -> int:  # pragma: no cover
    """Free holding in quantity units (``Account.free_holding``, floored)."""
    return (state[S_HOLD] - state[S_HOLD_LOCKED]) // hold_factor(spec)


@numba.njit(**_JIT)
def slipped(
    price: int,
    side: int,
    quantity: int,
    bar: tuple[int, int, int],
    lowers: IntArray,
    ticks: IntArray,
    spec: IntArray,
    state: IntArray,
    run: FloatArray,
    counters: IntArray,
    overrides: IntArray,
) -> tuple[int, int]:  # pragma: no cover
    """``(price, decision)``: the slipped taker price (``Matcher._slipped``); volume-share
    prices are decisions the replay checks (-1: no decision)."""
    kind = int(run[X_SLIP_KIND])
    if kind == SLIP_NONE:
        return price, -1
    if kind == SLIP_FIXED:
        return _fixed_slip(price, side, bar, lowers, ticks, state, run), -1
    number, forced = next_decision(counters, overrides)
    if forced != NO_OVERRIDE:
        return forced, number
    return _volume_slip(price, side, quantity, bar, lowers, ticks, spec, state, run), number


@numba.njit(**_JIT)
def _fixed_slip(
    price: int,
    side: int,
    bar: tuple[int, int, int],
    lowers: IntArray,
    ticks: IntArray,
    state: IntArray,
    run: FloatArray,
) -> int:  # pragma: no cover
    num, den = int(run[X_SLIP_NUM]), int(run[X_SLIP_DEN])
    if num == 0:
        return price
    raw = price * (den + num) if side == BUY else price * (den - num)
    low, high = bar[1], bar[0]
    if state[S_BAND] == 1:
        low, high = max(low, state[S_BAND_LOW]), min(high, state[S_BAND_HIGH])
    if raw > high * den:
        raw, den = high, 1
    elif raw < low * den:
        raw, den = low, 1
    if side == BUY:
        return round_up(lowers, ticks, raw, den)
    return round_down(lowers, ticks, raw, den)


@numba.njit(**_JIT)
def _volume_slip(
    price: int,
    side: int,
    quantity: int,
    bar: tuple[int, int, int],
    lowers: IntArray,
    ticks: IntArray,
    spec: IntArray,
    state: IntArray,
    run: FloatArray,
) -> int:  # pragma: no cover
    volume = bar[2] * 10.0 ** -spec[P_VOLUME_SCALE]
    share = 1.0 if bar[2] <= 0 else min(quantity * 10.0 ** -spec[P_QTY_SCALE] / volume, 1.0)
    move = run[X_SLIP_NUM] * share * share
    if move == 0.0:
        return price
    raw = price * (1.0 + move) if side == BUY else price * (1.0 - move)
    low, high = float(bar[1]), float(bar[0])
    raw = min(max(raw, low), high)
    if state[S_BAND] == 1:
        raw = min(max(raw, float(state[S_BAND_LOW])), float(state[S_BAND_HIGH]))
    scaled = math.floor(raw * 1_000_000.0 + 0.5)
    if side == BUY:
        return round_up(lowers, ticks, scaled, 1_000_000)
    return round_down(lowers, ticks, scaled, 1_000_000)


@numba.njit(**_JIT)
def cancel_reduce_only(
    i: int, k: int, seq: int, reason: int, log: NDArray[np.int64], counters: IntArray
) -> None:  # pragma: no cover
    write_log(log, counters, K_CANCEL, k, i, seq, SELL, 0, 0, reason)
