"""Argument checks shared by the batch functions and the streaming classes.

Every check names the argument, says what was wrong and what range TA-Lib accepts, so a
caller (or a strategy author, through the strategy language) can fix the call without
reading this package. Ranges are TA-Lib's own: a period outside them is an error, never
silently clamped.
"""

from __future__ import annotations

import math
from enum import IntEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

REAL_MAX = 3e37
"""TA-Lib's bound for real-valued parameters (``TA_REAL_MAX``)."""

PERIOD_MAX = 100_000


class MAType(IntEnum):
    """TA-Lib's moving-average type codes (``matype``); MAMA (7) is not supported here."""

    SMA = 0
    EMA = 1
    WMA = 2
    DEMA = 3
    TEMA = 4
    TRIMA = 5
    KAMA = 6
    T3 = 8


_SUPPORTED_MA = ", ".join(f"{m.value}={m.name}" for m in MAType)


def period(name: str, value: object, minimum: int, maximum: int = PERIOD_MAX) -> int:
    """Return ``value`` as an int period after checking TA-Lib's range for it."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    number = int(value)
    if not minimum <= number <= maximum:
        raise ValueError(f"{name} must be between {minimum} and {maximum}, got {number}")
    return number


def real(name: str, value: object, minimum: float = -REAL_MAX, maximum: float = REAL_MAX) -> float:
    """Return ``value`` as a float after checking it is finite and within ``[minimum, maximum]``."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    number = float(value)
    if math.isnan(number) or not minimum <= number <= maximum:
        raise ValueError(f"{name} must be between {minimum:g} and {maximum:g}, got {number!r}")
    return number


def ma_type(name: str, value: object) -> int:
    """Return ``value`` as a supported moving-average type code."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an integer MA type code, got {value!r}")
    try:
        return int(MAType(int(value)))
    except ValueError:
        raise ValueError(
            f"{name}={int(value)} is not a supported moving-average type; use one of "
            f"{_SUPPORTED_MA}"
        ) from None


def series(inputs: dict[str, ArrayLike]) -> tuple[NDArray[np.float64], ...]:
    """Convert named inputs to contiguous float64 vectors of one common length."""
    arrays: list[NDArray[np.float64]] = []
    first_name = ""
    for name, raw in inputs.items():
        try:
            array = np.ascontiguousarray(raw, dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise TypeError(f"{name} must be a sequence of numbers: {error}") from None
        if array.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
        if arrays and array.shape[0] != arrays[0].shape[0]:
            raise ValueError(
                f"{name} has {array.shape[0]} values but {first_name} has "
                f"{arrays[0].shape[0]}; all inputs must have the same length"
            )
        first_name = first_name or name
        arrays.append(array)
    return tuple(arrays)


def session_ids(name: str, raw: ArrayLike, length: int) -> NDArray[np.int64]:
    """Convert a session-id input (e.g. a day number per bar) to a contiguous int64 vector."""
    array = np.asarray(raw)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if array.shape[0] != length:
        raise ValueError(f"{name} has {array.shape[0]} values but the prices have {length}")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{name} must hold integers (e.g. a day number), got {array.dtype}")
    return np.ascontiguousarray(array, dtype=np.int64)
