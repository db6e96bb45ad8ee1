"""Array forms of the operators in ``semantics``: same results, element by element."""

from __future__ import annotations

import numba
import numpy as np
from numpy.typing import NDArray

from jts.contexts.strategy.domain.language import ir

FloatArray = NDArray[np.float64]
Value = FloatArray | float
NAN = np.nan


def _unknown(*values: Value) -> NDArray[np.bool_] | bool:
    mask: NDArray[np.bool_] | bool = False
    for value in values:
        mask = mask | np.isnan(value)
    return mask


def _with_unknown(result: NDArray[np.bool_] | bool, *values: Value) -> Value:
    out = np.asarray(result, dtype=np.float64)
    mask = _unknown(*values)
    if out.ndim == 0:
        return NAN if bool(mask) else float(out)
    return np.where(mask, NAN, out)


def binary(op: str, a: Value, b: Value) -> Value:
    """``semantics.binary`` over arrays (either side may be a scalar)."""
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        return _divide(a, b)
    if op in ir.COMPARISONS:
        return _with_unknown(_compare(op, a, b), a, b)
    if op == "and":
        return _with_unknown(np.logical_and(np.equal(a, 1.0), np.equal(b, 1.0)), a, b)
    if op == "or":
        return _with_unknown(np.logical_or(np.equal(a, 1.0), np.equal(b, 1.0)), a, b)
    if op == "min":
        chosen = np.where(np.less_equal(a, b), a, b)
    else:
        chosen = np.where(np.greater_equal(a, b), a, b)
    return np.where(_unknown(a, b), NAN, chosen)


def _compare(op: str, a: Value, b: Value) -> NDArray[np.bool_] | bool:
    if op == "<":
        return np.less(a, b)
    if op == "<=":
        return np.less_equal(a, b)
    if op == ">":
        return np.greater(a, b)
    if op == ">=":
        return np.greater_equal(a, b)
    if op == "==":
        return np.equal(a, b)
    return np.not_equal(a, b)


def _divide(a: Value, b: Value) -> Value:
    a_arr, b_arr = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    shape = np.broadcast_shapes(a_arr.shape, b_arr.shape)
    out = np.full(shape, NAN)
    np.divide(a_arr, b_arr, out=out, where=np.broadcast_to(b_arr != 0.0, shape))
    return out


def unary(op: str, a: FloatArray) -> FloatArray:
    """``semantics.unary`` over an array."""
    if op == "neg":
        return -a
    if op == "abs":
        return np.abs(a)
    return np.where(np.isnan(a), NAN, np.where(a == 1.0, 0.0, 1.0))


def lag(values: FloatArray, bars: int) -> FloatArray:
    out = np.full(values.shape[0], NAN)
    if bars < values.shape[0]:
        out[bars:] = values[: values.shape[0] - bars]
    return out


def crosses(above: bool, a: Value, b: Value, length: int) -> FloatArray:
    a_now = np.broadcast_to(np.asarray(a, dtype=np.float64), (length,))
    b_now = np.broadcast_to(np.asarray(b, dtype=np.float64), (length,))
    a_before, b_before = lag(np.ascontiguousarray(a_now), 1), lag(np.ascontiguousarray(b_now), 1)
    if above:
        hit = (a_now > b_now) & (a_before <= b_before)
    else:
        hit = (a_now < b_now) & (a_before >= b_before)
    unknown = np.isnan(a_now) | np.isnan(b_now) | np.isnan(a_before) | np.isnan(b_before)
    return np.where(unknown, NAN, hit.astype(np.float64))


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
