"""Exact decimals as scaled integers: ``value = units * 10**-scale``.

Prices, sizes and volumes are ``Decimal`` in messages. Whole columns of them are kept as
``int64`` *units* plus one decimal *scale* per column, which is exact (``Decimal('65000.12')``
is ``6500012`` at scale 2), compact, fast to compare and to store. ``float64`` views for
vectorized kernels are derived from the units, never the other way round, except when
importing float data, where ``floats_to_units`` recovers the decimal grid the floats came
from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from jts.shared_kernel.errors import DataError

Int64Array = npt.NDArray[np.int64]
Float64Array = npt.NDArray[np.float64]

MAX_SCALE = 12
"""The finest grid supported: 10**-12 (Upbit's finest tick is 10**-7, crypto sizes 10**-8)."""

_EXACT_FLOAT_LIMIT = 2.0**52  # below this every integer, and every half, is exact in float64
_ULPS_TOLERANCE = 8 * float(np.finfo(np.float64).eps)
_INT64_MAX = np.iinfo(np.int64).max


def decimal_scale(values: Iterable[Decimal], *, what: str = "value") -> int:
    """The smallest scale at which every value is a whole number of units."""
    scale = 0
    for value in values:
        if not value.is_finite():
            raise DataError(f"{what} {value} is not a finite number")
        exponent = value.as_tuple().exponent
        assert isinstance(exponent, int)  # finite decimals have an int exponent
        scale = max(scale, -exponent)
    return _checked_scale(scale, what)


def decimals_to_units(values: Sequence[Decimal], scale: int, *, what: str = "value") -> Int64Array:
    """Units of ``values`` at ``scale``; raises ``DataError`` when a value is off that grid."""
    units = np.empty(len(values), dtype=np.int64)
    for i, value in enumerate(values):
        scaled = value.scaleb(scale)
        if scaled != scaled.to_integral_value():
            raise DataError(f"{what} {value} at position {i} has more than {scale} decimals")
        integral = int(scaled)
        if abs(integral) > _INT64_MAX:
            raise DataError(f"{what} {value} at position {i} is too large to store exactly")
        units[i] = integral
    return units


def units_to_decimals(units: Int64Array, scale: int) -> list[Decimal]:
    """The exact ``Decimal`` of every unit count."""
    return [Decimal(int(unit)).scaleb(-scale) for unit in units.tolist()]


def unit_to_decimal(unit: int, scale: int) -> Decimal:
    return Decimal(unit).scaleb(-scale)


def units_to_floats(units: Int64Array, scale: int) -> Float64Array:
    """``float64`` values; exact to the last bit when ``|units| < 2**53``."""
    return units.astype(np.float64) / float(10**scale)


def rescale_units(units: Int64Array, from_scale: int, to_scale: int, *, what: str) -> Int64Array:
    """The same values at a finer (or equal) scale; refuses to lose digits or overflow."""
    if to_scale < from_scale:
        raise ValueError(f"cannot rescale {what} from scale {from_scale} down to {to_scale}")
    if to_scale == from_scale:
        return units
    factor = 10 ** (to_scale - from_scale)
    if units.size and int(np.abs(units).max()) > _INT64_MAX // factor:
        raise DataError(f"{what} is too large to store at {to_scale} decimals")
    return units * np.int64(factor)


def trim_scale(columns: Sequence[Int64Array], scale: int) -> tuple[list[Int64Array], int]:
    """The same values at the fewest decimals that keep them exact (``1000`` at scale 3 is
    ``1`` at scale 0), so whole KRW prices are not stored with decimals they never use."""
    result = list(columns)
    while scale > 0 and all(not bool((column % 10).any()) for column in result):
        result = [column // 10 for column in result]
        scale -= 1
    return result, scale


def floats_to_units(values: Float64Array, scale: int, *, what: str = "value") -> Int64Array:
    """Round floats onto the ``10**-scale`` grid as units (half to even)."""
    scaled = values * float(10**scale)
    if scaled.size and not bool(np.isfinite(scaled).all()):
        raise DataError(f"{what} contains NaN or infinite values")
    if scaled.size and float(np.abs(scaled).max()) >= _EXACT_FLOAT_LIMIT:
        raise DataError(
            f"{what} is too large to hold exactly at {scale} decimals (max {_EXACT_FLOAT_LIMIT:.0f}"
            " units); use fewer decimals"
        )
    return np.rint(scaled).astype(np.int64)


def infer_float_scale(values: Float64Array, *, what: str = "value") -> int:
    """The fewest decimals that represent every float exactly enough to round-trip.

    Each float is read as the short decimal it was written as (``0.1`` means one tenth):
    at the right scale ``value * 10**scale`` is within a few ulps of a whole number, while
    at a coarser scale it is off by at least ``10**-12`` units times its own magnitude.
    """
    if values.size and not bool(np.isfinite(values).all()):
        raise DataError(f"{what} contains NaN or infinite values")
    for scale in range(MAX_SCALE + 1):
        scaled = values * float(10**scale)
        tolerance = _ULPS_TOLERANCE * np.maximum(np.abs(scaled), 1.0)
        if bool((np.abs(scaled - np.rint(scaled)) <= tolerance).all()):
            return scale
    raise DataError(
        f"{what} needs more than {MAX_SCALE} decimals (computed floats?); round it to the "
        "instrument's tick first or give the number of decimals explicitly"
    )


def _checked_scale(scale: int, what: str) -> int:
    if scale > MAX_SCALE:
        raise DataError(f"{what} has {scale} decimals; at most {MAX_SCALE} are supported")
    return scale
