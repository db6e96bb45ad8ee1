"""Sizing: units for each of the strategy language's forms, and Kelly's fallback."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jts.contexts.risk.domain.sizing import kelly_weight, target_quantity
from jts.contexts.strategy.domain.python_api import kelly, percent_equity, quantity, risk
from jts.shared_kernel.errors import DataError

D = Decimal


class Edge:
    def __init__(self, value: Decimal | None) -> None:
        self.value = value

    def full_kelly(self) -> Decimal | None:
        return self.value


def test_quantity_is_taken_as_given() -> None:
    assert target_quantity(quantity(7), equity=D(1), price=D(50_000)) == 7


def test_percent_equity_buys_that_share_of_equity_at_the_price() -> None:
    units = target_quantity(percent_equity(D("0.2")), equity=D(100_000_000), price=D(70_000))
    assert units * 70_000 == D(20_000_000)


def test_percent_equity_of_a_usdt_instrument_converts_at_the_fx_rate() -> None:
    units = target_quantity(
        percent_equity(D("0.1")), equity=D(135_000_000), price=D(40_000), fx_rate=D(1_350)
    )
    assert units == D("0.25")


def test_kelly_takes_the_cap_while_the_edge_is_unknown() -> None:
    sizing = kelly(D("0.5"), D("0.2"))
    assert target_quantity(sizing, equity=D(1_000_000), price=D(100)) == 2_000
    assert target_quantity(sizing, equity=D(1_000_000), price=D(100), kelly=Edge(None)) == 2_000


def test_kelly_scales_the_full_fraction_and_caps_it() -> None:
    sizing = kelly(D("0.5"), D("0.2"))
    small = target_quantity(sizing, equity=D(1_000_000), price=D(100), kelly=Edge(D("0.3")))
    large = target_quantity(sizing, equity=D(1_000_000), price=D(100), kelly=Edge(D("0.9")))
    assert small == 1_500  # 0.5 x 0.3 of equity
    assert large == 2_000  # capped at 20%


def test_kelly_without_an_edge_sizes_nothing() -> None:
    sizing = kelly(D("0.5"), D("0.2"))
    assert target_quantity(sizing, equity=D(1_000_000), price=D(100), kelly=Edge(D("-0.1"))) == 0


def test_risk_sizing_loses_that_share_of_equity_at_the_stop() -> None:
    units = target_quantity(risk(D("0.01"), D(2_500)), equity=D(50_000_000), price=D(70_000))
    assert units * 2_500 == D(500_000)


def test_no_equity_sizes_nothing_but_a_fixed_quantity() -> None:
    assert target_quantity(percent_equity(D("0.5")), equity=D(0), price=D(10)) == 0
    assert target_quantity(quantity(3), equity=D(-5), price=D(10)) == 3


def test_a_price_that_is_not_positive_is_refused() -> None:
    with pytest.raises(DataError, match="positive price"):
        target_quantity(quantity(1), equity=D(1), price=D(0))


@given(
    st.decimals("0.01", "1", places=2),
    st.decimals("0.01", "1", places=2),
    st.one_of(st.none(), st.decimals("-2", "2", places=3)),
)
def test_kelly_weight_lies_between_zero_and_the_cap(
    fraction: Decimal, cap: Decimal, full: Decimal | None
) -> None:
    weight = kelly_weight(fraction, cap, full)
    assert D(0) <= weight <= cap
