"""A scriptable venue for OMS tests: idempotent on client order id, with injectable failures.

``ScriptedVenue`` keeps its own book of orders and fills, pushes execution reports to the
registered handler like a real user stream, and can be told to fail the next calls
(``fail(method, error, times)``) or to place an order and then lose the answer
(``lose_next_submit_answers``), which is what a timeout after the venue accepted looks like.
``placements`` lists every client order id the venue actually placed, so a test can prove
that nothing was placed twice.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

import msgspec

from jts.adapters.sql.memory import InMemoryStore
from jts.contexts.trading.application.circuit_breaker import BreakerRegistry
from jts.contexts.trading.application.oms import OmsConfig, OrderManager
from jts.contexts.trading.application.order_ledger import OrderLedger, StoreRunner, run_inline
from jts.contexts.trading.application.ports import OrderEventHandler
from jts.contexts.trading.application.retry import RetryPolicy
from jts.contexts.trading.application.router import SmartOrderRouter
from jts.contexts.trading.application.venues import VenueAccess
from jts.contexts.trading.domain.venue_reports import (
    BalanceReport,
    BrokerCapabilities,
    OrderReport,
    PositionReport,
)
from jts.messages.base import Event
from jts.messages.enums import OrderSide, OrderStatus, OrderType
from jts.messages.trading import (
    ModifyOrder,
    OrderAccepted,
    OrderCanceled,
    OrderEvent,
    OrderFilled,
    OrderModified,
    SubmitOrder,
)
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.errors import (
    InvalidOrder,
    OrderNotFound,
    TransientVenueError,
    VenueError,
)
from jts.shared_kernel.identifiers import (
    KRX,
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TradeId,
    VenueOrderId,
)

SAMSUNG = InstrumentId.parse("005930.KRX")
HYNIX = InstrumentId.parse("000660.KRX")
S = OrderStatus


class SimulatedCrash(BaseException):
    """The process died here: nothing after this point ran (not even ``except Exception``)."""


class _Order(msgspec.Struct, kw_only=True):
    command: SubmitOrder
    venue_order_id: VenueOrderId
    status: OrderStatus = S.ACCEPTED
    filled: Decimal = Decimal(0)
    quantity: Decimal
    limit_price: Decimal | None
    ts_last: int


class ScriptedVenue:
    """An in-memory ``BrokerGateway`` whose failures a test scripts."""

    def __init__(
        self,
        name: str = "paper",
        *,
        clock: TestClock,
        capabilities: BrokerCapabilities | None = None,
        push_acceptances: bool = True,
    ) -> None:
        self._name = name
        self._clock = clock
        self._capabilities = capabilities or BrokerCapabilities(venues=frozenset({KRX}))
        self._handler: OrderEventHandler | None = None
        self._push_acceptances = push_acceptances
        self._ids = itertools.count(1)
        self.orders: dict[ClientOrderId, _Order] = {}
        self.fills: list[OrderFilled] = []
        self.placements: list[ClientOrderId] = []
        self.duplicate_submits: list[ClientOrderId] = []
        self.calls: list[str] = []
        self._failures: dict[str, list[VenueError]] = defaultdict(list)
        self.lose_next_submit_answers = 0
        self.on_submit: Callable[[SubmitOrder], None] | None = None
        self.fill_on_submit_at: str | None = None  # fill the whole order at once at this price
        self.foreign_positions: dict[InstrumentId, Decimal] = {}
        self.crash_before: str | None = None  # die when this method is called...
        self.crash_after: str | None = None  # ...or right after it acted, before answering

    # -- scripting --------------------------------------------------------------------------

    def fail(self, method: str, error: VenueError, times: int = 1) -> None:
        self._failures[method].extend([error] * times)

    async def fill(self, client_order_id: ClientOrderId, quantity: str, price: str) -> OrderFilled:
        order = self.orders[client_order_id]
        qty = Decimal(quantity)
        order.filled += qty
        order.status = S.FILLED if order.filled == order.quantity else S.PARTIALLY_FILLED
        now = self._clock.now_ns()
        order.ts_last = now
        fill = OrderFilled(
            client_order_id=client_order_id,
            instrument_id=order.command.instrument_id,
            venue_order_id=order.venue_order_id,
            trade_id=TradeId(f"{self._name}-T{len(self.fills) + 1}"),
            strategy_id=order.command.strategy_id,
            side=order.command.side,
            last_qty=qty,
            last_price=Decimal(price),
            ts_event=now,
            ts_init=now,
        )
        self.fills.append(fill)
        await self._push(fill)
        return fill

    def silently_cancel(self, client_order_id: ClientOrderId) -> None:
        """Cancel at the venue without telling anyone (happens while JTS is down)."""
        self.orders[client_order_id].status = S.CANCELED

    # -- BrokerGateway ----------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self._name

    @property
    def capabilities(self) -> BrokerCapabilities:
        return self._capabilities

    def set_event_handler(self, handler: OrderEventHandler | None) -> None:
        self._handler = handler

    async def submit(self, command: SubmitOrder) -> VenueOrderId:
        self._enter("submit")
        known = self.orders.get(command.client_order_id)
        if known is not None:
            # Idempotent here; a venue without client order ids would have placed it again.
            self.duplicate_submits.append(command.client_order_id)
            return known.venue_order_id
        if self.on_submit is not None:
            self.on_submit(command)
        venue_order_id = VenueOrderId(f"V{next(self._ids)}")
        self.orders[command.client_order_id] = _Order(
            command=command,
            venue_order_id=venue_order_id,
            quantity=command.quantity,
            limit_price=command.limit_price,
            ts_last=self._clock.now_ns(),
        )
        self.placements.append(command.client_order_id)
        self._crash_point("after", "submit")
        if self._push_acceptances:
            ids = self._ids_of(command.client_order_id)
            await self._push(OrderAccepted(**ids, venue_order_id=venue_order_id))
        if self.fill_on_submit_at is not None:
            await self.fill(command.client_order_id, str(command.quantity), self.fill_on_submit_at)
        if self.lose_next_submit_answers > 0:
            self.lose_next_submit_answers -= 1
            raise TransientVenueError("read timed out after the order was sent", venue=self._name)
        return venue_order_id

    async def cancel(
        self, client_order_id: ClientOrderId, venue_order_id: VenueOrderId | None
    ) -> None:
        self._enter("cancel")
        order = self.orders.get(client_order_id)
        if order is None:
            raise OrderNotFound(f"order {client_order_id} not found", venue=self._name)
        if order.status.is_terminal:
            raise InvalidOrder(f"order is {order.status}", venue=self._name, code="40070000")
        order.status = S.CANCELED
        self._crash_point("after", "cancel")
        await self._push(
            OrderCanceled(**self._ids_of(client_order_id), venue_order_id=order.venue_order_id)
        )

    async def modify(self, command: ModifyOrder, venue_order_id: VenueOrderId | None) -> None:
        self._enter("modify")
        order = self.orders.get(command.client_order_id)
        if order is None or order.status.is_terminal:
            raise InvalidOrder("order cannot be modified", venue=self._name)
        order.quantity = command.quantity or order.quantity
        order.limit_price = command.limit_price or order.limit_price
        await self._push(
            OrderModified(
                **self._ids_of(command.client_order_id),
                venue_order_id=order.venue_order_id,
                quantity=command.quantity,
                limit_price=command.limit_price,
            )
        )

    async def order_status(
        self, client_order_id: ClientOrderId, venue_order_id: VenueOrderId | None = None
    ) -> OrderReport | None:
        self._enter("order_status")
        order = self.orders.get(client_order_id)
        return None if order is None else self._report(client_order_id, order)

    async def open_orders(self, instrument_id: InstrumentId | None = None) -> list[OrderReport]:
        self._enter("open_orders")
        return [
            self._report(coid, order)
            for coid, order in self.orders.items()
            if not order.status.is_terminal and instrument_id in (None, order.command.instrument_id)
        ]

    async def fills_since(self, ts_ns: int) -> list[OrderFilled]:
        self._enter("fills_since")
        return [fill for fill in self.fills if fill.ts_event >= ts_ns]

    async def positions(self) -> list[PositionReport]:
        self._enter("positions")
        net: dict[InstrumentId, Decimal] = defaultdict(Decimal)
        for fill in self.fills:
            sign = 1 if fill.side is OrderSide.BUY else -1
            net[fill.instrument_id] += sign * fill.last_qty
        for instrument, quantity in self.foreign_positions.items():
            net[instrument] += quantity
        return [
            PositionReport(instrument_id=i, quantity=q, average_price=Decimal(1))
            for i, q in net.items()
            if q != 0
        ]

    async def balances(self) -> list[BalanceReport]:
        self._enter("balances")
        return [BalanceReport(currency="KRW", total=Decimal(10**9))]

    # -- internals --------------------------------------------------------------------------

    def _crash_point(self, when: str, method: str) -> None:
        attribute = f"crash_{when}"
        if getattr(self, attribute) == method:
            setattr(self, attribute, None)
            self._handler = None  # the dead process hears nothing more
            raise SimulatedCrash(f"crash {when} {method}")

    def _enter(self, method: str) -> None:
        self._crash_point("before", method)
        self.calls.append(method)
        queue = self._failures.get(method)
        if queue:
            raise queue.pop(0)

    def _report(self, client_order_id: ClientOrderId, order: _Order) -> OrderReport:
        return OrderReport(
            client_order_id=client_order_id,
            venue_order_id=order.venue_order_id,
            instrument_id=order.command.instrument_id,
            side=order.command.side,
            order_type=order.command.order_type,
            quantity=order.quantity,
            filled_quantity=order.filled,
            limit_price=order.limit_price,
            status=order.status,
            ts_last=order.ts_last,
        )

    def _ids_of(self, client_order_id: ClientOrderId) -> dict[str, object]:
        now = self._clock.now_ns()
        return {
            "client_order_id": client_order_id,
            "instrument_id": self.orders[client_order_id].command.instrument_id,
            "ts_event": now,
            "ts_init": now,
        }

    async def _push(self, event: OrderEvent) -> None:
        if self._handler is not None:
            await self._handler(event)


class NoSleep:
    """Records requested sleeps and returns at once."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)


class FixedRandom:
    def __init__(self, value: float = 0.5) -> None:
        self.value = value

    def random(self) -> float:
        return self.value


class Harness(msgspec.Struct, kw_only=True):
    """An OMS over an in-memory store and scripted venues, recording what it published."""

    oms: OrderManager
    store: InMemoryStore
    venues: dict[str, ScriptedVenue]
    clock: TestClock
    published: list[Event]
    sleep: NoSleep
    breakers: BreakerRegistry

    @property
    def venue(self) -> ScriptedVenue:
        return next(iter(self.venues.values()))

    def stored(self, client_order_id: str) -> object:
        with self.store.unit_of_work() as uow:
            return uow.orders.get(ClientOrderId(client_order_id))


def make_harness(
    *venue_names: str,
    store: InMemoryStore | None = None,
    clock: TestClock | None = None,
    retry: RetryPolicy | None = None,
    config: OmsConfig | None = None,
    capabilities: dict[str, BrokerCapabilities] | None = None,
    push_acceptances: bool = True,
    venues: dict[str, ScriptedVenue] | None = None,
    run: StoreRunner = run_inline,
) -> Harness:
    """A fresh OMS; pass the ``store``, ``venues`` and ``clock`` of another to restart it."""
    clock = clock or TestClock(1_000_000_000)
    store = store or InMemoryStore()
    names = venue_names or ("paper",)
    caps = capabilities or {}
    venues = venues or {
        name: ScriptedVenue(
            name, clock=clock, capabilities=caps.get(name), push_acceptances=push_acceptances
        )
        for name in names
    }
    published: list[Event] = []

    async def publish(event: Event) -> None:
        published.append(event)

    sleep = NoSleep()
    breakers = BreakerRegistry(clock=clock, failure_threshold=3, reset_timeout_s=30)
    access = VenueAccess(
        venues,
        breakers=breakers,
        rng=FixedRandom(),
        retry=retry or RetryPolicy(max_attempts=3, base_delay_s=0.1, call_timeout_s=None),
        sleep=sleep,
    )
    router = SmartOrderRouter(
        {name: venue.capabilities for name, venue in venues.items()}, health=breakers
    )
    oms = OrderManager(
        ledger=OrderLedger(store.unit_of_work, run=run),
        venues=access,
        router=router,
        clock=clock,
        publish=publish,
        config=config,
    )
    oms.attach()
    return Harness(
        oms=oms,
        store=store,
        venues=venues,
        clock=clock,
        published=published,
        sleep=sleep,
        breakers=breakers,
    )


def order(
    client_order_id: str = "JTS-1",
    *,
    quantity: str = "10",
    price: str | None = "70000",
    instrument: InstrumentId = SAMSUNG,
    broker: str | None = None,
    side: OrderSide = OrderSide.BUY,
) -> SubmitOrder:
    return SubmitOrder(
        client_order_id=ClientOrderId(client_order_id),
        instrument_id=instrument,
        strategy_id=StrategyId("test"),
        side=side,
        order_type=OrderType.LIMIT if price is not None else OrderType.MARKET,
        quantity=Decimal(quantity),
        limit_price=None if price is None else Decimal(price),
        broker=broker,
        ts_init=1,
    )
