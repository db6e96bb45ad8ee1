"""``ReturnsWindow``: the latest closes per instrument, refitted into a ``VarModel`` on demand.

Bars feed ``record_close(instrument, period, close)``, where ``period`` is an increasing
integer key of the bar's period (e.g. the trading day's ordinal in the exchange time zone,
chosen by the caller). The window keeps the closes of the last ``days + 1`` periods in a ring
buffer (O(N) per new period, O(1) per close), so a refresh reads at most ``days`` one-day
simple returns per instrument.

``settled_returns()`` leaves out the latest period, whose close may still move (today's
bars keep coming): its rows only change when a new period begins or an older close is
corrected, which ``settled_revision`` counts, so a model fitted on them is refitted once a
period, not on every bar.

Alignment is complete-case: a period where any instrument has no close (not yet reported,
halted, not listed yet) yields no return row for that period or the next, so every row of the
matrix is one real cross-section and the covariance sees the instruments on the same days.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

import numpy as np

from jts.contexts.risk.domain.var.estimate import FloatArray
from jts.contexts.risk.domain.var.model import VarModel
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import InstrumentId

_NO_PERIOD = np.iinfo(np.int64).min


class ReturnsWindow:
    """Ring buffer of closes for a fixed list of instruments over the last ``days + 1`` periods."""

    __slots__ = (
        "_closes",
        "_count",
        "_head",
        "_index",
        "_periods",
        "instruments",
        "revision",
        "settled_revision",
    )

    def __init__(self, instruments: Sequence[InstrumentId], *, days: int) -> None:
        if days < 2:
            raise DataError(f"a returns window needs at least 2 days, got {days}; use e.g. 250")
        self.instruments = tuple(instruments)
        self._index = {instrument: i for i, instrument in enumerate(self.instruments)}
        if len(self._index) != len(self.instruments) or not self.instruments:
            raise DataError("a returns window needs one or more distinct instruments")
        self._closes = np.full((days + 1, len(self.instruments)), np.nan)
        self._periods = np.full(days + 1, _NO_PERIOD, dtype=np.int64)
        self._head = -1
        self._count = 0
        self.revision = 0  # bumps on every recorded close: refit only when it moved
        self.settled_revision = 0  # bumps when a period begins or an older close changes

    def record_close(self, instrument: InstrumentId, period: int, close: Decimal | float) -> None:
        """Store ``instrument``'s close for ``period`` (the latest or one already in the window)."""
        column = self._index.get(instrument)
        if column is None:
            raise DataError(f"{instrument} is not in this returns window; rebuild it to add it")
        value = float(close)
        if not (math.isfinite(value) and value > 0.0):
            raise DataError(f"close of {instrument} for period {period} is {close}; expected > 0")
        head = self._head
        row = self._row_for(period)
        self._closes[row, column] = value
        self.revision += 1
        if row != head or self._head != head:
            self.settled_revision += 1

    def returns(self) -> FloatArray:
        """Complete one-period simple returns, oldest first: a T x N matrix, T <= ``days``."""
        return self._returns(self._count)

    def settled_returns(self) -> FloatArray:
        """``returns()`` without the latest period's row (its close may still move)."""
        return self._returns(self._count - 1)

    def _returns(self, count: int) -> FloatArray:
        capacity = self._periods.shape[0]
        count = max(count, 0)
        order = (self._head - self._count + 1 + np.arange(count)) % capacity
        closes = self._closes[order]
        ratios: FloatArray = closes[1:] / closes[:-1] - 1.0
        complete = np.isfinite(ratios).all(axis=1)
        return ratios[complete]

    def fit(
        self,
        *,
        rng: np.random.Generator | None = None,
        paths: int = 10_000,
        student_t_dof: float | None = None,
    ) -> VarModel:
        """A ``VarModel`` of the current window (needs at least 2 complete return rows)."""
        returns = self.returns()
        if returns.shape[0] < 2:
            raise DataError(
                f"the returns window has {returns.shape[0]} complete day(s); VaR needs at "
                "least 2 (wait for more bars)"
            )
        return VarModel.fit(
            self.instruments, returns, rng=rng, paths=paths, student_t_dof=student_t_dof
        )

    def _row_for(self, period: int) -> int:
        latest = int(self._periods[self._head]) if self._count else _NO_PERIOD
        if period > latest:
            self._head = (self._head + 1) % self._periods.shape[0]
            self._periods[self._head] = period
            self._closes[self._head] = np.nan
            self._count = min(self._count + 1, self._periods.shape[0])
            return self._head
        matches = np.flatnonzero(self._periods == period)
        if matches.size == 0:
            raise DataError(
                f"close for period {period} arrived after period {latest} and that period is "
                "not in the window; feed bars in period order"
            )
        return int(matches[0])
