from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jts.shared_kernel.errors import DataError
from jts.shared_kernel.numbers import Rounding
from jts.shared_kernel.venues import krx, upbit
from jts.shared_kernel.venues.dated import Dated
from jts.shared_kernel.venues.errors import UnknownRuleDate
from jts.shared_kernel.venues.ticks import TickTable

D = Decimal


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ([(1, 1)], "start at price 0"),
        ([(0, 1), (0, 5)], "must increase"),
        ([(0, 0)], "must be positive"),
        ([(0, 1), (1_003, 5)], "multiple of the ticks on both sides"),
        ([(0, 5), (1_001, 1)], "multiple of the ticks on both sides"),
    ],
)
def test_malformed_tick_tables_are_refused(bands: list[tuple[int, int]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        TickTable.from_bands("bad", bands)


@pytest.mark.parametrize("price", [D(0), D(-5)])
def test_tick_lookup_needs_a_positive_price(price: Decimal) -> None:
    with pytest.raises(DataError, match="must be positive"):
        krx.STOCK_TICKS.tick_at(price)


def test_rounding_never_crosses_into_an_invalid_price_at_a_band_boundary() -> None:
    ticks = krx.STOCK_TICKS

    assert ticks.round_price(D("1999.6"), Rounding.UP) == D(2000)
    assert ticks.round_price(D("1999.6"), Rounding.NEAREST) == D(2000)
    assert ticks.round_price(D(2003), Rounding.DOWN) == D(2000)
    assert ticks.round_price(D(2003), Rounding.UP) == D(2005)
    assert ticks.round_price(D(2002), Rounding.NEAREST) == D(2000)


def test_rounding_below_the_lowest_tick_down_is_refused() -> None:
    with pytest.raises(DataError, match="lowest valid price is 1"):
        krx.STOCK_TICKS.round_price(D("0.4"), Rounding.DOWN)


@pytest.mark.parametrize(
    ("price", "ticks", "expected"),
    [
        (D(1999), 1, D(2000)),
        (D(2000), 1, D(2005)),
        (D(2000), -1, D(1999)),
        (D(5000), -2, D(4990)),
        (D(49_950), 2, D(50_100)),
        (D(1_000_000), -1, D(999_000)),
    ],
)
def test_shift_walks_the_grid_across_bands(price: Decimal, ticks: int, expected: Decimal) -> None:
    assert krx.STOCK_TICKS.shift(price, ticks) == expected


def test_shift_refuses_off_grid_prices_and_going_below_zero() -> None:
    with pytest.raises(DataError, match="not on the"):
        krx.STOCK_TICKS.shift(D(2001), 1)
    with pytest.raises(DataError, match="under zero"):
        krx.STOCK_TICKS.shift(D(2), -2)


_TABLES = [krx.STOCK_TICKS, krx.ETF_TICKS, upbit.KRW_TICKS, upbit.KRW_TICKS_2024]


@given(
    st.sampled_from(_TABLES),
    st.decimals(min_value="0.01", max_value="5000000", places=4, allow_nan=False),
)
def test_rounded_prices_are_on_the_grid_and_bracket_the_input(
    table: TickTable, price: Decimal
) -> None:
    if price < table.ticks[0]:
        return
    down = table.round_price(price, Rounding.DOWN)
    up = table.round_price(price, Rounding.UP)
    nearest = table.round_price(price, Rounding.NEAREST)

    assert down <= price <= up
    assert all(table.is_on_grid(p) for p in (down, up, nearest))
    assert nearest in (down, up)
    assert up == down or table.shift(down, 1) == up


def test_dated_rules_refuse_dates_before_their_first_entry() -> None:
    rule = Dated("test rule", ((krx.UNIFIED_TICKS_FROM, krx.STOCK_TICKS),))

    assert rule.at(krx.UNIFIED_TICKS_FROM) is krx.STOCK_TICKS
    with pytest.raises(UnknownRuleDate, match="not known before 2023-01-25"):
        rule.at(krx.UNIFIED_TICKS_FROM.replace(day=24))


def test_dated_rules_need_increasing_dates() -> None:
    day = krx.UNIFIED_TICKS_FROM
    with pytest.raises(ValueError, match="strictly increasing"):
        Dated("bad", ((day, 1), (day, 2)))
    with pytest.raises(ValueError, match="at least one entry"):
        Dated("empty", ())
