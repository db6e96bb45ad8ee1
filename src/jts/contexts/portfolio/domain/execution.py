"""``Execution``: one fill in the portfolio's terms, units moved and cash moved, exactly.

A venue reports a fill as ``OrderFilled`` (quantity, price, commission in some currency,
KRX sell tax). What the account feels is simpler: the units it holds change by ``units``
and the quote currency changes by ``cash``, both signed. ``fees`` is what the fill cost in
the quote currency (commission plus tax, a commission charged in the base asset valued at
the fill price); it is for reporting, since ``units`` and ``cash`` already carry it.

- buy, fee in the quote currency (KRX, Upbit): ``units = +q``, ``cash = -(q * p + fee)``;
- buy, fee in the base asset (Binance): ``units = +(q - fee)``, ``cash = -q * p``;
- sell: ``units = -q``, ``cash = q * p - fee - tax``.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from jts.messages.trading import OrderFilled
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.venues.instruments import Instrument
from jts.shared_kernel.venues.types import OrderSide


class Execution(msgspec.Struct, frozen=True, kw_only=True):
    """A fill as a change of units held and of quote-currency cash."""

    instrument_id: InstrumentId
    ts_ns: int
    side: OrderSide
    quantity: Decimal  # traded, as the venue reports it
    price: Decimal
    units: Decimal  # signed change of the holding
    cash: Decimal  # signed change of the quote currency
    fees: Decimal  # commission and tax in the quote currency
    currency: str

    def split(self, first_units: Decimal) -> tuple[Execution, Execution]:
        """Two executions that add up exactly to this one, the first moving ``first_units``
        (a fill that flips a position: the part that closes it, then the rest)."""
        units = self.units
        first = msgspec.structs.replace(
            self,
            quantity=money(self.quantity * first_units / units),
            units=first_units,
            cash=money(self.cash * first_units / units),
            fees=money(self.fees * first_units / units),
        )
        rest = msgspec.structs.replace(
            self,
            quantity=self.quantity - first.quantity,
            units=self.units - first_units,
            cash=self.cash - first.cash,
            fees=self.fees - first.fees,
        )
        return first, rest


_MONEY_STEP = Decimal("1e-12")


def money(amount: Decimal) -> Decimal:
    """``amount`` on a 1e-12 grid when it has more decimals: shares of a cost or of a fill
    are kept there, so what remains after taking them is exact."""
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -12:
        return amount
    return amount.quantize(_MONEY_STEP)


def execution_of(fill: OrderFilled, instrument: Instrument) -> Execution:
    """The ``Execution`` of a venue's fill of ``instrument``.

    Raises ``DataError`` for a commission in a currency that is neither the instrument's
    quote currency nor its base asset (it could not be valued).
    """
    quote, base = instrument.quote_currency, instrument.base_asset
    quantity, price = fill.last_qty, fill.last_price
    notional = quantity * price
    commission = fill.commission
    if commission and fill.commission_currency not in (quote, base):
        raise DataError(
            f"fill {fill.trade_id} of {fill.instrument_id}: commission in "
            f"{fill.commission_currency} cannot be valued; JTS books commissions in {quote} "
            f"or {base}"
        )
    in_base = bool(commission) and fill.commission_currency == base and base != quote
    fee_value = commission * price if in_base else commission
    if fill.side is OrderSide.BUY:
        units = quantity - commission if in_base else quantity
        cash = -notional if in_base else -(notional + commission)
    else:
        if in_base:
            raise DataError(
                f"fill {fill.trade_id} of {fill.instrument_id}: a sell's commission must be "
                f"in {quote}, not {base}"
            )
        units = -quantity
        cash = notional - commission - fill.tax
    return Execution(
        instrument_id=fill.instrument_id,
        ts_ns=fill.ts_event,
        side=fill.side,
        quantity=quantity,
        price=price,
        units=units,
        cash=cash,
        fees=fee_value + fill.tax,
        currency=quote,
    )
