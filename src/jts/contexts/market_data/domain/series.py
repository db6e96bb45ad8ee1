"""``BarSeries``: a run of bars of one instrument and timeframe as numpy columns.

Research code, backtests and stores move bars by the hundred thousand; one ``Bar`` message
per bar would be far too slow. A series holds the same facts column-wise:

- ``ts_start`` / ``ts_event`` (``int64`` UNIX ns): each bar covers ``[ts_start, ts_event)``;
  ``ts_event`` is the close time, as on ``Bar``.
- ``open_units`` ... ``close_units`` and ``volume_units`` (``int64``): exact decimals as
  scaled integers (``jts.contexts.market_data.domain.fixed_point``), one scale for the
  prices and one for the volume.
- ``open`` ... ``volume``: ``float64`` views of the same values for vectorized kernels.

``to_bars()`` gives back exact ``Bar`` messages, ``BarSeries.from_bars`` builds a series from
them, so a store round trip never changes a price. A series is immutable (its arrays are
read-only) and always valid: timestamps strictly increase, every bar closes after it
starts, prices are positive, volumes are not negative and high/low contain open/close.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import numpy as np

from jts.contexts.market_data.domain.bar_checks import find_bar_problem
from jts.contexts.market_data.domain.fixed_point import (
    MAX_SCALE,
    Float64Array,
    Int64Array,
    decimal_scale,
    decimals_to_units,
    floats_to_units,
    rescale_units,
    units_to_floats,
)
from jts.messages.market_data import Bar
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

PRICE_COLUMNS = ("open", "high", "low", "close")


@dataclass(frozen=True, eq=False)
class BarSeries:
    """Bars of one instrument and timeframe in time order, as exact scaled-integer columns."""

    instrument_id: InstrumentId
    timeframe: Timeframe
    ts_start: Int64Array
    ts_event: Int64Array
    open_units: Int64Array
    high_units: Int64Array
    low_units: Int64Array
    close_units: Int64Array
    volume_units: Int64Array
    price_scale: int = 0
    volume_scale: int = 0

    def __post_init__(self) -> None:
        _freeze_columns(self, _ARRAY_FIELDS, length=len(self.ts_start), label=self._label())
        for what, scale in (("price_scale", self.price_scale), ("volume_scale", self.volume_scale)):
            if not 0 <= scale <= MAX_SCALE:
                raise ValueError(f"{self._label()}: {what} {scale} must be in 0..{MAX_SCALE}")
        problem = find_bar_problem(
            self.ts_start, self.ts_event, self._price_units(), self.volume_units
        )
        if problem is not None:
            raise DataError(
                f"{self._label()}: bar {problem.index} (ts_start "
                f"{int(self.ts_start[problem.index])}): {problem.reason}"
            )

    @classmethod
    def empty(cls, instrument_id: InstrumentId, timeframe: Timeframe) -> BarSeries:
        nothing = np.empty(0, dtype=np.int64)
        return _series_from(instrument_id, timeframe, [nothing.copy() for _ in range(7)], 0, 0)

    @classmethod
    def from_bars(cls, bars: Sequence[Bar]) -> BarSeries:
        """A series of ``bars`` (one instrument and timeframe, in time order), exactly."""
        if not bars:
            raise ValueError("from_bars needs at least one bar; use BarSeries.empty otherwise")
        first = bars[0]
        for bar in bars:
            if bar.instrument_id != first.instrument_id or bar.timeframe != first.timeframe:
                raise DataError(
                    f"a series holds one instrument and timeframe: {bar.instrument_id} "
                    f"{bar.timeframe} among {first.instrument_id} {first.timeframe} bars"
                )
        prices = {name: [getattr(bar, name) for bar in bars] for name in PRICE_COLUMNS}
        volumes = [bar.volume for bar in bars]
        price_scale = max(decimal_scale(values, what=name) for name, values in prices.items())
        volume_scale = decimal_scale(volumes, what="volume")
        units = {
            name: decimals_to_units(values, price_scale, what=name)
            for name, values in prices.items()
        }
        return cls(
            first.instrument_id,
            first.timeframe,
            np.array([bar.ts_start for bar in bars], dtype=np.int64),
            np.array([bar.ts_event for bar in bars], dtype=np.int64),
            units["open"],
            units["high"],
            units["low"],
            units["close"],
            decimals_to_units(volumes, volume_scale, what="volume"),
            price_scale,
            volume_scale,
        )

    @classmethod
    def from_floats(
        cls,
        instrument_id: InstrumentId,
        timeframe: Timeframe,
        *,
        ts_start: Int64Array,
        ts_event: Int64Array,
        ohlc: tuple[Float64Array, Float64Array, Float64Array, Float64Array],
        volume: Float64Array,
        price_scale: int,
        volume_scale: int,
    ) -> BarSeries:
        """A series from float columns, each value rounded onto its scale's decimal grid."""
        units = [
            floats_to_units(column, price_scale, what=name)
            for name, column in zip(PRICE_COLUMNS, ohlc, strict=True)
        ]
        times = [np.ascontiguousarray(ts, dtype=np.int64) for ts in (ts_start, ts_event)]
        volume_units = floats_to_units(volume, volume_scale, what="volume")
        return _series_from(
            instrument_id, timeframe, [*times, *units, volume_units], price_scale, volume_scale
        )

    def __len__(self) -> int:
        return len(self.ts_start)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BarSeries):
            return NotImplemented
        if (self.instrument_id, self.timeframe, len(self)) != (
            other.instrument_id,
            other.timeframe,
            len(other),
        ):
            return False
        price_scale = max(self.price_scale, other.price_scale)
        volume_scale = max(self.volume_scale, other.volume_scale)
        mine, theirs = (
            self.with_scales(price_scale, volume_scale),
            other.with_scales(price_scale, volume_scale),
        )
        return all(
            np.array_equal(a, b)
            for a, b in zip(mine._columns().values(), theirs._columns().values(), strict=True)
        )

    __hash__ = None  # type: ignore[assignment]  # arrays make it unhashable

    @cached_property
    def open(self) -> Float64Array:
        return units_to_floats(self.open_units, self.price_scale)

    @cached_property
    def high(self) -> Float64Array:
        return units_to_floats(self.high_units, self.price_scale)

    @cached_property
    def low(self) -> Float64Array:
        return units_to_floats(self.low_units, self.price_scale)

    @cached_property
    def close(self) -> Float64Array:
        return units_to_floats(self.close_units, self.price_scale)

    @cached_property
    def volume(self) -> Float64Array:
        return units_to_floats(self.volume_units, self.volume_scale)

    @property
    def first_ts(self) -> int | None:
        return int(self.ts_start[0]) if len(self) else None

    @property
    def last_ts(self) -> int | None:
        return int(self.ts_start[-1]) if len(self) else None

    def to_bars(self, ts_init: int | None = None) -> list[Bar]:
        """Exact ``Bar`` messages; ``ts_init`` defaults to each bar's close (``ts_event``)."""
        return list(self.iter_bars(ts_init))

    def iter_bars(self, ts_init: int | None = None) -> Iterator[Bar]:
        """``Bar`` messages one by one, for replays that should not build them all at once."""
        prices = [units.tolist() for units in self._price_units()]
        starts, events = self.ts_start.tolist(), self.ts_event.tolist()
        volumes = self.volume_units.tolist()
        price_exp, volume_exp = -self.price_scale, -self.volume_scale
        for i, start in enumerate(starts):
            open_, high, low, close = (_decimal(column[i], price_exp) for column in prices)
            yield Bar(
                instrument_id=self.instrument_id,
                timeframe=self.timeframe,
                ts_start=start,
                ts_event=events[i],
                ts_init=events[i] if ts_init is None else ts_init,
                open=open_,
                high=high,
                low=low,
                close=close,
                volume=_decimal(volumes[i], volume_exp),
            )

    def bar_at(self, index: int, ts_init: int | None = None) -> Bar:
        """The exact ``Bar`` at position ``index``; ``ts_init`` defaults to its close."""
        ts_event = int(self.ts_event[index])
        exponent = -self.price_scale
        return Bar(
            instrument_id=self.instrument_id,
            timeframe=self.timeframe,
            ts_start=int(self.ts_start[index]),
            ts_event=ts_event,
            ts_init=ts_event if ts_init is None else ts_init,
            open=_decimal(int(self.open_units[index]), exponent),
            high=_decimal(int(self.high_units[index]), exponent),
            low=_decimal(int(self.low_units[index]), exponent),
            close=_decimal(int(self.close_units[index]), exponent),
            volume=_decimal(int(self.volume_units[index]), -self.volume_scale),
        )

    def between(self, start_ns: int | None = None, end_ns: int | None = None) -> BarSeries:
        """The bars with ``start_ns <= ts_start < end_ns`` (``None``: unbounded)."""
        lo = 0 if start_ns is None else int(np.searchsorted(self.ts_start, start_ns, "left"))
        hi = len(self) if end_ns is None else int(np.searchsorted(self.ts_start, end_ns, "left"))
        return self.take(slice(lo, max(lo, hi)))

    def take(self, rows: slice | Int64Array) -> BarSeries:
        """The bars at ``rows`` (a slice or increasing positions)."""
        columns = [np.ascontiguousarray(column[rows]) for column in self._columns().values()]
        return _series_from(
            self.instrument_id, self.timeframe, columns, self.price_scale, self.volume_scale
        )

    def with_scales(self, price_scale: int, volume_scale: int) -> BarSeries:
        """The same bars with units at finer (or equal) scales."""
        if (price_scale, volume_scale) == (self.price_scale, self.volume_scale):
            return self
        prices = [
            rescale_units(units, self.price_scale, price_scale, what=f"{self._label()} prices")
            for units in self._price_units()
        ]
        volume = rescale_units(
            self.volume_units, self.volume_scale, volume_scale, what=f"{self._label()} volume"
        )
        columns = [self.ts_start, self.ts_event, *prices, volume]
        return _series_from(self.instrument_id, self.timeframe, columns, price_scale, volume_scale)

    def merged_with(self, newer: BarSeries) -> BarSeries:
        """Both series' bars in time order; where both have a ``ts_start``, ``newer`` wins."""
        if (newer.instrument_id, newer.timeframe) != (self.instrument_id, self.timeframe):
            raise DataError(f"cannot merge {newer._label()} bars into {self._label()} bars")
        price_scale = max(self.price_scale, newer.price_scale)
        volume_scale = max(self.volume_scale, newer.volume_scale)
        new, old = (
            newer.with_scales(price_scale, volume_scale),
            self.with_scales(price_scale, volume_scale),
        )
        stacked = [
            np.concatenate((a, b))
            for a, b in zip(new._columns().values(), old._columns().values(), strict=True)
        ]
        _, first_seen = np.unique(stacked[0], return_index=True)  # sorted; ``new`` rows first
        rows = first_seen.astype(np.int64)
        columns = [column[rows] for column in stacked]
        return _series_from(self.instrument_id, self.timeframe, columns, price_scale, volume_scale)

    def _price_units(self) -> tuple[Int64Array, Int64Array, Int64Array, Int64Array]:
        return self.open_units, self.high_units, self.low_units, self.close_units

    def _columns(self) -> dict[str, Int64Array]:
        return {
            "ts_start": self.ts_start,
            "ts_event": self.ts_event,
            "open": self.open_units,
            "high": self.high_units,
            "low": self.low_units,
            "close": self.close_units,
            "volume": self.volume_units,
        }

    def _label(self) -> str:
        return f"{self.instrument_id} {self.timeframe}"


def _series_from(
    instrument_id: InstrumentId,
    timeframe: Timeframe,
    columns: Sequence[Int64Array],
    price_scale: int,
    volume_scale: int,
) -> BarSeries:
    ts_start, ts_event, open_, high, low, close, volume = columns
    return BarSeries(
        instrument_id,
        timeframe,
        ts_start,
        ts_event,
        open_,
        high,
        low,
        close,
        volume,
        price_scale,
        volume_scale,
    )


_ARRAY_FIELDS = (
    "ts_start",
    "ts_event",
    "open_units",
    "high_units",
    "low_units",
    "close_units",
    "volume_units",
)


def _freeze_columns(owner: object, names: Sequence[str], *, length: int, label: str) -> None:
    """Check the columns and replace each by a read-only view (the caller's array is not
    copied, and not frozen either: it stays the caller's to change at its own risk)."""
    for name in names:
        column = getattr(owner, name)
        if not isinstance(column, np.ndarray) or column.dtype != np.int64 or column.ndim != 1:
            raise ValueError(f"{label}: column {name} must be a 1-D int64 numpy array")
        if len(column) != length:
            raise ValueError(f"{label}: column {name} has {len(column)} rows, expected {length}")
        view = column.view()
        view.flags.writeable = False
        object.__setattr__(owner, name, view)


def _decimal(units: int, exponent: int) -> Decimal:
    return Decimal(units).scaleb(exponent)
