"""The kernel's integer arithmetic agrees with the venue rules in ``Decimal``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from jts.runtime.backtest.exchange import ExchangeConfig
from jts.runtime.backtest.vectorized import grid
from jts.runtime.backtest.vectorized.specs import ProgramShape, Scales, instrument_rows
from jts.runtime.backtest.vectorized.timeline import tick_rows
from jts.shared_kernel.numbers import Rounding
from jts.shared_kernel.venues import krx, krx_tax, rules
from jts.shared_kernel.venues.types import LiquiditySide, MarketSegment, OrderSide
from tests.unit.runtime.backtest.vectorized.builders import BTC_KRW, SAMSUNG

STOCK = tick_rows([(krx.STOCK_TICKS, 0, Decimal(0))])
SHAPE = ProgramShape("quantity", False, None, False, False, False)


@given(st.integers(1, 3_000_000), st.integers(1, 1000))
def test_rounding_a_fraction_matches_the_tick_table(num: int, den: int) -> None:
    value = Decimal(num) / Decimal(den)
    lowers, ticks = STOCK.lowers[0], STOCK.ticks[0]

    up = grid.round_up(lowers, ticks, num, den)
    down = grid.round_down(lowers, ticks, num, den)

    assert up == krx.STOCK_TICKS.round_price(value, Rounding.UP)
    if value >= 1:
        assert down == krx.STOCK_TICKS.round_price(value, Rounding.DOWN)


@given(st.integers(1_000, 2_000_000))
def test_band_matches_price_limits(base: int) -> None:
    band = krx.price_limits(Decimal(base), krx.STOCK_TICKS)

    low, high = grid.band_of(STOCK.lowers[0], STOCK.ticks[0], base, 30, 100)

    assert (low, high) == (band.lower, band.upper)


def _spec(instrument: object) -> np.ndarray:
    scales = Scales(0, 0, 0, 0) if instrument is SAMSUNG else Scales(0, 8, 8, 0)
    row, _ = instrument_rows(instrument, scales, 0, ExchangeConfig(), SHAPE)  # type: ignore[arg-type]
    return row


@given(st.integers(1, 500_000), st.integers(1, 20_000))
def test_krx_commission_is_floored_to_the_won_like_rules_fee(price: int, quantity: int) -> None:
    spec = _spec(SAMSUNG)
    expected = rules.fee(SAMSUNG, OrderSide.BUY, Decimal(price), Decimal(quantity)).amount

    assert grid.quote_fee(spec, float(price), quantity, False) == float(expected)


@given(st.integers(1_000, 200_000_000), st.integers(1, 10**9))
def test_upbit_fee_is_exact_enough_for_the_kernel(price: int, units: int) -> None:
    spec = _spec(BTC_KRW)
    quantity = Decimal(units).scaleb(-8)
    expected = rules.fee(BTC_KRW, OrderSide.BUY, Decimal(price), quantity, LiquiditySide.TAKER)

    fee = grid.quote_fee(spec, float(price), units, False)

    assert abs(fee - float(expected.amount)) <= 1e-9 * max(1.0, float(expected.amount))


@given(st.integers(0, 10**11))
def test_krx_sell_tax_per_part_floored(amount: int) -> None:
    rate = krx_tax.sell_tax_rate(MarketSegment.KOSPI, date(2026, 1, 5))
    stt = int(rate.securities_transaction.scaleb(8))
    rural = int(rate.rural_special.scaleb(8))

    tax = grid.tax_units(amount, stt, rural)

    assert tax == krx_tax.sell_tax(MarketSegment.KOSPI, Decimal(amount), date(2026, 1, 5))


def test_floor_lot_and_clip() -> None:
    assert grid.floor_lot(1234, 100) == 1200
    assert grid.floor_lot(-5, 100) == 0
    assert grid.clip(5, 10, 20) == 10
    assert grid.clip(25, 10, 20) == 20
    assert grid.clip(15, 10, 20) == 15
