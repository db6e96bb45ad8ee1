"""The kernel's main loop: every bar of the merged timeline, then the equity curve.

``simulate`` walks the events (one bar of one instrument each, in close-time order, ties
in universe order): the exchange step fills working orders on the bar, the program step
acts on its signals, and after the last bar of each close time the equity (cash plus
holdings at their last close, in the base currency) is written as one point.
"""

from __future__ import annotations

import numba
import numpy as np
from numpy.typing import NDArray

from jts.runtime.backtest.vectorized.kernel_exchange import exchange_step, roll_session
from jts.runtime.backtest.vectorized.kernel_program import program_step
from jts.runtime.backtest.vectorized.layout import (
    B_CLOSE,
    B_ROLL,
    C_POINT,
    C_STATUS,
    CASH,
    P_CURRENCY,
    P_HAS_BAND,
    P_HAS_TRAIL,
    P_HOLD_EXTRA,
    P_PRICE_SCALE,
    P_QTY_SCALE,
    Q_ENTRY,
    Q_EXIT,
    S_E_SEQ,
    S_ENTRY_DONE,
    S_HOLD,
    S_LAST,
    S_PROTECT_FILLED,
    S_S_SEQ,
    S_T_SEQ,
    S_X_SEQ,
    STATUS_LOG_FULL,
)

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@numba.njit(cache=True, nogil=True, inline="always")
def _working(state: IntArray) -> bool:  # pragma: no cover
    return (state[S_E_SEQ] | state[S_X_SEQ] | state[S_S_SEQ] | state[S_T_SEQ]) != 0


@numba.njit(cache=True, nogil=True, inline="always")
def _program_idle(
    state: IntArray, spec: IntArray, entry: bool, exit_: bool
) -> bool:  # pragma: no cover
    """Nothing for the program step to do on this bar (the common case)."""
    if entry or exit_ or _working(state):
        return False
    if state[S_ENTRY_DONE] or state[S_PROTECT_FILLED]:
        return False
    return not (spec[P_HAS_TRAIL] == 1 and state[S_HOLD] > 0)


@numba.njit(cache=True, nogil=True, inline="always")
def _worth(
    column: int,
    spec: IntArray,
    state: IntArray,
    money: FloatArray,
    fx: FloatArray,
    unit: FloatArray,
) -> float:  # pragma: no cover
    """Equity in the base currency: cash plus holdings at their last close."""
    total = 0.0
    for c in range(money.shape[1]):
        total += money[CASH, c] * fx[c, column]
    for j in range(state.shape[0]):
        held = state[j, S_HOLD]
        if held != 0:
            value = float(held) * float(state[j, S_LAST]) * unit[j]
            total += value * fx[spec[j, P_CURRENCY], column]
    return total


@numba.njit(cache=True, nogil=True)
def simulate(
    event_instrument: IntArray,
    event_bar: IntArray,
    event_point: NDArray[np.bool_],
    bars: tuple,  # type: ignore[type-arg]
    signals: tuple,  # type: ignore[type-arg]
    tick_lowers: IntArray,
    tick_sizes: IntArray,
    run: FloatArray,
    fx: FloatArray,
    spec: IntArray,
    fspec: FloatArray,
    state: IntArray,
    gstate: FloatArray,
    money: FloatArray,
    stats: FloatArray,
    log: NDArray[np.int64],
    counters: IntArray,
    overrides: IntArray,
    curve: FloatArray,
) -> None:  # pragma: no cover - compiled
    """Run the whole timeline; results land in ``state``, ``money``, ``log`` and ``curve``."""
    multi_fx = fx.shape[1] > 1
    unit = np.empty(spec.shape[0])
    for j in range(spec.shape[0]):
        scale = spec[j, P_QTY_SCALE] + spec[j, P_HOLD_EXTRA] + spec[j, P_PRICE_SCALE]
        unit[j] = 10.0**-scale
    closes, rolls = bars[B_CLOSE], bars[B_ROLL]
    entries, exits = signals[Q_ENTRY], signals[Q_EXIT]
    point = 0
    for k in range(event_instrument.shape[0]):
        i = event_instrument[k]
        b = event_bar[k]
        st = state[i]
        column = k if multi_fx else 0
        if rolls[b] and spec[i, P_HAS_BAND] == 1:
            roll_session(i, b, bars, tick_lowers, tick_sizes, spec, state)
        if _working(st):
            rate = fx[spec[i, P_CURRENCY], column]
            exchange_step(
                i,
                k,
                b,
                bars,
                tick_lowers,
                tick_sizes,
                run,
                rate,
                spec,
                state,
                gstate,
                money,
                stats,
                log,
                counters,
                overrides,
            )
        st[S_LAST] = closes[b]
        if not _program_idle(st, spec[i], entries[b], exits[b]):
            program_step(
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
            )
            if counters[C_STATUS] == STATUS_LOG_FULL:
                return
        if event_point[k]:
            curve[point] = _worth(column, spec, state, money, fx, unit)
            point += 1
    counters[C_POINT] = point
