"""The OMS's access to the trading store: one short transaction per change, in order.

Every method reads the order afresh inside its transaction, applies events with the life
cycle table and commits before returning, so whatever the caller does next (call a venue,
publish on the bus) happens only after the change is durable.

The unit of work is synchronous. By default a transaction runs inline on the event loop
(``run_inline``): SQLite commits take well under a millisecond with WAL and the in-memory
store takes microseconds, and running inline makes each transaction atomic with respect to
other coroutines for free. A store with slow commits (PostgreSQL over a network) can be given
``run=asyncio.to_thread``; an ``asyncio.Lock`` keeps transactions in submission order either
way, so two coroutines never race on one order's version.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol, TypeVar

import msgspec

from jts.contexts.trading.application.ports import TradingUnitOfWork
from jts.contexts.trading.domain.lifecycle import apply
from jts.contexts.trading.domain.records import DuplicateOrder, FillRecord, OrderRecord
from jts.contexts.trading.domain.venue_events import Disposition, classify
from jts.messages.trading import OrderEvent, OrderFilled
from jts.shared_kernel.errors import DataError, InvalidOrderTransition
from jts.shared_kernel.identifiers import ClientOrderId, VenueOrderId

T = TypeVar("T")


class StoreRunner(Protocol):
    """Runs one synchronous store transaction (``run_inline`` or ``asyncio.to_thread``)."""

    def __call__(self, work: Callable[[], T], /) -> Awaitable[T]: ...


async def run_inline(work: Callable[[], T]) -> T:
    """Run the transaction on the event loop itself (the default)."""
    return work()


class VenueRecording(msgspec.Struct, frozen=True, kw_only=True):
    """What storing venue reports did: the events that changed something, and the problems.

    A fill for an order that is already closed is stored and returned (it is a real
    execution that positions must see) *and* reported as a problem.
    """

    applied: tuple[OrderEvent, ...] = ()
    problems: tuple[str, ...] = ()
    unknown_order: bool = False


class OrderLedger:
    """Reads and writes orders and fills through fresh units of work."""

    def __init__(
        self, uow_factory: Callable[[], TradingUnitOfWork], *, run: StoreRunner = run_inline
    ) -> None:
        self._uow_factory = uow_factory
        self._run = run
        self._lock = asyncio.Lock()

    async def get(self, client_order_id: ClientOrderId) -> OrderRecord | None:
        return await self._transact(lambda uow: uow.orders.get(client_order_id))

    async def get_by_venue_order_id(
        self, venue_order_id: VenueOrderId, broker: str
    ) -> OrderRecord | None:
        return await self._transact(
            lambda uow: uow.orders.get_by_venue_order_id(venue_order_id, broker=broker)
        )

    async def list_open(self) -> list[OrderRecord]:
        return await self._transact(lambda uow: uow.orders.list_open())

    async def list_fills_since(self, ts_event_ns: int) -> list[FillRecord]:
        return await self._transact(lambda uow: uow.fills.list_since(ts_event_ns))

    async def add(self, record: OrderRecord) -> bool:
        """Store a new order; ``False`` if its client order id is already stored."""

        def work(uow: TradingUnitOfWork) -> bool:
            try:
                uow.orders.add(record)
            except DuplicateOrder:
                return False
            uow.commit()
            return True

        return await self._transact(work)

    async def commit_events(
        self, client_order_id: ClientOrderId, events: Sequence[OrderEvent]
    ) -> OrderRecord:
        """Apply JTS's own decisions (submitted, pending cancel, denied...) strictly.

        An illegal transition raises ``InvalidOrderTransition`` and nothing is stored.
        """

        def work(uow: TradingUnitOfWork) -> OrderRecord:
            record = _require(uow, client_order_id)
            for event in events:
                record = apply(record, event)
            stored = uow.orders.update(record)
            uow.commit()
            return stored

        return await self._transact(work)

    async def record_venue_events(self, events: Sequence[OrderEvent]) -> VenueRecording:
        """Store what a venue reported, skipping what the store already reflects.

        All of ``events`` must be about one order; they are stored in one transaction.
        """
        return await self._transact(lambda uow: _record_venue_events(uow, events))

    async def _transact(self, work: Callable[[TradingUnitOfWork], T]) -> T:
        def run() -> T:
            with self._uow_factory() as uow:
                return work(uow)

        async with self._lock:
            return await self._run(run)


def _require(uow: TradingUnitOfWork, client_order_id: ClientOrderId) -> OrderRecord:
    record = uow.orders.get(client_order_id)
    if record is None:
        raise InvalidOrderTransition(f"order {client_order_id} is not stored")
    return record


def _record_venue_events(uow: TradingUnitOfWork, events: Sequence[OrderEvent]) -> VenueRecording:
    if not events:
        return VenueRecording()
    original = uow.orders.get(events[0].client_order_id)
    if original is None:
        return VenueRecording(unknown_order=True)
    record = original
    applied: list[OrderEvent] = []
    problems: list[str] = []
    for event in events:
        record, changed, problem = _record_one(uow, record, event)
        if changed:
            applied.append(event)
        if problem is not None:
            problems.append(problem)
    if record is not original:
        uow.orders.update(record)
    uow.commit()
    return VenueRecording(applied=tuple(applied), problems=tuple(problems))


def _record_one(
    uow: TradingUnitOfWork, record: OrderRecord, event: OrderEvent
) -> tuple[OrderRecord, bool, str | None]:
    if event.client_order_id != record.client_order_id:
        raise DataError(
            f"venue events for {record.client_order_id} and {event.client_order_id} "
            "were given together; store each order's events separately"
        )
    if isinstance(event, OrderFilled):
        if not uow.fills.add(FillRecord.from_event(event)):
            return record, False, None  # a replayed execution
        return _apply_fill(record, event)
    disposition = classify(record, event)
    if disposition is Disposition.REDUNDANT:
        return record, False, None
    if disposition is Disposition.CONTRADICTS:
        return record, False, _contradiction(record, event, "it is closed")
    try:
        return apply(record, event), True, None
    except InvalidOrderTransition as e:
        return record, False, _contradiction(record, event, str(e))


def _apply_fill(record: OrderRecord, event: OrderFilled) -> tuple[OrderRecord, bool, str | None]:
    try:
        return apply(record, event), True, None
    except InvalidOrderTransition as e:
        # The execution happened whatever the order's state says: keep it, flag the order.
        return record, True, _contradiction(record, event, str(e))


def _contradiction(record: OrderRecord, event: OrderEvent, why: str) -> str:
    return (
        f"venue reported {type(event).__name__} for order {record.client_order_id} "
        f"({record.status}), which the store cannot apply: {why}; check the order at "
        f"{record.broker or 'its broker'}"
    )
