"""``FakeBroker``: a ``BrokerGateway`` that keeps orders in memory and fills them when told.

It passes the broker contract suite, so tests of the OMS and the router can use it in place
of a venue. Limit orders work until ``trade_at`` prints a price through them (or ``fill``
fills one directly); market orders wait for ``trade_at`` too. It checks the few rules the
contract asks of every venue (price grid, free cash for buys, free units for sells, known
orders) and charges no fees.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from decimal import Decimal

from jts.contexts.trading.application.ports import OrderEventHandler
from jts.contexts.trading.domain.venue_reports import (
    BalanceReport,
    BrokerCapabilities,
    OrderReport,
    PositionReport,
)
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
from jts.shared_kernel.clock import Clock, TestClock
from jts.shared_kernel.errors import (
    InsufficientFunds,
    InvalidOrder,
    OrderNotFound,
    PermanentVenueError,
)
from jts.shared_kernel.identifiers import (
    ClientOrderId,
    InstrumentId,
    TradeId,
    Venue,
    VenueOrderId,
)

_OPEN = frozenset({OrderStatus.ACCEPTED, OrderStatus.PARTIALLY_FILLED})
_ZERO = Decimal(0)
VENUE = "FAKE"


class _Order:
    def __init__(self, command: SubmitOrder, venue_order_id: VenueOrderId, ts: int) -> None:
        self.command = command
        self.venue_order_id = venue_order_id
        self.quantity = command.quantity
        self.limit_price = command.limit_price
        self.filled = _ZERO
        self.value = _ZERO
        self.status = OrderStatus.ACCEPTED
        self.ts_last = ts

    def report(self) -> OrderReport:
        c = self.command
        return OrderReport(
            client_order_id=c.client_order_id,
            venue_order_id=self.venue_order_id,
            instrument_id=c.instrument_id,
            side=c.side,
            order_type=c.order_type,
            quantity=self.quantity,
            filled_quantity=self.filled,
            average_fill_price=self.value / self.filled if self.filled else None,
            limit_price=self.limit_price,
            status=self.status,
            ts_last=self.ts_last,
        )

    def locked_cash(self) -> Decimal:
        price = self.limit_price or _ZERO
        return (
            (self.quantity - self.filled) * price if self.command.side is OrderSide.BUY else _ZERO
        )


class FakeBroker:
    """An in-memory broker; ``fail_with`` makes every submit raise that error."""

    def __init__(
        self,
        *,
        venues: frozenset[Venue] = frozenset({Venue("UPBIT")}),
        cash: Mapping[str, Decimal] | None = None,
        quote_currency: str = "KRW",
        price_step: Decimal | None = None,
        clock: Clock | None = None,
        fail_with: PermanentVenueError | None = None,
    ) -> None:
        self._capabilities = BrokerCapabilities(
            venues=venues, order_types=frozenset({OrderType.MARKET, OrderType.LIMIT})
        )
        self._cash = dict(cash or {quote_currency: Decimal(10_000_000)})
        self._quote = quote_currency
        self._price_step = price_step
        self._clock = clock or TestClock()
        self._fail_with = fail_with
        self._handler: OrderEventHandler | None = None
        self._orders: dict[ClientOrderId, _Order] = {}
        self._holdings: dict[InstrumentId, tuple[Decimal, Decimal]] = {}  # quantity, cost
        self._fills: list[OrderFilled] = []
        self._ids = itertools.count(1)
        self.submitted: list[SubmitOrder] = []

    @property
    def name(self) -> str:
        return "fake"

    @property
    def capabilities(self) -> BrokerCapabilities:
        return self._capabilities

    def set_event_handler(self, handler: OrderEventHandler | None) -> None:
        self._handler = handler

    async def submit(self, command: SubmitOrder) -> VenueOrderId:
        known = self._orders.get(command.client_order_id)
        if known is not None:
            return known.venue_order_id
        if self._fail_with is not None:
            raise self._fail_with
        self._check(command)
        now = self._clock.now_ns()
        order = _Order(command, VenueOrderId(f"F{next(self._ids)}"), now)
        self._orders[command.client_order_id] = order
        self.submitted.append(command)
        await self._emit(
            OrderAccepted(
                client_order_id=command.client_order_id,
                instrument_id=command.instrument_id,
                venue_order_id=order.venue_order_id,
                ts_event=now,
                ts_init=now,
            )
        )
        return order.venue_order_id

    def _check(self, command: SubmitOrder) -> None:
        step, price = self._price_step, command.limit_price
        if step is not None and price is not None and price % step:
            raise InvalidOrder(
                f"price {price} is not a multiple of {step}", venue=VENUE, code="tick"
            )
        if command.side is OrderSide.BUY and price is not None:
            free = self._free_cash()
            if command.quantity * price > free:
                raise InsufficientFunds(
                    f"needs {command.quantity * price}, free {free}", venue=VENUE
                )
        if command.side is OrderSide.SELL:
            held = self._holdings.get(command.instrument_id, (_ZERO, _ZERO))[0]
            selling = sum(
                (
                    o.quantity - o.filled
                    for o in self._orders.values()
                    if o.status in _OPEN
                    and o.command.side is OrderSide.SELL
                    and o.command.instrument_id == command.instrument_id
                ),
                _ZERO,
            )
            if command.quantity > held - selling:
                raise InsufficientFunds(f"holds {held - selling} free to sell", venue=VENUE)

    def _free_cash(self) -> Decimal:
        locked = sum((o.locked_cash() for o in self._orders.values() if o.status in _OPEN), _ZERO)
        return self._cash.get(self._quote, _ZERO) - locked

    def _working(
        self, client_order_id: ClientOrderId, venue_order_id: VenueOrderId | None
    ) -> _Order:
        order = self._orders.get(client_order_id)
        if (
            order is None
            or order.status not in _OPEN
            or (venue_order_id is not None and venue_order_id != order.venue_order_id)
        ):
            raise OrderNotFound(f"no working order {client_order_id}", venue=VENUE)
        return order

    async def cancel(
        self, client_order_id: ClientOrderId, venue_order_id: VenueOrderId | None
    ) -> None:
        order = self._working(client_order_id, venue_order_id)
        order.status = OrderStatus.CANCELED
        order.ts_last = now = self._clock.now_ns()
        await self._emit(
            OrderCanceled(
                client_order_id=client_order_id,
                instrument_id=order.command.instrument_id,
                venue_order_id=order.venue_order_id,
                ts_event=now,
                ts_init=now,
            )
        )

    async def modify(self, command: ModifyOrder, venue_order_id: VenueOrderId | None) -> None:
        order = self._working(command.client_order_id, venue_order_id)
        if command.quantity is not None and command.quantity <= order.filled:
            raise InvalidOrder("new quantity must exceed the filled quantity", venue=VENUE)
        if command.limit_price is not None:
            if order.limit_price is None:
                raise InvalidOrder("a market order has no limit price to change", venue=VENUE)
            order.limit_price = command.limit_price
        if command.quantity is not None:
            order.quantity = command.quantity
        order.ts_last = now = self._clock.now_ns()
        await self._emit(
            OrderModified(
                client_order_id=command.client_order_id,
                instrument_id=order.command.instrument_id,
                venue_order_id=order.venue_order_id,
                quantity=command.quantity,
                limit_price=command.limit_price,
                ts_event=now,
                ts_init=now,
            )
        )

    async def trade_at(self, instrument_id: InstrumentId, price: Decimal) -> None:
        """A trade prints at ``price``: market orders fill at it, limits it went through at
        their limit."""
        for order in list(self._orders.values()):
            c = order.command
            if order.status not in _OPEN or c.instrument_id != instrument_id:
                continue
            limit = order.limit_price
            if limit is None:
                await self.fill(c.client_order_id, order.quantity - order.filled, price)
            elif (c.side is OrderSide.BUY and price < limit) or (
                c.side is OrderSide.SELL and price > limit
            ):
                await self.fill(c.client_order_id, order.quantity - order.filled, limit)

    async def fill(self, client_order_id: ClientOrderId, quantity: Decimal, price: Decimal) -> None:
        order = self._working(client_order_id, None)
        c = order.command
        order.filled += quantity
        order.value += quantity * price
        order.status = (
            OrderStatus.FILLED if order.filled == order.quantity else OrderStatus.PARTIALLY_FILLED
        )
        order.ts_last = now = self._clock.now_ns()
        held, cost = self._holdings.get(c.instrument_id, (_ZERO, _ZERO))
        sign = 1 if c.side is OrderSide.BUY else -1
        self._holdings[c.instrument_id] = (held + sign * quantity, cost + sign * quantity * price)
        self._cash[self._quote] = self._cash.get(self._quote, _ZERO) - sign * quantity * price
        fill = OrderFilled(
            client_order_id=client_order_id,
            instrument_id=c.instrument_id,
            venue_order_id=order.venue_order_id,
            trade_id=TradeId(f"FT{len(self._fills) + 1}"),
            strategy_id=c.strategy_id,
            side=c.side,
            last_qty=quantity,
            last_price=price,
            commission_currency=self._quote,
            ts_event=now,
            ts_init=now,
        )
        self._fills.append(fill)
        await self._emit(fill)

    async def order_status(
        self, client_order_id: ClientOrderId, venue_order_id: VenueOrderId | None = None
    ) -> OrderReport | None:
        order = self._orders.get(client_order_id)
        if order is None or (venue_order_id is not None and venue_order_id != order.venue_order_id):
            return None
        return order.report()

    async def open_orders(self, instrument_id: InstrumentId | None = None) -> list[OrderReport]:
        return [
            o.report()
            for o in self._orders.values()
            if o.status in _OPEN and instrument_id in (None, o.command.instrument_id)
        ]

    async def fills_since(self, ts_ns: int) -> list[OrderFilled]:
        return [f for f in self._fills if f.ts_event >= ts_ns]

    async def positions(self) -> list[PositionReport]:
        return [
            PositionReport(instrument_id=i, quantity=q, average_price=cost / q)
            for i, (q, cost) in sorted(self._holdings.items())
            if q
        ]

    async def balances(self) -> list[BalanceReport]:
        locked = sum((o.locked_cash() for o in self._orders.values() if o.status in _OPEN), _ZERO)
        return [
            BalanceReport(currency=c, total=t, locked=locked if c == self._quote else _ZERO)
            for c, t in sorted(self._cash.items())
        ]

    async def _emit(self, event: OrderEvent) -> None:
        if self._handler is not None:
            await self._handler(event)
