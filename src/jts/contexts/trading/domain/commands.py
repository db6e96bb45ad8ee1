"""Command-side rules: commands rebuilt from the store, refusals, a venue's own words."""

from __future__ import annotations

from jts.contexts.trading.domain.records import OrderRecord
from jts.messages.enums import OrderStatus
from jts.messages.trading import SubmitOrder
from jts.shared_kernel.errors import VenueError

_MODIFIABLE = frozenset({OrderStatus.ACCEPTED, OrderStatus.PARTIALLY_FILLED})


def command_from_record(record: OrderRecord, ts_init: int) -> SubmitOrder:
    """The ``SubmitOrder`` that created ``record``, to place it again with the same id.

    ``reduce_only`` and ``tags`` are not stored and come back as their defaults; every field
    a venue sees is restored exactly.
    """
    return SubmitOrder(
        client_order_id=record.client_order_id,
        instrument_id=record.instrument_id,
        strategy_id=record.strategy_id,
        side=record.side,
        order_type=record.order_type,
        quantity=record.quantity,
        limit_price=record.limit_price,
        trigger_price=record.trigger_price,
        time_in_force=record.time_in_force,
        expire_time_ns=record.expire_time_ns,
        broker=record.broker,
        parent_order_id=record.parent_order_id,
        ts_init=ts_init,
    )


def venue_reason(error: VenueError) -> str:
    """The venue's own explanation, without the ``[venue code]`` prefix ``str()`` adds."""
    if error.args and str(error.args[0]).strip():
        return str(error.args[0])
    return type(error).__name__


def cancel_refusal(record: OrderRecord | None) -> str | None:
    """Why a cancel of ``record`` is refused before any venue is asked, or ``None``."""
    if record is None:
        return "unknown order"
    if record.status.is_terminal:
        return f"order is already {record.status}"
    return None


def modify_refusal(record: OrderRecord | None, *, broker_can_modify: bool) -> str | None:
    """Why a modify of ``record`` is refused before any venue is asked, or ``None``."""
    if record is None:
        return "unknown order"
    if record.status not in _MODIFIABLE:
        return f"order is {record.status}; only working orders can be modified"
    if not broker_can_modify:
        return f"{record.broker} cannot modify orders; cancel and submit a new one"
    return None
