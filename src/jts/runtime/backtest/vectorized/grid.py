"""Exact integer arithmetic for the kernel: tick grids, the KRX band, lots, fees and taxes.

Prices are integer units at the instrument's price scale. A value between grid points is
passed as a fraction ``num / den`` (``den > 0``) so rounding it is exact: rounding up
``base * 1.3`` is ``ceil(base * 130 / (100 * tick))`` ticks, never a float. Tick tables
are rows of band lower bounds and ticks in price units (``lowers[0] == 0``), as
``shared_kernel.venues.ticks.TickTable`` defines them: the tick of a value is the tick of
the band it falls in.
"""

from __future__ import annotations

import numba
import numpy as np
from numpy.typing import NDArray

from jts.runtime.backtest.vectorized.layout import (
    P_FEE_DEN,
    P_FEE_FLOOR,
    P_MAKER_NUM,
    P_PRICE_SCALE,
    P_QTY_SCALE,
    P_RESERVE_MAKER,
    P_TAKER_NUM,
)

IntArray = NDArray[np.int64]

_JIT = {"cache": True, "nogil": True}


@numba.njit(**_JIT)
def floor_div(num: int, den: int) -> int:  # pragma: no cover - compiled
    return num // den


@numba.njit(**_JIT)
def ceil_div(num: int, den: int) -> int:  # pragma: no cover - compiled
    return -((-num) // den)


@numba.njit(**_JIT)
def tick_of(lowers: IntArray, ticks: IntArray, num: int, den: int) -> int:  # pragma: no cover
    """The tick of the band holding ``num / den``."""
    j = 0
    for m in range(1, lowers.shape[0]):
        if lowers[m] < 0 or lowers[m] * den > num:
            break
        j = m
    return ticks[j]


@numba.njit(**_JIT)
def round_down(lowers: IntArray, ticks: IntArray, num: int, den: int) -> int:  # pragma: no cover
    """``num / den`` rounded down onto the grid (towards minus infinity)."""
    tick = tick_of(lowers, ticks, num, den)
    return floor_div(num, den * tick) * tick


@numba.njit(**_JIT)
def round_up(lowers: IntArray, ticks: IntArray, num: int, den: int) -> int:  # pragma: no cover
    """``num / den`` rounded up onto the grid (towards plus infinity)."""
    tick = tick_of(lowers, ticks, num, den)
    return ceil_div(num, den * tick) * tick


@numba.njit(**_JIT)
def band_of(
    lowers: IntArray, ticks: IntArray, base: int, rate_num: int, rate_den: int
) -> tuple[int, int]:  # pragma: no cover
    """The KRX daily band ``(lower, upper)`` around ``base``, limits rounded inward."""
    upper = round_down(lowers, ticks, base * (rate_den + rate_num), rate_den)
    lower = round_up(lowers, ticks, base * (rate_den - rate_num), rate_den)
    return lower, upper


@numba.njit(**_JIT)
def clip(price: int, low: int, high: int) -> int:  # pragma: no cover
    return low if price < low else (high if price > high else price)


@numba.njit(**_JIT)
def floor_lot(quantity: int, lot: int) -> int:  # pragma: no cover
    return (quantity // lot) * lot if quantity > 0 else 0


@numba.njit(**_JIT)
def fee_rate(spec: IntArray, maker: bool) -> int:  # pragma: no cover
    return spec[P_MAKER_NUM] if maker else spec[P_TAKER_NUM]


@numba.njit(**_JIT)
def reserve_is_maker(spec: IntArray) -> bool:  # pragma: no cover
    return spec[P_RESERVE_MAKER] == 1


@numba.njit(**_JIT)
def notional_unit(spec: IntArray) -> float:  # pragma: no cover
    """The value of one unit of ``price units * quantity units``."""
    return 10.0 ** (-(spec[P_PRICE_SCALE] + spec[P_QTY_SCALE]))


@numba.njit(**_JIT)
def quote_fee(
    spec: IntArray, price: float, quantity: int, maker: bool
) -> float:  # pragma: no cover
    """Fee in the quote currency on ``price * quantity`` (price units may be fractional for
    reservations), floored onto ``P_FEE_FLOOR`` units when the venue drops fractions (KRX,
    whose prices are whole units, so the floored fee is exact)."""
    rate = fee_rate(spec, maker)
    floor_step = spec[P_FEE_FLOOR]
    if floor_step > 0:
        exact = int(price) * quantity * rate // spec[P_FEE_DEN]
        return float((exact // floor_step) * floor_step) * notional_unit(spec)
    return price * quantity * notional_unit(spec) * rate / spec[P_FEE_DEN]


@numba.njit(**_JIT)
def tax_units(amount: int, stt: int, rural: int) -> int:  # pragma: no cover
    """KRX sell tax on ``amount`` won: each part floored to the won (rates in 1e-8)."""
    return amount * stt // 100_000_000 + amount * rural // 100_000_000
