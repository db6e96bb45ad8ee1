"""``Portfolio``: cash per currency and positions per instrument of one account.

Fills change it (``apply_fill``); prices and exchange rates value it (``equity``,
``snapshot``). It never looks at prices by itself: callers pass the marks they hold, so a
backtest, a paper account and a live account value the same book the same way. Equity is
in the base currency (KRW by default): cash in each currency and each position's market
value in its quote currency, converted with ``FxRates``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from jts.contexts.portfolio.domain.execution import Execution, execution_of
from jts.contexts.portfolio.domain.fx import FxRates
from jts.contexts.portfolio.domain.positions import Position
from jts.messages.portfolio import PositionSnapshot
from jts.messages.trading import OrderFilled
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.numbers import ZERO
from jts.shared_kernel.venues.instruments import Instrument


class Portfolio:
    """One account's cash and positions, booked from fills."""

    def __init__(self, *, cash: Mapping[str, Decimal], base_currency: str = "KRW") -> None:
        self.base_currency = base_currency
        self._cash: dict[str, Decimal] = {}
        for currency, amount in cash.items():
            if not amount.is_finite() or amount < ZERO:
                raise DataError(f"starting cash {amount} {currency} must be zero or more")
            self._cash[currency] = amount
        self._positions: dict[InstrumentId, Position] = {}

    # --- changes ----------------------------------------------------------------------------

    def apply_fill(self, fill: OrderFilled, instrument: Instrument) -> Execution:
        """Book a fill of ``instrument``; return what it did to units and cash."""
        if fill.instrument_id != instrument.id:
            raise DataError(f"fill of {fill.instrument_id} booked with the spec of {instrument.id}")
        execution = execution_of(fill, instrument)
        currency = execution.currency
        self._cash[currency] = self._cash.get(currency, ZERO) + execution.cash
        position = self._positions.get(instrument.id)
        if position is None:
            position = Position(instrument.id, currency=currency, lot=instrument.lot_size)
            self._positions[instrument.id] = position
        position.apply(execution)
        return execution

    def deposit(self, currency: str, amount: Decimal) -> None:
        """Add (or, negative, withdraw) cash, e.g. a currency conversion's legs."""
        balance = self._cash.get(currency, ZERO) + amount
        if balance < ZERO:
            raise DataError(f"withdrawing {-amount} {currency} leaves {balance}; not enough cash")
        self._cash[currency] = balance

    # --- reading ----------------------------------------------------------------------------

    def cash(self, currency: str) -> Decimal:
        return self._cash.get(currency, ZERO)

    @property
    def balances(self) -> dict[str, Decimal]:
        """Cash per currency (a copy)."""
        return dict(self._cash)

    def position(self, instrument_id: InstrumentId) -> Position | None:
        return self._positions.get(instrument_id)

    def positions(self) -> list[Position]:
        """Every position ever held (flat ones keep their realized P&L), by instrument."""
        return [self._positions[key] for key in sorted(self._positions)]

    def held_quantity(self, instrument_id: InstrumentId) -> Decimal:
        position = self._positions.get(instrument_id)
        return ZERO if position is None else position.quantity

    def equity(self, marks: Mapping[InstrumentId, Decimal], rates: FxRates) -> Decimal:
        """Cash plus positions at ``marks``, in the base currency of ``rates``."""
        total = ZERO
        for currency, amount in self._cash.items():
            if amount:
                total += rates.to_base(amount, currency)
        for position in self._positions.values():
            if position.quantity:
                value = position.quantity * _mark(marks, position.instrument_id)
                total += rates.to_base(value, position.currency)
        return total

    def snapshot(self, instrument_id: InstrumentId, mark: Decimal) -> PositionSnapshot | None:
        """The position as a message snapshot at ``mark``; ``None`` when none is open."""
        position = self._positions.get(instrument_id)
        if position is None or not position.is_open:
            return None
        return PositionSnapshot(
            instrument_id=instrument_id,
            quantity=position.quantity,
            average_price=position.average_price,
            market_price=mark,
            realized_pnl=position.realized_pnl,
            unrealized_pnl=position.unrealized_pnl(mark),
            currency=position.currency,
        )


def _mark(marks: Mapping[InstrumentId, Decimal], instrument_id: InstrumentId) -> Decimal:
    mark = marks.get(instrument_id)
    if mark is None:
        raise DataError(f"no price to value the {instrument_id} position; pass its mark")
    return mark
