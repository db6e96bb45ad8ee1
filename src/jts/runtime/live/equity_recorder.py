"""``EquityRecorder``: the account's equity over its whole life, in memory and in the store.

The node gives it the account's equity (base currency) at the close of every bar it
handles; several bars closing at the same time make one point (the last equity seen at
that time). Points are kept in memory as the live curve the performance figures are
measured on, and appended to the time-series store (``EquityCurveStore``, curve id
``live.<account>``, rounded to ``STORED_PLACES``) in batches: every ``batch`` points and
whenever the node saves a checkpoint or stops, never per bar. ``load`` reads the stored
curve back at start, so a restarted node measures the account since its first run, not
just this one; a point at or before the last stored one (a resumed replay repeating a
bar) is ignored.

The in-memory curve is two growable numpy columns (doubling), so handing it to the
analytics costs a slice, not a conversion of Python lists.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

import numpy as np
import numpy.typing as npt

from jts.contexts.portfolio.domain.equity_curve import EquityCurve

FloatArray = npt.NDArray[np.float64]
Int64Array = npt.NDArray[np.int64]
_INITIAL_CAPACITY = 1_024
STORED_PLACES = Decimal("0.0001")  # equity is stored to 1/10,000 of the base currency


class EquityArchive(Protocol):
    """The part of the time-series store the recorder uses (``EquityCurveStore``)."""

    def append_equity(self, curve: EquityCurve) -> None: ...

    def read_equity(
        self, curve_id: str, *, start_ns: int | None = None, end_ns: int | None = None
    ) -> EquityCurve: ...


def curve_id_of(account_id: str) -> str:
    """``live.<account>``: the curve a live account's equity is stored under."""
    return f"live.{account_id}"


class EquityRecorder:
    """One account's equity points, buffered to the store (see the module docstring)."""

    def __init__(self, archive: EquityArchive, *, curve_id: str, batch: int = 500) -> None:
        if batch < 1:
            raise ValueError(f"equity recorder batch {batch} must be at least 1")
        self.curve_id = curve_id
        self._archive = archive
        self._batch = batch
        self._pending: list[tuple[int, Decimal]] = []
        self._ts: Int64Array = np.empty(_INITIAL_CAPACITY, dtype=np.int64)
        self._values: FloatArray = np.empty(_INITIAL_CAPACITY, dtype=np.float64)
        self._size = 0
        self.loaded = 0  # points read back from the store at start

    def load(self) -> int:
        """Read the stored curve into memory (call once, before recording); points read."""
        stored = self._archive.read_equity(self.curve_id)
        for ts, value in zip(stored.ts.tolist(), stored.equity.tolist(), strict=True):
            self._append(ts, value)
        self.loaded = len(stored)
        return self.loaded

    def record(self, ts_ns: int, equity: Decimal) -> None:
        """The account's equity at ``ts_ns``; a later call at the same time replaces it."""
        equity = equity.quantize(STORED_PLACES)
        size = self._size
        if size and ts_ns <= self._ts[size - 1]:
            if ts_ns < self._ts[size - 1] or size <= self.loaded:
                return  # before the last point, or at a point stored by an earlier run
            self._values[size - 1] = float(equity)
            if self._pending and self._pending[-1][0] == ts_ns:
                self._pending[-1] = (ts_ns, equity)
            else:
                self._pending.append((ts_ns, equity))  # the store replaces its point
            return
        self._append(ts_ns, float(equity))
        self._pending.append((ts_ns, equity))
        if len(self._pending) >= self._batch:
            self.flush()

    def flush(self) -> None:
        """Append the points not stored yet."""
        if self._pending:
            points, self._pending = self._pending, []
            self._archive.append_equity(EquityCurve.from_points(self.curve_id, points))

    def __len__(self) -> int:
        return self._size

    @property
    def ts(self) -> Int64Array:
        """Timestamps of every point (a read-only view; valid until the next record)."""
        view = self._ts[: self._size]
        view.flags.writeable = False
        return view

    @property
    def equity(self) -> FloatArray:
        """Equity of every point as ``float64`` (a read-only view)."""
        view = self._values[: self._size]
        view.flags.writeable = False
        return view

    def last(self) -> tuple[int, float] | None:
        if not self._size:
            return None
        return int(self._ts[self._size - 1]), float(self._values[self._size - 1])

    def value_at(self, ts_ns: int) -> float | None:
        """The equity of the last point at or before ``ts_ns``, if any."""
        index = int(np.searchsorted(self._ts[: self._size], ts_ns, "right")) - 1
        return None if index < 0 else float(self._values[index])

    def _append(self, ts_ns: int, value: float) -> None:
        if self._size == len(self._ts):
            self._ts = np.concatenate((self._ts, np.empty_like(self._ts)))
            self._values = np.concatenate((self._values, np.empty_like(self._values)))
        self._ts[self._size] = ts_ns
        self._values[self._size] = value
        self._size += 1
