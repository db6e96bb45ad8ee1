from datetime import date
from decimal import Decimal

import pytest

from jts.shared_kernel.venues import krx_tax
from jts.shared_kernel.venues.errors import NotASession, UnknownRuleDate
from jts.shared_kernel.venues.types import MarketSegment
from tests.unit.shared_kernel.venues.calendars import krx_test_calendar

D = Decimal
KOSPI, KOSDAQ, KONEX, ETF = (
    MarketSegment.KOSPI,
    MarketSegment.KOSDAQ,
    MarketSegment.KONEX,
    MarketSegment.ETF,
)


@pytest.mark.parametrize(
    ("segment", "settled", "stt", "rural"),
    [
        (KOSPI, date(2019, 6, 2), "0.0015", "0.0015"),
        (KOSPI, date(2019, 6, 3), "0.0010", "0.0015"),
        (KOSPI, date(2020, 12, 31), "0.0010", "0.0015"),
        (KOSPI, date(2021, 1, 1), "0.0008", "0.0015"),
        (KOSPI, date(2023, 1, 1), "0.0005", "0.0015"),
        (KOSPI, date(2023, 12, 31), "0.0005", "0.0015"),
        (KOSPI, date(2024, 1, 1), "0.0003", "0.0015"),
        (KOSPI, date(2024, 12, 31), "0.0003", "0.0015"),
        (KOSPI, date(2025, 1, 1), "0", "0.0015"),
        (KOSPI, date(2025, 12, 31), "0", "0.0015"),
        (KOSPI, date(2026, 1, 1), "0.0005", "0.0015"),
        (KOSDAQ, date(2019, 6, 3), "0.0025", "0"),
        (KOSDAQ, date(2022, 12, 31), "0.0023", "0"),
        (KOSDAQ, date(2024, 1, 1), "0.0018", "0"),
        (KOSDAQ, date(2025, 12, 31), "0.0015", "0"),
        (KOSDAQ, date(2026, 1, 1), "0.0020", "0"),
        (KONEX, date(2019, 6, 2), "0.0030", "0"),
        (KONEX, date(2025, 12, 31), "0.0010", "0"),
        (KONEX, date(2026, 1, 1), "0.0010", "0"),
        (ETF, date(2025, 12, 31), "0", "0"),
        (ETF, date(2026, 1, 1), "0", "0"),
    ],
)
def test_sell_tax_rate_by_segment_and_settlement_date(
    segment: MarketSegment, settled: date, stt: str, rural: str
) -> None:
    rate = krx_tax.sell_tax_rate(segment, settled)

    assert rate.securities_transaction == D(stt)
    assert rate.rural_special == D(rural)


@pytest.mark.parametrize(
    ("segment", "settled", "total"),
    [
        (KOSPI, date(2025, 12, 31), "0.0015"),
        (KOSPI, date(2026, 1, 1), "0.0020"),
        (KOSDAQ, date(2025, 12, 31), "0.0015"),
        (KOSDAQ, date(2026, 1, 1), "0.0020"),
        (KONEX, date(2026, 1, 1), "0.0010"),
    ],
)
def test_totals_either_side_of_2026(segment: MarketSegment, settled: date, total: str) -> None:
    assert krx_tax.sell_tax_rate(segment, settled).total == D(total)


def test_rates_before_the_researched_history_are_refused() -> None:
    with pytest.raises(UnknownRuleDate, match="KOSPI sell tax is not known before 1997-01-01"):
        krx_tax.sell_tax_rate(KOSPI, date(1996, 12, 31))
    with pytest.raises(UnknownRuleDate, match="KONEX"):
        krx_tax.sell_tax_rate(KONEX, date(2013, 6, 30))


def test_each_tax_is_floored_to_the_won_separately() -> None:
    sale = D(1_234_567)

    # 2026 KOSPI: STT 617.2835 -> 617, rural special tax 1,851.8505 -> 1,851.
    assert krx_tax.sell_tax(KOSPI, sale, date(2026, 1, 2)) == D(2_468)
    # 2025 KOSDAQ: 1,851.8505 -> 1,851.
    assert krx_tax.sell_tax(KOSDAQ, sale, date(2025, 6, 2)) == D(1_851)
    assert krx_tax.sell_tax(ETF, sale, date(2026, 1, 2)) == D(0)


@pytest.mark.parametrize(
    ("trade_date", "settled", "rate"),
    [
        # 2024-12-25 and 2024-12-31 are KRX holidays: 12-26 settles 12-30, 12-27 on 2025-01-02
        # (brokers applied the 2025 rate to sells executed from 2024-12-27).
        (date(2024, 12, 26), date(2024, 12, 30), "0.0018"),
        (date(2024, 12, 27), date(2025, 1, 2), "0.0015"),
        (date(2025, 12, 26), date(2025, 12, 30), "0.0015"),
        (date(2025, 12, 29), date(2026, 1, 2), "0.0020"),
        (date(2025, 12, 30), date(2026, 1, 5), "0.0020"),
    ],
)
def test_trades_are_taxed_at_the_rate_of_their_t_plus_2_settlement(
    trade_date: date, settled: date, rate: str
) -> None:
    calendar = krx_test_calendar()

    assert krx_tax.settlement_date(trade_date, calendar) == settled
    sale = D(10_000_000)
    assert krx_tax.sell_tax_for_trade(KOSPI, sale, trade_date, calendar) == sale * D(rate)


def test_settlement_needs_a_trading_day() -> None:
    with pytest.raises(NotASession, match="2025-12-31 is not a XKRX session"):
        krx_tax.settlement_date(date(2025, 12, 31), krx_test_calendar())


def test_negative_sale_amounts_are_refused() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        krx_tax.sell_tax(KOSPI, D(-1), date(2026, 1, 2))
