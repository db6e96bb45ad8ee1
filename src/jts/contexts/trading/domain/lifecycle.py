"""The order life cycle: an explicit transition table and pure functions that apply events.

``apply(record, event)`` returns the order's next ``OrderRecord`` (same ``version``: the
repository bumps it on update) or raises ``InvalidOrderTransition`` naming the order, its
state and the event. Fills accumulate ``filled_quantity`` and a volume-weighted average
price and can never exceed the order quantity.

A fill that arrives while a cancel or modify is pending keeps the order pending (the request
is still outstanding) unless it completes the order. A venue may report fills before it
acknowledges the order, so ``SUBMITTED`` accepts fills directly.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import msgspec

from jts.contexts.trading.domain.records import OrderRecord
from jts.messages.enums import OrderStatus
from jts.messages.trading import (
    OrderAccepted,
    OrderCanceled,
    OrderCancelRejected,
    OrderDenied,
    OrderEvent,
    OrderExpired,
    OrderFilled,
    OrderModified,
    OrderModifyRejected,
    OrderPendingCancel,
    OrderPendingModify,
    OrderRejected,
    OrderSubmitted,
)
from jts.shared_kernel.errors import InvalidOrderTransition

S = OrderStatus
_WORKING = frozenset({S.ACCEPTED, S.PARTIALLY_FILLED})
_PENDING = frozenset({S.PENDING_CANCEL, S.PENDING_MODIFY})
_LIVE = frozenset({S.SUBMITTED}) | _WORKING | _PENDING

TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.INITIALIZED: frozenset({S.SUBMITTED, S.DENIED, S.CANCELED}),
    S.SUBMITTED: frozenset(
        {S.ACCEPTED, S.REJECTED, S.PARTIALLY_FILLED, S.FILLED, S.PENDING_CANCEL}
        | {S.CANCELED, S.EXPIRED}
    ),
    S.ACCEPTED: frozenset(
        {S.ACCEPTED, S.PARTIALLY_FILLED, S.FILLED, S.PENDING_CANCEL, S.PENDING_MODIFY}
        | {S.CANCELED, S.EXPIRED}
    ),
    S.PARTIALLY_FILLED: frozenset(
        {S.PARTIALLY_FILLED, S.FILLED, S.PENDING_CANCEL, S.PENDING_MODIFY, S.CANCELED, S.EXPIRED}
    ),
    S.PENDING_CANCEL: frozenset(
        {S.PENDING_CANCEL, S.CANCELED, S.FILLED, S.EXPIRED, S.ACCEPTED, S.PARTIALLY_FILLED}
    ),
    S.PENDING_MODIFY: frozenset(
        {S.PENDING_MODIFY, S.ACCEPTED, S.PARTIALLY_FILLED, S.FILLED, S.PENDING_CANCEL}
        | {S.CANCELED, S.EXPIRED}
    ),
    S.DENIED: frozenset(),
    S.REJECTED: frozenset(),
    S.FILLED: frozenset(),
    S.CANCELED: frozenset(),
    S.EXPIRED: frozenset(),
}


def can_transition(source: OrderStatus, target: OrderStatus) -> bool:
    return target in TRANSITIONS[source]


def apply(record: OrderRecord, event: OrderEvent) -> OrderRecord:
    """The order after ``event``; raises ``InvalidOrderTransition`` if the table forbids it."""
    if event.client_order_id != record.client_order_id:
        raise InvalidOrderTransition(
            f"event for {event.client_order_id} applied to order {record.client_order_id}"
        )
    handler = _HANDLERS.get(type(event))
    if handler is None:
        raise InvalidOrderTransition(f"{type(event).__name__} is not an order life-cycle event")
    return handler(record, event)


def _move(
    record: OrderRecord, event: OrderEvent, target: OrderStatus, **changes: Any
) -> OrderRecord:
    if not can_transition(record.status, target):
        raise InvalidOrderTransition(
            f"order {record.client_order_id} is {record.status}; "
            f"{type(event).__name__} cannot move it to {target}"
        )
    return msgspec.structs.replace(record, status=target, updated_ns=event.ts_event, **changes)


def _working_status(record: OrderRecord) -> OrderStatus:
    return S.PARTIALLY_FILLED if record.filled_quantity > 0 else S.ACCEPTED


def _submitted(record: OrderRecord, event: OrderSubmitted) -> OrderRecord:
    return _move(record, event, S.SUBMITTED, broker=event.broker, account_id=event.account_id)


def _accepted(record: OrderRecord, event: OrderAccepted) -> OrderRecord:
    if record.status in _PENDING or record.status is S.PARTIALLY_FILLED:
        # A late acknowledgement: keep the state, remember the venue's id.
        return msgspec.structs.replace(record, venue_order_id=event.venue_order_id)
    return _move(record, event, S.ACCEPTED, venue_order_id=event.venue_order_id)


def _filled(record: OrderRecord, event: OrderFilled) -> OrderRecord:
    filled = record.filled_quantity + event.last_qty
    if filled > record.quantity:
        raise InvalidOrderTransition(
            f"order {record.client_order_id}: fill {event.trade_id} of {event.last_qty} would "
            f"fill {filled}, more than the order quantity {record.quantity}"
        )
    previous_value = (record.average_fill_price or Decimal(0)) * record.filled_quantity
    average = (previous_value + event.last_price * event.last_qty) / filled
    if filled == record.quantity:
        target = S.FILLED
    elif record.status in _PENDING:
        target = record.status
    else:
        target = S.PARTIALLY_FILLED
    return _move(
        record,
        event,
        target,
        filled_quantity=filled,
        average_fill_price=average,
        venue_order_id=record.venue_order_id or event.venue_order_id,
    )


def _modified(record: OrderRecord, event: OrderModified) -> OrderRecord:
    quantity = event.quantity if event.quantity is not None else record.quantity
    if quantity < record.filled_quantity:
        raise InvalidOrderTransition(
            f"order {record.client_order_id}: new quantity {quantity} is below the "
            f"{record.filled_quantity} already filled"
        )
    target = S.FILLED if quantity == record.filled_quantity else _working_status(record)
    return _move(
        record,
        event,
        target,
        quantity=quantity,
        limit_price=event.limit_price if event.limit_price is not None else record.limit_price,
        trigger_price=(
            event.trigger_price if event.trigger_price is not None else record.trigger_price
        ),
        venue_order_id=event.venue_order_id or record.venue_order_id,
    )


def _request_rejected(record: OrderRecord, event: OrderEvent) -> OrderRecord:
    if record.status not in _PENDING:
        raise InvalidOrderTransition(
            f"order {record.client_order_id} is {record.status}; "
            f"{type(event).__name__} answers no pending request"
        )
    return _move(record, event, _working_status(record), reason=getattr(event, "reason", None))


def _to(target: OrderStatus, *, reason: bool = False) -> Callable[[OrderRecord, Any], OrderRecord]:
    def handler(record: OrderRecord, event: Any) -> OrderRecord:
        changes = {"reason": event.reason} if reason else {}
        venue_order_id = getattr(event, "venue_order_id", None)
        if record.venue_order_id is None and venue_order_id is not None:
            changes["venue_order_id"] = venue_order_id  # closed before its ack arrived
        return _move(record, event, target, **changes)

    return handler


_HANDLERS: dict[type[OrderEvent], Callable[[OrderRecord, Any], OrderRecord]] = {
    OrderSubmitted: _submitted,
    OrderDenied: _to(S.DENIED, reason=True),
    OrderAccepted: _accepted,
    OrderRejected: _to(S.REJECTED, reason=True),
    OrderFilled: _filled,
    OrderPendingCancel: _to(S.PENDING_CANCEL),
    OrderPendingModify: _to(S.PENDING_MODIFY),
    OrderModified: _modified,
    OrderCancelRejected: _request_rejected,
    OrderModifyRejected: _request_rejected,
    OrderCanceled: _to(S.CANCELED),
    OrderExpired: _to(S.EXPIRED),
}

LIVE_STATUSES = _LIVE
