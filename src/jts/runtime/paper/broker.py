"""``PaperBroker``: a ``BrokerGateway`` over the simulated exchange, with a persistent account.

Paper trading is the simulated exchange fed live (or replayed) market data by the caller
through ``on_market_data``; nothing in a real venue adapter knows about it. The account
(cash, holdings, every order and fill, id counters) lives in an ``AccountStore``: each
command or market data event that changes it is saved in one transaction *before* its
events are reported, so a restarted process (a new ``PaperBroker`` on the same store and
account id) sees the same balances, open orders and fills, and resubmitting a known
``client_order_id`` returns the original venue order id instead of trading twice.

Refusals raise, as a real venue's REST answer would: ``InvalidOrder`` (venue rules,
session, market orders that cannot be valued), ``InsufficientFunds``, ``OrderNotFound``,
each carrying the venue's code; the matching ``OrderRejected``, ``OrderCancelRejected`` or
``OrderModifyRejected`` is then not reported a second time through the event handler.
If the store fails, the in-memory state is reloaded from the store (so it never runs ahead
of what is durable) and ``TransientVenueError`` is raised: retrying is safe.

Execution reports go to the handler in the order the exchange produced them. A handler may
call the broker again; its new events are delivered after the current one returns. A
handler that raises is logged and does not stop delivery of the rest.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from typing import TypeVar

from jts.contexts.trading.application.ports import OrderEventHandler
from jts.contexts.trading.domain.venue_reports import (
    BalanceReport,
    BrokerCapabilities,
    OrderReport,
    PositionReport,
)
from jts.messages.enums import OrderType, TimeInForce
from jts.messages.market_data import MarketDataEvent
from jts.messages.trading import (
    ModifyOrder,
    OrderCancelRejected,
    OrderEvent,
    OrderFilled,
    OrderModifyRejected,
    OrderRejected,
    SubmitOrder,
)
from jts.runtime.backtest.exchange import ExchangeRejection, SimulatedExchange
from jts.runtime.backtest.exchange.ports import AccountStore
from jts.runtime.backtest.exchange.state import decode_fill, export_all, export_changes, restore
from jts.shared_kernel.errors import (
    ConfigurationError,
    JtsError,
    OrderNotFound,
    TransientVenueError,
)
from jts.shared_kernel.identifiers import ClientOrderId, InstrumentId, VenueOrderId
from jts.shared_kernel.numbers import ONE

T = TypeVar("T")
_log = logging.getLogger(__name__)
_ALL_ORDER_TYPES = frozenset(OrderType)
_ALL_TIME_IN_FORCE = frozenset(TimeInForce)


class PaperBroker:
    """A paper account on the simulated exchange; see the module docstring."""

    def __init__(
        self,
        *,
        new_exchange: Callable[[], SimulatedExchange],
        store: AccountStore,
        account_id: str,
        name: str = "paper",
    ) -> None:
        if not account_id:
            raise ConfigurationError("a paper broker needs an account id (e.g. 'paper-1')")
        self._new_exchange = new_exchange
        self._exchange = self._fresh_exchange()
        self._store = store
        self._account_id = account_id
        self._name = name
        self._lock = asyncio.Lock()
        self._started = False
        self._handler: OrderEventHandler | None = None
        self._outbox: deque[OrderEvent] = deque()
        self._delivering = False
        self._capabilities = _capabilities(self._exchange)
        self._store_blocks = getattr(store, "blocking", True)

    def _fresh_exchange(self) -> SimulatedExchange:
        exchange = self._new_exchange()
        if not exchange.config.keep_closed_orders:
            raise ConfigurationError(
                "a paper broker answers order_status for finished orders; build its exchange "
                "with ExchangeConfig(keep_closed_orders=True)"
            )
        return exchange

    @property
    def name(self) -> str:
        return self._name

    @property
    def account_id(self) -> str:
        return self._account_id

    @property
    def capabilities(self) -> BrokerCapabilities:
        return self._capabilities

    def set_event_handler(self, handler: OrderEventHandler | None) -> None:
        self._handler = handler

    async def start(self) -> None:
        """Load the account from the store, or create it there with the starting balances.

        Every other call starts the broker on first use; call this to fail early.
        """
        async with self._lock:
            if self._started:
                return
            documents = await self._io(self._store.load, self._account_id)
            if documents:
                self._exchange = self._fresh_exchange()
                restore(self._exchange.core, documents)
            else:
                initial, _ = export_all(self._exchange.core)
                await self._io(self._store.save, self._account_id, initial, [])
            self._exchange.track_changes()
            self._started = True

    # Commands

    async def submit(self, command: SubmitOrder) -> VenueOrderId:
        coid = command.client_order_id

        def own_rejection(event: OrderEvent) -> bool:
            return isinstance(event, OrderRejected) and event.client_order_id == coid

        result = await self._run(lambda: self._exchange.submit(command), drop=own_rejection)
        if isinstance(result, ExchangeRejection):
            raise result.to_error()
        return result

    async def cancel(
        self, client_order_id: ClientOrderId, venue_order_id: VenueOrderId | None
    ) -> None:
        def own_rejection(event: OrderEvent) -> bool:
            return (
                isinstance(event, OrderCancelRejected) and event.client_order_id == client_order_id
            )

        def cancel() -> ExchangeRejection | None:
            self._check_venue_id(client_order_id, venue_order_id)
            return self._exchange.cancel(client_order_id)

        rejection = await self._run(cancel, drop=own_rejection)
        if rejection is not None:
            raise rejection.to_error()

    async def modify(self, command: ModifyOrder, venue_order_id: VenueOrderId | None) -> None:
        coid = command.client_order_id

        def own_rejection(event: OrderEvent) -> bool:
            return isinstance(event, OrderModifyRejected) and event.client_order_id == coid

        def modify() -> ExchangeRejection | None:
            self._check_venue_id(coid, venue_order_id)
            return self._exchange.modify(command)

        rejection = await self._run(modify, drop=own_rejection)
        if rejection is not None:
            raise rejection.to_error()

    def _check_venue_id(
        self, client_order_id: ClientOrderId, venue_order_id: VenueOrderId | None
    ) -> None:
        if venue_order_id is None:
            return
        report = self._exchange.order(client_order_id)
        if report is None or report.venue_order_id != venue_order_id:
            raise OrderNotFound(
                f"no order {client_order_id} with venue order id {venue_order_id}; check both ids",
                venue=self._name.upper(),
                code="sim.order_not_found",
            )

    # Market data and time

    async def on_market_data(self, event: MarketDataEvent) -> None:
        """Trade the account's orders against one market data event."""
        await self._run(lambda: self._exchange.process(event))

    async def sync(self) -> None:
        """Apply expiries and delayed requests that are due by now (the clock's time)."""
        await self._run(lambda: None)

    # Queries

    async def order_status(
        self, client_order_id: ClientOrderId, venue_order_id: VenueOrderId | None = None
    ) -> OrderReport | None:
        report = await self._run(lambda: self._exchange.order(client_order_id))
        if (
            report is not None
            and venue_order_id is not None
            and report.venue_order_id != venue_order_id
        ):
            return None
        return report

    async def open_orders(self, instrument_id: InstrumentId | None = None) -> list[OrderReport]:
        return await self._run(lambda: self._exchange.open_orders(instrument_id))

    async def fills_since(self, ts_ns: int) -> list[OrderFilled]:
        await self.start()
        async with self._lock:
            payloads = await self._io(self._store.fills_since, self._account_id, ts_ns)
        return [decode_fill(payload) for payload in payloads]

    async def positions(self) -> list[PositionReport]:
        return await self._run(lambda: self._exchange.positions())

    async def balances(self) -> list[BalanceReport]:
        return await self._run(lambda: self._exchange.balances())

    # Plumbing

    async def _run(
        self, operation: Callable[[], T], *, drop: Callable[[OrderEvent], bool] | None = None
    ) -> T:
        """Run ``operation`` on the exchange, save what changed, then report the events."""
        await self.start()
        async with self._lock:
            exchange = self._exchange
            exchange.advance_time(exchange.core.clock.now_ns())
            result = operation()
            events = exchange.take_events()
            await self._persist()
            self._outbox.extend(e for e in events if drop is None or not drop(e))
        await self._deliver()
        return result

    async def _persist(self) -> None:
        documents, fills = export_changes(self._exchange.core)
        if not documents and not fills:
            return
        try:
            await self._io(self._store.save, self._account_id, documents, fills)
        except Exception as e:
            await self._reload()
            if isinstance(e, JtsError):
                raise TransientVenueError(
                    f"paper account {self._account_id} could not be saved ({e}); it was reloaded "
                    "from the store as of its last save, so the request did not happen: retry it",
                    venue=self._name.upper(),
                ) from e
            raise

    async def _reload(self) -> None:
        documents = await self._io(self._store.load, self._account_id)
        exchange = self._fresh_exchange()
        restore(exchange.core, documents)
        exchange.track_changes()
        self._exchange = exchange

    async def _io(self, call: Callable[..., T], *args: object) -> T:
        """Run a store call in a worker thread, unless the store says it never blocks."""
        if self._store_blocks:
            return await asyncio.to_thread(call, *args)
        return call(*args)

    async def _deliver(self) -> None:
        if self._delivering:
            return  # the delivery already running (maybe our caller) picks them up, in order
        self._delivering = True
        try:
            while self._outbox:
                event = self._outbox.popleft()
                handler = self._handler
                if handler is None:
                    continue
                try:
                    await handler(event)
                except Exception:
                    _log.exception("paper broker %s: event handler failed on %r", self._name, event)
        finally:
            self._delivering = False


def _capabilities(exchange: SimulatedExchange) -> BrokerCapabilities:
    listings = exchange.core.listings.values()
    return BrokerCapabilities(
        venues=frozenset(listing.instrument.id.venue for listing in listings),
        order_types=_ALL_ORDER_TYPES,
        time_in_force=_ALL_TIME_IN_FORCE,
        modify=True,
        short_selling=False,
        fractional_quantity=any(listing.instrument.lot_size < ONE for listing in listings),
    )
