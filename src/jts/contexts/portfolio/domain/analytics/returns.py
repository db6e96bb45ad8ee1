"""Period returns from an equity curve: as given, or one per exchange-local day.

The first point of a curve is the starting equity, the value before the first period. Each
later point closes one period: ``r[i] = equity[i] / equity[i - 1] - 1``.

Daily returns (``MetricConventions.daily``) take each local day's last equity as that day's
close and compare it with the previous day's close; the first day compares with the starting
equity. A day holding only the starting point has no return, so a curve that is already
daily gives exactly its own period returns. Days without points (weekends, holidays) are not
periods: annualisation uses ``periods_per_year`` trading days, not calendar days.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from jts.contexts.portfolio.domain.analytics.conventions import MetricConventions
from jts.contexts.portfolio.domain.analytics.local_days import LocalDays, local_day_numbers
from jts.shared_kernel.errors import DataError

FloatArray = npt.NDArray[np.float64]
Int64Array = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class ReturnSeries:
    """Period returns with the timestamp of the point closing each period and its local day."""

    returns: FloatArray
    end_ts_ns: Int64Array
    day_numbers: Int64Array

    def __len__(self) -> int:
        return len(self.returns)


def validate_curve(ts_ns: Int64Array, equity: FloatArray, what: str = "equity") -> None:
    """Fail fast on a curve returns cannot be measured on: shape, order, NaN, non-positive."""
    if ts_ns.ndim != 1 or equity.ndim != 1 or len(ts_ns) != len(equity):
        raise DataError(
            f"{what}: timestamps ({ts_ns.shape}) and values ({equity.shape}) must be 1-D "
            "arrays of the same length"
        )
    unordered = np.flatnonzero(np.diff(ts_ns) <= 0)
    if unordered.size:
        row = int(unordered[0]) + 1
        raise DataError(
            f"{what}: point {row} (ts {int(ts_ns[row])}) is not after the previous point; "
            "sort the curve and drop duplicate timestamps"
        )
    bad = np.flatnonzero(~np.isfinite(equity) | (equity <= 0.0))
    if bad.size:
        row = int(bad[0])
        raise DataError(
            f"{what}: point {row} (ts {int(ts_ns[row])}) has value {float(equity[row])}; "
            "returns need finite, positive values (a ruined account has no further returns)"
        )


def period_returns(ts_ns: Int64Array, equity: FloatArray, time_zone: str) -> ReturnSeries:
    """One return per point after the first, as the curve was sampled."""
    validate_curve(ts_ns, equity)
    returns = equity[1:] / equity[:-1] - 1.0
    end_ts = ts_ns[1:]
    return ReturnSeries(returns, end_ts, local_day_numbers(end_ts, time_zone))


def daily_returns(
    ts_ns: Int64Array, equity: FloatArray, time_zone: str, days: LocalDays | None = None
) -> ReturnSeries:
    """One return per exchange-local day; ``days`` may be reused across curves on one clock."""
    validate_curve(ts_ns, equity)
    if len(equity) == 0:
        empty = np.empty(0, dtype=np.int64)
        return ReturnSeries(np.empty(0, dtype=np.float64), empty, empty)
    days = LocalDays.of(ts_ns, time_zone) if days is None else days
    if len(days.day_numbers) != len(ts_ns):
        raise DataError("the LocalDays given were built for a different timestamp column")
    closes_at = days.last_index
    if closes_at[0] == 0:  # the first day holds only the starting point: no return
        closes_at = closes_at[1:]
    closes = equity[closes_at]
    previous = np.empty_like(closes)
    if len(closes):
        previous[0] = equity[0]
        previous[1:] = closes[:-1]
    return ReturnSeries(closes / previous - 1.0, ts_ns[closes_at], days.day_numbers[closes_at])


def measured_returns(
    ts_ns: Int64Array,
    equity: FloatArray,
    conventions: MetricConventions,
    days: LocalDays | None = None,
) -> ReturnSeries:
    """The returns the metrics are measured on under ``conventions`` (daily or as sampled)."""
    if conventions.daily:
        return daily_returns(ts_ns, equity, conventions.time_zone, days)
    return period_returns(ts_ns, equity, conventions.time_zone)
