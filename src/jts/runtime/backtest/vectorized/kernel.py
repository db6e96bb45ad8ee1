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

from jts.runtime.backtest.vectorized.kernel_exchange import exchange_step
from jts.runtime.backtest.vectorized.kernel_orders import equity
from jts.runtime.backtest.vectorized.kernel_program import program_step
from jts.runtime.backtest.vectorized.layout import C_POINT, C_STATUS, STATUS_LOG_FULL

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


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
    for k in range(event_instrument.shape[0]):
        i = event_instrument[k]
        b = event_bar[k]
        rate = fx[numba.int64(spec[i, 0]), k if multi_fx else 0]
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
            point = counters[C_POINT]
            curve[point] = equity(k, spec, state, money, fx)
            counters[C_POINT] = point + 1
