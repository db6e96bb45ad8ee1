"""The fields every order event starts with, taken from the order (or command) it is about."""

from __future__ import annotations

from typing import Protocol, TypedDict

from jts.shared_kernel.identifiers import ClientOrderId, InstrumentId


class OrderRef(Protocol):
    """Anything naming an order: an ``OrderRecord``, a ``SubmitOrder``, an order event."""

    @property
    def client_order_id(self) -> ClientOrderId: ...

    @property
    def instrument_id(self) -> InstrumentId: ...


class OrderEventIds(TypedDict):
    client_order_id: ClientOrderId
    instrument_id: InstrumentId
    ts_event: int
    ts_init: int


def event_ids(order: OrderRef, ts_event: int, ts_init: int | None = None) -> OrderEventIds:
    """Keyword arguments for an event about ``order``: ``OrderCanceled(**event_ids(...))``."""
    return {
        "client_order_id": order.client_order_id,
        "instrument_id": order.instrument_id,
        "ts_event": ts_event,
        "ts_init": ts_event if ts_init is None else ts_init,
    }
