"""How returns are measured: the periods per year, the exchange time zone and the risk-free rate.

Every return-based figure (CAGR, volatility, Sharpe, Sortino, alpha) depends on three choices
the caller makes once per market:

* ``periods_per_year`` annualises per-period figures: 252 for KRX trading days, 365 for crypto
  days, ``252 * 390`` for one-minute KRX bars measured without daily resampling.
* ``time_zone`` is the IANA zone whose calendar days cut an intraday equity curve into daily
  returns (``Asia/Seoul`` for KRX and Upbit, ``UTC`` for Binance's day boundary).
* ``daily`` says whether to resample to one return per exchange-local day before measuring
  (the default, what the metrics mean) or to measure the curve's own periods as given.

``risk_free_rate`` is an annual rate; it is turned into a per-period rate by compounding,
``(1 + rf) ** (1 / periods_per_year) - 1`` (quantstats' convention).
"""

from __future__ import annotations

import math
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from jts.shared_kernel.errors import DataError


class MetricConventions(msgspec.Struct, frozen=True, kw_only=True):
    """The measuring conventions of one market; see the module docstring."""

    periods_per_year: float = 252.0
    time_zone: str = "Asia/Seoul"
    risk_free_rate: float = 0.0
    daily: bool = True

    def __post_init__(self) -> None:
        if not math.isfinite(self.periods_per_year) or self.periods_per_year <= 0:
            raise DataError(
                f"periods_per_year is {self.periods_per_year}; give a positive number "
                "such as 252 (KRX trading days) or 365 (crypto days)"
            )
        if not math.isfinite(self.risk_free_rate) or self.risk_free_rate <= -1:
            raise DataError(
                f"risk_free_rate is {self.risk_free_rate}; give an annual rate above -1, "
                "e.g. 0.035 for 3.5%"
            )
        zone(self.time_zone)

    @property
    def risk_free_per_period(self) -> float:
        """The annual risk-free rate compounded down to one period."""
        return per_period_rate(self.risk_free_rate, self.periods_per_year)


def per_period_rate(annual_rate: float, periods_per_year: float) -> float:
    """``(1 + annual_rate) ** (1 / periods_per_year) - 1``; exactly 0 for a zero rate."""
    if annual_rate == 0.0:
        return 0.0
    return float((1.0 + annual_rate) ** (1.0 / periods_per_year) - 1.0)


def zone(time_zone: str) -> ZoneInfo:
    """The IANA zone ``time_zone``, or a ``DataError`` naming it."""
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise DataError(
            f"time zone {time_zone!r} is not an IANA zone name; use e.g. Asia/Seoul or UTC"
        ) from e


KRX_DAILY = MetricConventions(periods_per_year=252.0, time_zone="Asia/Seoul")
UPBIT_DAILY = MetricConventions(periods_per_year=365.0, time_zone="Asia/Seoul")
BINANCE_DAILY = MetricConventions(periods_per_year=365.0, time_zone="UTC")
