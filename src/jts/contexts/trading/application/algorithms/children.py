"""What every execution algorithm shares: the parent order and the book of its children.

An algorithm works a *parent* order by sending *child* orders through the OMS, where they
are ordinary orders carrying ``parent_order_id``. Child ids are deterministic
(``<parent>-<n>``), so a backtest replays the same ids and a repeated command is a no-op at
the OMS. ``ChildBook`` follows each child from the events the OMS publishes: what is
working, what filled, what closed.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from jts.messages.enums import OrderSide, OrderType, TimeInForce
from jts.messages.trading import (
    CancelOrder,
    OrderCanceled,
    OrderDenied,
    OrderEvent,
    OrderExpired,
    OrderFilled,
    OrderRejected,
    SubmitOrder,
)
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import ClientOrderId, InstrumentId, StrategyId
from jts.shared_kernel.numbers import round_to_lot

ZERO = Decimal(0)
_CLOSING = (OrderCanceled, OrderExpired, OrderRejected, OrderDenied)


class ParentOrder(msgspec.Struct, frozen=True, kw_only=True):
    """The order an algorithm works. ``limit_price`` caps every child (``None``: market)."""

    client_order_id: ClientOrderId
    strategy_id: StrategyId
    instrument_id: InstrumentId
    side: OrderSide
    quantity: Decimal
    limit_price: Decimal | None = None
    broker: str | None = None
    lot_size: Decimal = Decimal(1)

    def __post_init__(self) -> None:
        where = f"parent order {self.client_order_id}"
        if not (self.quantity.is_finite() and self.quantity > 0):
            raise DataError(f"{where}: quantity is {self.quantity}; it must be positive")
        if not (self.lot_size.is_finite() and self.lot_size > 0):
            raise DataError(f"{where}: lot size is {self.lot_size}; it must be positive")
        if self.quantity % self.lot_size != 0:
            raise DataError(
                f"{where}: quantity {self.quantity} is not a whole number of lots of "
                f"{self.lot_size}; round it first"
            )
        if self.limit_price is not None and not self.limit_price > 0:
            raise DataError(f"{where}: limit price is {self.limit_price}; it must be positive")


class _Child(msgspec.Struct, kw_only=True):
    quantity: Decimal
    filled: Decimal = ZERO
    open: bool = True


class ChildBook:
    """A parent's children: sends them, tracks their fills and closes from OMS events."""

    def __init__(self, parent: ParentOrder) -> None:
        self.parent = parent
        self._children: dict[ClientOrderId, _Child] = {}
        self._sequence = 0
        self.filled = ZERO

    @property
    def remaining(self) -> Decimal:
        """Parent quantity neither filled nor working in an open child."""
        return self.parent.quantity - self.filled - self.working

    @property
    def working(self) -> Decimal:
        return sum((c.quantity - c.filled for c in self._children.values() if c.open), ZERO)

    @property
    def open_children(self) -> list[ClientOrderId]:
        return [coid for coid, child in self._children.items() if child.open]

    def owns(self, client_order_id: ClientOrderId) -> bool:
        return client_order_id in self._children

    def lots(self, quantity: Decimal) -> Decimal:
        """``quantity`` rounded down to whole lots, never below zero."""
        return max(round_to_lot(quantity, self.parent.lot_size), ZERO)

    def new_child(self, quantity: Decimal, now_ns: int) -> SubmitOrder:
        self._sequence += 1
        client_order_id = ClientOrderId(f"{self.parent.client_order_id}-{self._sequence}")
        self._children[client_order_id] = _Child(quantity=quantity)
        parent = self.parent
        return SubmitOrder(
            client_order_id=client_order_id,
            instrument_id=parent.instrument_id,
            strategy_id=parent.strategy_id,
            side=parent.side,
            order_type=OrderType.MARKET if parent.limit_price is None else OrderType.LIMIT,
            quantity=quantity,
            limit_price=parent.limit_price,
            time_in_force=TimeInForce.GTC,
            broker=parent.broker,
            parent_order_id=parent.client_order_id,
            ts_init=now_ns,
        )

    def cancel_open(self, now_ns: int) -> list[CancelOrder]:
        return [
            CancelOrder(
                client_order_id=coid,
                instrument_id=self.parent.instrument_id,
                strategy_id=self.parent.strategy_id,
                ts_init=now_ns,
            )
            for coid in self.open_children
        ]

    def apply(self, event: OrderEvent) -> bool:
        """Follow one OMS event; ``True`` if it was about one of these children and changed it."""
        child = self._children.get(event.client_order_id)
        if child is None:
            return False
        if isinstance(event, OrderFilled):  # counted even if it raced a close: it executed
            child.filled += event.last_qty
            self.filled += event.last_qty
            child.open = child.open and child.filled < child.quantity
            return True
        if child.open and isinstance(event, _CLOSING):
            child.open = False
            return True
        return False
