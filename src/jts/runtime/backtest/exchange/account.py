"""The simulated account: cash per currency and holdings per instrument, each with a locked
part reserved by working orders.

``total = free + locked`` for cash and holdings alike; ``free`` never goes negative because
the exchange only locks what is free and caps buys at what is free plus what the order
itself reserved. Buys lock quote currency (notional at the reserve price plus the fee on
it); sells lock the holding. A fill spends or releases exactly what the venue would:
commission and (on KRX) sell tax are paid from the proceeds, a fee charged in the base asset
(Binance buys) is taken from the quantity received.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from jts.contexts.trading.domain.venue_reports import BalanceReport, PositionReport
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.numbers import ZERO


class CashBalance:
    __slots__ = ("currency", "locked", "total")

    def __init__(self, currency: str, total: Decimal = ZERO) -> None:
        self.currency = currency
        self.total = total
        self.locked = ZERO

    @property
    def free(self) -> Decimal:
        return self.total - self.locked


class Holding:
    """Units of one instrument held, at an average cost per unit (fees included for base-asset
    fees, which shrink the quantity received)."""

    __slots__ = ("average_price", "instrument_id", "locked", "quantity")

    def __init__(
        self, instrument_id: InstrumentId, quantity: Decimal = ZERO, average_price: Decimal = ZERO
    ) -> None:
        self.instrument_id = instrument_id
        self.quantity = quantity
        self.average_price = average_price
        self.locked = ZERO

    @property
    def free(self) -> Decimal:
        return self.quantity - self.locked


class Account:
    """Cash and holdings of one simulated account; every change marks what it touched."""

    __slots__ = ("cash", "holdings", "touched_cash", "touched_holdings")

    def __init__(self, balances: Mapping[str, Decimal] | None = None) -> None:
        self.cash: dict[str, CashBalance] = {}
        self.holdings: dict[InstrumentId, Holding] = {}
        self.touched_cash: set[str] = set()
        self.touched_holdings: set[InstrumentId] = set()
        for currency, amount in (balances or {}).items():
            if not amount.is_finite() or amount < ZERO:
                raise ValueError(f"starting {currency} balance {amount} must be a number >= 0")
            self.cash[currency] = CashBalance(currency, amount)

    def balance(self, currency: str) -> CashBalance:
        balance = self.cash.get(currency)
        if balance is None:
            balance = self.cash[currency] = CashBalance(currency)
        return balance

    def holding(self, instrument_id: InstrumentId) -> Holding:
        holding = self.holdings.get(instrument_id)
        if holding is None:
            holding = self.holdings[instrument_id] = Holding(instrument_id)
        return holding

    def free_cash(self, currency: str) -> Decimal:
        balance = self.cash.get(currency)
        return ZERO if balance is None else balance.total - balance.locked

    def free_holding(self, instrument_id: InstrumentId) -> Decimal:
        holding = self.holdings.get(instrument_id)
        return ZERO if holding is None else holding.quantity - holding.locked

    def adjust_cash_lock(self, currency: str, delta: Decimal) -> None:
        """Lock more (``delta > 0``) or release (``delta < 0``) cash."""
        balance = self.balance(currency)
        locked = balance.locked + delta
        if locked < ZERO or locked > balance.total:
            raise AssertionError(
                f"{currency} lock would become {locked} of {balance.total}: reservation bug"
            )
        balance.locked = locked

    def adjust_holding_lock(self, instrument_id: InstrumentId, delta: Decimal) -> None:
        holding = self.holding(instrument_id)
        locked = holding.locked + delta
        if locked < ZERO or locked > holding.quantity:
            raise AssertionError(
                f"{instrument_id} lock would become {locked} of {holding.quantity}: reservation bug"
            )
        holding.locked = locked

    def settle_buy(
        self,
        instrument_id: InstrumentId,
        currency: str,
        *,
        quantity_received: Decimal,
        cost: Decimal,
        price: Decimal,
        quantity: Decimal,
        released: Decimal,
    ) -> None:
        """Pay ``cost`` (notional plus any quote fee) and receive the units."""
        balance = self.balance(currency)
        balance.locked -= released
        balance.total -= cost
        holding = self.holding(instrument_id)
        held = holding.quantity + quantity_received
        if held > ZERO:
            holding.average_price = (
                holding.average_price * holding.quantity + price * quantity
            ) / held
        holding.quantity = held
        self.touched_cash.add(currency)
        self.touched_holdings.add(instrument_id)

    def settle_sell(
        self,
        instrument_id: InstrumentId,
        currency: str,
        *,
        quantity: Decimal,
        proceeds: Decimal,
        released: Decimal,
    ) -> None:
        """Deliver the units and receive ``proceeds`` (notional less fee and tax)."""
        holding = self.holding(instrument_id)
        holding.locked -= released
        holding.quantity -= quantity
        if holding.quantity == ZERO:
            holding.average_price = ZERO
        balance = self.balance(currency)
        balance.total += proceeds
        self.touched_cash.add(currency)
        self.touched_holdings.add(instrument_id)

    def balance_reports(self) -> list[BalanceReport]:
        return [
            BalanceReport(currency=b.currency, total=b.total, locked=b.locked)
            for b in sorted(self.cash.values(), key=lambda b: b.currency)
        ]

    def position_reports(self) -> list[PositionReport]:
        return [
            PositionReport(
                instrument_id=h.instrument_id, quantity=h.quantity, average_price=h.average_price
            )
            for h in sorted(self.holdings.values(), key=lambda h: h.instrument_id)
            if h.quantity != ZERO
        ]
