"""Exchange rates into the portfolio's base currency (KRW by default), exactly.

``FxRates`` maps a currency to the value of one unit of it in the base currency; the base
currency is always worth 1. A valuation that meets a currency without a rate fails with an
error that names it, never with a silent zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from jts.shared_kernel.errors import DataError
from jts.shared_kernel.numbers import ONE, ZERO


class FxRates:
    """Rates into ``base``: ``rate("USDT") == Decimal("1380.5")`` means 1 USDT = 1,380.5 KRW."""

    __slots__ = ("_rates", "base")

    def __init__(self, base: str = "KRW", rates: Mapping[str, Decimal] | None = None) -> None:
        self.base = base
        self._rates: dict[str, Decimal] = {}
        for currency, rate in (rates or {}).items():
            self.set(currency, rate)

    def set(self, currency: str, rate: Decimal) -> None:
        """Set (or replace) the rate of ``currency``."""
        if currency == self.base:
            if rate != ONE:
                raise DataError(f"the base currency {self.base} is worth 1, not {rate}")
            return
        if not rate.is_finite() or rate <= ZERO:
            raise DataError(f"FX rate of {currency} in {self.base} is {rate}; it must be positive")
        self._rates[currency] = rate

    def rate(self, currency: str) -> Decimal:
        """The value of one unit of ``currency`` in the base currency."""
        if currency == self.base:
            return ONE
        rate = self._rates.get(currency)
        if rate is None:
            known = ", ".join(sorted(self._rates)) or "none"
            raise DataError(
                f"no FX rate for {currency} in {self.base} (rates known: {known}); give the "
                f"backtest or the portfolio a {currency}/{self.base} rate series"
            )
        return rate

    def to_base(self, amount: Decimal, currency: str) -> Decimal:
        return amount if currency == self.base else amount * self.rate(currency)

    def __contains__(self, currency: object) -> bool:
        return currency == self.base or currency in self._rates

    def __repr__(self) -> str:
        return f"FxRates({self.base}, {self._rates})"
