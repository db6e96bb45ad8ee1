from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jts.shared_kernel.numbers import Rounding
from jts.shared_kernel.venues import rules
from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar
from jts.shared_kernel.venues.catalog import default_registry
from jts.shared_kernel.venues.instruments import Instrument
from jts.shared_kernel.venues.types import LiquiditySide, OrderSide
from tests.unit.shared_kernel.venues.calendars import krx_test_calendar

D = Decimal
BUY, SELL = OrderSide.BUY, OrderSide.SELL
TODAY = date(2026, 3, 3)
REGISTRY = default_registry()


def spec(text: str) -> Instrument:
    return REGISTRY.get(text)


@pytest.mark.parametrize(
    ("text", "price", "side", "expected"),
    [
        ("005930.KRX", "59050", BUY, "59000"),
        ("005930.KRX", "59050", SELL, "59100"),
        ("069500.KRX", "35012", BUY, "35010"),
        ("BTC-KRW.UPBIT", "150000500", SELL, "150001000"),
        ("BTCUSDT.BINANCE", "60000.005", BUY, "60000.00"),
        ("BTCUSDT.BINANCE", "60000.005", SELL, "60000.01"),
    ],
)
def test_passive_rounding_never_worsens_a_limit(
    text: str, price: str, side: OrderSide, expected: str
) -> None:
    rounded = rules.round_price(
        spec(text), D(price), on=TODAY, rounding=rules.passive_rounding(side)
    )

    assert rounded == D(expected)
    assert rules.is_valid_price(spec(text), rounded, on=TODAY)


def test_tick_size_and_shift_follow_the_venue_grid() -> None:
    assert rules.tick_size(spec("000660.KRX"), D(199_900), on=TODAY) == D(100)
    assert rules.shift_price(spec("000660.KRX"), D(199_900), 2, on=TODAY) == D(200_500)
    assert rules.tick_size(spec("ETH-KRW.UPBIT"), D(5_000_000), on=date(2025, 7, 30)) == D(1_000)
    assert rules.tick_size(spec("ETH-KRW.UPBIT"), D(1_500_000), on=date(2025, 7, 30)) == D(500)
    assert rules.round_price(spec("005930.KRX"), D(59_049), on=TODAY) == D(59_000)


def test_round_quantity_goes_down_to_whole_lots() -> None:
    assert rules.round_quantity(spec("005930.KRX"), D("10.7")) == D(10)
    assert rules.round_quantity(spec("BTCUSDT.BINANCE"), D("0.123456")) == D("0.12345")
    assert rules.round_quantity(spec("BTC-KRW.UPBIT"), D("0.1234567891")) == D("0.12345678")


def test_price_limits_exist_only_on_krx() -> None:
    band = rules.price_limits(spec("005930.KRX"), D(55_000), on=TODAY)

    assert band is not None
    assert (band.lower, band.upper) == (D(38_500), D(71_500))
    assert rules.price_limits(spec("BTCUSDT.BINANCE"), D(60_000), on=TODAY) is None


@pytest.mark.parametrize(
    ("text", "side", "quantity", "price", "base", "reference", "code"),
    [
        ("005930.KRX", BUY, "10", "71500", "55000", None, None),
        ("005930.KRX", BUY, "10", "71600", "55000", None, "krx.price_limit"),
        ("005930.KRX", BUY, "10", "71600", None, None, None),  # no base price: band unchecked
        ("005930.KRX", SELL, "10", "59050", None, None, "krx.tick"),
        ("005930.KRX", SELL, "0.5", None, None, None, "krx.lot"),
        ("BTC-KRW.UPBIT", BUY, "0.00001", "150000000", None, None, "under_min_total_bid"),
        ("BTC-KRW.UPBIT", SELL, "0.001", "150000500", None, None, "invalid_price_ask"),
        ("BTC-KRW.UPBIT", SELL, "0.001", None, None, "150000000", None),
        ("BTCUSDT.BINANCE", BUY, "0.00001", "60000", None, None, "-1013"),
        ("BTCUSDT.BINANCE", BUY, "0.001", "60000", None, "60000", None),
    ],
)
def test_validate_order_dispatches_to_the_venue(
    text: str,
    side: OrderSide,
    quantity: str,
    price: str | None,
    base: str | None,
    reference: str | None,
    code: str | None,
) -> None:
    rejection = rules.validate_order(
        spec(text),
        side,
        D(quantity),
        None if price is None else D(price),
        on=TODAY,
        base_price=None if base is None else D(base),
        reference_price=None if reference is None else D(reference),
    )

    assert (rejection.code if rejection else None) == code


def test_krx_commission_is_floored_to_the_won_on_both_sides() -> None:
    samsung = spec("005930.KRX")

    buy = rules.fee(samsung, BUY, D(54_050), D(20))
    sell = rules.fee(samsung, SELL, D(54_050), D(20), LiquiditySide.MAKER)

    assert (buy.amount, buy.currency) == (D(162), "KRW")  # 1,081,000 x 0.015% = 162.15
    assert sell.amount == D(162)


def test_a_kis_like_commission_rate_reproduces_the_logged_45_won() -> None:
    registry = default_registry(krx_commission_rate=D("0.00004166"))

    fee = rules.fee(registry.get("005930.KRX"), SELL, D(54_050), D(20))

    assert fee.amount == D(45)  # brokers.md 0.3: 45 KRW on a 1,081,000 KRW sell


def test_upbit_and_binance_fees() -> None:
    upbit_fee = rules.fee(spec("BTC-KRW.UPBIT"), BUY, D(150_000_000), D("0.001"))
    binance_fee = rules.fee(spec("ETHUSDT.BINANCE"), SELL, D(3_000), D(2))

    assert (upbit_fee.amount, upbit_fee.currency) == (D(75), "KRW")
    assert (binance_fee.amount, binance_fee.currency) == (D(6), "USDT")


@given(
    st.integers(min_value=1, max_value=3_000_000),
    st.integers(min_value=1, max_value=100_000),
)
def test_krx_commission_is_whole_won_within_one_won_of_exact(price: int, quantity: int) -> None:
    exact = D(price) * D(quantity) * D("0.00015")

    fee = rules.fee(spec("035420.KRX"), BUY, D(price), D(quantity)).amount

    assert fee == fee.to_integral_value()
    assert exact - 1 < fee <= exact


@pytest.mark.parametrize(
    ("text", "trade_date", "tax"),
    [
        ("005930.KRX", date(2025, 12, 26), "1050"),  # settles 2025-12-30: 0.15%
        ("005930.KRX", date(2025, 12, 29), "1400"),  # settles 2026-01-02: 0.05% + 0.15%
        ("069500.KRX", date(2025, 12, 29), "0"),  # ETF: exempt
    ],
)
def test_sell_tax_uses_the_settlement_date_rate(text: str, trade_date: date, tax: str) -> None:
    amount = rules.sell_tax(
        spec(text), D(70_000), D(10), trade_date=trade_date, calendar=krx_test_calendar()
    )

    assert amount == D(tax)


def test_crypto_has_no_sell_tax() -> None:
    amount = rules.sell_tax(
        spec("BTC-KRW.UPBIT"),
        D(150_000_000),
        D(1),
        trade_date=TODAY,
        calendar=AlwaysOpenCalendar(),
    )

    assert amount == 0


def test_nearest_rounding_is_the_default() -> None:
    assert rules.round_price(spec("005930.KRX"), D(59_051), on=TODAY) == D(59_100)
    assert rules.passive_rounding(BUY) is Rounding.DOWN
    assert rules.passive_rounding(SELL) is Rounding.UP
