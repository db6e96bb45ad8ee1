"""``EquityCurve``: an account's (or a backtest run's) equity over time, as numpy columns.

``ts`` (``int64`` UNIX ns, strictly increasing) and ``equity_units`` (``int64``): the exact
equity ``Decimal`` as a scaled integer, ``equity = units * 10**-scale``. ``equity`` is the
``float64`` view for analytics (returns, drawdown, Sharpe). ``curve_id`` names the curve: an
account id for paper and live trading, a run id for a backtest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import msgspec
import numpy as np
import numpy.typing as npt

from jts.shared_kernel.errors import DataError

MAX_SCALE = 12


@dataclass(frozen=True, eq=False)
class EquityCurve:
    """Equity points of one curve in time order, exactly."""

    curve_id: str
    ts: npt.NDArray[np.int64]
    equity_units: npt.NDArray[np.int64]
    scale: int = 0

    def __post_init__(self) -> None:
        if not self.curve_id:
            raise DataError("an equity curve needs a non-empty curve_id (account or run id)")
        for name in ("ts", "equity_units"):
            column = getattr(self, name)
            if not isinstance(column, np.ndarray) or column.dtype != np.int64 or column.ndim != 1:
                raise ValueError(f"equity curve {self.curve_id}: {name} must be 1-D int64")
            view = column.view()
            view.flags.writeable = False
            object.__setattr__(self, name, view)
        if len(self.ts) != len(self.equity_units):
            raise ValueError(f"equity curve {self.curve_id}: ts and equity differ in length")
        if not 0 <= self.scale <= MAX_SCALE:
            raise ValueError(f"equity curve {self.curve_id}: scale {self.scale} not in 0..12")
        unordered = np.flatnonzero(np.diff(self.ts) <= 0)
        if unordered.size:
            row = int(unordered[0]) + 1
            raise DataError(
                f"equity curve {self.curve_id}: point {row} (ts {int(self.ts[row])}) is not "
                "after the previous point (unsorted or duplicate)"
            )

    @classmethod
    def from_points(cls, curve_id: str, points: Sequence[tuple[int, Decimal]]) -> EquityCurve:
        """A curve from ``(ts, equity)`` pairs in time order."""
        scale = 0
        for _, value in points:
            if not value.is_finite():
                raise DataError(f"equity curve {curve_id}: equity {value} is not finite")
            exponent = value.as_tuple().exponent
            assert isinstance(exponent, int)  # finite decimals have an int exponent
            scale = max(scale, -exponent)
        if scale > MAX_SCALE:
            raise DataError(f"equity curve {curve_id}: equity has more than 12 decimals")
        units = [int(value.scaleb(scale)) for _, value in points]
        return cls(
            curve_id,
            np.array([ts for ts, _ in points], dtype=np.int64),
            np.array(units, dtype=np.int64),
            scale,
        )

    def __len__(self) -> int:
        return len(self.ts)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EquityCurve):
            return NotImplemented
        return (
            self.curve_id == other.curve_id
            and np.array_equal(self.ts, other.ts)
            and self.points() == other.points()
        )

    __hash__ = None  # type: ignore[assignment]  # arrays make it unhashable

    @cached_property
    def equity(self) -> npt.NDArray[np.float64]:
        return self.equity_units.astype(np.float64) / float(10**self.scale)

    def points(self) -> list[tuple[int, Decimal]]:
        """Exact ``(ts, equity)`` pairs."""
        return [
            (ts, Decimal(units).scaleb(-self.scale))
            for ts, units in zip(self.ts.tolist(), self.equity_units.tolist(), strict=True)
        ]

    def between(self, start_ns: int | None = None, end_ns: int | None = None) -> EquityCurve:
        """The points with ``start_ns <= ts < end_ns`` (``None``: unbounded)."""
        lo = 0 if start_ns is None else int(np.searchsorted(self.ts, start_ns, "left"))
        hi = len(self) if end_ns is None else int(np.searchsorted(self.ts, end_ns, "left"))
        hi = max(lo, hi)
        return EquityCurve(
            self.curve_id, self.ts[lo:hi].copy(), self.equity_units[lo:hi].copy(), self.scale
        )

    def with_scale(self, scale: int) -> EquityCurve:
        """The same points at a finer (or equal) scale."""
        if scale < self.scale:
            raise ValueError(f"cannot rescale equity from {self.scale} down to {scale} decimals")
        factor = 10 ** (scale - self.scale)
        limit = np.iinfo(np.int64).max // factor
        if len(self) and int(np.abs(self.equity_units).max()) > limit:
            raise DataError(f"equity curve {self.curve_id} is too large at {scale} decimals")
        return EquityCurve(self.curve_id, self.ts, self.equity_units * np.int64(factor), scale)

    def merged_with(self, newer: EquityCurve) -> EquityCurve:
        """Both curves' points in time order; where both have a ``ts``, ``newer`` wins."""
        scale = max(self.scale, newer.scale)
        new, old = newer.with_scale(scale), self.with_scale(scale)
        ts = np.concatenate((new.ts, old.ts))
        units = np.concatenate((new.equity_units, old.equity_units))
        _, first = np.unique(ts, return_index=True)  # sorted; ``newer`` points come first
        return EquityCurve(self.curve_id, ts[first], units[first], scale)


class EquityCurveInfo(msgspec.Struct, frozen=True, kw_only=True):
    """What a store holds for one curve: how many points and their time range."""

    curve_id: str
    count: int
    first_ts: int
    last_ts: int
