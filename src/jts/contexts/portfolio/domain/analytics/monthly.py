"""Monthly and yearly returns: the table behind the year x month heat map.

Each period return is assigned to the exchange-local month of the point that closes it and
compounded within the month (quantstats' ``monthly_returns`` with ``compounded=True``).
Months without any period are ``None`` rather than 0 (quantstats fills them with 0), so a
heat map can leave them blank instead of painting a flat month that never traded.
"""

from __future__ import annotations

import msgspec
import numpy as np
import numpy.typing as npt

from jts.contexts.portfolio.domain.analytics.local_days import month_numbers
from jts.contexts.portfolio.domain.analytics.returns import ReturnSeries

FloatArray = npt.NDArray[np.float64]
_BASE_YEAR = 1970


class MonthlyReturns(msgspec.Struct, frozen=True, kw_only=True):
    """``months[i][m]`` is the return of month ``m + 1`` of ``years[i]`` (None: no data);
    ``yearly[i]`` compounds the whole year."""

    years: tuple[int, ...] = ()
    months: tuple[tuple[float | None, ...], ...] = ()
    yearly: tuple[float, ...] = ()

    def as_array(self) -> FloatArray:
        """A ``(years, 12)`` array with NaN for months without data."""
        table = np.full((len(self.years), 12), np.nan)
        for row, values in enumerate(self.months):
            for column, value in enumerate(values):
                if value is not None:
                    table[row, column] = value
        return table


def monthly_returns(series: ReturnSeries) -> MonthlyReturns:
    """Compound the returns of ``series`` by local month and by local year."""
    if len(series) == 0:
        return MonthlyReturns()
    growth = 1.0 + np.nan_to_num(series.returns, nan=0.0)
    months = month_numbers(series.day_numbers)
    month_keys, month_growth = _compound_runs(months, growth)
    year_keys, year_growth = _compound_runs(months // 12, growth)
    years = tuple(int(y) + _BASE_YEAR for y in year_keys)
    table: dict[int, list[float | None]] = {year: [None] * 12 for year in years}
    for key, value in zip(month_keys.tolist(), month_growth.tolist(), strict=True):
        table[key // 12 + _BASE_YEAR][key % 12] = value - 1.0
    return MonthlyReturns(
        years=years,
        months=tuple(tuple(table[year]) for year in years),
        yearly=tuple(float(g) - 1.0 for g in year_growth),
    )


def _compound_runs(
    keys: npt.NDArray[np.int64], growth: FloatArray
) -> tuple[npt.NDArray[np.int64], FloatArray]:
    starts = np.concatenate(([0], np.flatnonzero(np.diff(keys)) + 1))
    return keys[starts], np.multiply.reduceat(growth, starts)
