"""Behaviour the SQL and in-memory stores share: ordering, conflict errors, replay checks.

Kept free of SQLAlchemy so the in-memory store can import it.
"""

from __future__ import annotations

from jts.contexts.trading.domain.records import (
    ConcurrencyError,
    FillRecord,
    OrderRecord,
    UnknownOrder,
)
from jts.messages.enums import OrderStatus
from jts.shared_kernel.errors import DataError

NON_TERMINAL_STATUSES = tuple(status.value for status in OrderStatus if not status.is_terminal)


def order_sort_key(order: OrderRecord) -> tuple[int, str]:
    """Oldest first; orders created in the same nanosecond by client order id."""
    return order.created_ns, order.client_order_id


def version_conflict(order: OrderRecord, stored_version: int | None) -> Exception:
    """The error for an update based on ``order.version`` when ``stored_version`` is stored."""
    if stored_version is None:
        return UnknownOrder(f"order {order.client_order_id} cannot be updated: it is not stored")
    return ConcurrencyError(
        f"order {order.client_order_id} changed since it was read: stored version "
        f"{stored_version}, update based on version {order.version}; reload and retry"
    )


def check_replayed_fill(stored: FillRecord, fill: FillRecord) -> None:
    """Raise ``DataError`` when a replay of a stored fill's key reports different figures."""
    if not stored.same_execution(fill):
        raise DataError(
            f"fill {fill.trade_id} of order {fill.client_order_id} was stored as {stored!r} "
            f"but is now reported as {fill!r}; the venue contradicts itself, reconcile by hand"
        )


def unknown_order_for_fill(fill: FillRecord) -> UnknownOrder:
    return UnknownOrder(
        f"fill {fill.trade_id} belongs to order {fill.client_order_id}, which is not stored; "
        "store the order first"
    )
