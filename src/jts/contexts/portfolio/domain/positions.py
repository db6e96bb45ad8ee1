"""``Position``: one instrument's holding, its average price and its P&L, exactly.

Bookkeeping, all in the instrument's quote currency:

- ``quantity``: units held, signed (negative is short);
- ``open_cash``: the cash flows of the fills that opened what is still held (negative for a
  long: what it cost, fees included; positive for a short: what it brought in);
- ``average_price``: the average cost of a unit held, fees in the quote currency left out:
  each opening fill adds its notional and the units it delivered (a fee taken in the base
  asset delivers fewer units, so it raises the average cost); reducing leaves it as it is;
  the simulated exchange's account keeps it the same way;
- ``unrealized_pnl(mark) = quantity * mark + open_cash``: net of the fees already paid;
- ``realized_pnl``: the sum, over every reduction, of its cash flow plus the share of
  ``open_cash`` it releases (the reduced share of the position). The fill that closes a
  position releases all that is left, so a round trip's P&L is exactly the sum of its cash
  flows, whatever partial fills came between (a partial reduction's share is kept on a
  1e-12 grid so the remainder is exact).

A fill that crosses zero is split: the part that closes the position, then the part that
opens the other side. Dust: a holding smaller than one lot cannot be sold; when a reducing
fill leaves less than ``lot`` units, the leftover cost is realized (the dust stays in
``quantity`` and is worth its mark in ``unrealized_pnl``) and ``is_open`` turns false.
Round trips (trades) are built from fills by whoever reports them (``runtime.backtest``'s
``TradeBook`` for backtests).
"""

from __future__ import annotations

from decimal import Decimal

from jts.contexts.portfolio.domain.execution import Execution, money
from jts.messages.enums import Direction
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.numbers import ZERO


class Position:
    """A holding of one instrument; changed only by ``apply``."""

    __slots__ = (
        "average_price",
        "currency",
        "fees",
        "instrument_id",
        "lot",
        "open_cash",
        "quantity",
        "realized_pnl",
        "updated_ns",
    )

    def __init__(self, instrument_id: InstrumentId, *, currency: str, lot: Decimal) -> None:
        if lot <= ZERO:
            raise DataError(f"position {instrument_id}: lot {lot} must be positive")
        self.instrument_id = instrument_id
        self.currency = currency
        self.lot = lot
        self.quantity = ZERO
        self.open_cash = ZERO
        self.average_price = ZERO
        self.realized_pnl = ZERO
        self.fees = ZERO
        self.updated_ns = 0

    @property
    def is_open(self) -> bool:
        """Whether the holding is at least one lot (anything less is unsellable dust)."""
        return abs(self.quantity) >= self.lot

    @property
    def direction(self) -> Direction | None:
        if not self.is_open:
            return None
        return Direction.LONG if self.quantity > ZERO else Direction.SHORT

    def unrealized_pnl(self, mark: Decimal) -> Decimal:
        """Net profit of the holding if it were worth ``mark`` a unit (fees paid included)."""
        return self.quantity * mark + self.open_cash

    def apply(self, execution: Execution) -> None:
        """Book one execution."""
        if execution.instrument_id != self.instrument_id or execution.currency != self.currency:
            raise DataError(
                f"execution of {execution.instrument_id} in {execution.currency} applied to "
                f"the {self.instrument_id} position in {self.currency}"
            )
        self.updated_ns = execution.ts_ns
        self.fees += execution.fees
        units = execution.units
        if not self.quantity or (units > ZERO) == (self.quantity > ZERO):
            self._increase(execution)
        elif abs(units) <= abs(self.quantity):
            self._reduce(execution)
        else:
            closing, opening = execution.split(-self.quantity)
            self._reduce(closing)
            self._increase(opening)

    def _increase(self, execution: Execution) -> None:
        held = abs(self.quantity)
        total = held + abs(execution.units)
        self.average_price = (
            self.average_price * held + execution.price * execution.quantity
        ) / total
        self.quantity += execution.units
        self.open_cash += execution.cash

    def _reduce(self, execution: Execution) -> None:
        left = self.quantity + execution.units
        if abs(left) < self.lot:
            released, self.open_cash = self.open_cash, ZERO
        else:
            released = money(self.open_cash * abs(execution.units) / abs(self.quantity))
            self.open_cash -= released
        self.quantity = left
        if not left:
            self.average_price = ZERO
        self.realized_pnl += execution.cash + released

    def __repr__(self) -> str:
        return (
            f"Position({self.instrument_id} {self.quantity} @ {self.average_price} "
            f"{self.currency}, realized {self.realized_pnl})"
        )
