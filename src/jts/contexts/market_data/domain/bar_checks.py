"""The invariants of a run of bars, checked over whole columns at once.

Shared by ``BarSeries`` (which refuses invalid bars) and by importers, which check raw
file columns before building a series so that they can name the offending file row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from jts.contexts.market_data.domain.fixed_point import Float64Array, Int64Array


@dataclass(frozen=True)
class BarProblem:
    """The first invalid bar in a set of columns: its position and what is wrong."""

    index: int
    reason: str


def find_bar_problem(
    ts_start: Int64Array,
    ts_event: Int64Array,
    prices: Sequence[Int64Array | Float64Array],
    volume: Int64Array | Float64Array,
) -> BarProblem | None:
    """The first bar that breaks a series invariant, or ``None`` when all are valid.

    ``prices`` are the open, high, low and close columns, as units or floats.
    """
    open_, high, low, close = prices
    checks = (
        (
            np.diff(ts_start) <= 0,
            "timestamp is not after the previous bar's (unsorted or duplicate)",
            1,
        ),
        (ts_event <= ts_start, "bar closes at or before it starts", 0),
        (open_ <= 0, "open is not positive", 0),
        (high <= 0, "high is not positive", 0),
        (low <= 0, "low is not positive", 0),
        (close <= 0, "close is not positive", 0),
        (volume < 0, "volume is negative", 0),
        (high < low, "high is below low", 0),
        ((high < open_) | (high < close), "high is below open or close", 0),
        ((low > open_) | (low > close), "low is above open or close", 0),
    )
    first: BarProblem | None = None
    for bad, reason, offset in checks:
        hits = np.flatnonzero(bad)
        if hits.size and (first is None or int(hits[0]) + offset < first.index):
            first = BarProblem(int(hits[0]) + offset, reason)
    return first
