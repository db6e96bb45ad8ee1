"""How a report from a venue relates to the order as stored: apply it, skip it, or flag it.

Venues repeat themselves (an acknowledgement returned by ``submit`` and pushed again on the
user stream, a fill replayed after a reconnect) and report out of order (a fill before the
acknowledgement). ``classify(record, event)`` tells the OMS which reports change the order
(``APPLY``), which the stored order already reflects (``REDUNDANT``: drop silently) and which
contradict a closed order (``CONTRADICTS``: keep running, tell an operator). Fills are not
classified here: they are de-duplicated by the fill store on ``(client_order_id, trade_id)``.
"""

from __future__ import annotations

from enum import Enum

from jts.contexts.trading.domain.records import OrderRecord
from jts.messages.enums import OrderStatus
from jts.messages.trading import (
    OrderAccepted,
    OrderCanceled,
    OrderCancelRejected,
    OrderDenied,
    OrderEvent,
    OrderExpired,
    OrderModifyRejected,
    OrderRejected,
    OrderSubmitted,
)

S = OrderStatus
_BEFORE_ACCEPTANCE = frozenset({S.INITIALIZED, S.SUBMITTED})
_CLOSING_EVENTS: dict[type[OrderEvent], OrderStatus] = {
    OrderCanceled: S.CANCELED,
    OrderExpired: S.EXPIRED,
    OrderRejected: S.REJECTED,
    OrderDenied: S.DENIED,
}


class Disposition(Enum):
    APPLY = "apply"
    REDUNDANT = "redundant"
    CONTRADICTS = "contradicts"


def classify(record: OrderRecord, event: OrderEvent) -> Disposition:
    """What to do with ``event`` given the order as stored (``record``)."""
    if isinstance(event, OrderSubmitted):
        return Disposition.APPLY if record.status is S.INITIALIZED else Disposition.REDUNDANT
    if isinstance(event, OrderAccepted):
        return _classify_acceptance(record, event)
    closing = _CLOSING_EVENTS.get(type(event))
    if closing is not None and record.status is closing:
        return Disposition.REDUNDANT
    if not record.status.is_terminal:
        return Disposition.APPLY
    if isinstance(event, OrderCancelRejected | OrderModifyRejected):
        return Disposition.REDUNDANT  # the request is moot: the order closed meanwhile
    return Disposition.CONTRADICTS


def _classify_acceptance(record: OrderRecord, event: OrderAccepted) -> Disposition:
    if record.status in _BEFORE_ACCEPTANCE:
        return Disposition.APPLY
    if record.venue_order_id == event.venue_order_id or record.status.is_terminal:
        # A late or repeated acknowledgement: fills or the close already told us more.
        return Disposition.REDUNDANT
    return Disposition.APPLY
