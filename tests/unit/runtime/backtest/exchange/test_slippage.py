"""Slippage models and how the exchange applies them: adverse, clipped, on the tick grid."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jts.runtime.backtest.exchange import (
    ExchangeConfig,
    FixedBpsSlippage,
    NoSlippage,
    VolumeShareSlippage,
)
from tests.unit.runtime.backtest.exchange.helpers import (
    BUY,
    KRX_OPEN,
    MINUTE,
    SAMSUNG,
    SELL,
    D,
    bar,
    market,
    order,
)

T1 = KRX_OPEN + MINUTE


def test_fixed_bps_moves_the_price_against_the_order() -> None:
    model = FixedBpsSlippage(D(10))

    assert model.slipped_price(BUY, D(1000), D(1), D(0)) == D("1001.0")
    assert model.slipped_price(SELL, D(1000), D(1), D(0)) == D("999.0")


def test_volume_share_impact_grows_with_the_square_of_the_share() -> None:
    model = VolumeShareSlippage(D("0.1"))

    assert model.slipped_price(BUY, D(1000), D(10), D(100)) == D("1001.000")
    assert model.slipped_price(SELL, D(1000), D(50), D(100)) == D("975.000")
    assert model.slipped_price(BUY, D(1000), D(10), D(0)) == D("1100.0")  # no volume: share 1


def test_no_slippage_is_the_quoted_price() -> None:
    assert NoSlippage().slipped_price(BUY, D(1000), D(10), D(1)) == D(1000)


@pytest.mark.parametrize("bps", [D(-1), D(10_000)])
def test_fixed_bps_outside_its_range_is_refused(bps: Decimal) -> None:
    with pytest.raises(ValueError, match="bps"):
        FixedBpsSlippage(bps)


def slipped_fill(side_is_buy: bool, bps: int, ohlc: tuple[int, int, int, int]) -> Decimal:
    m = market(start_ns=KRX_OPEN, config=ExchangeConfig(slippage=FixedBpsSlippage(D(bps))))
    m.exchange.on_bar(bar(SAMSUNG, KRX_OPEN, (70000, 70500, 69500, 70000)))
    m.at(T1)
    if not side_is_buy:
        m.exchange.core.account.holding(SAMSUNG).quantity = D(10)
    m.exchange.submit(order(SAMSUNG, BUY if side_is_buy else SELL, 10))
    m.exchange.on_bar(bar(SAMSUNG, T1, ohlc))
    (fill,) = m.fills()
    return fill.last_price


def test_a_slipped_buy_rounds_up_onto_the_tick_grid() -> None:
    assert slipped_fill(True, 5, (70000, 70500, 69800, 70200)) == D(70100)  # 70035 -> 70100


def test_a_slipped_sell_rounds_down_onto_the_tick_grid() -> None:
    assert slipped_fill(False, 5, (70000, 70500, 69800, 70200)) == D(69900)  # 69965 -> 69900


def test_slippage_never_leaves_the_bar_range() -> None:
    assert slipped_fill(True, 100, (70000, 70300, 69800, 70200)) == D(70300)


def test_limit_orders_do_not_slip() -> None:
    m = market(start_ns=KRX_OPEN, config=ExchangeConfig(slippage=FixedBpsSlippage(D(50))))
    m.exchange.on_bar(bar(SAMSUNG, KRX_OPEN, (70000, 70500, 69500, 70000)))
    m.at(T1).exchange.submit(order(SAMSUNG, BUY, 10, limit=69900))

    m.exchange.on_bar(bar(SAMSUNG, T1, (70000, 70500, 69500, 70000)))

    assert [f.last_price for f in m.fills()] == [D(69900)]
