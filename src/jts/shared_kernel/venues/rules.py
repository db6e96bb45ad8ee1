"""The one API the simulated exchange, risk and the market simulator call for venue rules.

Every function takes an ``Instrument`` and dispatches on its ``venue_rules``; the venue
modules (``krx``, ``upbit``, ``binance``) hold the specifics. Dates are the venue-local
trading date (``TradingCalendar.session_date``): tick tables and taxes change by date.

- ``tick_size``, ``round_price``, ``is_valid_price``, ``shift_price``: the price grid.
- ``passive_rounding(side)``: DOWN for buys, UP for sells (never a worse limit than asked).
- ``round_quantity``: down to a whole number of lots.
- ``price_limits``: the KRX daily band (``None`` for venues without one).
- ``validate_order``: the venue's ``Rejection`` or ``None``.
- ``fee``: the fee for one fill; ``sell_tax``: the transaction tax on a sale (KRX).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from jts.shared_kernel.numbers import ZERO, Rounding, round_to_lot
from jts.shared_kernel.venues import binance, krx, krx_tax, upbit
from jts.shared_kernel.venues.calendar import TradingCalendar
from jts.shared_kernel.venues.fees import Fee
from jts.shared_kernel.venues.instruments import Instrument
from jts.shared_kernel.venues.krx import KrxRules, PriceBand
from jts.shared_kernel.venues.types import LiquiditySide, OrderSide, Rejection
from jts.shared_kernel.venues.upbit import UpbitRules


def tick_size(instrument: Instrument, price: Decimal, *, on: date) -> Decimal:
    """The tick at ``price`` on date ``on``."""
    return instrument.tick_rule.at(on).tick_at(price)


def passive_rounding(side: OrderSide) -> Rounding:
    """Rounding that never makes a limit worse for its side: buys down, sells up."""
    return Rounding.DOWN if side is OrderSide.BUY else Rounding.UP


def round_price(
    instrument: Instrument, price: Decimal, *, on: date, rounding: Rounding = Rounding.NEAREST
) -> Decimal:
    """``price`` moved onto the instrument's grid in force on ``on``."""
    return instrument.tick_rule.at(on).round_price(price, rounding)


def is_valid_price(instrument: Instrument, price: Decimal, *, on: date) -> bool:
    """Whether ``price`` lies on the grid in force on ``on``."""
    return instrument.tick_rule.at(on).is_on_grid(price)


def shift_price(instrument: Instrument, price: Decimal, ticks: int, *, on: date) -> Decimal:
    """The valid price ``ticks`` steps away from the on-grid ``price`` (negative: lower)."""
    return instrument.tick_rule.at(on).shift(price, ticks)


def round_quantity(instrument: Instrument, quantity: Decimal) -> Decimal:
    """``quantity`` rounded down to a whole number of lots (never more than asked)."""
    return round_to_lot(quantity, instrument.lot_size)


def price_limits(instrument: Instrument, base_price: Decimal, *, on: date) -> PriceBand | None:
    """The daily limit band around ``base_price`` (previous close) for KRX, else ``None``."""
    rules = instrument.venue_rules
    if not isinstance(rules, KrxRules):
        return None
    return krx.price_limits(base_price, instrument.tick_rule.at(on), rules.price_limit_rate)


def validate_order(
    instrument: Instrument,
    side: OrderSide,
    quantity: Decimal,
    price: Decimal | None = None,
    *,
    on: date,
    reference_price: Decimal | None = None,
    base_price: Decimal | None = None,
) -> Rejection | None:
    """Why the venue would refuse this order, or ``None`` if it passes.

    ``price`` None is a market order. ``reference_price`` values market orders and feeds
    Binance's percent-price filters (its average price); ``base_price`` is the KRX
    previous close for the daily band. Missing inputs skip the checks that need them.
    """
    rules = instrument.venue_rules
    ticks = instrument.tick_rule.at(on)
    if isinstance(rules, KrxRules):
        band = None if base_price is None else price_limits(instrument, base_price, on=on)
        return krx.validate_order(
            ticks=ticks, quantity=quantity, price=price, lot=instrument.lot_size, band=band
        )
    if isinstance(rules, UpbitRules):
        return upbit.validate_order(
            rules=rules,
            ticks=ticks,
            side=side,
            quantity=quantity,
            price=price,
            reference_price=reference_price,
        )
    return binance.validate_order(
        rules, side=side, quantity=quantity, price=price, reference_price=reference_price
    )


def fee(
    instrument: Instrument,
    side: OrderSide,
    price: Decimal,
    quantity: Decimal,
    liquidity: LiquiditySide = LiquiditySide.TAKER,
) -> Fee:
    """The commission or trading fee for one fill."""
    return instrument.fees.fee(
        side=side,
        price=price,
        quantity=quantity,
        liquidity=liquidity,
        base_asset=instrument.base_asset,
        quote_currency=instrument.quote_currency,
    )


def sell_tax(
    instrument: Instrument,
    price: Decimal,
    quantity: Decimal,
    *,
    trade_date: date,
    calendar: TradingCalendar,
) -> Decimal:
    """Transaction tax, in the quote currency, on selling ``quantity`` at ``price``.

    KRX taxes sales at the rate of the settlement date (``trade_date`` + the settlement lag
    on ``calendar``); crypto venues have no such tax and give zero.
    """
    rules = instrument.venue_rules
    if not isinstance(rules, KrxRules):
        return ZERO
    if instrument.segment is None:  # Instrument refuses this; kept for the type checker
        raise ValueError(f"{instrument.id} is a KRX instrument without a market segment")
    settled = krx_tax.settlement_date(trade_date, calendar, rules.settlement_lag)
    return krx_tax.sell_tax(instrument.segment, price * quantity, settled)
