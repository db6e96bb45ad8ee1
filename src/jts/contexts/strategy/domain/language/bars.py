"""Bars as arrays for the vectorized evaluator, and one bar for the incremental one.

``ts`` is the bar's close time in UNIX nanoseconds: a bar is known only once it has closed,
so that is the moment its values become visible (to the same timeframe and to finer ones).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, TypeVar

import msgspec
import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray

from jts.contexts.strategy.domain.language import frames
from jts.contexts.strategy.domain.language.exchange_time import utc_offset_ns, utc_offsets_ns
from jts.shared_kernel.clock import NANOS_PER_SECOND
from jts.shared_kernel.errors import DataError

FloatArray = NDArray[np.float64]
_ArrayT = TypeVar("_ArrayT", bound=NDArray[Any])
IntArray = NDArray[np.int64]
_DAY_NS = 86_400 * NANOS_PER_SECOND
_COLUMNS = ("open", "high", "low", "close", "volume")


class BarValues(msgspec.Struct, frozen=True):
    """One closed bar: close time (UNIX ns) and OHLCV as floats."""

    ts: int
    open: float
    high: float
    low: float
    close: float
    volume: float = 0.0

    def __post_init__(self) -> None:
        # one sum catches any NaN or infinity (the hot path: one check per bar)
        low_price = min(self.open, self.high, self.low, self.close)
        if not (math.isfinite(self.open + self.high + self.low + self.close) and low_price > 0):
            prices = (self.open, self.high, self.low, self.close)
            raise DataError(f"bar at {self.ts}: prices {prices} must be finite and positive")
        if not math.isfinite(self.volume) or self.volume < 0:
            raise DataError(f"bar at {self.ts}: volume {self.volume} must be finite, not negative")


class BarArrays:
    """Columns of bars of one instrument and timeframe, oldest first, read-only.

    The columns are private copies: the caller's arrays can change afterwards without
    affecting them. ``kernel_column`` hands evaluators the same memory as a writable array
    (numba compiles one kernel per writability, so all kernel inputs are writable).
    """

    __slots__ = ("_owned", "close", "high", "low", "open", "ts", "volume")

    def __init__(
        self,
        ts: ArrayLike,
        open: ArrayLike,
        high: ArrayLike,
        low: ArrayLike,
        close: ArrayLike,
        volume: ArrayLike | None = None,
    ) -> None:
        self.ts: IntArray = _frozen(np.array(ts, dtype=np.int64))
        length = self.ts.shape[0]
        raw_volume = np.zeros(length) if volume is None else volume
        self._owned = {
            "open": _prices("open", open, length),
            "high": _prices("high", high, length),
            "low": _prices("low", low, length),
            "close": _prices("close", close, length),
            "volume": _column("volume", raw_volume, length),
        }
        self.open, self.high, self.low, self.close, self.volume = (
            _frozen(self._owned[name].view()) for name in _COLUMNS
        )
        if length > 1 and not bool(np.all(np.diff(self.ts) > 0)):
            raise DataError("bar close times must be strictly increasing")
        if bool(np.any(self.volume < 0)):
            raise DataError("bar volumes must not be negative")

    def __len__(self) -> int:
        return int(self.ts.shape[0])

    def column(self, name: str) -> FloatArray:
        array: FloatArray = getattr(self, name)
        return array

    def kernel_column(self, name: str) -> FloatArray:
        """Column ``name`` as a writable array for numba kernels, which never write to it."""
        return self._owned[name]

    @classmethod
    def from_bars(cls, bars: Sequence[BarValues]) -> BarArrays:
        return cls(
            [b.ts for b in bars],
            [b.open for b in bars],
            [b.high for b in bars],
            [b.low for b in bars],
            [b.close for b in bars],
            [b.volume for b in bars],
        )

    def bar(self, index: int) -> BarValues:
        """Bar ``index`` as a ``BarValues`` (for feeding the incremental evaluator)."""
        return BarValues(
            int(self.ts[index]),
            float(self.open[index]),
            float(self.high[index]),
            float(self.low[index]),
            float(self.close[index]),
            float(self.volume[index]),
        )


def _frozen(array: _ArrayT) -> _ArrayT:
    if array.ndim != 1:
        raise DataError(f"bar columns must be one-dimensional, got shape {array.shape}")
    array.flags.writeable = False
    return array


def _column(name: str, values: ArrayLike, length: int) -> FloatArray:
    array = np.array(values, dtype=np.float64)  # a private, writable, contiguous copy
    if array.shape != (length,):
        raise DataError(f"column {name} has shape {array.shape}; expected ({length},)")
    if not bool(np.all(np.isfinite(array))):
        raise DataError(f"column {name} holds NaN or infinite values")
    return array


def _prices(name: str, values: ArrayLike, length: int) -> FloatArray:
    array = _column(name, values, length)
    if bool(np.any(array <= 0)):
        raise DataError(f"column {name} holds prices that are not positive")
    return array


def _periods(local: IntArray, frame: str) -> tuple[IntArray, IntArray]:
    """Period key and local period end of each local time (shared by both evaluators)."""
    length_ns = frames.seconds(frame) * NANOS_PER_SECOND
    if length_ns % (7 * _DAY_NS) == 0:
        weeks = length_ns // (7 * _DAY_NS)
        key = ((local // _DAY_NS + 3) // 7) // weeks  # weeks start on Monday (1970-01-01: Thu)
        return key, ((key + 1) * 7 * weeks - 3) * _DAY_NS
    key = local // length_ns
    return key, (key + 1) * length_ns


def period_of(ts: int, frame: str, zone: str) -> tuple[int, int]:
    """The period key of a bar closing at ``ts`` and the UTC time its period ends."""
    inside = ts - 1
    offset = utc_offset_ns(inside, zone)
    key, end_local = _periods(np.array([inside + offset], dtype=np.int64), frame)
    return int(key[0]), int(end_local[0]) - offset


def resample(bars: BarArrays, frame: str, zone: str) -> BarArrays:
    """Aggregate bars into longer ``frame`` bars in the exchange time zone ``zone``.

    A bar belongs to the period that contains the instant just before it closed. The
    longer bar is stamped with its period's end (the next local midnight for daily bars), so
    it becomes visible only after the period is over: at 10:00 a minute strategy sees
    yesterday's daily bar, never today's partial one. ``PeriodAggregator`` does the same
    bar by bar.
    """
    if len(bars) == 0:
        return bars
    inside = bars.ts - 1
    offsets = utc_offsets_ns(inside, zone)
    key, end_local = _periods(inside + offsets, frame)
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ends = np.r_[starts[1:], len(bars)] - 1
    return BarArrays(
        end_local[ends] - offsets[ends],
        bars.open[starts],
        np.maximum.reduceat(bars.high, starts),
        np.minimum.reduceat(bars.low, starts),
        bars.close[ends],
        _segment_sums(bars.volume, starts),
    )


@numba.njit(cache=True, nogil=True)
def _segment_sums(values: FloatArray, starts: IntArray) -> FloatArray:  # pragma: no cover
    # Left to right, as PeriodAggregator adds: numpy's reductions sum pairwise.
    out = np.zeros(starts.shape[0])
    for k in range(starts.shape[0]):
        stop = starts[k + 1] if k + 1 < starts.shape[0] else values.shape[0]
        total = 0.0
        for i in range(starts[k], stop):
            total += values[i]
        out[k] = total
    return out


class PeriodAggregator:
    """Builds longer bars from shorter ones as they arrive, exactly as ``resample`` does."""

    def __init__(self, frame: str, zone: str) -> None:
        self.frame, self.zone = frame, zone
        self.key: int | None = None
        self.end = 0
        self.values: list[float] = []  # open, high, low, close, volume

    def add(self, bar: BarValues) -> list[BarValues]:
        """Take a shorter bar; return the longer bars it completes (stamped at period end)."""
        done = []
        key, end = period_of(bar.ts, self.frame, self.zone)
        if self.key is not None and key != self.key:
            done.append(self._finish())
        if self.key is None:
            self.key, self.values = key, [bar.open, bar.high, bar.low, bar.close, bar.volume]
        else:
            open_, high, low, _, volume = self.values
            self.values = [
                open_,
                max(high, bar.high),
                min(low, bar.low),
                bar.close,
                volume + bar.volume,
            ]
        self.end = end
        if self.end <= bar.ts:
            done.append(self._finish())
        return done

    def _finish(self) -> BarValues:
        open_, high, low, close, volume = self.values
        self.key, self.values = None, []
        return BarValues(self.end, open_, high, low, close, volume)

    def state(self) -> list[object]:
        return [self.key, self.end, list(self.values)]

    def load(self, state: list[object]) -> None:
        key, end, values = state
        self.key = None if key is None else int(key)  # type: ignore[call-overload]
        self.end = int(end)  # type: ignore[call-overload]
        self.values = [float(v) for v in values]  # type: ignore[attr-defined]
