from datetime import date
from decimal import Decimal

import pytest

from jts.shared_kernel.venues import upbit
from jts.shared_kernel.venues.errors import UnknownRuleDate
from jts.shared_kernel.venues.types import OrderSide
from jts.shared_kernel.venues.upbit import UpbitRules

D = Decimal
TODAY = date(2026, 3, 3)
BUY, SELL = OrderSide.BUY, OrderSide.SELL

# brokers.md 4.7 rows (policy from 2025-07-31): just below, at and just above each boundary.
KRW_BAND_EDGES = [
    ("1999000", "1000"),
    ("2000000", "1000"),
    ("2001000", "1000"),
    ("999500", "500"),
    ("1000000", "1000"),
    ("1001000", "1000"),
    ("499900", "100"),
    ("500000", "500"),
    ("500500", "500"),
    ("99950", "50"),
    ("100000", "100"),
    ("100100", "100"),
    ("49990", "10"),
    ("50000", "50"),
    ("50050", "50"),
    ("9995", "5"),
    ("10000", "10"),
    ("10010", "10"),
    ("4999", "1"),
    ("5000", "5"),
    ("5005", "5"),
    ("999", "1"),
    ("1000", "1"),
    ("1001", "1"),
    ("99.9", "0.1"),
    ("100", "1"),
    ("101", "1"),
    ("9.99", "0.01"),
    ("10", "0.1"),
    ("10.1", "0.1"),
    ("0.999", "0.001"),
    ("1", "0.01"),
    ("1.01", "0.01"),
    ("0.0999", "0.0001"),
    ("0.1", "0.001"),
    ("0.101", "0.001"),
    ("0.00999", "0.00001"),
    ("0.01", "0.0001"),
    ("0.0101", "0.0001"),
    ("0.000999", "0.000001"),
    ("0.001", "0.00001"),
    ("0.00101", "0.00001"),
    ("0.0000999", "0.0000001"),
    ("0.0001", "0.000001"),
    ("0.000101", "0.000001"),
]


@pytest.mark.parametrize(("price", "tick"), KRW_BAND_EDGES)
def test_krw_tick_table_at_every_band_edge(price: str, tick: str) -> None:
    table = upbit.tick_rule("KRW").at(TODAY)

    assert table.tick_at(D(price)) == D(tick)
    assert table.is_on_grid(D(price))


@pytest.mark.parametrize(
    ("price", "day", "tick"),
    [
        ("1500000", date(2025, 7, 30), "500"),
        ("1500000", date(2025, 7, 31), "1000"),
        ("700000", date(2025, 7, 30), "100"),
        ("700000", date(2025, 7, 31), "500"),
        ("300000", date(2025, 7, 30), "50"),
        ("300000", date(2025, 7, 31), "100"),
        ("70000", date(2025, 7, 30), "10"),
        ("70000", date(2025, 7, 31), "50"),
        ("7000", date(2025, 7, 30), "1"),
        ("7000", date(2025, 7, 31), "5"),
        ("500", date(2025, 7, 30), "0.1"),
        ("500", date(2025, 7, 31), "1"),
        ("50", date(2025, 7, 30), "0.01"),
        ("50", date(2025, 7, 31), "0.1"),
        ("0.00005", date(2025, 7, 30), "0.00000001"),
        ("0.00005", date(2025, 7, 31), "0.0000001"),
        ("5000", date(2024, 1, 28), "5"),
        ("5000", date(2024, 1, 29), "1"),
        ("500", date(2024, 1, 28), "1"),
        ("500", date(2024, 1, 29), "0.1"),
        ("0.05", date(2024, 1, 28), "0.0001"),
        ("0.05", date(2024, 1, 29), "0.00001"),
    ],
)
def test_krw_tick_policy_follows_its_effective_dates(price: str, day: date, tick: str) -> None:
    assert upbit.tick_rule("KRW").at(day).tick_at(D(price)) == D(tick)


def _krw(
    side: OrderSide, quantity: str, price: str | None, reference: str | None = None
) -> str | None:
    rejection = upbit.validate_order(
        rules=UpbitRules.for_market("KRW"),
        ticks=upbit.tick_rule("KRW").at(TODAY),
        side=side,
        quantity=D(quantity),
        price=None if price is None else D(price),
        reference_price=None if reference is None else D(reference),
    )
    return None if rejection is None else rejection.code


@pytest.mark.parametrize(
    ("side", "quantity", "price", "reference", "code"),
    [
        (BUY, "0.0001", "50000000", None, None),  # exactly 5,000 KRW
        (BUY, "0.0001", "49999000", None, "under_min_total_bid"),
        (SELL, "0.00009", "50000000", None, "under_min_total_ask"),
        (SELL, "0.0001", "50000000", None, None),
        (BUY, "0.001", "50000500", None, "invalid_price_bid"),
        (SELL, "0.001", "50000500", None, "invalid_price_ask"),
        (BUY, "0.001", "0", None, "invalid_price_bid"),
        (BUY, "0.000000001", "50000000", None, "validation_error"),
        (SELL, "0", "50000000", None, "validation_error"),
        (BUY, "25", "50000000", None, "validation_error"),  # above max_total 1e9 KRW
        (BUY, "0.00001", None, "100000000", "under_min_total_bid"),
        (SELL, "0.001", None, "100000000", None),
        (BUY, "0.00001", None, None, None),  # market order without a price: total unknown
    ],
)
def test_krw_order_validation_names_the_upbit_error(
    side: OrderSide, quantity: str, price: str | None, reference: str | None, code: str | None
) -> None:
    assert _krw(side, quantity, price, reference) == code


def test_rejections_carry_upbit_wire_message_and_detail() -> None:
    rejection = upbit.validate_order(
        rules=UpbitRules.for_market("KRW"),
        ticks=upbit.KRW_TICKS,
        side=BUY,
        quantity=D("0.001"),
        price=D("50000500"),
    )

    assert rejection is not None
    assert rejection.message == upbit.INVALID_PRICE_MESSAGE
    assert "1000 KRW tick" in rejection.detail
    assert str(rejection).startswith("[UPBIT invalid_price_bid]")


def test_btc_market_has_one_tick_and_a_btc_minimum() -> None:
    rules = UpbitRules.for_market("BTC")
    ticks = upbit.tick_rule("BTC").at(TODAY)

    def code(quantity: str, price: str) -> str | None:
        rejection = upbit.validate_order(
            rules=rules, ticks=ticks, side=BUY, quantity=D(quantity), price=D(price)
        )
        return None if rejection is None else rejection.code

    assert ticks.tick_at(D("0.03")) == D("0.00000001")
    assert code("0.001", "0.03") == "under_min_total_bid"  # 0.00003 BTC < 0.00005
    assert code("0.002", "0.03") is None
    assert code("0.002", "0.030000001") == "invalid_price_bid"
    assert rules.max_total is None


def test_usdt_market_ticks_and_minimum() -> None:
    rules = UpbitRules.for_market("USDT")
    table = upbit.tick_rule("USDT").at(TODAY)

    assert rules.min_total == D("0.5")
    assert table.tick_at(D("73578.65")) == D("0.01")
    assert table.tick_at(D("9.999")) == D("0.001")
    assert table.tick_at(D("0.00005")) == D("0.00000001")
    with pytest.raises(UnknownRuleDate, match="2024-08-19"):
        upbit.tick_rule("USDT").at(date(2024, 8, 18))


def test_unknown_markets_are_refused() -> None:
    with pytest.raises(ValueError, match="not one of KRW, BTC, USDT"):
        UpbitRules.for_market("EUR")


def test_krw_fees_are_one_rate_in_krw() -> None:
    fees = upbit.krw_fees()

    assert fees.maker_rate == fees.taker_rate == D("0.0005")
