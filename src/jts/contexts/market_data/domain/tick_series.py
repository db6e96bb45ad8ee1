"""``TickSeries``: trade ticks of one instrument as numpy columns.

Columns: ``ts_event`` (``int64`` UNIX ns), ``sequence`` (``int64``), ``price_units`` and
``size_units`` (exact scaled integers, see ``fixed_point``), ``aggressor`` (``int8`` codes
of ``AggressorSide``: 0 none, 1 buyer, 2 seller), with ``price``/``size`` float views.

A tick is identified by ``(ts_event, sequence)``: several trades often share a millisecond,
so the timestamp alone is not a key. ``sequence`` is the venue's trade sequence when it has
one; a tick without one gets its ordinal among the ticks of the same timestamp in the batch
it arrived in, so appending the same batch twice stores it once. Rows are strictly
increasing by ``(ts_event, sequence)``. The trade id string of a ``TradeTick`` is not kept.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import numpy as np
import numpy.typing as npt

from jts.contexts.market_data.domain.fixed_point import (
    MAX_SCALE,
    Float64Array,
    Int64Array,
    decimal_scale,
    decimals_to_units,
    rescale_units,
    units_to_floats,
)
from jts.messages.enums import AggressorSide
from jts.messages.market_data import TradeTick
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import InstrumentId

Int8Array = npt.NDArray[np.int8]

AGGRESSOR_CODES: dict[AggressorSide, int] = {
    AggressorSide.NONE: 0,
    AggressorSide.BUYER: 1,
    AggressorSide.SELLER: 2,
}
AGGRESSOR_SIDES: tuple[AggressorSide, ...] = tuple(AGGRESSOR_CODES)


@dataclass(frozen=True, eq=False)
class TickSeries:
    """Trade ticks of one instrument ordered by ``(ts_event, sequence)``, exactly."""

    instrument_id: InstrumentId
    ts_event: Int64Array
    sequence: Int64Array
    price_units: Int64Array
    size_units: Int64Array
    aggressor: Int8Array
    price_scale: int = 0
    size_scale: int = 0

    def __post_init__(self) -> None:
        length = len(self.ts_event)
        for name in ("ts_event", "sequence", "price_units", "size_units", "aggressor"):
            dtype = np.int8 if name == "aggressor" else np.int64
            column = getattr(self, name)
            if not isinstance(column, np.ndarray) or column.dtype != dtype or column.ndim != 1:
                raise ValueError(f"{self.instrument_id} ticks: {name} must be 1-D {dtype}")
            if len(column) != length:
                raise ValueError(
                    f"{self.instrument_id} ticks: {name} has {len(column)} rows, expected {length}"
                )
            view = column.view()
            view.flags.writeable = False
            object.__setattr__(self, name, view)
        for what, scale in (("price_scale", self.price_scale), ("size_scale", self.size_scale)):
            if not 0 <= scale <= MAX_SCALE:
                raise ValueError(
                    f"{self.instrument_id} ticks: {what} {scale} not in 0..{MAX_SCALE}"
                )
        self._check_rows()

    def _check_rows(self) -> None:
        same_ts = np.diff(self.ts_event) == 0
        unordered = (np.diff(self.ts_event) < 0) | (same_ts & (np.diff(self.sequence) <= 0))
        checks = (
            (
                np.concatenate(([False], unordered)),
                "is not after the previous tick by (ts_event, sequence) (unsorted or duplicate)",
            ),
            (self.price_units <= 0, "price is not positive"),
            (self.size_units < 0, "size is negative"),
            (
                (self.aggressor < 0) | (self.aggressor >= len(AGGRESSOR_SIDES)),
                "aggressor code is not 0, 1 or 2",
            ),
        )
        for bad, reason in checks:
            hits = np.flatnonzero(bad)
            if hits.size:
                row = int(hits[0])
                raise DataError(
                    f"{self.instrument_id} ticks: tick {row} (ts_event "
                    f"{int(self.ts_event[row])}): {reason}"
                )

    @classmethod
    def empty(cls, instrument_id: InstrumentId) -> TickSeries:
        nothing = np.empty(0, dtype=np.int64)
        return cls(
            instrument_id,
            nothing,
            nothing.copy(),
            nothing.copy(),
            nothing.copy(),
            np.empty(0, dtype=np.int8),
        )

    @classmethod
    def from_ticks(cls, ticks: Sequence[TradeTick]) -> TickSeries:
        """A series of ``ticks`` (one instrument, in time order), exactly."""
        if not ticks:
            raise ValueError("from_ticks needs at least one tick; use TickSeries.empty otherwise")
        instrument_id = ticks[0].instrument_id
        for tick in ticks:
            if tick.instrument_id != instrument_id:
                raise DataError(
                    f"a tick series holds one instrument: {tick.instrument_id} "
                    f"among {instrument_id} ticks"
                )
        prices = [tick.price for tick in ticks]
        sizes = [tick.size for tick in ticks]
        price_scale = decimal_scale(prices, what="trade price")
        size_scale = decimal_scale(sizes, what="trade size")
        return cls(
            instrument_id,
            np.array([tick.ts_event for tick in ticks], dtype=np.int64),
            _sequences(ticks),
            decimals_to_units(prices, price_scale, what="trade price"),
            decimals_to_units(sizes, size_scale, what="trade size"),
            np.array([AGGRESSOR_CODES[tick.aggressor_side] for tick in ticks], dtype=np.int8),
            price_scale,
            size_scale,
        )

    def __len__(self) -> int:
        return len(self.ts_event)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TickSeries):
            return NotImplemented
        if self.instrument_id != other.instrument_id or len(self) != len(other):
            return False
        price_scale = max(self.price_scale, other.price_scale)
        size_scale = max(self.size_scale, other.size_scale)
        mine = self.with_scales(price_scale, size_scale)
        theirs = other.with_scales(price_scale, size_scale)
        pairs: list[tuple[npt.NDArray[np.integer], npt.NDArray[np.integer]]] = list(
            zip(mine.columns(), theirs.columns(), strict=True)
        )
        return all(np.array_equal(a, b) for a, b in pairs)

    __hash__ = None  # type: ignore[assignment]  # arrays make it unhashable

    @cached_property
    def price(self) -> Float64Array:
        return units_to_floats(self.price_units, self.price_scale)

    @cached_property
    def size(self) -> Float64Array:
        return units_to_floats(self.size_units, self.size_scale)

    @property
    def first_ts(self) -> int | None:
        return int(self.ts_event[0]) if len(self) else None

    @property
    def last_ts(self) -> int | None:
        return int(self.ts_event[-1]) if len(self) else None

    def columns(self) -> tuple[Int64Array, Int64Array, Int64Array, Int64Array, Int8Array]:
        """``(ts_event, sequence, price_units, size_units, aggressor)``."""
        return self.ts_event, self.sequence, self.price_units, self.size_units, self.aggressor

    def to_ticks(self, ts_init: int | None = None) -> list[TradeTick]:
        """Exact ``TradeTick`` messages; ``ts_init`` defaults to each tick's ``ts_event``."""
        return list(self.iter_ticks(ts_init))

    def iter_ticks(self, ts_init: int | None = None) -> Iterator[TradeTick]:
        times, sequences = self.ts_event.tolist(), self.sequence.tolist()
        prices, sizes = self.price_units.tolist(), self.size_units.tolist()
        sides = self.aggressor.tolist()
        for i, ts in enumerate(times):
            yield TradeTick(
                instrument_id=self.instrument_id,
                ts_event=ts,
                ts_init=ts if ts_init is None else ts_init,
                price=Decimal(prices[i]).scaleb(-self.price_scale),
                size=Decimal(sizes[i]).scaleb(-self.size_scale),
                aggressor_side=AGGRESSOR_SIDES[sides[i]],
                sequence=sequences[i],
            )

    def tick_at(self, index: int, ts_init: int | None = None) -> TradeTick:
        """The exact ``TradeTick`` at position ``index``; ``ts_init`` defaults to its time."""
        ts = int(self.ts_event[index])
        return TradeTick(
            instrument_id=self.instrument_id,
            ts_event=ts,
            ts_init=ts if ts_init is None else ts_init,
            price=Decimal(int(self.price_units[index])).scaleb(-self.price_scale),
            size=Decimal(int(self.size_units[index])).scaleb(-self.size_scale),
            aggressor_side=AGGRESSOR_SIDES[int(self.aggressor[index])],
            sequence=int(self.sequence[index]),
        )

    def between(self, start_ns: int | None = None, end_ns: int | None = None) -> TickSeries:
        """The ticks with ``start_ns <= ts_event < end_ns`` (``None``: unbounded)."""
        lo = 0 if start_ns is None else int(np.searchsorted(self.ts_event, start_ns, "left"))
        hi = len(self) if end_ns is None else int(np.searchsorted(self.ts_event, end_ns, "left"))
        return self.take(slice(lo, max(lo, hi)))

    def take(self, rows: slice | Int64Array) -> TickSeries:
        ts, seq, price, size, side = self.columns()
        picked = (ts[rows], seq[rows], price[rows], size[rows], side[rows])
        return self._with_columns(picked, self.price_scale, self.size_scale)

    def with_scales(self, price_scale: int, size_scale: int) -> TickSeries:
        """The same ticks with units at finer (or equal) scales."""
        if (price_scale, size_scale) == (self.price_scale, self.size_scale):
            return self
        label = f"{self.instrument_id} ticks"
        ts, seq, price, size, side = self.columns()
        price = rescale_units(price, self.price_scale, price_scale, what=f"{label} prices")
        size = rescale_units(size, self.size_scale, size_scale, what=f"{label} sizes")
        return self._with_columns((ts, seq, price, size, side), price_scale, size_scale)

    def merged_with(self, newer: TickSeries) -> TickSeries:
        """Both series' ticks in order; where both have a ``(ts_event, sequence)``, ``newer``
        wins."""
        if newer.instrument_id != self.instrument_id:
            raise DataError(f"cannot merge {newer.instrument_id} ticks into {self.instrument_id}")
        price_scale = max(self.price_scale, newer.price_scale)
        size_scale = max(self.size_scale, newer.size_scale)
        new = newer.with_scales(price_scale, size_scale).columns()
        old = self.with_scales(price_scale, size_scale).columns()
        ts, seq, price, size, side = (
            np.concatenate((new[0], old[0])),
            np.concatenate((new[1], old[1])),
            np.concatenate((new[2], old[2])),
            np.concatenate((new[3], old[3])),
            np.concatenate((new[4], old[4])),
        )
        order = np.lexsort((seq, ts))  # stable: among equal keys ``newer`` rows come first
        ts, seq = ts[order], seq[order]
        keep = np.ones(len(order), dtype=np.bool_)
        keep[1:] = (np.diff(ts) != 0) | (np.diff(seq) != 0)
        rows = order[keep]
        picked = (ts[keep], seq[keep], price[rows], size[rows], side[rows])
        return self._with_columns(picked, price_scale, size_scale)

    def _with_columns(
        self,
        columns: tuple[Int64Array, Int64Array, Int64Array, Int64Array, Int8Array],
        price_scale: int,
        size_scale: int,
    ) -> TickSeries:
        ts, seq, price, size, side = columns
        return TickSeries(
            self.instrument_id,
            np.ascontiguousarray(ts),
            np.ascontiguousarray(seq),
            np.ascontiguousarray(price),
            np.ascontiguousarray(size),
            np.ascontiguousarray(side),
            price_scale,
            size_scale,
        )


def _sequences(ticks: Sequence[TradeTick]) -> Int64Array:
    """Each tick's venue sequence, or its ordinal among ticks of the same timestamp."""
    result = np.empty(len(ticks), dtype=np.int64)
    previous_ts, ordinal = None, 0
    for i, tick in enumerate(ticks):
        ordinal = ordinal + 1 if tick.ts_event == previous_ts else 0
        previous_ts = tick.ts_event
        result[i] = tick.sequence if tick.sequence is not None else ordinal
    return result
