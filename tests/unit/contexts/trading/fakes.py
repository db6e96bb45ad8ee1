"""A venue whose failures a test scripts: the shared ``FakeBroker`` behind fault injection.

``ScriptedVenue`` wraps ``tests.fakes.broker.FakeBroker`` (the contract-tested fake venue:
idempotent on client order id, pushes execution reports to the handler) and adds what OMS
tests need on top: failing the next calls of a method (``fail(method, error, times)``),
placing an order and then losing the answer (``lose_next_submit_answers``, what a timeout
after the venue accepted looks like), dying at a call (``crash_before`` / ``crash_after``
raise ``SimulatedCrash``), and a record of every call, every placement and every submit
that a venue without client order ids would have turned into a second order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
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
from jts.messages.enums import OrderSide, OrderType
from jts.messages.trading import ModifyOrder, OrderEvent, OrderFilled, SubmitOrder
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.errors import TransientVenueError, VenueError
from jts.shared_kernel.identifiers import (
    KRX,
    ClientOrderId,
    InstrumentId,
    StrategyId,
    VenueOrderId,
)
from tests.fakes.broker import FakeBroker

SAMSUNG = InstrumentId.parse("005930.KRX")
HYNIX = InstrumentId.parse("000660.KRX")
CASH = Decimal(10**12)


class SimulatedCrash(BaseException):
    """The process died here: nothing after this point ran (not even ``except Exception``)."""


class ScriptedVenue:
    """A ``BrokerGateway``: ``FakeBroker`` plus scripted failures, crashes and a call log."""

    def __init__(
        self,
        name: str = "paper",
        *,
        clock: TestClock,
        capabilities: BrokerCapabilities | None = None,
    ) -> None:
        self.inner = FakeBroker(venues=frozenset({KRX}), cash={"KRW": CASH}, clock=clock)
        self._name = name
        self._capabilities = capabilities or self.inner.capabilities
        self._handler: OrderEventHandler | None = None
        self.inner.set_event_handler(self._relay)
        self.duplicate_submits: list[ClientOrderId] = []
        self.calls: list[str] = []
        self._failures: dict[str, list[VenueError]] = defaultdict(list)
        self.lose_next_submit_answers = 0
        self.on_submit: Callable[[SubmitOrder], None] | None = None
        self.fill_on_submit_at: str | None = None  # fill the whole order at once at this price
        self.crash_before: str | None = None  # die when this method is called...
        self.crash_after: str | None = None  # ...or right after it acted, before answering
        self.silent = False  # reports are lost on the way (the user stream is down)

    # -- scripting and inspection -----------------------------------------------------------

    def fail(self, method: str, error: VenueError, times: int = 1) -> None:
        self._failures[method].extend([error] * times)

    def clear_failures(self) -> None:
        self._failures.clear()

    async def fill(self, client_order_id: ClientOrderId, quantity: str, price: str) -> OrderFilled:
        await self.inner.fill(client_order_id, Decimal(quantity), Decimal(price))
        return (await self.inner.fills_since(0))[-1]

    async def behind_jts_back(self, action: Callable[[FakeBroker], Awaitable[object]]) -> None:
        """Let the venue act while JTS hears nothing (it is down, or the order is foreign)."""
        self.silent = True
        try:
            await action(self.inner)
        finally:
            self.silent = False

    @property
    def placements(self) -> list[ClientOrderId]:
        """Every order the venue placed, in order (a second placement would show twice)."""
        return [command.client_order_id for command in self.inner.submitted]

    async def report(self, client_order_id: ClientOrderId) -> OrderReport | None:
        return await self.inner.order_status(client_order_id)

    async def all_fills(self) -> list[OrderFilled]:
        return await self.inner.fills_since(0)

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
        if await self.inner.order_status(command.client_order_id) is not None:
            # Idempotent here; a venue without client order ids would have placed it again.
            self.duplicate_submits.append(command.client_order_id)
        elif self.on_submit is not None:
            self.on_submit(command)
        placed_before = len(self.inner.submitted)
        venue_order_id = await self.inner.submit(command)
        if len(self.inner.submitted) > placed_before:
            self._crash_point("after", "submit")
            price = self.fill_on_submit_at
            if price is not None:
                await self.fill(command.client_order_id, str(command.quantity), price)
        if self.lose_next_submit_answers > 0:
            self.lose_next_submit_answers -= 1
            raise TransientVenueError("read timed out after the order was sent", venue=self._name)
        return venue_order_id

    async def cancel(
        self, client_order_id: ClientOrderId, venue_order_id: VenueOrderId | None
    ) -> None:
        self._enter("cancel")
        await self.inner.cancel(client_order_id, venue_order_id)
        self._crash_point("after", "cancel")

    async def modify(self, command: ModifyOrder, venue_order_id: VenueOrderId | None) -> None:
        self._enter("modify")
        await self.inner.modify(command, venue_order_id)

    async def order_status(
        self, client_order_id: ClientOrderId, venue_order_id: VenueOrderId | None = None
    ) -> OrderReport | None:
        self._enter("order_status")
        return await self.inner.order_status(client_order_id, venue_order_id)

    async def open_orders(self, instrument_id: InstrumentId | None = None) -> list[OrderReport]:
        self._enter("open_orders")
        return await self.inner.open_orders(instrument_id)

    async def fills_since(self, ts_ns: int) -> list[OrderFilled]:
        self._enter("fills_since")
        return await self.inner.fills_since(ts_ns)

    async def positions(self) -> list[PositionReport]:
        self._enter("positions")
        return await self.inner.positions()

    async def balances(self) -> list[BalanceReport]:
        self._enter("balances")
        return await self.inner.balances()

    # -- internals --------------------------------------------------------------------------

    async def _relay(self, event: OrderEvent) -> None:
        if self._handler is not None and not self.silent:
            await self._handler(event)

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
    venues: dict[str, ScriptedVenue] | None = None,
    run: StoreRunner = run_inline,
) -> Harness:
    """A fresh OMS; pass the ``store``, ``venues`` and ``clock`` of another to restart it."""
    clock = clock or TestClock(1_000_000_000)
    store = store or InMemoryStore()
    names = venue_names or ("paper",)
    caps = capabilities or {}
    venues = venues or {
        name: ScriptedVenue(name, clock=clock, capabilities=caps.get(name)) for name in names
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
