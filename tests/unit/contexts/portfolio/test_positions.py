"""Positions: average price, realized and unrealized P&L net of fees and taxes, exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jts.contexts.portfolio.domain.execution import execution_of
from jts.contexts.portfolio.domain.positions import Position
from jts.messages.enums import Direction
from jts.shared_kernel.errors import DataError
from tests.unit.contexts.portfolio.fills import BTC_USDT, BUY, SAMSUNG, SELL, D, fill


def _position(instrument=SAMSUNG) -> Position:  # type: ignore[no-untyped-def]
    return Position(instrument.id, currency=instrument.quote_currency, lot=instrument.lot_size)


def test_average_price_is_the_volume_weighted_entry_price() -> None:
    position = _position()
    position.apply(execution_of(fill(SAMSUNG, BUY, 10, 70_000, commission=105), SAMSUNG))
    position.apply(execution_of(fill(SAMSUNG, BUY, 30, 72_000, commission=324), SAMSUNG))

    assert position.quantity == 40
    assert position.average_price == D(71_500)
    assert position.direction is Direction.LONG
    assert position.fees == 429


def test_unrealized_pnl_is_net_of_the_fees_already_paid() -> None:
    position = _position()
    position.apply(execution_of(fill(SAMSUNG, BUY, 10, 70_000, commission=105), SAMSUNG))

    assert position.unrealized_pnl(D(71_000)) == 10 * 1_000 - 105


def test_closing_realizes_every_cash_flow_including_sell_tax() -> None:
    position = _position()
    position.apply(execution_of(fill(SAMSUNG, BUY, 10, 70_000, commission=105), SAMSUNG))
    position.apply(
        execution_of(fill(SAMSUNG, SELL, 10, 75_000, commission=112, tax=1_350), SAMSUNG)
    )

    assert position.quantity == 0
    assert position.realized_pnl == 750_000 - 112 - 1_350 - 700_000 - 105
    assert not position.is_open
    assert position.average_price == 0


def test_partial_exits_add_up_to_the_round_trip_exactly() -> None:
    position = _position()
    position.apply(execution_of(fill(SAMSUNG, BUY, 3, 70_001, commission=31), SAMSUNG))
    for _ in range(3):
        position.apply(execution_of(fill(SAMSUNG, SELL, 1, 70_003, commission=11), SAMSUNG))

    assert position.realized_pnl == 3 * 70_003 - 33 - 3 * 70_001 - 31
    assert position.open_cash == 0


def test_a_partial_exit_keeps_the_average_price_and_releases_its_share_of_the_cost() -> None:
    position = _position()
    position.apply(execution_of(fill(SAMSUNG, BUY, 4, 10_000, commission=40), SAMSUNG))
    position.apply(execution_of(fill(SAMSUNG, SELL, 1, 11_000, commission=10), SAMSUNG))

    assert position.average_price == 10_000
    assert position.realized_pnl == 11_000 - 10 - (40_000 + 40) / 4
    assert position.unrealized_pnl(D(11_000)) == 3 * 11_000 - (40_000 + 40) * 3 / 4


def test_a_fee_taken_in_the_base_asset_costs_units() -> None:
    position = _position(BTC_USDT)
    position.apply(
        execution_of(
            fill(BTC_USDT, BUY, "0.1", "40000", commission="0.0001", currency="BTC"), BTC_USDT
        )
    )

    assert position.quantity == D("0.0999")
    assert position.average_price == D(4_000) / D("0.0999")  # the fee raised the unit cost
    assert position.fees == D("4.0000")
    assert position.unrealized_pnl(D(40_000)) == D("0.0999") * 40_000 - 4_000


def test_dust_below_a_lot_closes_the_position_and_stays_held() -> None:
    position = _position(BTC_USDT)
    position.apply(
        execution_of(
            fill(BTC_USDT, BUY, "0.12345", "40000", commission="0.00012345", currency="BTC"),
            BTC_USDT,
        )
    )
    position.apply(execution_of(fill(BTC_USDT, SELL, "0.12332", "41000", commission="5"), BTC_USDT))

    assert D(0) < position.quantity < BTC_USDT.lot_size
    assert position.average_price == D("0.12345") * 40_000 / D("0.12332655")
    assert not position.is_open
    assert position.direction is None
    assert position.open_cash == 0
    assert position.realized_pnl == D("0.12332") * 41_000 - 5 - D("0.12345") * 40_000


def test_a_fill_through_zero_closes_then_opens_the_other_side() -> None:
    position = _position()
    position.apply(execution_of(fill(SAMSUNG, BUY, 10, 100, commission=10), SAMSUNG))
    position.apply(execution_of(fill(SAMSUNG, SELL, 15, 110, commission=15), SAMSUNG))

    assert position.quantity == -5
    assert position.direction is Direction.SHORT
    assert position.realized_pnl == 10 * 110 - 10 - 1_000 - 10
    assert position.average_price == 110
    assert position.unrealized_pnl(D(100)) == 5 * 110 - 5 - 500


def test_an_execution_of_another_instrument_is_refused() -> None:
    position = _position()
    with pytest.raises(DataError, match="BTCUSDT"):
        position.apply(execution_of(fill(BTC_USDT, BUY, 1, 1), BTC_USDT))


@given(
    st.lists(
        st.tuples(
            st.booleans(), st.integers(1, 50), st.integers(9_000, 11_000), st.integers(0, 99)
        ),
        min_size=1,
        max_size=30,
    ),
    st.integers(9_000, 11_000),
)
def test_realized_plus_unrealized_is_the_sum_of_cash_flows_plus_the_holding(
    steps: list[tuple[bool, int, int, int]], mark: int
) -> None:
    position = _position()
    cash = Decimal(0)
    for is_buy, quantity, price, commission in steps:
        execution = execution_of(
            fill(SAMSUNG, BUY if is_buy else SELL, quantity, price, commission=commission), SAMSUNG
        )
        cash += execution.cash
        position.apply(execution)

    total = position.realized_pnl + position.unrealized_pnl(D(mark))
    assert total == cash + position.quantity * mark
