"""Trading commands and order events.

Commands go to ``orders.pending``; the order's life as the venue sees it goes to
``orders.executions``; refusals (by risk or by the venue) go to ``orders.failures``.
"""

from __future__ import annotations

from decimal import Decimal

from jts.messages.base import Command, Event, tag_for
from jts.messages.enums import LiquiditySide, OrderSide, OrderType, TimeInForce
from jts.shared_kernel.errors import DataError
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
    return not value.is_nan() and value > _ZERO


_NEEDS_LIMIT = {OrderType.LIMIT, OrderType.STOP_LIMIT}
_NEEDS_TRIGGER = {OrderType.STOP_MARKET, OrderType.STOP_LIMIT}


class TradingCommand(Command, frozen=True, kw_only=True, tag=tag_for("trading")):
    client_order_id: ClientOrderId
    instrument_id: InstrumentId


class SubmitOrder(TradingCommand, frozen=True, kw_only=True):
    """Place a new order. ``client_order_id`` is generated once and is the venue's idempotency
    key; ``broker`` optionally pins the route (otherwise the router picks)."""

    strategy_id: StrategyId
    side: OrderSide
    order_type: OrderType
    quantity: Decimal
    limit_price: Decimal | None = None
    trigger_price: Decimal | None = None
    time_in_force: TimeInForce = TimeInForce.GTC
    expire_time_ns: int | None = None
    reduce_only: bool = False
    broker: str | None = None
    parent_order_id: ClientOrderId | None = None
    tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        where = f"order {self.client_order_id} ({self.instrument_id})"
        if not _is_positive(self.quantity):
            raise DataError(f"{where}: quantity is {self.quantity}; it must be positive")
        if (self.limit_price is not None) != (self.order_type in _NEEDS_LIMIT):
            raise DataError(
                f"{where}: a {self.order_type} order "
                + ("needs a limit price" if self.order_type in _NEEDS_LIMIT else "takes no limit")
            )
        if (self.trigger_price is not None) != (self.order_type in _NEEDS_TRIGGER):
            raise DataError(
                f"{where}: a {self.order_type} order "
                + ("needs a trigger price" if self.order_type in _NEEDS_TRIGGER else "takes none")
            )
        for what, price in (("limit", self.limit_price), ("trigger", self.trigger_price)):
            if price is not None and not _is_positive(price):
                raise DataError(f"{where}: {what} price is {price}; it must be positive")
        if (self.expire_time_ns is not None) != (self.time_in_force is TimeInForce.GTD):
            raise DataError(f"{where}: expire_time_ns goes with time in force GTD, and only then")


class CancelOrder(TradingCommand, frozen=True, kw_only=True):
    """Cancel the remaining quantity of an order."""

    strategy_id: StrategyId | None = None


class ModifyOrder(TradingCommand, frozen=True, kw_only=True):
    """Change the quantity and/or prices of a working order."""

    quantity: Decimal | None = None
    limit_price: Decimal | None = None
    trigger_price: Decimal | None = None

    def __post_init__(self) -> None:
        if self.quantity is None and self.limit_price is None and self.trigger_price is None:
            raise DataError(f"modify of {self.client_order_id} changes nothing")
        if self.quantity is not None and not _is_positive(self.quantity):
            raise DataError(f"modify of {self.client_order_id}: quantity must be positive")


class OrderEvent(Event, frozen=True, kw_only=True, tag=tag_for("trading")):
    client_order_id: ClientOrderId
    instrument_id: InstrumentId


class OrderSubmitted(OrderEvent, frozen=True, kw_only=True):
    """The order was recorded and handed to a broker."""

    strategy_id: StrategyId
    broker: str
    account_id: AccountId | None = None


class OrderAccepted(OrderEvent, frozen=True, kw_only=True):
    venue_order_id: VenueOrderId


class OrderRejected(OrderEvent, frozen=True, kw_only=True):
    """The venue refused the order; ``reason`` is the venue's own words."""

    reason: str
    code: str | None = None


class OrderDenied(OrderEvent, frozen=True, kw_only=True):
    """JTS refused the order before it reached a venue (risk or validation): which rule, why."""

    reason: str
    rule: str | None = None


class OrderFilled(OrderEvent, frozen=True, kw_only=True):
    """A fill (possibly partial). ``commission`` is in ``commission_currency``; taxes are
    separate because KRX sell tax is not a broker fee."""

    venue_order_id: VenueOrderId
    trade_id: TradeId
    strategy_id: StrategyId
    side: OrderSide
    last_qty: Decimal
    last_price: Decimal
    commission: Decimal = _ZERO
    tax: Decimal = _ZERO
    commission_currency: str = "KRW"
    liquidity_side: LiquiditySide = LiquiditySide.NONE

    def __post_init__(self) -> None:
        if not (_is_positive(self.last_qty) and _is_positive(self.last_price)):
            raise DataError(
                f"fill {self.trade_id} of {self.client_order_id}: quantity {self.last_qty} and "
                f"price {self.last_price} must both be positive"
            )


class OrderCanceled(OrderEvent, frozen=True, kw_only=True):
    venue_order_id: VenueOrderId | None = None


class OrderExpired(OrderEvent, frozen=True, kw_only=True):
    venue_order_id: VenueOrderId | None = None


class OrderPendingCancel(OrderEvent, frozen=True, kw_only=True):
    """A cancel request was recorded and sent; the order may still fill until confirmed."""


class OrderPendingModify(OrderEvent, frozen=True, kw_only=True):
    """A modify request was recorded and sent."""


class OrderModified(OrderEvent, frozen=True, kw_only=True):
    """The venue confirmed new terms; fields left ``None`` kept their value."""

    venue_order_id: VenueOrderId | None = None
    quantity: Decimal | None = None
    limit_price: Decimal | None = None
    trigger_price: Decimal | None = None


class OrderCancelRejected(OrderEvent, frozen=True, kw_only=True):
    """The venue refused to cancel (typically: already filled or unknown)."""

    reason: str


class OrderModifyRejected(OrderEvent, frozen=True, kw_only=True):
    """The venue refused the new terms; the order keeps working on the old ones."""

    reason: str
