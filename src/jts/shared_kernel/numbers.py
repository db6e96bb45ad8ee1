"""Decimal helpers: exact conversion and rounding to a venue's tick and lot grids."""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from enum import Enum

from jts.shared_kernel.errors import DataError

ZERO = Decimal(0)
ONE = Decimal(1)


class Rounding(Enum):
    """How a value that is off the grid is moved onto it."""

    DOWN = ROUND_FLOOR  # towards minus infinity: a buy limit that never pays more
    UP = ROUND_CEILING  # towards plus infinity: a sell limit that never takes less
    NEAREST = ROUND_HALF_EVEN


def to_decimal(value: Decimal | int | float | str, *, what: str = "value") -> Decimal:
    """Convert exactly; floats go through ``repr`` so ``0.1`` becomes ``Decimal('0.1')``.

    NaN and infinities are corrupt data and raise ``DataError``.
    """
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise DataError(f"{what} is {value!r}; expected a finite number")
        result = Decimal(repr(value))
    else:
        try:
            result = Decimal(value)
        except ArithmeticError as e:
            raise DataError(f"{what} {value!r} is not a number") from e
    if not result.is_finite():
        raise DataError(f"{what} is {value!r}; expected a finite number")
    return result


def round_to_step(value: Decimal, step: Decimal, rounding: Rounding = Rounding.NEAREST) -> Decimal:
    """Round ``value`` onto the grid ``k * step``; the result carries ``step``'s exponent."""
    if step <= ZERO:
        raise ValueError(f"grid step must be positive, got {step}")
    units = (value / step).quantize(ONE, rounding=rounding.value)
    return (units * step).quantize(step)


def is_on_step(value: Decimal, step: Decimal) -> bool:
    """Whether ``value`` lies exactly on the grid ``k * step``."""
    if step <= ZERO:
        raise ValueError(f"grid step must be positive, got {step}")
    return value % step == ZERO


def round_to_lot(quantity: Decimal, lot: Decimal) -> Decimal:
    """Round a quantity down to a whole number of lots (never trade more than asked)."""
    return round_to_step(quantity, lot, Rounding.DOWN)


def require_non_negative(value: Decimal, *, what: str) -> Decimal:
    if value < ZERO:
        raise DataError(f"{what} is {value}; it must not be negative")
    return value


def require_positive(value: Decimal, *, what: str) -> Decimal:
    if value <= ZERO:
        raise DataError(f"{what} is {value}; it must be positive")
    return value


def plain(value: Decimal) -> str:
    """Exact, without exponent or trailing zeros: ``100000000``, ``0.001``, ``0`` for
    ``0E-16`` (never ``-0``)."""
    return format(value.normalize() + 0, "f")
