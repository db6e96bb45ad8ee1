"""FX series: the rate of a currency in the base currency over a run.

``FxSeries("USDT", ts_ns, rates)`` holds exact rates; the rate in force at ``t`` is the last
one stamped at or before ``t``. A run that needs a rate before the first point fails and
says so, rather than valuing USDT at some guess.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from jts.contexts.portfolio.domain.fx import FxRates
from jts.shared_kernel.errors import DataError


class FxSeries:
    """Rates of ``currency`` in the base currency, by time."""

    __slots__ = ("currency", "rates", "ts_ns")

    def __init__(self, currency: str, ts_ns: Sequence[int], rates: Sequence[Decimal]) -> None:
        if len(ts_ns) != len(rates) or not ts_ns:
            raise DataError(f"{currency} FX series needs as many rates as times, at least one")
        if any(b <= a for a, b in pairwise(ts_ns)):
            raise DataError(f"{currency} FX series times must strictly increase")
        for rate in rates:
            if not rate.is_finite() or rate <= 0:
                raise DataError(f"{currency} FX rate {rate} must be positive")
        self.currency = currency
        self.ts_ns = [int(t) for t in ts_ns]
        self.rates = list(rates)

    @classmethod
    def constant(cls, currency: str, rate: Decimal) -> FxSeries:
        """One rate for the whole run."""
        return cls(currency, [-(2**62)], [rate])

    def rate_at(self, ts_ns: int) -> Decimal:
        index = bisect_right(self.ts_ns, ts_ns) - 1
        if index < 0:
            raise DataError(
                f"no {self.currency} rate at or before ts {ts_ns}; the FX series starts at "
                f"{self.ts_ns[0]}"
            )
        return self.rates[index]

    def floats_at(self, ts_ns: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """The rates in force at each of ``ts_ns`` as floats (for the equity curve)."""
        index = np.searchsorted(np.array(self.ts_ns, dtype=np.int64), ts_ns, side="right") - 1
        if len(index) and int(index.min()) < 0:
            raise DataError(f"the {self.currency} FX series starts after the first bar")
        return np.array([float(r) for r in self.rates])[index]


def rates_at(base: str, series: Iterable[FxSeries], ts_ns: int) -> FxRates:
    """Every series' rate in force at ``ts_ns``."""
    return FxRates(base, {s.currency: s.rate_at(ts_ns) for s in series})


def by_currency(series: Iterable[FxSeries]) -> Mapping[str, FxSeries]:
    found: dict[str, FxSeries] = {}
    for one in series:
        if one.currency in found:
            raise DataError(f"two FX series for {one.currency}; give one")
        found[one.currency] = one
    return found
