"""Instrument specs as kernel rows: scales, lots, limits, fees, band, sizing, protections.

Everything exact is an integer: quantities in units of the lot's decimal scale, prices at
the kernel's price scale for the instrument (the data's, or finer when a tick needs it),
order totals at price + quantity scale, fee rates as ``num / 10**d``. Venue facts come
from the instrument spec (``shared_kernel.venues``), run settings from the simulated
exchange's ``ExchangeConfig``, so both engines read one set of numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from jts.runtime.backtest.exchange.config import ExchangeConfig, SessionPolicy
from jts.runtime.backtest.exchange.latency import RequestKind
from jts.runtime.backtest.exchange.slippage import (
    FixedBpsSlippage,
    NoSlippage,
    VolumeShareSlippage,
)
from jts.runtime.backtest.vectorized import layout
from jts.shared_kernel.errors import ConfigurationError, DataError
from jts.shared_kernel.venues.binance import BinanceRules
from jts.shared_kernel.venues.fees import FeeAsset
from jts.shared_kernel.venues.instruments import Instrument
from jts.shared_kernel.venues.krx import KrxRules
from jts.shared_kernel.venues.upbit import UpbitRules

_SIZING = {
    "quantity": layout.SIZE_QUANTITY,
    "percent_equity": layout.SIZE_PERCENT,
    "kelly": layout.SIZE_KELLY,
    "risk": layout.SIZE_RISK,
}


def digits(value: Decimal) -> int:
    """Decimal places of ``value`` once trailing zeros are dropped (``0.0010`` -> 3)."""
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def units(value: Decimal, scale: int, *, what: str) -> int:
    """``value * 10**scale`` as an exact integer."""
    scaled = value.scaleb(scale)
    if scaled != scaled.to_integral_value():
        raise DataError(f"{what} {value} has more than {scale} decimals; it cannot be exact here")
    return int(scaled)


def fraction(value: Decimal) -> tuple[int, int]:
    """``value`` as ``(num, den)`` with ``den`` a power of ten."""
    places = digits(value)
    return units(value, places, what="rate"), 10**places


@dataclass(frozen=True)
class ProgramShape:
    """What a program's orders look like: sizing form, limit entries and protections."""

    sizing: str
    limit_entries: bool
    ttl_bars: int | None
    has_stop_loss: bool
    has_take_profit: bool
    has_trailing_stop: bool


@dataclass(frozen=True)
class Scales:
    price: int
    quantity: int
    volume: int
    hold_extra: int

    @property
    def holding(self) -> int:
        return self.quantity + self.hold_extra


def quantity_scale(instrument: Instrument) -> int:
    return max(digits(instrument.lot_size), digits(instrument.min_quantity))


def hold_extra(instrument: Instrument) -> int:
    """Extra holding decimals: a fee taken from the bought quantity (Binance) is exact."""
    fees = instrument.fees
    if fees.fee_asset is not FeeAsset.RECEIVED:
        return 0
    if fees.floor_step is not None:
        raise ConfigurationError(
            f"{instrument.id}: a base-asset fee with a floor step is not supported by the "
            "vectorized engine; use a quote-currency fee or no floor"
        )
    return max(digits(fees.maker_rate), digits(fees.taker_rate))


def instrument_rows(
    instrument: Instrument,
    scales: Scales,
    currency: int,
    config: ExchangeConfig,
    program: ProgramShape,
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The ``spec`` rows (int64 and float64) of one instrument."""
    row = np.zeros(layout.P_COLUMNS, dtype=np.int64)
    frow = np.zeros(layout.F_COLUMNS, dtype=np.float64)
    row[layout.P_CURRENCY] = currency
    row[layout.P_PRICE_SCALE], row[layout.P_QTY_SCALE] = scales.price, scales.quantity
    row[layout.P_HOLD_EXTRA], row[layout.P_VOLUME_SCALE] = scales.hold_extra, scales.volume
    row[layout.P_LOT] = units(instrument.lot_size, scales.quantity, what="lot size")
    row[layout.P_MIN_QTY] = units(instrument.min_quantity, scales.quantity, what="minimum quantity")
    _fees(row, instrument, scales)
    _venue_limits(row, frow, instrument, scales)
    _run_settings(row, config, scales)
    _program(row, program)
    return row, frow


def _fees(row: NDArray[np.int64], instrument: Instrument, scales: Scales) -> None:
    fees = instrument.fees
    places = max(digits(fees.maker_rate), digits(fees.taker_rate))
    row[layout.P_MAKER_NUM] = units(fees.maker_rate, places, what="maker fee")
    row[layout.P_TAKER_NUM] = units(fees.taker_rate, places, what="taker fee")
    row[layout.P_FEE_DEN] = 10**places
    row[layout.P_FEE_IN_BASE] = 1 if fees.fee_asset is FeeAsset.RECEIVED else 0
    if fees.floor_step is not None:
        step = fees.floor_step
        row[layout.P_FEE_FLOOR] = units(step, scales.price + scales.quantity, what="fee floor step")
    row[layout.P_RESERVE_MAKER] = 1 if fees.maker_rate > fees.taker_rate else 0


def _venue_limits(
    row: NDArray[np.int64], frow: NDArray[np.float64], instrument: Instrument, scales: Scales
) -> None:
    total = scales.price + scales.quantity
    rules = instrument.venue_rules
    if isinstance(rules, KrxRules):
        row[layout.P_HAS_BAND] = 1
        row[layout.P_BAND_NUM], row[layout.P_BAND_DEN] = fraction(rules.price_limit_rate)
    elif isinstance(rules, UpbitRules):
        row[layout.P_MIN_NOTIONAL] = units(rules.min_total, total, what="Upbit minimum total")
        row[layout.P_MIN_NOTIONAL_MARKET] = 1
        if rules.max_total is not None:
            row[layout.P_MAX_NOTIONAL] = units(rules.max_total, total, what="Upbit maximum total")
            row[layout.P_MAX_NOTIONAL_MARKET] = 1
    elif isinstance(rules, BinanceRules):
        _binance_limits(row, frow, rules, scales)


def _binance_limits(
    row: NDArray[np.int64], frow: NDArray[np.float64], rules: BinanceRules, scales: Scales
) -> None:
    total = scales.price + scales.quantity
    if rules.lot_size.max_qty:
        row[layout.P_MAX_QTY] = units(rules.lot_size.max_qty, scales.quantity, what="maxQty")
    market = rules.market_lot_size
    if market is not None and market.max_qty:
        row[layout.P_MAX_MARKET_QTY] = units(market.max_qty, scales.quantity, what="market maxQty")
    if rules.notional is not None:
        n = rules.notional
        row[layout.P_MIN_NOTIONAL] = units(n.min_notional, total, what="minNotional")
        row[layout.P_MIN_NOTIONAL_MARKET] = 1 if n.apply_min_to_market else 0
        if n.max_notional:
            row[layout.P_MAX_NOTIONAL] = units(n.max_notional, total, what="maxNotional")
            row[layout.P_MAX_NOTIONAL_MARKET] = 1 if n.apply_max_to_market else 0
    elif rules.min_notional is not None:
        m = rules.min_notional
        row[layout.P_MIN_NOTIONAL] = units(m.min_notional, total, what="minNotional")
        row[layout.P_MIN_NOTIONAL_MARKET] = 1 if m.apply_to_market else 0
    if rules.percent_price_by_side is not None:
        s = rules.percent_price_by_side
        row[layout.P_PERCENT_PRICE] = 1
        multipliers = (
            s.bid_multiplier_down,
            s.bid_multiplier_up,
            s.ask_multiplier_down,
            s.ask_multiplier_up,
        )
        frow[layout.F_BID_DOWN : layout.F_ASK_UP + 1] = [float(m) for m in multipliers]
    elif rules.percent_price is not None:
        p = rules.percent_price
        row[layout.P_PERCENT_PRICE] = 1
        down, up = float(p.multiplier_down), float(p.multiplier_up)
        frow[layout.F_BID_DOWN : layout.F_ASK_UP + 1] = [down, up, down, up]


def _run_settings(row: NDArray[np.int64], config: ExchangeConfig, scales: Scales) -> None:
    row[layout.P_BUFFER_NUM], row[layout.P_BUFFER_DEN] = fraction(config.market_buy_buffer)
    rate = config.participation_rate
    places = 0 if rate is None else digits(rate)
    fine = max(scales.volume + places, scales.quantity)
    row[layout.P_CAP_VOLUME_MUL] = 10 ** (fine - scales.volume - places)
    row[layout.P_CAP_QTY_MUL] = 10 ** (fine - scales.quantity)


def _supported(config: ExchangeConfig) -> None:
    """The kernel sends orders at bar closes with no latency and queues KRX orders sent
    after the close, as the contract says; other settings need the event-driven engine."""
    latency = config.latency
    if any(latency.delay_ns(kind) for kind in RequestKind):
        raise ConfigurationError(
            f"the vectorized engine sends orders with no latency, not {latency!r}; use the "
            "event-driven engine to model latency"
        )
    if config.session_policy is not SessionPolicy.QUEUE:
        raise ConfigurationError(
            "the vectorized engine sends orders at bar closes, which KRX refuses after its "
            "close under SessionPolicy.REJECT; use SessionPolicy.QUEUE"
        )


def _program(row: NDArray[np.int64], program: ProgramShape) -> None:
    row[layout.P_SIZING] = _SIZING[program.sizing]
    row[layout.P_LIMIT_ENTRY] = 1 if program.limit_entries else 0
    row[layout.P_TTL] = program.ttl_bars or 0 if program.limit_entries else 0
    row[layout.P_HAS_STOP] = 1 if program.has_stop_loss or program.has_trailing_stop else 0
    row[layout.P_HAS_TARGET] = 1 if program.has_take_profit else 0
    row[layout.P_HAS_TRAIL] = 1 if program.has_trailing_stop else 0


def run_row(config: ExchangeConfig) -> NDArray[np.float64]:
    """Run-wide settings: the participation rate and the slippage model."""
    _supported(config)
    run = np.zeros(layout.X_COLUMNS, dtype=np.float64)
    rate = config.participation_rate
    if rate is not None:
        run[layout.X_PARTICIPATION_NUM], run[layout.X_PARTICIPATION_DEN] = fraction(rate)
    slippage = config.slippage
    if isinstance(slippage, FixedBpsSlippage):
        run[layout.X_SLIP_KIND] = layout.SLIP_FIXED
        run[layout.X_SLIP_NUM], run[layout.X_SLIP_DEN] = fraction(slippage.bps / Decimal(10_000))
    elif isinstance(slippage, VolumeShareSlippage):
        run[layout.X_SLIP_KIND] = layout.SLIP_VOLUME
        run[layout.X_SLIP_NUM] = float(slippage.impact)
    elif not isinstance(slippage, NoSlippage):
        raise ConfigurationError(
            f"the vectorized engine models NoSlippage, FixedBpsSlippage and "
            f"VolumeShareSlippage, not {slippage!r}; use the event-driven engine for it"
        )
    return run
