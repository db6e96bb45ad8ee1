"""Sending orders in the kernel: venue checks, sizing, reservations and protective orders.

``refused`` is ``shared_kernel.venues.rules.validate_order`` for the orders the kernel
builds, which are already on the tick and lot grids and inside the KRX band: minimum and
maximum quantity (Binance ``MARKET_LOT_SIZE`` for market orders), minimum and maximum
order total (valued at the last price for market orders where the venue applies it) and
Binance's percent-price filter for limit prices. A stop-market order is checked as a
market order and its trigger as a limit price without the percent-price filter, as the
simulated exchange does.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numpy.typing import NDArray

from jts.runtime.backtest.vectorized.grid import band_of, ceil_div, clip, floor_lot
from jts.runtime.backtest.vectorized.kernel_fills import (
    hold_factor,
    next_decision,
    reserve_amount,
    write_log,
)
from jts.runtime.backtest.vectorized.layout import (
    BUY,
    C_SEQ,
    CASH,
    F_ASK_DOWN,
    F_ASK_UP,
    F_BID_DOWN,
    F_BID_UP,
    G_E_RESERVE_PRICE,
    G_E_RESERVED,
    K_REJECT,
    K_SKIP,
    K_SUBMIT,
    L_AUX,
    L_DECISION,
    LOCKED,
    NO_OVERRIDE,
    P_BAND_DEN,
    P_BAND_NUM,
    P_BUFFER_DEN,
    P_BUFFER_NUM,
    P_CURRENCY,
    P_HAS_BAND,
    P_HOLD_EXTRA,
    P_LOT,
    P_MAX_MARKET_QTY,
    P_MAX_NOTIONAL,
    P_MAX_NOTIONAL_MARKET,
    P_MAX_QTY,
    P_MIN_NOTIONAL,
    P_MIN_NOTIONAL_MARKET,
    P_MIN_QTY,
    P_PERCENT_PRICE,
    P_PRICE_SCALE,
    P_QTY_SCALE,
    R_ENTRY,
    S_BAND,
    S_BAND_HIGH,
    S_BAND_LOW,
    S_E_BARS,
    S_E_FILLED,
    S_E_LEAVES,
    S_E_LIMIT,
    S_E_QTY,
    S_E_SEQ,
    S_HOLD,
    S_LAST,
)

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
_JIT = {"cache": True, "nogil": True}


@numba.njit(**_JIT)
def _value_at_least(price: int, quantity: int, bound: int) -> bool:  # pragma: no cover
    """``price * quantity >= bound`` without overflow (positive ``quantity``)."""
    return bound <= 0 or price >= ceil_div(bound, quantity)


@numba.njit(**_JIT)
def _value_at_most(price: int, quantity: int, bound: int) -> bool:  # pragma: no cover
    return bound <= 0 or price <= bound // quantity


@numba.njit(**_JIT)
def refused(
    spec: IntArray, fspec: FloatArray, side: int, quantity: int, price: int, last: int, mode: int
) -> bool:  # pragma: no cover
    """Whether the venue refuses the order; ``mode`` 0 market (``price`` unused), 1 limit,
    2 stop-market with trigger ``price``."""
    if quantity <= 0 or quantity < spec[P_MIN_QTY]:
        return True
    if spec[P_MAX_QTY] > 0 and quantity > spec[P_MAX_QTY]:
        return True
    if mode != 1 and _market_refused(spec, quantity, last):
        return True
    if mode == 0:
        return False
    if not _value_at_least(price, quantity, spec[P_MIN_NOTIONAL]):
        return True
    if not _value_at_most(price, quantity, spec[P_MAX_NOTIONAL]):
        return True
    if mode == 1 and spec[P_PERCENT_PRICE] == 1 and last > 0:
        down, up = (F_BID_DOWN, F_BID_UP) if side == BUY else (F_ASK_DOWN, F_ASK_UP)
        return not last * fspec[down] <= price <= last * fspec[up]
    return False


@numba.njit(**_JIT)
def _market_refused(spec: IntArray, quantity: int, last: int) -> bool:  # pragma: no cover
    if spec[P_MAX_MARKET_QTY] > 0 and quantity > spec[P_MAX_MARKET_QTY]:
        return True
    if last <= 0:
        return False
    if spec[P_MIN_NOTIONAL_MARKET] == 1 and not _value_at_least(
        last, quantity, spec[P_MIN_NOTIONAL]
    ):
        return True
    return spec[P_MAX_NOTIONAL_MARKET] == 1 and not _value_at_most(
        last, quantity, spec[P_MAX_NOTIONAL]
    )


@numba.njit(**_JIT)
def in_band(price: int, state: IntArray) -> int:  # pragma: no cover
    """``price`` clipped into the session's KRX band (unchanged without one)."""
    if state[S_BAND] == 1:
        return clip(price, state[S_BAND_LOW], state[S_BAND_HIGH])
    return price


@numba.njit(**_JIT)
def next_seq(counters: IntArray) -> int:  # pragma: no cover
    counters[C_SEQ] += 1
    return counters[C_SEQ]


@numba.njit(**_JIT)
def sellable(spec: IntArray, state: IntArray) -> int:  # pragma: no cover
    """The holding in whole lots (quantity units)."""
    return floor_lot(state[S_HOLD] // hold_factor(spec), spec[P_LOT])


@numba.njit(**_JIT)
def equity(
    k: int, spec: IntArray, state: IntArray, money: FloatArray, fx: FloatArray
) -> float:  # pragma: no cover
    """Cash of every currency plus every holding at its last close, in the base currency."""
    column = k if fx.shape[1] > 1 else 0
    total = 0.0
    for c in range(money.shape[1]):
        total += money[CASH, c] * fx[c, column]
    for j in range(state.shape[0]):
        held = state[j, S_HOLD]
        if held != 0:
            sp = spec[j]
            scale = sp[P_QTY_SCALE] + sp[P_HOLD_EXTRA] + sp[P_PRICE_SCALE]
            total += held * float(state[j, S_LAST]) * 10.0**-scale * fx[sp[P_CURRENCY], column]
    return total


@numba.njit(**_JIT)
def reserve_price(
    spec: IntArray, state: IntArray, limit: int, lowers: IntArray, ticks: IntArray
) -> float:  # pragma: no cover
    """``buy_reserve_price``: the limit; KRX market buys the upper band price (around the
    last price before a band is known); elsewhere the last price plus the buffer."""
    if limit > 0:
        return float(limit)
    last = state[S_LAST]
    if spec[P_HAS_BAND] == 1:
        if state[S_BAND] == 1:
            return float(state[S_BAND_HIGH])
        return float(band_of(lowers, ticks, last, spec[P_BAND_NUM], spec[P_BAND_DEN])[1])
    return last * (1.0 + spec[P_BUFFER_NUM] / spec[P_BUFFER_DEN])


@numba.njit(**_JIT)
def units_of(quantity: float, spec: IntArray) -> int:  # pragma: no cover
    """A float quantity in whole lots; a hair above exact keeps ``0.05`` at 5,000,000 units
    (the replay checks the result in ``Decimal``)."""
    if not quantity > 0.0:
        return 0
    scaled = quantity * 10.0 ** spec[P_QTY_SCALE] * (1.0 + 1e-12)
    if scaled >= 9.0e18:
        return floor_lot(9_000_000_000_000_000_000, spec[P_LOT])
    return floor_lot(math.floor(scaled), spec[P_LOT])


@numba.njit(**_JIT)
def send_entry(
    i: int,
    k: int,
    quantity: int,
    limit: int,
    price: float,
    number: int,
    spec: IntArray,
    fspec: FloatArray,
    state: IntArray,
    gstate: FloatArray,
    money: FloatArray,
    log: NDArray[np.int64],
    counters: IntArray,
) -> bool:  # pragma: no cover
    """Send the sized entry (reserving cash) unless the venue would refuse it."""
    mode = 1 if limit > 0 else 0
    if refused(spec, fspec, BUY, quantity, limit, state[S_LAST], mode):
        row = write_log(log, counters, K_SKIP, k, i, 0, BUY, quantity, limit, R_ENTRY)
        if row >= 0:
            log[row, L_DECISION] = number
        return False
    seq = next_seq(counters)
    reserved = reserve_amount(spec, quantity, price)
    money[LOCKED, spec[P_CURRENCY]] += reserved
    gstate[G_E_RESERVED], gstate[G_E_RESERVE_PRICE] = reserved, price
    state[S_E_SEQ], state[S_E_LIMIT], state[S_E_QTY] = seq, limit, quantity
    state[S_E_LEAVES], state[S_E_FILLED], state[S_E_BARS] = quantity, 0, 0
    row = write_log(log, counters, K_SUBMIT, k, i, seq, BUY, quantity, limit, R_ENTRY)
    if row >= 0:
        log[row, L_DECISION] = number
        log[row, L_AUX] = int(price) if price == math.floor(price) else 0
    return True


@numba.njit(**_JIT)
def decided(
    value: int, counters: IntArray, overrides: IntArray
) -> tuple[int, int]:  # pragma: no cover
    """Number a decision the kernel made as ``value``: ``(number, value or the override)``."""
    number, forced = next_decision(counters, overrides)
    return number, value if forced == NO_OVERRIDE else forced


@numba.njit(**_JIT)
def reject(
    i: int, k: int, side: int, quantity: int, price: int, reason: int, log, counters
) -> None:  # type: ignore[no-untyped-def]  # pragma: no cover
    write_log(log, counters, K_REJECT, k, i, 0, side, quantity, price, reason)
