"""What the portfolio context stores: one position per account and instrument."""

from __future__ import annotations

from decimal import Decimal

import msgspec

from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import AccountId, InstrumentId

_ZERO = Decimal(0)


class PositionRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A holding as last persisted. ``quantity`` is signed (negative is short); a flat
    position (quantity 0) is kept because it still carries the realised P&L."""

    account_id: AccountId
    instrument_id: InstrumentId
    quantity: Decimal
    average_price: Decimal
    realized_pnl: Decimal = _ZERO
    currency: str
    updated_ns: int

    def __post_init__(self) -> None:
        where = f"position {self.instrument_id} of account {self.account_id}"
        for what, value in (
            ("quantity", self.quantity),
            ("average price", self.average_price),
            ("realized P&L", self.realized_pnl),
        ):
            if not value.is_finite():
                raise DataError(f"{where}: {what} is {value}; it must be a finite number")
        if self.average_price < _ZERO:
            raise DataError(f"{where}: average price {self.average_price} must not be negative")
        if not self.currency:
            raise DataError(f"{where}: currency is empty; give an ISO code such as KRW or USDT")
