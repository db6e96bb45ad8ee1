"""Ports the trading context needs from the outside world.

Storage: ``TradingUnitOfWork`` is one atomic transaction over ``OrderRepository`` and
``FillRepository``. It is a synchronous context manager: SQLite and PostgreSQL drivers are
synchronous, a transaction is a short burst of statements, and a plain ``with`` block keeps
the commit/rollback boundary obvious. Async callers run the whole block in a worker thread
(``asyncio.to_thread``); every unit of work holds its own connection, so threads never share
one. Leaving the ``with`` block without ``commit()`` rolls everything back::

    with uow_factory() as uow:
        uow.orders.add(OrderRecord.from_command(command, created_ns=clock.now_ns()))
        uow.commit()  # persisted before anything is sent to a venue
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from types import TracebackType
from typing import Protocol, Self

from jts.contexts.trading.domain.records import FillRecord, OrderRecord
from jts.contexts.trading.domain.venue_reports import (
    BalanceReport,
    BrokerCapabilities,
    OrderReport,
    PositionReport,
)
from jts.messages.trading import ModifyOrder, OrderEvent, OrderFilled, SubmitOrder
from jts.shared_kernel.identifiers import ClientOrderId, InstrumentId, StrategyId, VenueOrderId

OrderEventHandler = Callable[[OrderEvent], Awaitable[None]]


class OrderRepository(Protocol):
    """Orders by client order id, with optimistic concurrency on ``version``."""

    def add(self, order: OrderRecord) -> None:
        """Store a new order as given. Raises ``DuplicateOrder`` if the id is already stored."""
        ...

    def get(self, client_order_id: ClientOrderId) -> OrderRecord | None: ...

    def get_by_venue_order_id(
        self, venue_order_id: VenueOrderId, *, broker: str | None = None
    ) -> OrderRecord | None:
        """The order the venue knows by ``venue_order_id`` (optionally only at ``broker``).

        Venues may reuse ids (KIS order numbers restart every day); the most recently
        created match wins.
        """
        ...

    def update(self, order: OrderRecord) -> OrderRecord:
        """Replace the stored order and return it with ``version`` incremented.

        ``order.version`` must be the version currently stored (the one it was read at);
        otherwise ``ConcurrencyError``. Raises ``UnknownOrder`` if the order was never added.
        """
        ...

    def list_open(self) -> list[OrderRecord]:
        """Every order not in a terminal state, oldest first.

        ``INITIALIZED`` orders are included: they were persisted but may never have reached
        a venue, which is exactly what recovery after a crash must look at.
        """
        ...

    def list_by_strategy(self, strategy_id: StrategyId) -> list[OrderRecord]:
        """Every order of one strategy, oldest first."""
        ...


class FillRepository(Protocol):
    """Executions, idempotent on ``(client_order_id, trade_id)``."""

    def add(self, fill: FillRecord) -> bool:
        """Store a fill; ``False`` if this execution was already stored (a replay).

        Raises ``UnknownOrder`` if its order is not stored, and ``DataError`` if a fill with
        the same key but different figures was stored (the venue contradicts itself).
        """
        ...

    def list_for_order(self, client_order_id: ClientOrderId) -> list[FillRecord]:
        """An order's fills by ``ts_event``, ties in the order they were stored."""
        ...

    def list_since(self, ts_event_ns: int) -> list[FillRecord]:
        """Every fill with ``ts_event >= ts_event_ns``, by ``ts_event``."""
        ...


class TradingUnitOfWork(Protocol):
    """One atomic transaction over orders and fills; use it as ``with uow: ...``."""

    @property
    def orders(self) -> OrderRepository: ...

    @property
    def fills(self) -> FillRepository: ...

    def commit(self) -> None:
        """Make everything done so far durable; later work starts a new transaction."""
        ...

    def rollback(self) -> None:
        """Discard everything done since the last commit."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


class BrokerGateway(Protocol):
    """A broker or exchange account: the one port every venue adapter implements.

    ``submit`` is idempotent on ``client_order_id``: submitting an id the venue already
    knows returns the existing venue order id and never places a second order, which is
    what lets the OMS retry safely after a timeout. Vendor errors arrive as the JTS error
    tree: ``TransientVenueError`` (retry) or ``PermanentVenueError`` (reject).
    Asynchronous execution reports (acceptances, fills, cancels, expiries) are delivered to
    the handler given to ``set_event_handler``, in the order the venue produced them.
    """

    @property
    def name(self) -> str:
        """The configured broker name (``paper``, ``kis-main``...)."""
        ...

    @property
    def capabilities(self) -> BrokerCapabilities: ...

    def set_event_handler(self, handler: OrderEventHandler | None) -> None: ...

    async def submit(self, command: SubmitOrder) -> VenueOrderId: ...

    async def cancel(
        self, client_order_id: ClientOrderId, venue_order_id: VenueOrderId | None
    ) -> None: ...

    async def modify(self, command: ModifyOrder, venue_order_id: VenueOrderId | None) -> None: ...

    async def order_status(
        self, client_order_id: ClientOrderId, venue_order_id: VenueOrderId | None = None
    ) -> OrderReport | None:
        """The venue's view of one order, or ``None`` if the venue never saw it."""
        ...

    async def open_orders(self, instrument_id: InstrumentId | None = None) -> list[OrderReport]: ...

    async def fills_since(self, ts_ns: int) -> list[OrderFilled]:
        """Every execution with ``ts_event >= ts_ns`` (for recovery after downtime)."""
        ...

    async def positions(self) -> list[PositionReport]: ...

    async def balances(self) -> list[BalanceReport]: ...


class RateLimitHeadroom(Protocol):
    """How much of a broker's request budget is free now, for the router.

    Bootstrap adapts the rate limiter (``RateLimiter.headroom``) to this: the smallest free
    fraction over the limits an order placement charges.
    """

    async def headroom(self, broker: str) -> float:
        """Free fraction in [0, 1] of the tightest limit order placement uses (0 = blocked)."""
        ...


class BrokerHealth(Protocol):
    """Whether a broker should get new orders now (its circuit is closed, its session up)."""

    def is_healthy(self, broker: str) -> bool: ...


class PositionBook(Protocol):
    """Positions as JTS books them (the portfolio's view), for reconciliation to compare."""

    def expected_positions(self, broker: str) -> dict[InstrumentId, Decimal]:
        """Net quantity per instrument held through ``broker`` (negative for shorts)."""
        ...
