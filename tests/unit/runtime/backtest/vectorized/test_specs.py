"""Instrument specs and run settings as kernel rows, and what the kernel refuses."""

from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest

from jts.runtime.backtest.exchange import (
    ExchangeConfig,
    FixedBpsSlippage,
    FixedLatency,
    SessionPolicy,
)
from jts.runtime.backtest.vectorized import layout
from jts.runtime.backtest.vectorized.specs import (
    ProgramShape,
    Scales,
    fraction,
    hold_extra,
    instrument_rows,
    quantity_scale,
    run_row,
)
from jts.shared_kernel.errors import ConfigurationError
from jts.shared_kernel.venues.fees import FeeAsset, FeeSchedule
from tests.unit.runtime.backtest.vectorized.builders import BTC_KRW, BTC_USDT, SAMSUNG

SHAPE = ProgramShape("kelly", True, 2, True, False, True)


def test_fractions_are_exact_powers_of_ten() -> None:
    assert fraction(Decimal("0.30")) == (3, 10)
    assert fraction(Decimal("0.00015")) == (15, 100_000)
    assert fraction(Decimal(2)) == (2, 1)


def test_krx_rows_carry_the_band_and_the_floored_commission() -> None:
    row, _ = instrument_rows(SAMSUNG, Scales(0, 0, 0, 0), 0, ExchangeConfig(), SHAPE)

    assert row[layout.P_HAS_BAND] == 1
    assert (row[layout.P_BAND_NUM], row[layout.P_BAND_DEN]) == (3, 10)
    assert (row[layout.P_TAKER_NUM], row[layout.P_FEE_DEN]) == (15, 100_000)
    assert row[layout.P_FEE_FLOOR] == 1
    assert (row[layout.P_SIZING], row[layout.P_TTL]) == (layout.SIZE_KELLY, 2)
    assert (row[layout.P_HAS_STOP], row[layout.P_HAS_TRAIL]) == (1, 1)


def test_binance_rows_carry_its_filters_and_base_asset_fee() -> None:
    scales = Scales(2, quantity_scale(BTC_USDT), 5, hold_extra(BTC_USDT))
    row, frow = instrument_rows(BTC_USDT, scales, 1, ExchangeConfig(), SHAPE)

    assert scales == Scales(2, 5, 5, 3)
    assert row[layout.P_FEE_IN_BASE] == 1
    assert row[layout.P_MIN_NOTIONAL] == 5 * 10**7
    assert row[layout.P_MIN_NOTIONAL_MARKET] == 1
    assert row[layout.P_MAX_MARKET_QTY] == 85 * 10**5
    assert row[layout.P_PERCENT_PRICE] == 1
    assert list(frow) == [0.2, 5.0, 0.2, 5.0]


def test_upbit_rows_value_market_orders_against_the_minimum_total() -> None:
    row, _ = instrument_rows(BTC_KRW, Scales(0, 8, 8, 0), 0, ExchangeConfig(), SHAPE)

    assert row[layout.P_MIN_NOTIONAL] == 5_000 * 10**8
    assert (row[layout.P_MIN_NOTIONAL_MARKET], row[layout.P_MAX_NOTIONAL_MARKET]) == (1, 1)


def test_run_row_holds_participation_and_slippage() -> None:
    config = ExchangeConfig(
        participation_rate=Decimal("0.25"),
        slippage=FixedBpsSlippage(Decimal("2.5")),
        session_policy=SessionPolicy.QUEUE,
    )

    run = run_row(config)

    assert (run[layout.X_PARTICIPATION_NUM], run[layout.X_PARTICIPATION_DEN]) == (25, 100)
    assert run[layout.X_SLIP_KIND] == layout.SLIP_FIXED
    assert (run[layout.X_SLIP_NUM], run[layout.X_SLIP_DEN]) == (25, 100_000)


class SquareRootSlippage:
    def slipped_price(
        self, side: object, price: Decimal, quantity: Decimal, volume: Decimal
    ) -> Decimal:
        return price


def test_slippage_models_the_kernel_lacks_are_refused() -> None:
    config = ExchangeConfig(slippage=SquareRootSlippage(), session_policy=SessionPolicy.QUEUE)

    with pytest.raises(ConfigurationError, match="event-driven engine"):
        run_row(config)


def test_a_floored_base_asset_fee_is_refused() -> None:
    fees = FeeSchedule(
        maker_rate=Decimal("0.001"),
        taker_rate=Decimal("0.001"),
        fee_asset=FeeAsset.RECEIVED,
        floor_step=Decimal("0.00001"),
    )
    odd = msgspec.structs.replace(BTC_USDT, fees=fees)

    with pytest.raises(ConfigurationError, match="floor step"):
        hold_extra(odd)


def test_latency_and_refused_after_hours_orders_need_the_event_engine() -> None:
    late = ExchangeConfig(latency=FixedLatency(submit_ns=1), session_policy=SessionPolicy.QUEUE)

    with pytest.raises(ConfigurationError, match="latency"):
        run_row(late)
    with pytest.raises(ConfigurationError, match="QUEUE"):
        run_row(ExchangeConfig(session_policy=SessionPolicy.REJECT))
