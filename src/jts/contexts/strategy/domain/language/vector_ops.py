"""Array forms of the operators in ``semantics``: same results, element by element."""

from __future__ import annotations

import numba
import numpy as np
from numpy.typing import NDArray

from jts.contexts.strategy.domain.language import semantics

FloatArray = NDArray[np.float64]
Value = FloatArray | float
NAN = np.nan


def _unknown(*values: Value) -> NDArray[np.bool_] | bool:
    mask: NDArray[np.bool_] | bool = False
    for value in values:
        mask = mask | np.isnan(value)
    return mask


def binary(op: str, a: Value, b: Value, out: FloatArray | None = None) -> Value:
    """``semantics.binary`` over arrays (either side may be a scalar); ``out`` is reused."""
    left, right = _contiguous(a), _contiguous(b)
    if left.ndim == 0 and right.ndim == 0:
        return float(semantics.binary(op, float(left), float(right)))
    length = max(left.size, right.size)
    target = np.empty(length) if out is None else out
    if op in _ARITHMETIC:
        return _ARITHMETIC[op](left, right, out=target)
    if op == "/":
        target.fill(NAN)
        return np.divide(left, right, out=target, where=np.not_equal(right, 0.0))
    if op in _CODES:
        return _truth(_filled(left, length), _filled(right, length), _CODES[op], target)
    if op == "min":
        chosen = np.where(np.less_equal(a, b), a, b)
    else:
        chosen = np.where(np.greater_equal(a, b), a, b)
    return np.where(_unknown(a, b), NAN, chosen)


def _contiguous(value: Value) -> FloatArray:
    array = np.asarray(value, dtype=np.float64)
    return array if array.ndim == 0 else np.ascontiguousarray(array)


def _filled(array: FloatArray, length: int) -> FloatArray:
    # Kernels take writable contiguous arrays only, so each compiles once.
    return np.full(length, float(array)) if array.ndim == 0 else array


_ARITHMETIC = {"+": np.add, "-": np.subtract, "*": np.multiply}
_CODES = {"<": 0, "<=": 1, ">": 2, ">=": 3, "==": 4, "!=": 5, "and": 6, "or": 7}


@numba.njit(cache=True, nogil=True)
def _truth(
    a: FloatArray, b: FloatArray, code: int, out: FloatArray
) -> FloatArray:  # pragma: no cover
    """A comparison (codes 0-5) or ``and``/``or`` (6, 7): 1.0, 0.0, or NaN if unknown."""
    for i in range(a.shape[0]):
        x, y = a[i], b[i]
        if x != x or y != y:
            out[i] = np.nan
            continue
        if code == 0:
            hit = x < y
        elif code == 1:
            hit = x <= y
        elif code == 2:
            hit = x > y
        elif code == 3:
            hit = x >= y
        elif code == 4:
            hit = x == y
        elif code == 5:
            hit = x != y
        elif code == 6:
            hit = x == 1.0 and y == 1.0
        else:
            hit = x == 1.0 or y == 1.0
        out[i] = 1.0 if hit else 0.0
    return out


def _divide(a: Value, b: Value) -> Value:
    a_arr, b_arr = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    shape = np.broadcast_shapes(a_arr.shape, b_arr.shape)
    out = np.full(shape, NAN)
    np.divide(a_arr, b_arr, out=out, where=np.broadcast_to(b_arr != 0.0, shape))
    return out


def unary(op: str, a: FloatArray, out: FloatArray | None = None) -> FloatArray:
    """``semantics.unary`` over an array."""
    if op == "neg":
        return np.negative(a, out=out)
    if op == "abs":
        return np.abs(a, out=out)
    return np.where(np.isnan(a), NAN, np.where(a == 1.0, 0.0, 1.0))


def lag(values: FloatArray, bars: int, out: FloatArray | None = None) -> FloatArray:
    length = values.shape[0]
    target = np.empty(length) if out is None else out
    target[: min(bars, length)] = NAN
    if bars < length:
        target[bars:] = values[: length - bars]
    return target


def crosses(
    above: bool, a: Value, b: Value, length: int, out: FloatArray | None = None
) -> FloatArray:
    """``semantics.crosses`` at every bar (the first bar has no bar before: unknown)."""
    target = np.empty(length) if out is None else out
    left, right = _filled(_contiguous(a), length), _filled(_contiguous(b), length)
    result: FloatArray = _crosses(left, right, above, target)
    return result


@numba.njit(cache=True, nogil=True)
def _crosses(
    a: FloatArray, b: FloatArray, above: bool, out: FloatArray
) -> FloatArray:  # pragma: no cover
    if a.shape[0] > 0:
        out[0] = np.nan
    for i in range(1, a.shape[0]):
        x, y, px, py = a[i], b[i], a[i - 1], b[i - 1]
        if x != x or y != y or px != px or py != py:
            out[i] = np.nan
        elif above:
            out[i] = 1.0 if x > y and px <= py else 0.0
        else:
            out[i] = 1.0 if x < y and px >= py else 0.0
    return out


@numba.njit(cache=True, nogil=True)
def rolling_extreme(
    values: FloatArray, window: int, take_max: bool
) -> FloatArray:  # pragma: no cover - numba
    """Max (or min) of the last ``window`` values; NaN when any of them is NaN."""
    length = values.shape[0]
    out = np.full(length, np.nan)
    order = np.empty(length, dtype=np.int64)
    head = 0
    tail = 0
    unknown = 0
    for i in range(length):
        value = values[i]
        if value != value:
            unknown += 1
        else:
            while tail > head and (
                (take_max and values[order[tail - 1]] <= value)
                or (not take_max and values[order[tail - 1]] >= value)
            ):
                tail -= 1
            order[tail] = i
            tail += 1
        leaving = i - window
        if leaving >= 0:
            if values[leaving] != values[leaving]:
                unknown -= 1
            while tail > head and order[head] <= leaving:
                head += 1
        if i >= window - 1 and unknown == 0:
            out[i] = values[order[head]]
    return out
