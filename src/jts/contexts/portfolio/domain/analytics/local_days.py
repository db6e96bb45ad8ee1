"""Exchange-local calendar days of UNIX-nanosecond timestamps, without pandas.

A point belongs to the local date on which it falls in the exchange time zone. The local
midnights between the first and the last point are computed once per distinct date (one
``zoneinfo`` call per day, so DST changes are honoured) and every point is placed with one
``searchsorted``; a ten-year minute curve costs a few thousand zone look-ups, not a million.
Day numbers count days since 1970-01-01 (numpy ``datetime64[D]`` units), so months and years
follow from ``astype``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import numpy.typing as npt

from jts.contexts.portfolio.domain.analytics.conventions import zone
from jts.shared_kernel.clock import NANOS_PER_MICRO, datetime_to_ns
from jts.shared_kernel.errors import DataError

_EPOCH_DATE = date(1970, 1, 1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Int64Array = npt.NDArray[np.int64]


def local_day_numbers(ts_ns: Int64Array, time_zone: str) -> Int64Array:
    """The exchange-local date of each timestamp (sorted ascending), as days since 1970-01-01."""
    if len(ts_ns) == 0:
        return np.empty(0, dtype=np.int64)
    if np.any(ts_ns[1:] < ts_ns[:-1]):
        raise DataError("timestamps must be sorted ascending to be placed on local days")
    tz = zone(time_zone)
    first = _local_date(int(ts_ns[0]), time_zone)
    last = _local_date(int(ts_ns[-1]), time_zone)
    days = (last - first).days
    midnights = np.fromiter(
        (
            datetime_to_ns(datetime.combine(first + timedelta(days=k), time(), tzinfo=tz))
            for k in range(1, days + 1)
        ),
        dtype=np.int64,
        count=days,
    )
    # Cut the sorted points at each midnight: a few thousand look-ups instead of a million.
    cuts = np.searchsorted(ts_ns, midnights, side="left")
    counts = np.diff(cuts, prepend=0, append=len(ts_ns))
    day_numbers = np.arange(days + 1, dtype=np.int64) + np.int64((first - _EPOCH_DATE).days)
    return np.repeat(day_numbers, counts)


def month_numbers(day_numbers: Int64Array) -> Int64Array:
    """Months since 1970-01 of each day number (``year * 12 + month - 1`` minus 1970 * 12)."""
    if len(day_numbers) == 0:
        return np.empty(0, dtype=np.int64)
    # Convert one value per run of equal days (a minute curve has 390 points a day).
    starts = np.concatenate(([0], np.flatnonzero(np.diff(day_numbers)) + 1))
    runs = day_numbers[starts].astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return np.repeat(runs, np.diff(starts, append=len(day_numbers)))


def day_to_date(day_number: int) -> date:
    """The calendar date of a day number."""
    return _EPOCH_DATE + timedelta(days=day_number)


@dataclass(frozen=True, eq=False)
class LocalDays:
    """Which exchange-local day each point of a curve falls on, and each day's last point.

    Build it once per timestamp column and reuse it for every curve on the same clock (the
    optimizer's trials share their timestamps)."""

    day_numbers: Int64Array
    last_index: Int64Array  # index of the last point of each distinct day, in order

    @classmethod
    def of(cls, ts_ns: Int64Array, time_zone: str) -> LocalDays:
        day_numbers = local_day_numbers(ts_ns, time_zone)
        if len(day_numbers) == 0:
            return cls(day_numbers, np.empty(0, dtype=np.int64))
        changes = np.flatnonzero(np.diff(day_numbers))
        last_index = np.append(changes, len(day_numbers) - 1).astype(np.int64)
        return cls(day_numbers, last_index)

    @property
    def days(self) -> Int64Array:
        """The distinct day numbers, in order."""
        return self.day_numbers[self.last_index]


def _local_date(ts_ns: int, time_zone: str) -> date:
    moment = _EPOCH + timedelta(microseconds=ts_ns // NANOS_PER_MICRO)
    return moment.astimezone(zone(time_zone)).date()
