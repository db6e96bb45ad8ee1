"""State the parts of the simulated exchange share, and the moves every part makes.

``ExchangeCore`` holds the account, the listings, every order the venue knows, the counters
that make ids and queue priority, the inbox of requests still travelling to the venue and,
when a paper broker persists the account, the set of what changed since the last save.
Events go to ``sink`` in the order the venue produces them.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from enum import IntEnum

from jts.messages.enums import OrderStatus
from jts.messages.trading import OrderEvent, OrderFilled
from jts.runtime.backtest.exchange.account import Account
from jts.runtime.backtest.exchange.config import ExchangeConfig
from jts.runtime.backtest.exchange.listing import Listing
from jts.runtime.backtest.exchange.orders import SimOrder
from jts.shared_kernel.clock import Clock
from jts.shared_kernel.identifiers import ClientOrderId, InstrumentId, TradeId, VenueOrderId
from jts.shared_kernel.numbers import ZERO

EventSink = Callable[[OrderEvent], None]


class Action(IntEnum):
    """A request reaching the venue; at one instant arrivals go first, cancels last."""

    ARRIVE = 0
    MODIFY = 1
    CANCEL = 2


class ChangeSet:
    """What changed since the last save: orders, listings and new fills (cash and holdings
    are tracked by the account itself)."""

    __slots__ = ("fills", "listings", "orders")

    def __init__(self) -> None:
        self.orders: set[SimOrder] = set()
        self.listings: set[InstrumentId] = set()
        self.fills: list[tuple[int, OrderFilled]] = []


class ExchangeCore:
    __slots__ = (
        "account",
        "action_number",
        "changes",
        "clock",
        "config",
        "expiring",
        "inbox",
        "listings",
        "open_orders",
        "order_number",
        "orders",
        "priority",
        "sink",
        "trade_number",
    )

    def __init__(
        self, *, account: Account, config: ExchangeConfig, clock: Clock, sink: EventSink
    ) -> None:
        self.account = account
        self.config = config
        self.clock = clock
        self.sink = sink
        self.listings: dict[InstrumentId, Listing] = {}
        self.orders: dict[ClientOrderId, SimOrder] = {}
        self.open_orders: dict[ClientOrderId, SimOrder] = {}
        self.inbox: list[tuple[int, Action, int, SimOrder]] = []
        self.expiring: set[Listing] = set()
        self.changes: ChangeSet | None = None
        self.order_number = 0
        self.trade_number = 0
        self.priority = 0
        self.action_number = 0

    def touch(self, order: SimOrder) -> None:
        changes = self.changes
        if changes is not None:
            changes.orders.add(order)

    def next_venue_order_id(self) -> VenueOrderId:
        self.order_number += 1
        return VenueOrderId(f"{self.config.order_id_prefix}-{self.order_number}")

    def next_trade_id(self) -> tuple[int, TradeId]:
        self.trade_number += 1
        return self.trade_number, TradeId(f"{self.config.order_id_prefix}-T{self.trade_number}")

    def next_priority(self) -> int:
        self.priority += 1
        return self.priority

    def schedule(self, at_ns: int, action: Action, order: SimOrder) -> None:
        self.action_number += 1
        heapq.heappush(self.inbox, (at_ns, action, self.action_number, order))

    def enqueue(self, listing: Listing, order: SimOrder) -> None:
        """An arrived order joins its book at the back of its price."""
        order.priority = self.next_priority()
        listing.book.add(order)
        if order.expire_ns is not None:
            self.expiring.add(listing)
        self.touch(order)

    def finish(self, listing: Listing, order: SimOrder, status: OrderStatus, ts_ns: int) -> None:
        """Close an order: out of its book, reservation released, no longer open."""
        if order.in_book:
            listing.book.take(order)
        if order.reserved:
            if order.is_buy:
                self.account.adjust_cash_lock(listing.instrument.quote_currency, -order.reserved)
            else:
                self.account.adjust_holding_lock(order.instrument_id, -order.reserved)
            order.reserved = ZERO
        order.status = status
        order.updated_ns = ts_ns
        self.open_orders.pop(order.client_order_id, None)
        if not self.config.keep_closed_orders:
            self.orders.pop(order.client_order_id, None)
        self.touch(order)

    def record_fill(self, number: int, fill: OrderFilled) -> None:
        changes = self.changes
        if changes is not None:
            changes.fills.append((number, fill))
        self.sink(fill)
