"""Settling fills in the kernel: cash, holdings, reservations, round trips and the log.

Mirrors ``runtime.backtest.exchange.matching`` (``_settle_buy``, ``_payable``,
``_settle_sell``) and ``reservations`` (``buy_reserve``, ``affordable_quantity``) on integer
quantities and ``float64`` cash. Whether a buy can be paid is a *decision*: it is numbered,
can be forced by ``overrides`` and is checked again in ``Decimal`` by the replay. Round
trips follow ``results.TradeBook`` so that kelly sizing sees the same closed trades.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numpy.typing import NDArray

from jts.runtime.backtest.vectorized.grid import (
    fee_rate,
    floor_lot,
    notional_unit,
    quote_fee,
    reserve_is_maker,
    tax_units,
)
from jts.runtime.backtest.vectorized.layout import (
    BUY,
    C_DECISION,
    C_LOG,
    C_STATUS,
    CASH,
    G_E_RESERVE_PRICE,
    G_E_RESERVED,
    G_TRADE_FLOW,
    K_CANCEL,
    K_FILL,
    L_ASKED,
    L_AUX,
    L_COLUMNS,
    L_CUT,
    L_DECISION,
    L_EVENT,
    L_INST,
    L_KIND,
    L_LIQUIDITY,
    L_PRICE,
    L_QTY,
    L_REASON,
    L_SEQ,
    L_SIDE,
    L_SLIP_DECISION,
    LOCKED,
    NO_OVERRIDE,
    P_CURRENCY,
    P_FEE_DEN,
    P_FEE_IN_BASE,
    P_HAS_BAND,
    P_HOLD_EXTRA,
    P_LOT,
    P_QTY_SCALE,
    R_ENTRY,
    S_E_FILLED,
    S_E_LEAVES,
    S_E_SEQ,
    S_ENTRY_DONE,
    S_HOLD,
    S_HOLD_LOCKED,
    S_TRADE_OPEN,
    SELL,
    STATUS_LOG_FULL,
    T_COLUMNS,
    T_LOSSES,
    T_SUM_LOSS,
    T_SUM_WIN,
    T_TRADES,
    T_WINS,
)

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
_JIT = {"cache": True, "nogil": True}


@numba.njit(**_JIT)
def write_log(
    log: NDArray[np.int64],
    counters: IntArray,
    kind: int,
    k: int,
    i: int,
    seq: int,
    side: int,
    quantity: int,
    price: int,
    reason: int,
) -> int:  # pragma: no cover - compiled
    """Append a row (other columns 0, no decision); its index, or -1 when the log is full."""
    row = counters[C_LOG]
    if row >= log.shape[0]:
        counters[C_STATUS] = STATUS_LOG_FULL
        return -1
    counters[C_LOG] = row + 1
    for column in range(L_COLUMNS):
        log[row, column] = 0
    log[row, L_KIND] = kind
    log[row, L_EVENT] = k
    log[row, L_INST] = i
    log[row, L_SEQ] = seq
    log[row, L_SIDE] = side
    log[row, L_QTY] = quantity
    log[row, L_PRICE] = price
    log[row, L_REASON] = reason
    log[row, L_DECISION] = -1
    log[row, L_SLIP_DECISION] = -1
    return row


@numba.njit(**_JIT)
def next_decision(counters: IntArray, overrides: IntArray) -> tuple[int, int]:  # pragma: no cover
    """Number the next decision: ``(number, forced value or NO_OVERRIDE)``."""
    number = counters[C_DECISION]
    counters[C_DECISION] = number + 1
    forced = overrides[number] if number < overrides.shape[0] else NO_OVERRIDE
    return number, forced


@numba.njit(**_JIT)
def hold_factor(spec: IntArray) -> int:  # pragma: no cover
    """Holding units per quantity unit."""
    return 10 ** spec[P_HOLD_EXTRA]


@numba.njit(**_JIT)
def fee_in_quote(spec: IntArray) -> bool:  # pragma: no cover
    return spec[P_FEE_IN_BASE] == 0


@numba.njit(**_JIT)
def buy_cost(spec: IntArray, quantity: int, price: float, maker: bool) -> float:  # pragma: no cover
    """Notional plus the quote fee (Binance buys: the notional only)."""
    notional = price * quantity * notional_unit(spec)
    if fee_in_quote(spec):
        return notional + quote_fee(spec, price, quantity, maker)
    return notional


@numba.njit(**_JIT)
def reserve_amount(spec: IntArray, quantity: int, price: float) -> float:  # pragma: no cover
    """``buy_reserve``: what a buy of ``quantity`` locks at unit ``price``."""
    if quantity <= 0:
        return 0.0
    return buy_cost(spec, quantity, price, reserve_is_maker(spec))


@numba.njit(**_JIT)
def affordable(
    spec: IntArray, quantity: int, price: float, budget: float, maker: bool
) -> int:  # pragma: no cover
    """``affordable_quantity``: the most lots up to ``quantity`` whose cost at ``price``
    (fee at ``maker``) fits ``budget``; the first estimate uses the reservation rate."""
    if buy_cost(spec, quantity, price, maker) <= budget:
        return quantity
    rate = 0.0
    if fee_in_quote(spec):
        rate = fee_rate(spec, reserve_is_maker(spec)) / spec[P_FEE_DEN]
    per_unit = price * notional_unit(spec) * 10.0 ** spec[P_QTY_SCALE]
    estimate = budget / (per_unit * (1.0 + rate))
    lots = floor_lot(math.floor(estimate * 10.0 ** spec[P_QTY_SCALE]), spec[P_LOT])
    q = min(quantity, lots)
    while q > 0 and buy_cost(spec, q, price, maker) > budget:
        q -= spec[P_LOT]
    return max(q, 0)


@numba.njit(**_JIT)
def payable(
    spec: IntArray,
    state: IntArray,
    gstate: FloatArray,
    money: FloatArray,
    quantity: int,
    price: int,
    maker: bool,
) -> tuple[int, bool]:  # pragma: no cover
    """``_payable``: ``(quantity, cut)`` the account can pay for now."""
    currency = spec[P_CURRENCY]
    free = money[CASH, currency] - money[LOCKED, currency]
    reserved = gstate[G_E_RESERVED]
    still = reserve_amount(spec, state[S_E_LEAVES] - quantity, gstate[G_E_RESERVE_PRICE])
    if buy_cost(spec, quantity, float(price), maker) <= free + reserved - still:
        return quantity, False
    return affordable(spec, quantity, float(price), free + reserved, maker), True


@numba.njit(**_JIT)
def release_entry(
    spec: IntArray, gstate: FloatArray, money: FloatArray
) -> None:  # pragma: no cover
    money[LOCKED, spec[P_CURRENCY]] -= gstate[G_E_RESERVED]
    gstate[G_E_RESERVED] = 0.0


@numba.njit(**_JIT)
def end_entry(
    i: int, k: int, spec: IntArray, state: IntArray, gstate: FloatArray, money: FloatArray
) -> None:  # pragma: no cover
    """The entry order is finished (filled, cut or canceled): release what it still locks."""
    release_entry(spec, gstate, money)
    state[S_E_SEQ] = 0
    state[S_E_LEAVES] = 0
    if state[S_E_FILLED] > 0:
        state[S_ENTRY_DONE] = 1


@numba.njit(**_JIT)
def settle_buy(
    i: int,
    k: int,
    quantity: int,
    price: int,
    maker: bool,
    slip_decision: int,
    base_price: int,
    spec: IntArray,
    state: IntArray,
    gstate: FloatArray,
    money: FloatArray,
    log: NDArray[np.int64],
    counters: IntArray,
    overrides: IntArray,
) -> int:  # pragma: no cover
    """Fill ``quantity`` of the entry at ``price``; the quantity bought (0: canceled)."""
    asked = quantity
    number, forced = next_decision(counters, overrides)
    if forced != NO_OVERRIDE:
        quantity, cut = forced >> 1, (forced & 1) == 1
    else:
        quantity, cut = payable(spec, state, gstate, money, quantity, price, maker)
    seq = state[S_E_SEQ]
    if quantity <= 0:
        row = write_log(log, counters, K_CANCEL, k, i, seq, BUY, 0, price, R_ENTRY)
        if row >= 0:
            log[row, L_DECISION] = number
            log[row, L_ASKED] = asked
            log[row, L_LIQUIDITY] = 1 if maker else 0
        end_entry(i, k, spec, state, gstate, money)
        return 0
    _pay(spec, state, gstate, money, quantity, price, maker, cut)
    row = write_log(log, counters, K_FILL, k, i, seq, BUY, quantity, price, R_ENTRY)
    if row >= 0:
        log[row, L_DECISION] = number
        log[row, L_CUT] = 1 if cut else 0
        log[row, L_LIQUIDITY] = 1 if maker else 0
        log[row, L_SLIP_DECISION] = slip_decision
        log[row, L_ASKED] = asked
        log[row, L_AUX] = base_price
    state[S_E_LEAVES] -= quantity
    state[S_E_FILLED] += quantity
    if cut or state[S_E_LEAVES] == 0:
        if cut and state[S_E_LEAVES] > 0:
            write_log(log, counters, K_CANCEL, k, i, seq, BUY, 0, 0, R_ENTRY)
        end_entry(i, k, spec, state, gstate, money)
    return quantity


@numba.njit(**_JIT)
def _pay(
    spec: IntArray,
    state: IntArray,
    gstate: FloatArray,
    money: FloatArray,
    quantity: int,
    price: int,
    maker: bool,
    cut: bool,
) -> None:  # pragma: no cover
    currency = spec[P_CURRENCY]
    still = 0.0
    if not cut:
        still = reserve_amount(spec, state[S_E_LEAVES] - quantity, gstate[G_E_RESERVE_PRICE])
    cost = buy_cost(spec, quantity, float(price), maker)
    money[LOCKED, currency] -= gstate[G_E_RESERVED] - still
    gstate[G_E_RESERVED] = still
    money[CASH, currency] -= cost
    received = quantity * hold_factor(spec)
    if not fee_in_quote(spec):
        received -= quantity * fee_rate(spec, maker)
    if state[S_TRADE_OPEN] == 0:
        state[S_TRADE_OPEN] = 1
        gstate[G_TRADE_FLOW] = 0.0
    gstate[G_TRADE_FLOW] -= cost
    state[S_HOLD] += received


@numba.njit(**_JIT)
def settle_sell(
    i: int,
    k: int,
    seq: int,
    quantity: int,
    price: int,
    maker: bool,
    reason: int,
    reduce_only: bool,
    taxes: tuple[int, int],
    fx: float,
    spec: IntArray,
    state: IntArray,
    gstate: FloatArray,
    money: FloatArray,
    stats: FloatArray,
    log: NDArray[np.int64],
    counters: IntArray,
) -> int:  # pragma: no cover
    """Deliver ``quantity`` at ``price``: proceeds less fee and (KRX) tax; closes the round
    trip when less than a lot is left. The log row written (-1: log full)."""
    fee = quote_fee(spec, float(price), quantity, maker)
    tax = 0.0
    if spec[P_HAS_BAND] == 1:
        tax = tax_units(price * quantity, taxes[0], taxes[1]) * notional_unit(spec)
    proceeds = float(price) * quantity * notional_unit(spec) - fee - tax
    units = quantity * hold_factor(spec)
    state[S_HOLD] -= units
    if not reduce_only:
        state[S_HOLD_LOCKED] -= units
    money[CASH, spec[P_CURRENCY]] += proceeds
    row = write_log(log, counters, K_FILL, k, i, seq, SELL, quantity, price, reason)
    if row >= 0:
        log[row, L_LIQUIDITY] = 1 if maker else 0
    gstate[G_TRADE_FLOW] += proceeds
    if state[S_TRADE_OPEN] == 1 and state[S_HOLD] < spec[P_LOT] * hold_factor(spec):
        _close_trade(gstate[G_TRADE_FLOW] * fx, stats)
        state[S_TRADE_OPEN] = 0
        gstate[G_TRADE_FLOW] = 0.0
    return row


@numba.njit(**_JIT)
def _close_trade(pnl: float, stats: FloatArray) -> None:  # pragma: no cover
    """Count a closed round trip (kelly's inputs) and keep its pnl after the totals."""
    slot = T_COLUMNS + int(stats[T_TRADES])
    if slot < stats.shape[0]:
        stats[slot] = pnl
    stats[T_TRADES] += 1.0
    if pnl > 0.0:
        stats[T_WINS] += 1.0
        stats[T_SUM_WIN] += pnl
    elif pnl < 0.0:
        stats[T_LOSSES] += 1.0
        stats[T_SUM_LOSS] -= pnl
