"""The exchange step over one bar of one instrument (rules in ``kernel_match``)."""

from __future__ import annotations

import numba
import numpy as np
from numpy.typing import NDArray

from jts.runtime.backtest.vectorized.grid import floor_lot
from jts.runtime.backtest.vectorized.kernel_fills import hold_factor, settle_buy, settle_sell
from jts.runtime.backtest.vectorized.kernel_match import (
    EXHAUSTED,
    cancel_reduce_only,
    capacity,
    capped,
    roll_band,
    slipped,
    used,
)
from jts.runtime.backtest.vectorized.layout import (
    B_HIGH,
    B_LOW,
    B_OPEN,
    B_RURAL,
    B_STT,
    B_TICKS,
    B_VOLUME,
    BUY,
    L_AUX,
    L_SLIP_DECISION,
    P_LOT,
    R_TAKE_PROFIT,
    S_E_BARS,
    S_E_LEAVES,
    S_E_LIMIT,
    S_E_SEQ,
    S_HOLD,
    S_HOLD_LOCKED,
    S_PROTECT_FILLED,
    S_S_LEAVES,
    S_S_REASON,
    S_S_SEQ,
    S_S_TRIGGER,
    S_T_LEAVES,
    S_T_LIMIT,
    S_T_SEQ,
    S_X_LEAVES,
    S_X_REASON,
    S_X_REDUCE,
    S_X_SEQ,
    SELL,
)

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
_JIT = {"cache": True, "nogil": True}


@numba.njit(**_JIT)
def reducible(quantity: int, spec: IntArray, state: IntArray) -> int:  # pragma: no cover
    """A reduce-only sell's quantity: -1 when nothing is free (the order is canceled),
    else at most the free holding, rounded down to the lot (possibly 0: it waits)."""
    free = state[S_HOLD] - state[S_HOLD_LOCKED]
    if free <= 0:
        return -1
    if free < quantity * hold_factor(spec):
        return floor_lot(free // hold_factor(spec), spec[P_LOT])
    return quantity


@numba.njit(**_JIT)
def exchange_step(
    i: int,
    k: int,
    b: int,
    bars: tuple,  # type: ignore[type-arg]
    tick_lowers: IntArray,
    tick_sizes: IntArray,
    run: FloatArray,
    fx: float,
    spec: IntArray,
    state: IntArray,
    gstate: FloatArray,
    money: FloatArray,
    stats: FloatArray,
    log: NDArray[np.int64],
    counters: IntArray,
    overrides: IntArray,
) -> None:  # pragma: no cover
    """Match bar ``b`` against instrument ``i``'s working orders (the caller rolls the
    session first and sets the last price after)."""
    sp, st = spec[i], state[i]
    table = bars[B_TICKS][b]
    if st[S_E_SEQ] > 0:
        st[S_E_BARS] += 1
    bar = (bars[B_HIGH][b], bars[B_LOW][b], bars[B_VOLUME][b])
    taxes = (bars[B_STT][b], bars[B_RURAL][b])
    ctx = (i, k, bars[B_OPEN][b], tick_lowers[table], tick_sizes[table], fx, taxes)
    left = capacity(bars[B_VOLUME][b], sp, run)
    _match(ctx, bar, left, run, sp, st, gstate[i], money, stats, log, counters, overrides)


@numba.njit(**_JIT)
def roll_session(
    i: int,
    b: int,
    bars: tuple,
    tick_lowers: IntArray,
    tick_sizes: IntArray,
    spec: IntArray,
    state: IntArray,  # type: ignore[type-arg]
) -> None:  # pragma: no cover
    """A KRX session starts with bar ``b``: the band around the last close."""
    table = bars[B_TICKS][b]
    roll_band(tick_lowers[table], tick_sizes[table], spec[i], state[i])


@numba.njit(**_JIT)
def _match(ctx, bar, left, run, sp, st, gs, money, stats, log, counters, overrides):  # type: ignore[no-untyped-def]  # pragma: no cover
    sell_left, buy_left = left, left
    open_ = ctx[2]
    if st[S_X_SEQ] > 0:
        sell_left = _sell_market(
            ctx, bar, open_, sell_left, run, sp, st, gs, money, stats, log, counters, overrides
        )
    if st[S_E_SEQ] > 0 and st[S_E_LIMIT] == 0:
        buy_left = _buy(
            ctx, bar, open_, False, buy_left, run, sp, st, gs, money, log, counters, overrides
        )
    if st[S_S_SEQ] > 0 and bar[1] <= st[S_S_TRIGGER]:
        st[S_X_SEQ], st[S_X_LEAVES] = st[S_S_SEQ], st[S_S_LEAVES]
        st[S_X_REASON], st[S_X_REDUCE], st[S_S_SEQ] = st[S_S_REASON], 1, 0
        price = min(st[S_S_TRIGGER], open_)
        sell_left = _sell_market(
            ctx, bar, price, sell_left, run, sp, st, gs, money, stats, log, counters, overrides
        )
    if st[S_T_SEQ] > 0 and st[S_T_LIMIT] < bar[0]:
        sell_left = _sell_target(ctx, sell_left, sp, st, gs, money, stats, log, counters)
    if st[S_E_SEQ] > 0 and st[S_E_LIMIT] > 0 and bar[1] < st[S_E_LIMIT]:
        limit = st[S_E_LIMIT]
        price = open_ if open_ < limit else limit
        buy_left = _buy(
            ctx,
            bar,
            price,
            open_ >= limit,
            buy_left,
            run,
            sp,
            st,
            gs,
            money,
            log,
            counters,
            overrides,
        )


@numba.njit(**_JIT)
def _sell_market(ctx, bar, price, left, run, sp, st, gs, money, stats, log, counters, overrides):  # type: ignore[no-untyped-def]  # pragma: no cover
    """A market sell (the exit, or a triggered stop's rest) at ``price`` before slippage."""
    i, k = ctx[0], ctx[1]
    quantity = capped(st[S_X_LEAVES], left, sp)
    if quantity == EXHAUSTED:
        return left
    reduce = st[S_X_REDUCE] == 1
    if reduce:
        quantity = reducible(quantity, sp, st)
        if quantity < 0:
            cancel_reduce_only(i, k, st[S_X_SEQ], st[S_X_REASON], log, counters)
            st[S_X_SEQ] = 0
            return left
    if quantity == 0:
        return left
    base = price
    price, decision = slipped(
        price, SELL, quantity, bar, ctx[3], ctx[4], sp, st, run, counters, overrides
    )
    row = settle_sell(
        i,
        k,
        st[S_X_SEQ],
        quantity,
        price,
        False,
        st[S_X_REASON],
        reduce,
        ctx[6],
        ctx[5],
        sp,
        st,
        gs,
        money,
        stats,
        log,
        counters,
    )
    if row >= 0:
        log[row, L_SLIP_DECISION] = decision
        log[row, L_AUX] = base
    if reduce:
        st[S_PROTECT_FILLED] = 1
    st[S_X_LEAVES] -= quantity
    if st[S_X_LEAVES] == 0:
        st[S_X_SEQ] = 0
    return used(left, quantity, sp)


@numba.njit(**_JIT)
def _sell_target(ctx, left, sp, st, gs, money, stats, log, counters):  # type: ignore[no-untyped-def]  # pragma: no cover
    """The take-profit limit: ``max(limit, open)``, maker at its limit."""
    i, k, open_ = ctx[0], ctx[1], ctx[2]
    limit = st[S_T_LIMIT]
    price, maker = (open_, False) if open_ > limit else (limit, True)
    quantity = capped(st[S_T_LEAVES], left, sp)
    if quantity == EXHAUSTED:
        return left
    quantity = reducible(quantity, sp, st)
    if quantity < 0:
        cancel_reduce_only(i, k, st[S_T_SEQ], R_TAKE_PROFIT, log, counters)
        st[S_T_SEQ] = 0
        return left
    if quantity == 0:
        return left
    settle_sell(
        i,
        k,
        st[S_T_SEQ],
        quantity,
        price,
        maker,
        R_TAKE_PROFIT,
        True,
        ctx[6],
        ctx[5],
        sp,
        st,
        gs,
        money,
        stats,
        log,
        counters,
    )
    st[S_PROTECT_FILLED] = 2
    st[S_T_LEAVES] -= quantity
    if st[S_T_LEAVES] == 0:
        st[S_T_SEQ] = 0
    return used(left, quantity, sp)


@numba.njit(**_JIT)
def _buy(ctx, bar, price, maker, left, run, sp, st, gs, money, log, counters, overrides):  # type: ignore[no-untyped-def]  # pragma: no cover
    """The entry buy: at the open (market, slipping) or at its limit price."""
    i, k = ctx[0], ctx[1]
    quantity = capped(st[S_E_LEAVES], left, sp)
    if quantity == EXHAUSTED or quantity == 0:
        return left
    decision = -1
    base = price
    if st[S_E_LIMIT] == 0:
        price, decision = slipped(
            price, BUY, quantity, bar, ctx[3], ctx[4], sp, st, run, counters, overrides
        )
    bought = settle_buy(
        i, k, quantity, price, maker, decision, base, sp, st, gs, money, log, counters, overrides
    )
    return used(left, bought, sp)
