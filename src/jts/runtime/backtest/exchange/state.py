"""The simulated exchange's state as documents, for ``AccountStore``.

``export_all`` writes everything (a new account), ``export_changes`` only what changed since
the last export (``SimulatedExchange.track_changes`` must be on), and ``restore`` rebuilds a
freshly constructed exchange from a store's documents. Locks are not stored: they are what
the open orders reserve and are recomputed on restore, so they cannot drift from the orders.
Requests still travelling to the venue (an order not yet arrived, a pending cancel or modify)
are stored on their order and scheduled again.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import msgspec

from jts.messages.enums import OrderStatus, OrderType, TimeInForce
from jts.messages.trading import OrderFilled
from jts.runtime.backtest.exchange.core import Action, ExchangeCore
from jts.runtime.backtest.exchange.orders import PendingModify, SimOrder
from jts.runtime.backtest.exchange.ports import DocumentKey, StoredFill
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import ClientOrderId, InstrumentId, StrategyId, VenueOrderId
from jts.shared_kernel.venues.types import OrderSide

CASH, HOLDING, ORDER, LISTING, COUNTERS = "cash", "holding", "order", "listing", "counters"


class CashDoc(msgspec.Struct, frozen=True, kw_only=True):
    currency: str
    total: Decimal


class HoldingDoc(msgspec.Struct, frozen=True, kw_only=True):
    instrument_id: InstrumentId
    quantity: Decimal
    average_price: Decimal


class ListingDoc(msgspec.Struct, frozen=True, kw_only=True):
    instrument_id: InstrumentId
    last_price: Decimal | None
    base_price: Decimal | None
    next_roll_ns: int
    seen_priority: int


class CountersDoc(msgspec.Struct, frozen=True, kw_only=True):
    orders: int
    trades: int
    priority: int
    actions: int


class PendingModifyDoc(msgspec.Struct, frozen=True, kw_only=True):
    at_ns: int
    quantity: Decimal | None
    limit_price: Decimal | None
    trigger_price: Decimal | None


class OrderDoc(msgspec.Struct, frozen=True, kw_only=True):
    client_order_id: ClientOrderId
    venue_order_id: VenueOrderId
    strategy_id: StrategyId
    instrument_id: InstrumentId
    side: OrderSide
    order_type: OrderType
    quantity: Decimal
    limit_price: Decimal | None
    trigger_price: Decimal | None
    time_in_force: TimeInForce
    expire_ns: int | None
    reduce_only: bool
    status: OrderStatus
    filled: Decimal
    filled_value: Decimal
    reserved: Decimal
    reserve_price: Decimal | None
    priority: int
    triggered: bool
    in_book: bool
    arrival_ns: int
    cancel_at_ns: int | None
    pending_modify: PendingModifyDoc | None
    created_ns: int
    updated_ns: int


_encoder = msgspec.json.Encoder(decimal_format="string")
_fill_decoder = msgspec.json.Decoder(OrderFilled)
_DECODERS: dict[str, msgspec.json.Decoder[object]] = {
    CASH: msgspec.json.Decoder(CashDoc),
    HOLDING: msgspec.json.Decoder(HoldingDoc),
    ORDER: msgspec.json.Decoder(OrderDoc),
    LISTING: msgspec.json.Decoder(ListingDoc),
    COUNTERS: msgspec.json.Decoder(CountersDoc),
}


def _text(document: msgspec.Struct | OrderFilled) -> str:
    return _encoder.encode(document).decode()


def export_all(core: ExchangeCore) -> tuple[dict[DocumentKey, str], list[StoredFill]]:
    """Every document (fills are not kept by the exchange and are not part of it)."""
    account = core.account
    documents = _documents(
        core,
        currencies=account.cash,
        holdings=account.holdings,
        orders=core.orders.values(),
        listings=core.listings,
    )
    if core.changes is not None:
        core.changes.orders.clear()
        core.changes.listings.clear()
        core.changes.fills.clear()
    account.touched_cash.clear()
    account.touched_holdings.clear()
    return documents, []


def export_changes(core: ExchangeCore) -> tuple[dict[DocumentKey, str], list[StoredFill]]:
    """What changed since the last export, and the fills made since; clears the record."""
    changes, account = core.changes, core.account
    if changes is None:
        raise RuntimeError("change tracking is off; call SimulatedExchange.track_changes()")
    if not (
        changes.orders
        or changes.listings
        or changes.fills
        or account.touched_cash
        or account.touched_holdings
    ):
        return {}, []
    documents = _documents(
        core,
        currencies=account.touched_cash,
        holdings=account.touched_holdings,
        orders=changes.orders,
        listings=changes.listings,
    )
    fills = [(number, fill.ts_event, _text(fill)) for number, fill in changes.fills]
    changes.orders.clear()
    changes.listings.clear()
    changes.fills.clear()
    account.touched_cash.clear()
    account.touched_holdings.clear()
    return documents, fills


def _documents(
    core: ExchangeCore,
    *,
    currencies: Iterable[str],
    holdings: Iterable[InstrumentId],
    orders: Iterable[SimOrder],
    listings: Iterable[InstrumentId],
) -> dict[DocumentKey, str]:
    account = core.account
    documents: dict[DocumentKey, str] = {}
    for currency in currencies:
        total = account.cash[currency].total
        documents[CASH, currency] = _text(CashDoc(currency=currency, total=total))
    for instrument_id in holdings:
        holding = account.holdings[instrument_id]
        documents[HOLDING, str(instrument_id)] = _text(
            HoldingDoc(
                instrument_id=instrument_id,
                quantity=holding.quantity,
                average_price=holding.average_price,
            )
        )
    for order in orders:
        documents[ORDER, order.client_order_id] = _text(_order_doc(order))
    for instrument_id in listings:
        documents[LISTING, str(instrument_id)] = _text(_listing_doc(core, instrument_id))
    documents[COUNTERS, ""] = _text(
        CountersDoc(
            orders=core.order_number,
            trades=core.trade_number,
            priority=core.priority,
            actions=core.action_number,
        )
    )
    return documents


def _listing_doc(core: ExchangeCore, instrument_id: InstrumentId) -> ListingDoc:
    listing = core.listings[instrument_id]
    return ListingDoc(
        instrument_id=instrument_id,
        last_price=listing.last_price,
        base_price=listing.base_price,
        next_roll_ns=min(listing.next_roll_ns, 2**63 - 1),
        seen_priority=listing.seen_priority,
    )


def _order_doc(order: SimOrder) -> OrderDoc:
    pending = order.pending_modify
    return OrderDoc(
        client_order_id=order.client_order_id,
        venue_order_id=order.venue_order_id,
        strategy_id=order.strategy_id,
        instrument_id=order.instrument_id,
        side=order.side,
        order_type=order.order_type,
        quantity=order.quantity,
        limit_price=order.limit_price,
        trigger_price=order.trigger_price,
        time_in_force=order.time_in_force,
        expire_ns=order.expire_ns,
        reduce_only=order.reduce_only,
        status=order.status,
        filled=order.filled,
        filled_value=order.filled_value,
        reserved=order.reserved,
        reserve_price=order.reserve_price,
        priority=order.priority,
        triggered=order.triggered,
        in_book=order.in_book,
        arrival_ns=order.arrival_ns,
        cancel_at_ns=order.cancel_at_ns,
        pending_modify=None
        if pending is None
        else PendingModifyDoc(
            at_ns=pending.at_ns,
            quantity=pending.quantity,
            limit_price=pending.limit_price,
            trigger_price=pending.trigger_price,
        ),
        created_ns=order.created_ns,
        updated_ns=order.updated_ns,
    )


def decode_fill(payload: str) -> OrderFilled:
    return _fill_decoder.decode(payload)


def restore(core: ExchangeCore, documents: dict[DocumentKey, str]) -> None:
    """Load a store's documents into a freshly built exchange (nothing traded yet)."""
    if core.orders or core.inbox:
        raise RuntimeError("restore into a fresh exchange only: this one already has orders")
    decoded = [
        (kind, key, _decode(kind, key, payload)) for (kind, key), payload in documents.items()
    ]
    account = core.account
    for _, _, doc in decoded:
        if isinstance(doc, CashDoc):
            account.balance(doc.currency).total = doc.total
        elif isinstance(doc, HoldingDoc):
            holding = account.holding(doc.instrument_id)
            holding.quantity, holding.average_price = doc.quantity, doc.average_price
        elif isinstance(doc, ListingDoc):
            _restore_listing(core, doc)
        elif isinstance(doc, CountersDoc):
            core.order_number, core.trade_number = doc.orders, doc.trades
            core.priority, core.action_number = doc.priority, doc.actions
    orders = sorted(
        (_order(doc) for _, _, doc in decoded if isinstance(doc, OrderDoc)),
        key=_acceptance_order,
    )
    for order in orders:  # ``orders`` and ``open_orders`` keep the order they were accepted in
        core.orders[order.client_order_id] = order
        if order.is_open:
            core.open_orders[order.client_order_id] = order
    for order in sorted(core.open_orders.values(), key=lambda o: o.priority):
        _restore_order(core, order)  # books refill in queue priority
    account.touched_cash.clear()
    account.touched_holdings.clear()


def _decode(kind: str, key: str, payload: str) -> object:
    decoder = _DECODERS.get(kind)
    if decoder is None:
        raise DataError(f"stored paper-account document {kind}/{key} has an unknown kind")
    try:
        return decoder.decode(payload)
    except msgspec.ValidationError as e:
        raise DataError(f"stored paper-account document {kind}/{key} is corrupt: {e}") from e


def _restore_listing(core: ExchangeCore, doc: ListingDoc) -> None:
    listing = core.listings.get(doc.instrument_id)
    if listing is None:
        return  # no longer listed: its orders fail loudly below if any are open
    listing.last_price = doc.last_price
    listing.base_price = doc.base_price
    if listing.has_band:
        listing.next_roll_ns = doc.next_roll_ns
        listing.set_base(doc.base_price, core.clock.now_ns())
    listing.seen_priority = doc.seen_priority


def _acceptance_order(order: SimOrder) -> tuple[int, int, str]:
    # venue order ids are PREFIX-<number>: SIM-9 was accepted before SIM-10
    return order.created_ns, len(order.venue_order_id), order.venue_order_id


def _restore_order(core: ExchangeCore, order: SimOrder) -> None:
    listing = core.listings.get(order.instrument_id)
    if listing is None:
        raise DataError(
            f"open paper order {order.client_order_id} is for {order.instrument_id}, which is "
            "not listed on this exchange; add the instrument back or cancel the order in the store"
        )
    if order.reserved:
        if order.is_buy:
            core.account.adjust_cash_lock(listing.instrument.quote_currency, order.reserved)
        else:
            core.account.adjust_holding_lock(order.instrument_id, order.reserved)
    if order.in_book:
        order.in_book = False
        listing.book.add(order)
        if order.expire_ns is not None:
            core.expiring.add(listing)
    else:
        core.schedule(order.arrival_ns, Action.ARRIVE, order)
    if order.cancel_at_ns is not None:
        core.schedule(order.cancel_at_ns, Action.CANCEL, order)
    if order.pending_modify is not None:
        core.schedule(order.pending_modify.at_ns, Action.MODIFY, order)


def _order(doc: OrderDoc) -> SimOrder:
    order = SimOrder(
        client_order_id=doc.client_order_id,
        venue_order_id=doc.venue_order_id,
        strategy_id=doc.strategy_id,
        instrument_id=doc.instrument_id,
        side=doc.side,
        order_type=doc.order_type,
        quantity=doc.quantity,
        limit_price=doc.limit_price,
        trigger_price=doc.trigger_price,
        time_in_force=doc.time_in_force,
        expire_ns=doc.expire_ns,
        reduce_only=doc.reduce_only,
        created_ns=doc.created_ns,
        arrival_ns=doc.arrival_ns,
    )
    order.status, order.filled, order.filled_value = doc.status, doc.filled, doc.filled_value
    order.reserved, order.reserve_price = doc.reserved, doc.reserve_price
    order.priority, order.triggered, order.in_book = doc.priority, doc.triggered, doc.in_book
    order.cancel_at_ns, order.updated_ns = doc.cancel_at_ns, doc.updated_ns
    pending = doc.pending_modify
    if pending is not None:
        order.pending_modify = PendingModify(
            pending.at_ns, pending.quantity, pending.limit_price, pending.trigger_price
        )
    return order
