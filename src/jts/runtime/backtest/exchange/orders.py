"""``SimOrder``: one order as the simulated venue holds it while it works.

Mutable and slotted: the matching loop updates fills and reservations in place. Reports
and persisted documents are frozen copies made on demand (``report``).
"""

from __future__ import annotations

from decimal import Decimal

from jts.contexts.trading.domain.venue_reports import OrderReport
from jts.messages.enums import OrderStatus, OrderType, TimeInForce
from jts.messages.trading import SubmitOrder
from jts.shared_kernel.identifiers import ClientOrderId, InstrumentId, StrategyId, VenueOrderId
from jts.shared_kernel.numbers import ZERO
from jts.shared_kernel.venues.types import OrderSide

OPEN_STATUSES = frozenset({OrderStatus.ACCEPTED, OrderStatus.PARTIALLY_FILLED})
STOP_TYPES = frozenset({OrderType.STOP_MARKET, OrderType.STOP_LIMIT})


class PendingModify:
    """New terms arriving at the venue at ``at_ns`` (``None`` keeps a term)."""

    __slots__ = ("at_ns", "limit_price", "quantity", "trigger_price")

    def __init__(
        self,
        at_ns: int,
        quantity: Decimal | None,
        limit_price: Decimal | None,
        trigger_price: Decimal | None,
    ) -> None:
        self.at_ns = at_ns
        self.quantity = quantity
        self.limit_price = limit_price
        self.trigger_price = trigger_price


class SimOrder:
    """A working order: its terms, fills, reservation and place in the queue.

    ``reserved`` is what the order holds locked: quote currency for buys, the instrument's
    holding for sells (zero for reduce-only sells, which are capped at fill time instead).
    ``reserve_price`` is the unit price buys are reserved at (the limit, or for market buys
    the KRX upper limit or the last price plus a buffer). ``priority`` orders the queue at one
    price (lower first); ``fresh`` is true until the order has seen one market data event.
    """

    __slots__ = (
        "arrival_ns",
        "cancel_at_ns",
        "client_order_id",
        "created_ns",
        "expire_ns",
        "filled",
        "filled_value",
        "in_book",
        "instrument_id",
        "is_buy",
        "limit_price",
        "order_type",
        "pending_modify",
        "priority",
        "quantity",
        "reduce_only",
        "reserve_price",
        "reserved",
        "side",
        "status",
        "strategy_id",
        "time_in_force",
        "trigger_price",
        "triggered",
        "updated_ns",
        "venue_order_id",
    )

    def __init__(
        self,
        *,
        client_order_id: ClientOrderId,
        venue_order_id: VenueOrderId,
        strategy_id: StrategyId,
        instrument_id: InstrumentId,
        side: OrderSide,
        order_type: OrderType,
        quantity: Decimal,
        limit_price: Decimal | None,
        trigger_price: Decimal | None,
        time_in_force: TimeInForce,
        expire_ns: int | None,
        reduce_only: bool,
        created_ns: int,
        arrival_ns: int,
    ) -> None:
        self.client_order_id = client_order_id
        self.venue_order_id = venue_order_id
        self.strategy_id = strategy_id
        self.instrument_id = instrument_id
        self.side = side
        self.is_buy = side is OrderSide.BUY
        self.order_type = order_type
        self.quantity = quantity
        self.limit_price = limit_price
        self.trigger_price = trigger_price
        self.time_in_force = time_in_force
        self.expire_ns = expire_ns
        self.reduce_only = reduce_only
        self.created_ns = created_ns
        self.updated_ns = created_ns
        self.arrival_ns = arrival_ns
        self.status = OrderStatus.ACCEPTED
        self.filled = ZERO
        self.filled_value = ZERO
        self.reserved = ZERO
        self.reserve_price: Decimal | None = None
        self.priority = 0
        self.triggered = False
        self.in_book = False
        self.cancel_at_ns: int | None = None
        self.pending_modify: PendingModify | None = None

    @classmethod
    def from_command(
        cls,
        command: SubmitOrder,
        *,
        venue_order_id: VenueOrderId,
        expire_ns: int | None,
        created_ns: int,
        arrival_ns: int,
    ) -> SimOrder:
        return cls(
            client_order_id=command.client_order_id,
            venue_order_id=venue_order_id,
            strategy_id=command.strategy_id,
            instrument_id=command.instrument_id,
            side=command.side,
            order_type=command.order_type,
            quantity=command.quantity,
            limit_price=command.limit_price,
            trigger_price=command.trigger_price,
            time_in_force=command.time_in_force,
            expire_ns=expire_ns,
            reduce_only=command.reduce_only,
            created_ns=created_ns,
            arrival_ns=arrival_ns,
        )

    @property
    def leaves(self) -> Decimal:
        return self.quantity - self.filled

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_stop(self) -> bool:
        """A stop order still waiting for its trigger."""
        return self.order_type in STOP_TYPES and not self.triggered

    @property
    def works_as_limit(self) -> bool:
        return self.order_type is OrderType.LIMIT or (
            self.order_type is OrderType.STOP_LIMIT and self.triggered
        )

    @property
    def average_price(self) -> Decimal | None:
        return self.filled_value / self.filled if self.filled else None

    def report(self) -> OrderReport:
        return OrderReport(
            client_order_id=self.client_order_id,
            venue_order_id=self.venue_order_id,
            instrument_id=self.instrument_id,
            side=self.side,
            order_type=self.order_type,
            quantity=self.quantity,
            filled_quantity=self.filled,
            average_fill_price=self.average_price,
            limit_price=self.limit_price,
            status=self.status,
            ts_last=self.updated_ns,
        )

    def __repr__(self) -> str:
        price = f" @ {self.limit_price}" if self.limit_price is not None else ""
        return (
            f"SimOrder({self.client_order_id} {self.side} {self.filled}/{self.quantity} "
            f"{self.instrument_id} {self.order_type}{price} {self.status})"
        )
