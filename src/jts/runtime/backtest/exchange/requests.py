"""Requests on their way to the venue: order arrivals, cancels and modifies.

``request_cancel`` and ``request_modify`` check at once what the venue would refuse at once
(an unknown or finished order, terms that break the venue's rules, not enough cash for a
bigger order) and schedule the rest for when the request arrives. ``drain`` applies every
request due by a time: an order joins its book; a cancel closes the order (or, if it filled
meanwhile, answers ``OrderCancelRejected``); a modify changes the terms (``OrderModified``)
or is refused (``OrderModifyRejected``).

Queue priority after a modify: a new price, or a larger quantity, sends the order to the
back of its (new) price; a smaller quantity keeps its place.
"""

from __future__ import annotations

import heapq
from decimal import Decimal

from jts.messages.enums import OrderStatus
from jts.messages.trading import (
    ModifyOrder,
    OrderCanceled,
    OrderCancelRejected,
    OrderExpired,
    OrderModified,
    OrderModifyRejected,
)
from jts.runtime.backtest.exchange import venue_errors
from jts.runtime.backtest.exchange.core import Action, ExchangeCore
from jts.runtime.backtest.exchange.latency import RequestKind
from jts.runtime.backtest.exchange.listing import Listing
from jts.runtime.backtest.exchange.orders import PendingModify, SimOrder
from jts.runtime.backtest.exchange.reservations import buy_reserve
from jts.runtime.backtest.exchange.validation import check_modify_terms
from jts.runtime.backtest.exchange.venue_errors import ExchangeRejection
from jts.shared_kernel.identifiers import ClientOrderId
from jts.shared_kernel.numbers import ZERO


class RequestHandler:
    __slots__ = ("_core",)

    def __init__(self, core: ExchangeCore) -> None:
        self._core = core

    def request_cancel(self, client_order_id: ClientOrderId, now: int) -> ExchangeRejection | None:
        core = self._core
        order = core.orders.get(client_order_id)
        refusal = self._not_working(client_order_id, order, "cancel")
        if refusal is not None:
            if order is not None:
                core.sink(self._cancel_rejected(order, refusal.reason, now))
            return refusal
        assert order is not None
        if order.cancel_at_ns is None:
            order.cancel_at_ns = now + core.config.latency.delay_ns(RequestKind.CANCEL)
            core.touch(order)
            core.schedule(order.cancel_at_ns, Action.CANCEL, order)
        return None

    def request_modify(self, command: ModifyOrder, now: int) -> ExchangeRejection | None:
        core = self._core
        order = core.orders.get(command.client_order_id)
        refusal = self._not_working(command.client_order_id, order, "modify")
        if refusal is None:
            assert order is not None
            refusal = self._modify_refusal(order, command, now)
        if refusal is not None:
            if order is not None:
                core.sink(self._modify_rejected(order, refusal.reason, now))
            return refusal
        assert order is not None
        at = now + core.config.latency.delay_ns(RequestKind.MODIFY)
        order.pending_modify = PendingModify(
            at, command.quantity, command.limit_price, command.trigger_price
        )
        core.touch(order)
        core.schedule(at, Action.MODIFY, order)
        return None

    def _not_working(
        self, client_order_id: ClientOrderId, order: SimOrder | None, what: str
    ) -> ExchangeRejection | None:
        if order is not None and order.is_open:
            return None
        if order is None:
            venue = "SIM"
            detail = f"no order {client_order_id} is known; check the client order id"
        else:
            venue = str(order.instrument_id.venue)
            detail = (
                f"order {client_order_id} is already {order.status.value.lower()}; "
                f"there is nothing left to {what}"
            )
        return venue_errors.order_not_found(venue, detail)

    def _modify_refusal(
        self, order: SimOrder, command: ModifyOrder, now: int
    ) -> ExchangeRejection | None:
        listing = self._core.listings[order.instrument_id]
        quantity = command.quantity if command.quantity is not None else order.quantity
        refusal = _shape_refusal(listing.venue, order, command, quantity)
        if refusal is not None:
            return refusal
        limit = command.limit_price if command.limit_price is not None else order.limit_price
        trigger = (
            command.trigger_price if command.trigger_price is not None else order.trigger_price
        )
        refusal = check_modify_terms(
            listing,
            order.order_type,
            order.side,
            quantity,
            limit,
            trigger if order.is_stop else None,
            now,
        )
        return refusal or self._funds_refusal(listing, order, quantity - order.filled, limit)

    def _funds_refusal(
        self, listing: Listing, order: SimOrder, leaves: Decimal, limit: Decimal | None
    ) -> ExchangeRejection | None:
        account = self._core.account
        extra = self._new_reservation(listing, order, leaves, limit) - order.reserved
        if order.is_buy:
            currency = listing.instrument.quote_currency
            free = account.free_cash(currency)
            if extra <= free:
                return None
            return venue_errors.insufficient_funds(
                listing.venue,
                order.side,
                currency,
                f"the new terms need {extra} {currency} more but only {free} are free",
            )
        free = account.free_holding(order.instrument_id)
        if extra <= free:
            return None
        return venue_errors.insufficient_funds(
            listing.venue,
            order.side,
            listing.instrument.base_asset,
            f"the new terms sell {extra} more {order.instrument_id} but only {free} are free",
        )

    @staticmethod
    def _new_reservation(
        listing: Listing, order: SimOrder, leaves: Decimal, limit: Decimal | None
    ) -> Decimal:
        if not order.is_buy:
            return ZERO if order.reduce_only else leaves
        price = limit if limit is not None else order.reserve_price
        assert price is not None
        return buy_reserve(listing, leaves, price)

    # Arrivals

    def drain(self, ts_ns: int) -> None:
        """Apply every request that reaches the venue at or before ``ts_ns``."""
        inbox = self._core.inbox
        while inbox and inbox[0][0] <= ts_ns:
            at, action, _, order = heapq.heappop(inbox)
            if action is Action.ARRIVE:
                self._arrive(order, at)
            elif action is Action.CANCEL:
                self._cancel_arrives(order, at)
            else:
                self._modify_arrives(order, at)

    def _arrive(self, order: SimOrder, at: int) -> None:
        core = self._core
        if not order.is_open or order.in_book:
            return
        listing = core.listings[order.instrument_id]
        if order.expire_ns is not None and order.expire_ns <= at:
            core.finish(listing, order, OrderStatus.EXPIRED, order.expire_ns)
            core.sink(
                OrderExpired(
                    client_order_id=order.client_order_id,
                    instrument_id=order.instrument_id,
                    venue_order_id=order.venue_order_id,
                    ts_event=order.expire_ns,
                    ts_init=core.clock.now_ns(),
                )
            )
            return
        core.enqueue(listing, order)

    def _cancel_arrives(self, order: SimOrder, at: int) -> None:
        core = self._core
        if order.cancel_at_ns != at:
            return  # a stale entry (restored state reschedules it)
        order.cancel_at_ns = None
        core.touch(order)
        if not order.is_open:
            core.sink(self._cancel_rejected(order, f"order is already {order.status.value}", at))
            return
        core.finish(core.listings[order.instrument_id], order, OrderStatus.CANCELED, at)
        core.sink(
            OrderCanceled(
                client_order_id=order.client_order_id,
                instrument_id=order.instrument_id,
                venue_order_id=order.venue_order_id,
                ts_event=at,
                ts_init=core.clock.now_ns(),
            )
        )

    def _modify_arrives(self, order: SimOrder, at: int) -> None:
        core = self._core
        pending = order.pending_modify
        if pending is None or pending.at_ns != at:
            return
        order.pending_modify = None
        core.touch(order)
        if not order.is_open:
            core.sink(self._modify_rejected(order, f"order is already {order.status.value}", at))
            return
        listing = core.listings[order.instrument_id]
        quantity = pending.quantity if pending.quantity is not None else order.quantity
        limit = pending.limit_price if pending.limit_price is not None else order.limit_price
        refusal = (
            None
            if quantity > order.filled
            else venue_errors.simulator_refusal(
                listing.venue,
                "quantity_below_filled",
                "new quantity is not above the filled quantity",
                f"order {order.client_order_id} filled {order.filled} before the modify arrived",
            )
        ) or self._funds_refusal(listing, order, quantity - order.filled, limit)
        if refusal is not None:
            core.sink(self._modify_rejected(order, refusal.reason, at))
            return
        self._apply_terms(listing, order, pending, quantity, limit)
        core.sink(
            OrderModified(
                client_order_id=order.client_order_id,
                instrument_id=order.instrument_id,
                venue_order_id=order.venue_order_id,
                quantity=pending.quantity,
                limit_price=pending.limit_price,
                trigger_price=pending.trigger_price,
                ts_event=at,
                ts_init=core.clock.now_ns(),
            )
        )

    def _apply_terms(
        self,
        listing: Listing,
        order: SimOrder,
        pending: PendingModify,
        quantity: Decimal,
        limit: Decimal | None,
    ) -> None:
        core, account = self._core, self._core.account
        new_reserved = self._new_reservation(listing, order, quantity - order.filled, limit)
        delta = new_reserved - order.reserved
        if delta:
            if order.is_buy:
                account.adjust_cash_lock(listing.instrument.quote_currency, delta)
            else:
                account.adjust_holding_lock(order.instrument_id, delta)
        order.reserved = new_reserved
        if order.is_buy and limit is not None:
            order.reserve_price = limit
        loses_place = (
            (pending.limit_price is not None and pending.limit_price != order.limit_price)
            or (pending.trigger_price is not None and pending.trigger_price != order.trigger_price)
            or quantity > order.quantity
        )
        was_queued = order.in_book
        if was_queued and loses_place:
            listing.book.take(order)
        order.quantity = quantity
        order.limit_price = limit
        if pending.trigger_price is not None:
            order.trigger_price = pending.trigger_price
        order.updated_ns = pending.at_ns
        if was_queued and loses_place:
            order.priority = core.next_priority()
            listing.book.requeue(order)

    def _cancel_rejected(self, order: SimOrder, reason: str, ts: int) -> OrderCancelRejected:
        return OrderCancelRejected(
            client_order_id=order.client_order_id,
            instrument_id=order.instrument_id,
            reason=reason,
            ts_event=ts,
            ts_init=self._core.clock.now_ns(),
        )

    def _modify_rejected(self, order: SimOrder, reason: str, ts: int) -> OrderModifyRejected:
        return OrderModifyRejected(
            client_order_id=order.client_order_id,
            instrument_id=order.instrument_id,
            reason=reason,
            ts_event=ts,
            ts_init=self._core.clock.now_ns(),
        )


def _shape_refusal(
    venue: str, order: SimOrder, command: ModifyOrder, quantity: Decimal
) -> ExchangeRejection | None:
    """What the order cannot take whatever the prices: a second modify in flight, a price it
    does not have, a quantity that leaves nothing to work."""
    name = order.client_order_id
    if order.pending_modify is not None:
        detail = f"order {name} has a modify on its way; wait for its answer"
        return venue_errors.simulator_refusal(
            venue, "modify_pending", "a modify is already in flight", detail
        )
    if command.limit_price is not None and order.limit_price is None:
        detail = (
            f"order {name} is a {order.order_type}; only limit prices of limit and stop-limit "
            "orders can change"
        )
        return venue_errors.simulator_refusal(
            venue, "not_modifiable", "this order has no limit price", detail
        )
    if command.trigger_price is not None and not order.is_stop:
        detail = (
            f"order {name} is a {order.order_type} that is not waiting for a trigger; only "
            "untriggered stops take a new trigger price"
        )
        return venue_errors.simulator_refusal(
            venue, "not_modifiable", "this order has no pending trigger", detail
        )
    if quantity <= order.filled:
        detail = (
            f"order {name} has {order.filled} filled; a new quantity of {quantity} would leave "
            "nothing to work (cancel it instead)"
        )
        return venue_errors.simulator_refusal(
            venue, "quantity_below_filled", "new quantity is not above the filled quantity", detail
        )
    return None
