from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jts.shared_kernel.numbers import ONE
from jts.shared_kernel.venues import krx
from jts.shared_kernel.venues.types import MarketSegment

D = Decimal
AFTER_REFORM = date(2026, 3, 3)


@pytest.mark.parametrize(
    ("price", "tick"),
    [
        (D(1), D(1)),
        (D(1_999), D(1)),
        (D(2_000), D(5)),
        (D(2_001), D(5)),
        (D(4_999), D(5)),
        (D(5_000), D(10)),
        (D(5_001), D(10)),
        (D(19_999), D(10)),
        (D(20_000), D(50)),
        (D(20_001), D(50)),
        (D(49_999), D(50)),
        (D(50_000), D(100)),
        (D(50_001), D(100)),
        (D(199_999), D(100)),
        (D(200_000), D(500)),
        (D(200_001), D(500)),
        (D(499_999), D(500)),
        (D(500_000), D(1_000)),
        (D(500_001), D(1_000)),
        (D(3_000_000), D(1_000)),
    ],
)
@pytest.mark.parametrize("segment", [MarketSegment.KOSPI, MarketSegment.KOSDAQ])
def test_unified_stock_tick_table_at_every_band_edge(
    segment: MarketSegment, price: Decimal, tick: Decimal
) -> None:
    assert krx.tick_rule(segment).at(AFTER_REFORM).tick_at(price) == tick


@pytest.mark.parametrize(
    ("segment", "price", "day", "tick"),
    [
        (MarketSegment.KOSPI, D(150_000), date(2023, 1, 24), D(500)),
        (MarketSegment.KOSPI, D(150_000), date(2023, 1, 25), D(100)),
        (MarketSegment.KOSPI, D(1_500), date(2023, 1, 24), D(5)),
        (MarketSegment.KOSPI, D(1_500), date(2023, 1, 25), D(1)),
        (MarketSegment.KOSDAQ, D(600_000), date(2022, 6, 1), D(100)),
        (MarketSegment.KOSDAQ, D(600_000), date(2023, 1, 25), D(1_000)),
        (MarketSegment.KOSDAQ, D(12_000), date(2023, 1, 24), D(50)),
        (MarketSegment.KOSDAQ, D(12_000), date(2023, 1, 25), D(10)),
        (MarketSegment.ETF, D(1_500), date(2023, 12, 15), D(5)),
        (MarketSegment.ETF, D(1_500), date(2023, 12, 18), D(1)),
        (MarketSegment.ETF, D(1_999), AFTER_REFORM, D(1)),
        (MarketSegment.ETF, D(2_000), AFTER_REFORM, D(5)),
        (MarketSegment.ETF, D(35_000), AFTER_REFORM, D(5)),
        (MarketSegment.ETF, D(550_000), AFTER_REFORM, D(5)),
    ],
)
def test_tick_table_in_force_depends_on_the_date_and_segment(
    segment: MarketSegment, price: Decimal, day: date, tick: Decimal
) -> None:
    assert krx.tick_rule(segment).at(day).tick_at(price) == tick


@pytest.mark.parametrize(
    ("base", "lower", "upper"),
    [
        (D(55_000), D(38_500), D(71_500)),
        (D(15_400), D(10_780), D(20_000)),  # 20,020 is off the 50-won grid: down to 20,000
        (D(38_450), D(26_950), D(49_950)),  # 26,915 up and 49,985 down onto 50-won ticks
        (D(153_900), D(107_800), D(200_000)),  # 107,730 up to 100s; 200,070 down to 500s
        (D(2_850), D(1_995), D(3_705)),
        (D(1_000), D(700), D(1_300)),
        (D(700_000), D(490_000), D(910_000)),
        (D(1), D(1), D(1)),
    ],
)
def test_daily_limits_are_rounded_inward_onto_the_grid(
    base: Decimal, lower: Decimal, upper: Decimal
) -> None:
    band = krx.price_limits(base, krx.STOCK_TICKS)

    assert (band.lower, band.upper) == (lower, upper)


def test_etf_limits_use_the_etf_grid_and_a_leverage_rate() -> None:
    plain = krx.price_limits(D(35_010), krx.ETF_TICKS)
    leveraged = krx.price_limits(D(10_000), krx.ETF_TICKS, rate=D("0.60"))

    assert (plain.lower, plain.upper) == (D(24_510), D(45_510))
    assert (leveraged.lower, leveraged.upper) == (D(4_000), D(16_000))


@given(st.integers(min_value=100, max_value=3_000_000))
def test_limit_prices_are_the_outermost_grid_prices_inside_thirty_percent(base: int) -> None:
    ticks = krx.STOCK_TICKS
    band = krx.price_limits(D(base), ticks)
    ceiling, floor = D(base) * D("1.3"), D(base) * D("0.7")

    assert ticks.is_on_grid(band.upper)
    assert ticks.is_on_grid(band.lower)
    assert band.upper <= ceiling < ticks.shift(band.upper, 1)
    assert ticks.shift(band.lower, -1) < floor <= band.lower


def test_limits_need_a_positive_base_price() -> None:
    with pytest.raises(ValueError, match="previous close"):
        krx.price_limits(D(0), krx.STOCK_TICKS)


@pytest.mark.parametrize(
    ("quantity", "price", "code"),
    [
        (D(0), D(59_000), "krx.lot"),
        (D(-3), D(59_000), "krx.lot"),
        (D("1.5"), D(59_000), "krx.lot"),
        (D(1), D(59_050), "krx.tick"),
        (D(1), D(0), "krx.tick"),
        (D(1), D("59000.5"), "krx.tick"),
        (D(1), D(71_600), "krx.price_limit"),
        (D(1), D(38_400), "krx.price_limit"),
        (D(1), D(71_500), None),
        (D(1), D(38_500), None),
        (D(10), None, None),
    ],
)
def test_order_validation_names_the_broken_rule(
    quantity: Decimal, price: Decimal | None, code: str | None
) -> None:
    band = krx.price_limits(D(55_000), krx.STOCK_TICKS)

    rejection = krx.validate_order(
        ticks=krx.STOCK_TICKS, quantity=quantity, price=price, lot=ONE, band=band
    )

    assert (rejection.code if rejection else None) == code


def test_tick_rejection_suggests_the_neighbouring_valid_prices() -> None:
    rejection = krx.validate_order(ticks=krx.STOCK_TICKS, quantity=ONE, price=D(59_050))

    assert rejection is not None
    assert rejection.message == krx.TICK_ERROR_MESSAGE
    assert "100-won tick" in rejection.detail
    assert "59000 or 59100" in rejection.detail
    assert str(rejection).startswith("[KRX krx.tick]")


def test_krx_rules_are_validated() -> None:
    with pytest.raises(ValueError, match="price_limit_rate"):
        krx.KrxRules(price_limit_rate=D("1.2"))
    with pytest.raises(ValueError, match="settlement_lag"):
        krx.KrxRules(settlement_lag=-1)
