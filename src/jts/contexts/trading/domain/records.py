"""What the trading context stores about orders and fills, and the errors storing can raise.

``OrderRecord`` is one order's latest known state; ``FillRecord`` is one execution, keyed by
``(client_order_id, trade_id)`` so a replayed fill is recognised and not counted twice.
Records are immutable: derive a changed copy with ``msgspec.structs.replace``. ``version``
supports optimistic concurrency: a store accepts an update only when the record carries the
version it currently holds, and then stores ``version + 1``.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from jts.messages.enums import LiquiditySide, OrderSide, OrderStatus, OrderType, TimeInForce
from jts.messages.trading import OrderFilled, SubmitOrder
from jts.shared_kernel.errors import DataError, DomainError
from jts.shared_kernel.identifiers import (
    AccountId,
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TradeId,
    VenueOrderId,
)

_ZERO = Decimal(0)


def _is_positive(value: Decimal) -> bool:
    return value.is_finite() and value > _ZERO


class ConcurrencyError(DomainError):
    """Someone else changed the record since it was read: reload it and decide again."""


class DuplicateOrder(DomainError):
    """An order with this client order id is already stored; ids are never reused."""


class UnknownOrder(DomainError, LookupError):
    """No order with this client order id is stored."""


class OrderRecord(msgspec.Struct, frozen=True, kw_only=True):
    """One order as last persisted: the request, where it is in its life and what filled."""

    client_order_id: ClientOrderId
    strategy_id: StrategyId
    instrument_id: InstrumentId
    side: OrderSide
    order_type: OrderType
    quantity: Decimal
    limit_price: Decimal | None = None
    trigger_price: Decimal | None = None
    time_in_force: TimeInForce = TimeInForce.GTC
    expire_time_ns: int | None = None
    status: OrderStatus = OrderStatus.INITIALIZED
    filled_quantity: Decimal = _ZERO
    average_fill_price: Decimal | None = None
    venue_order_id: VenueOrderId | None = None
    broker: str | None = None
    account_id: AccountId | None = None
    parent_order_id: ClientOrderId | None = None
    reason: str | None = None
    created_ns: int
    updated_ns: int
    version: int = 1

    def __post_init__(self) -> None:
        where = f"order record {self.client_order_id}"
        if not _is_positive(self.quantity):
            raise DataError(f"{where}: quantity is {self.quantity}; it must be positive")
        filled = self.filled_quantity
        if not (filled.is_finite() and _ZERO <= filled <= self.quantity):
            raise DataError(
                f"{where}: filled quantity {filled} must lie between 0 and the "
                f"order quantity {self.quantity}"
            )
        if self.version < 1:
            raise DataError(f"{where}: version is {self.version}; versions start at 1")
        for what, price in (
            ("limit price", self.limit_price),
            ("trigger price", self.trigger_price),
            ("average fill price", self.average_fill_price),
        ):
            if price is not None and not _is_positive(price):
                raise DataError(f"{where}: {what} is {price}; it must be positive")

    @classmethod
    def from_command(cls, command: SubmitOrder, *, created_ns: int) -> OrderRecord:
        """The record of a freshly requested order, before anything was sent anywhere."""
        return cls(
            client_order_id=command.client_order_id,
            strategy_id=command.strategy_id,
            instrument_id=command.instrument_id,
            side=command.side,
            order_type=command.order_type,
            quantity=command.quantity,
            limit_price=command.limit_price,
            trigger_price=command.trigger_price,
            time_in_force=command.time_in_force,
            expire_time_ns=command.expire_time_ns,
            broker=command.broker,
            parent_order_id=command.parent_order_id,
            created_ns=created_ns,
            updated_ns=created_ns,
        )


class FillRecord(msgspec.Struct, frozen=True, kw_only=True):
    """One execution of an order, as reported by ``OrderFilled``."""

    client_order_id: ClientOrderId
    trade_id: TradeId
    venue_order_id: VenueOrderId
    strategy_id: StrategyId
    instrument_id: InstrumentId
    side: OrderSide
    last_qty: Decimal
    last_price: Decimal
    commission: Decimal = _ZERO
    tax: Decimal = _ZERO
    commission_currency: str = "KRW"
    liquidity_side: LiquiditySide = LiquiditySide.NONE
    ts_event: int
    ts_init: int

    def __post_init__(self) -> None:
        where = f"fill record {self.trade_id} of {self.client_order_id}"
        if not (_is_positive(self.last_qty) and _is_positive(self.last_price)):
            raise DataError(
                f"{where}: quantity {self.last_qty} and price {self.last_price} must both be "
                "positive"
            )
        if not (self.commission.is_finite() and self.tax.is_finite()):
            raise DataError(
                f"{where}: commission {self.commission} and tax {self.tax} must be finite"
            )

    @classmethod
    def from_event(cls, event: OrderFilled) -> FillRecord:
        return cls(
            client_order_id=event.client_order_id,
            trade_id=event.trade_id,
            venue_order_id=event.venue_order_id,
            strategy_id=event.strategy_id,
            instrument_id=event.instrument_id,
            side=event.side,
            last_qty=event.last_qty,
            last_price=event.last_price,
            commission=event.commission,
            tax=event.tax,
            commission_currency=event.commission_currency,
            liquidity_side=event.liquidity_side,
            ts_event=event.ts_event,
            ts_init=event.ts_init,
        )

    def same_execution(self, other: FillRecord) -> bool:
        """Whether ``other`` reports the same execution (``ts_init`` is local and may differ)."""
        return msgspec.structs.replace(other, ts_init=self.ts_init) == self
