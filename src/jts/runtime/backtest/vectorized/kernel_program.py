"""The program step: what a strategy does at a bar's close (steps 1-6 of the package
docstring): ttl expiry, one-cancels-other, the trailing stop, protective orders, exits,
then sized entries.
"""

from __future__ import annotations

import numba
import numpy as np
from numpy.typing import NDArray

from jts.runtime.backtest.vectorized.grid import reserve_is_maker
from jts.runtime.backtest.vectorized.kernel_fills import (
    affordable,
    end_entry,
    hold_factor,
    write_log,
)
from jts.runtime.backtest.vectorized.kernel_orders import (
    decided,
    equity,
    in_band,
    next_seq,
    refused,
    reject,
    reserve_price,
    sellable,
    send_entry,
    units_of,
)
from jts.runtime.backtest.vectorized.layout import (
    B_TICKS,
    BUY,
    CASH,
    K_CANCEL,
    K_MODIFY,
    K_SUBMIT,
    LOCKED,
    P_CURRENCY,
    P_HAS_STOP,
    P_HAS_TARGET,
    P_HAS_TRAIL,
    P_LIMIT_ENTRY,
    P_LOT,
    P_PRICE_SCALE,
    P_SIZING,
    P_TTL,
    Q_CAP,
    Q_DISTANCE,
    Q_ENTRY,
    Q_EXIT,
    Q_LIMIT,
    Q_READY,
    Q_SIZE,
    Q_STOP,
    Q_TARGET,
    Q_TRAIL,
    R_ENTRY,
    R_EXIT,
    R_STOP_LOSS,
    R_TAKE_PROFIT,
    R_TRAILING_STOP,
    S_E_BARS,
    S_E_LIMIT,
    S_E_SEQ,
    S_ENTRY_DONE,
    S_HOLD,
    S_HOLD_LOCKED,
    S_LAST,
    S_PROTECT_FILLED,
    S_S_LEAVES,
    S_S_REASON,
    S_S_SEQ,
    S_S_TRIGGER,
    S_SL_LEVEL,
    S_T_LEAVES,
    S_T_LIMIT,
    S_T_SEQ,
    S_TP_LEVEL,
    S_TRAIL_LEVEL,
    S_X_LEAVES,
    S_X_REASON,
    S_X_REDUCE,
    S_X_SEQ,
    SELL,
    SIZE_KELLY,
    SIZE_PERCENT,
    SIZE_QUANTITY,
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
def program_step(
    i,
    k,
    b,
    signals,
    bars,
    tick_lowers,
    tick_sizes,
    fx,
    spec,
    fspec,
    state,
    gstate,
    money,
    stats,
    log,
    counters,
    overrides,
):  # type: ignore[no-untyped-def]  # pragma: no cover
    sp, fsp, st, gs = spec[i], fspec[i], state[i], gstate[i]
    if st[S_E_SEQ] > 0 and st[S_E_LIMIT] > 0 and 0 < sp[P_TTL] <= st[S_E_BARS]:
        write_log(log, counters, K_CANCEL, k, i, st[S_E_SEQ], BUY, 0, 0, R_ENTRY)
        end_entry(i, k, sp, st, gs, money)
    _one_cancels_other(i, k, st, log, counters)
    in_trade = st[S_E_SEQ] > 0 or st[S_HOLD] >= sp[P_LOT] * hold_factor(sp)
    if sp[P_HAS_TRAIL] == 1 and in_trade:
        _trail(i, k, signals[Q_TRAIL][b], sp, fsp, st, log, counters)
    if st[S_ENTRY_DONE] == 1 and st[S_E_SEQ] == 0 and st[S_X_SEQ] == 0:
        _protect(i, k, sp, fsp, st, log, counters)
    if signals[Q_EXIT][b] and st[S_X_SEQ] == 0 and sellable(sp, st) > 0:
        _exit(i, k, sp, fsp, st, gs, money, log, counters)
    flat = (
        st[S_E_SEQ] == 0
        and st[S_X_SEQ] == 0
        and st[S_S_SEQ] == 0
        and st[S_T_SEQ] == 0
        and sellable(sp, st) == 0
    )
    if flat and signals[Q_ENTRY][b] and signals[Q_READY][b]:
        table = bars[B_TICKS][b]
        lowers, ticks = tick_lowers[table], tick_sizes[table]
        _enter(
            i,
            k,
            b,
            signals,
            lowers,
            ticks,
            fx,
            spec,
            fspec,
            state,
            gstate,
            money,
            stats,
            log,
            counters,
            overrides,
        )
    st[S_ENTRY_DONE] = 0
    st[S_PROTECT_FILLED] = 0


@numba.njit(**_JIT)
def _one_cancels_other(i, k, st, log, counters):  # type: ignore[no-untyped-def]  # pragma: no cover
    filled = st[S_PROTECT_FILLED]
    if filled == 1 and st[S_T_SEQ] > 0:
        write_log(log, counters, K_CANCEL, k, i, st[S_T_SEQ], SELL, 0, 0, R_TAKE_PROFIT)
        st[S_T_SEQ] = 0
    if filled == 2 and st[S_S_SEQ] > 0:
        write_log(log, counters, K_CANCEL, k, i, st[S_S_SEQ], SELL, 0, 0, st[S_S_REASON])
        st[S_S_SEQ] = 0


@numba.njit(**_JIT)
def _stop_level(st):  # type: ignore[no-untyped-def]  # pragma: no cover
    """The protective stop's level and reason: the higher of stop-loss and trailing."""
    if st[S_SL_LEVEL] >= st[S_TRAIL_LEVEL]:
        return st[S_SL_LEVEL], R_STOP_LOSS
    return st[S_TRAIL_LEVEL], R_TRAILING_STOP


@numba.njit(**_JIT)
def _trail(i, k, candidate, sp, fsp, st, log, counters):  # type: ignore[no-untyped-def]  # pragma: no cover
    if candidate > st[S_TRAIL_LEVEL]:
        st[S_TRAIL_LEVEL] = candidate
    if st[S_S_SEQ] == 0:
        return
    level, reason = _stop_level(st)
    trigger = in_band(level, st)
    if trigger <= st[S_S_TRIGGER]:
        return
    if refused(sp, fsp, SELL, st[S_S_LEAVES], trigger, st[S_LAST], 2):
        reject(i, k, SELL, st[S_S_LEAVES], trigger, reason, log, counters)
        return
    st[S_S_TRIGGER], st[S_S_REASON] = trigger, reason
    write_log(log, counters, K_MODIFY, k, i, st[S_S_SEQ], SELL, st[S_S_LEAVES], trigger, reason)


@numba.njit(**_JIT)
def _protect(i, k, sp, fsp, st, log, counters):  # type: ignore[no-untyped-def]  # pragma: no cover
    """Send the stop and the take-profit for the whole sellable holding."""
    quantity = sellable(sp, st)
    if quantity <= 0 or st[S_S_SEQ] > 0 or st[S_T_SEQ] > 0:
        return
    level, reason = _stop_level(st)
    if sp[P_HAS_STOP] == 1 and level > 0:
        trigger = in_band(level, st)
        if refused(sp, fsp, SELL, quantity, trigger, st[S_LAST], 2):
            reject(i, k, SELL, quantity, trigger, reason, log, counters)
        else:
            st[S_S_SEQ], st[S_S_TRIGGER] = next_seq(counters), trigger
            st[S_S_LEAVES], st[S_S_REASON] = quantity, reason
            write_log(log, counters, K_SUBMIT, k, i, st[S_S_SEQ], SELL, quantity, trigger, reason)
    if sp[P_HAS_TARGET] == 1 and st[S_TP_LEVEL] > 0:
        limit = in_band(st[S_TP_LEVEL], st)
        if refused(sp, fsp, SELL, quantity, limit, st[S_LAST], 1):
            reject(i, k, SELL, quantity, limit, R_TAKE_PROFIT, log, counters)
        else:
            st[S_T_SEQ], st[S_T_LIMIT], st[S_T_LEAVES] = next_seq(counters), limit, quantity
            write_log(
                log, counters, K_SUBMIT, k, i, st[S_T_SEQ], SELL, quantity, limit, R_TAKE_PROFIT
            )


@numba.njit(**_JIT)
def _exit(i, k, sp, fsp, st, gs, money, log, counters):  # type: ignore[no-untyped-def]  # pragma: no cover
    """Cancel the entry's rest and the protective orders, then sell the holding at market."""
    if st[S_E_SEQ] > 0:
        write_log(log, counters, K_CANCEL, k, i, st[S_E_SEQ], BUY, 0, 0, R_ENTRY)
        end_entry(i, k, sp, st, gs, money)
    if st[S_S_SEQ] > 0:
        write_log(log, counters, K_CANCEL, k, i, st[S_S_SEQ], SELL, 0, 0, st[S_S_REASON])
        st[S_S_SEQ] = 0
    if st[S_T_SEQ] > 0:
        write_log(log, counters, K_CANCEL, k, i, st[S_T_SEQ], SELL, 0, 0, R_TAKE_PROFIT)
        st[S_T_SEQ] = 0
    quantity = sellable(sp, st)
    if refused(sp, fsp, SELL, quantity, 0, st[S_LAST], 0):
        reject(i, k, SELL, quantity, 0, R_EXIT, log, counters)
        return
    st[S_X_SEQ], st[S_X_LEAVES], st[S_X_REASON], st[S_X_REDUCE] = (
        next_seq(counters),
        quantity,
        R_EXIT,
        0,
    )
    st[S_HOLD_LOCKED] += quantity * hold_factor(sp)
    write_log(log, counters, K_SUBMIT, k, i, st[S_X_SEQ], SELL, quantity, 0, R_EXIT)


@numba.njit(**_JIT)
def kelly_fraction(stats, fraction, cap):  # type: ignore[no-untyped-def]  # pragma: no cover
    """``cap`` until a win and a loss closed, then ``min(cap, k * (W - (1 - W) / R))``."""
    wins, losses = stats[T_WINS], stats[T_LOSSES]
    if wins == 0.0 or losses == 0.0:
        return cap
    rate = wins / stats[T_TRADES]
    payoff = (stats[T_SUM_WIN] / wins) / (stats[T_SUM_LOSS] / losses)
    return min(cap, fraction * (rate - (1.0 - rate) / payoff))


@numba.njit(**_JIT)
def target_quantity(form, value, cap, distance, price, wealth, fx_rate, stats):  # type: ignore[no-untyped-def]  # pragma: no cover
    """The float quantity a sizing form asks for (before lots and cash)."""
    if form == SIZE_QUANTITY:
        return value
    if form == SIZE_PERCENT:
        return wealth * value / (price * fx_rate)
    if form == SIZE_KELLY:
        share = kelly_fraction(stats, value, cap)
        return wealth * share / (price * fx_rate) if share > 0.0 else 0.0
    return wealth * value / (distance * fx_rate)


@numba.njit(**_JIT)
def _enter(
    i,
    k,
    b,
    signals,
    lowers,
    ticks,
    fx,
    spec,
    fspec,
    state,
    gstate,
    money,
    stats,
    log,
    counters,
    overrides,
):  # type: ignore[no-untyped-def]  # pragma: no cover
    sp, st = spec[i], state[i]
    limit = 0
    if sp[P_LIMIT_ENTRY] == 1:
        limit = in_band(signals[Q_LIMIT][b], st)
    reference = limit if limit > 0 else st[S_LAST]
    column = k if fx.shape[1] > 1 else 0
    fx_rate = fx[sp[P_CURRENCY], column]
    price = reference * 10.0 ** -sp[P_PRICE_SCALE]
    wealth = equity(k, spec, state, money, fx)
    asked = target_quantity(
        sp[P_SIZING],
        signals[Q_SIZE][b],
        signals[Q_CAP][b],
        signals[Q_DISTANCE][b],
        price,
        wealth,
        fx_rate,
        stats,
    )
    reserve_at = reserve_price(sp, st, limit, lowers, ticks)
    quantity = units_of(asked, sp)
    if quantity > 0:
        currency = sp[P_CURRENCY]
        free = money[CASH, currency] - money[LOCKED, currency]
        quantity = affordable(sp, quantity, reserve_at, free, reserve_is_maker(sp))
    number, quantity = decided(quantity, counters, overrides)
    st[S_SL_LEVEL], st[S_TP_LEVEL] = signals[Q_STOP][b], signals[Q_TARGET][b]
    st[S_TRAIL_LEVEL] = signals[Q_TRAIL][b]
    send_entry(
        i, k, quantity, limit, reserve_at, number, sp, fspec[i], st, gstate[i], money, log, counters
    )
