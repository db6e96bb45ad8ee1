"""Korean tax on share sales, by market segment and date, and the settlement date it keys on.

The securities transaction tax (증권거래세, STT) and, on KOSPI only, the rural special tax
(농어촌특별세) are charged on the sale amount of every sell. Rates change by decree and
apply by **transfer (settlement) date**, not trade date: the 2025 cut applied to sells
executed from 2024-12-27 because they settled (T+2, 2024-12-31 being a KRX holiday) on
2025-01-02 (broker notices, Hanyang Securities 2024-12-26). ``sell_tax_for_trade`` therefore
takes the trade date and a KRX calendar and looks up the rate on the settlement date.

Rates (sources: MOEF via fntimes/hankookilbo 2019-05, hankyung 2020-07, Hanyang 2024-12,
chosun 2025-12 and brokers.md 0.3; percentages of the sale amount):

=================  ===============  ======  =====
settled from       KOSPI STT+rural  KOSDAQ  KONEX
=================  ===============  ======  =====
1997-01-01         0.15 + 0.15      0.30    0.30 (KONEX from its 2013-07-01 opening)
2019-06-03         0.10 + 0.15      0.25    0.10
2021-01-01         0.08 + 0.15      0.23    0.10
2023-01-01         0.05 + 0.15      0.20    0.10
2024-01-01         0.03 + 0.15      0.18    0.10
2025-01-01         0.00 + 0.15      0.15    0.10
2026-01-01         0.05 + 0.15      0.20    0.10
=================  ===============  ======  =====

The pre-2019 rates held "since 1996" (MOEF); the day is not recorded, so the table starts
on 1997-01-01 and earlier dates raise ``UnknownRuleDate``. ETF sells are exempt from STT
(brokers.md 0.3) and get a zero rate.

Rounding: each tax is computed on the sale amount and floored to the won, separately, as
broker trade confirmations show them as separate whole-won lines. (The 10-won truncation
of the Treasury's rules applies to the broker's aggregated remittance, not to the amount
withheld per trade [unconfirmed].)
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

from jts.shared_kernel.numbers import ONE, ZERO, Rounding, round_to_step
from jts.shared_kernel.venues.calendar import TradingCalendar
from jts.shared_kernel.venues.dated import Dated
from jts.shared_kernel.venues.errors import NotASession
from jts.shared_kernel.venues.types import MarketSegment


class TaxRate(msgspec.Struct, frozen=True):
    """Sell-side tax rates as fractions of the sale amount."""

    securities_transaction: Decimal
    rural_special: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.securities_transaction + self.rural_special


def _pct(text: str) -> Decimal:
    return Decimal(text) / 100


def _kospi(stt: str) -> TaxRate:
    return TaxRate(_pct(stt), _pct("0.15"))


def _single(rate: str) -> TaxRate:
    return TaxRate(_pct(rate))


_SELL_TAX: dict[MarketSegment, Dated[TaxRate]] = {
    MarketSegment.KOSPI: Dated(
        "KOSPI sell tax",
        (
            (date(1997, 1, 1), _kospi("0.15")),
            (date(2019, 6, 3), _kospi("0.10")),
            (date(2021, 1, 1), _kospi("0.08")),
            (date(2023, 1, 1), _kospi("0.05")),
            (date(2024, 1, 1), _kospi("0.03")),
            (date(2025, 1, 1), _kospi("0.00")),
            (date(2026, 1, 1), _kospi("0.05")),
        ),
    ),
    MarketSegment.KOSDAQ: Dated(
        "KOSDAQ sell tax",
        (
            (date(1997, 1, 1), _single("0.30")),
            (date(2019, 6, 3), _single("0.25")),
            (date(2021, 1, 1), _single("0.23")),
            (date(2023, 1, 1), _single("0.20")),
            (date(2024, 1, 1), _single("0.18")),
            (date(2025, 1, 1), _single("0.15")),
            (date(2026, 1, 1), _single("0.20")),
        ),
    ),
    MarketSegment.KONEX: Dated(
        "KONEX sell tax",
        ((date(2013, 7, 1), _single("0.30")), (date(2019, 6, 3), _single("0.10"))),
    ),
    MarketSegment.ETF: Dated.constant("KRX ETF sell tax (exempt)", TaxRate(ZERO)),
}


def sell_tax_rate(segment: MarketSegment, settlement_date: date) -> TaxRate:
    """The rates in force for a sale settling on ``settlement_date``."""
    return _SELL_TAX[segment].at(settlement_date)


def sell_tax(segment: MarketSegment, sale_amount: Decimal, settlement_date: date) -> Decimal:
    """Tax in won on a sale of ``sale_amount`` won; each component floored to the won."""
    if sale_amount < ZERO:
        raise ValueError(f"sale amount {sale_amount} must not be negative")
    rate = sell_tax_rate(segment, settlement_date)
    return sum(
        (
            round_to_step(sale_amount * part, ONE, Rounding.DOWN)
            for part in (rate.securities_transaction, rate.rural_special)
        ),
        ZERO,
    )


def settlement_date(trade_date: date, calendar: TradingCalendar, lag: int = 2) -> date:
    """The session ``lag`` sessions after ``trade_date`` (T+2 on KRX)."""
    if not calendar.is_session(trade_date):
        raise NotASession(
            f"{trade_date.isoformat()} is not a {calendar.calendar_id} session; trades "
            "settle only from trading days"
        )
    settled = trade_date
    for _ in range(lag):
        settled = calendar.next_session(settled)
    return settled


def sell_tax_for_trade(
    segment: MarketSegment, sale_amount: Decimal, trade_date: date, calendar: TradingCalendar
) -> Decimal:
    """Tax in won on a sale executed on ``trade_date``, at the rate of its settlement date."""
    return sell_tax(segment, sale_amount, settlement_date(trade_date, calendar))
