"""``SimulatedExchange``: the backtest exchange and the engine inside the paper broker.

Synchronous and single-threaded: the backtest engine calls it directly between bars, the
paper broker behind a lock. Commands answer at once, the way a venue's REST API does:
``submit`` gives the venue order id or an ``ExchangeRejection`` (also published as
``OrderRejected`` with the venue's code), ``cancel`` and ``modify`` give ``None`` or a
rejection. Everything that happens afterwards (acceptance, fills, cancels, expiries,
modifications) is published to ``sink`` as order events, in the order the venue produces
them.

Time: requests reach the venue after the latency model's delay (``latency``); an order
trades only against market data that starts at or after its arrival. Expiries and delayed
requests are applied when market data or ``advance_time`` moves time past them. Fill rules
are in ``window``, matching in ``matching``, pre-trade checks in ``validation``.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from decimal import Decimal

from jts.contexts.trading.domain.venue_reports import BalanceReport, OrderReport, PositionReport
from jts.messages.enums import OrderStatus
from jts.messages.market_data import Bar, MarketDataEvent, OrderBookSnapshot, QuoteTick, TradeTick
from jts.messages.trading import (
    ModifyOrder,
    OrderAccepted,
    OrderEvent,
    OrderExpired,
    OrderRejected,
    SubmitOrder,
)
from jts.runtime.backtest.exchange import venue_errors
from jts.runtime.backtest.exchange.account import Account
from jts.runtime.backtest.exchange.config import ExchangeConfig
from jts.runtime.backtest.exchange.core import Action, ChangeSet, EventSink, ExchangeCore
from jts.runtime.backtest.exchange.latency import RequestKind
from jts.runtime.backtest.exchange.listing import Listing
from jts.runtime.backtest.exchange.matching import Matcher
from jts.runtime.backtest.exchange.orders import SimOrder
from jts.runtime.backtest.exchange.requests import RequestHandler
from jts.runtime.backtest.exchange.validation import Admission, admit
from jts.runtime.backtest.exchange.venue_errors import ExchangeRejection
from jts.shared_kernel.clock import Clock
from jts.shared_kernel.errors import ConfigurationError
from jts.shared_kernel.identifiers import ClientOrderId, InstrumentId, VenueOrderId
from jts.shared_kernel.venues.calendar import TradingCalendar
from jts.shared_kernel.venues.instruments import Instrument


class SimulatedExchange:
    """Matches orders of one account against market data under each venue's rules."""

    def __init__(
        self,
        *,
        instruments: Iterable[Instrument],
        calendars: Mapping[str, TradingCalendar],
        clock: Clock,
        balances: Mapping[str, Decimal] | None = None,
        config: ExchangeConfig | None = None,
        sink: EventSink | None = None,
    ) -> None:
        self._events: list[OrderEvent] = []
        self._core = core = ExchangeCore(
            account=Account(balances),
            config=config or ExchangeConfig(),
            clock=clock,
            sink=sink if sink is not None else self._events.append,
        )
        for instrument in instruments:
            calendar = calendars.get(instrument.calendar_id)
            if calendar is None:
                raise ConfigurationError(
                    f"no calendar {instrument.calendar_id!r} for {instrument.id}; pass it in "
                    f"calendars (given: {', '.join(sorted(calendars)) or 'none'})"
                )
            core.listings[instrument.id] = Listing(instrument, calendar)
        self._matcher = Matcher(core)
        self._requests = RequestHandler(core)
        self._rate = core.config.participation_rate

    @property
    def core(self) -> ExchangeCore:
        """The shared state, for persistence (``state``) and tests."""
        return self._core

    @property
    def config(self) -> ExchangeConfig:
        return self._core.config

    @property
    def instrument_ids(self) -> list[InstrumentId]:
        return list(self._core.listings)

    def take_events(self) -> list[OrderEvent]:
        """Events published since the last call (only when no ``sink`` was given)."""
        events, self._events[:] = list(self._events), []
        return events

    def track_changes(self) -> None:
        """Start recording what changes, for ``state.export_changes``."""
        if self._core.changes is None:
            self._core.changes = ChangeSet()

    # Commands

    def submit(self, command: SubmitOrder) -> VenueOrderId | ExchangeRejection:
        """Accept the order (idempotent on ``client_order_id``) or refuse it."""
        core = self._core
        now = core.clock.now_ns()
        self.advance_time(now)
        known = core.orders.get(command.client_order_id)
        if known is not None:
            return known.venue_order_id
        listing = core.listings.get(command.instrument_id)
        if listing is None:
            verdict: Admission | ExchangeRejection = venue_errors.simulator_refusal(
                str(command.instrument_id.venue),
                "unknown_instrument",
                "unknown instrument",
                f"{command.instrument_id} is not listed on this exchange; listed: "
                + ", ".join(sorted(str(i) for i in core.listings)),
            )
        else:
            verdict = admit(core.account, listing, command, now, core.config)
        if isinstance(verdict, ExchangeRejection):
            core.sink(_rejected(command, verdict, now, core.clock.now_ns()))
            return verdict
        assert listing is not None
        return self._accept(listing, command, verdict, now)

    def _accept(
        self, listing: Listing, command: SubmitOrder, admission: Admission, now: int
    ) -> VenueOrderId:
        core = self._core
        arrival = now + core.config.latency.delay_ns(RequestKind.SUBMIT)
        order = SimOrder.from_command(
            command,
            venue_order_id=core.next_venue_order_id(),
            expire_ns=admission.expire_ns,
            created_ns=now,
            arrival_ns=arrival,
        )
        order.reserve_price = admission.reserve_price
        order.reserved = admission.reserved
        if admission.reserved:
            if order.is_buy:
                core.account.adjust_cash_lock(listing.instrument.quote_currency, order.reserved)
            else:
                core.account.adjust_holding_lock(order.instrument_id, order.reserved)
        core.orders[order.client_order_id] = order
        core.open_orders[order.client_order_id] = order
        core.touch(order)
        core.sink(
            OrderAccepted(
                client_order_id=order.client_order_id,
                instrument_id=order.instrument_id,
                venue_order_id=order.venue_order_id,
                ts_event=now,
                ts_init=core.clock.now_ns(),
            )
        )
        core.schedule(arrival, Action.ARRIVE, order)
        self.advance_time(now)
        return order.venue_order_id

    def cancel(self, client_order_id: ClientOrderId) -> ExchangeRejection | None:
        """Send a cancel; it takes effect when it reaches the venue (``OrderCanceled``)."""
        now = self._core.clock.now_ns()
        self.advance_time(now)
        rejection = self._requests.request_cancel(client_order_id, now)
        self.advance_time(now)
        return rejection

    def modify(self, command: ModifyOrder) -> ExchangeRejection | None:
        """Send new terms; they take effect when they reach the venue (``OrderModified``)."""
        now = self._core.clock.now_ns()
        self.advance_time(now)
        rejection = self._requests.request_modify(command, now)
        self.advance_time(now)
        return rejection

    def set_reference_price(
        self, instrument_id: InstrumentId, last_price: Decimal, *, base_price: Decimal | None = None
    ) -> None:
        """Seed the last price (and, for KRX, the previous close the band is built on)."""
        listing = self._listing(instrument_id)
        now = self._core.clock.now_ns()
        listing.last_price = last_price
        if base_price is not None:
            listing.set_base(base_price, now)
            listing.next_roll_ns = listing.calendar.next_open(now)
        if self._core.changes is not None:
            self._core.changes.listings.add(instrument_id)

    # Market data

    def process(self, event: MarketDataEvent) -> None:
        """Feed any market data event; bars, trades, quotes and book snapshots trade, other
        events (feed health, surge alerts) carry no prices and are ignored."""
        if isinstance(event, Bar):
            self.on_bar(event)
        elif isinstance(event, TradeTick):
            self.on_trade(event)
        elif isinstance(event, QuoteTick):
            self.on_quote(event)
        elif isinstance(event, OrderBookSnapshot):
            self.on_book(event)

    def on_bar(self, bar: Bar) -> None:
        listing = self._core.listings.get(bar.instrument_id)
        if listing is None:
            return
        start = bar.ts_start
        inbox, expiries = self._core.inbox, listing.book.expiries
        if (
            (inbox and inbox[0][0] <= start)
            or (expiries and expiries[0][0] <= start)
            or start >= listing.next_roll_ns
        ):
            self._begin(listing, start)
        if listing.book.size:
            self._matcher.match(listing, listing.window.load_bar(bar, self._rate))
        listing.last_price = bar.close
        if expiries and expiries[0][0] <= bar.ts_event:
            self._expire(listing, bar.ts_event)

    def on_trade(self, tick: TradeTick) -> None:
        listing = self._core.listings.get(tick.instrument_id)
        if listing is None:
            return
        ts = tick.ts_event
        self._begin(listing, ts)
        if listing.book.size:
            rate = self._rate
            self._matcher.match(listing, listing.window.load_trade(tick, rate))
        listing.last_price = tick.price
        self._end(listing, ts)

    def on_quote(self, quote: QuoteTick) -> None:
        listing = self._core.listings.get(quote.instrument_id)
        if listing is None:
            return
        ts = quote.ts_event
        self._begin(listing, ts)
        if listing.book.size:
            rate = self._rate
            self._matcher.match(listing, listing.window.load_quote(quote, rate))
        listing.last_price = quote.mid_price
        self._end(listing, ts)

    def on_book(self, snapshot: OrderBookSnapshot) -> None:
        bid, ask = snapshot.best_bid, snapshot.best_ask
        listing = self._core.listings.get(snapshot.instrument_id)
        if listing is None or bid is None or ask is None:
            return
        ts = snapshot.ts_event
        self._begin(listing, ts)
        if listing.book.size:
            rate = self._rate
            window = listing.window.load_top(ts, bid.price, bid.size, ask.price, ask.size, rate)
            self._matcher.match(listing, window)
        listing.last_price = (bid.price + ask.price) / 2
        self._end(listing, ts)

    def _begin(self, listing: Listing, start_ns: int) -> None:
        core = self._core
        inbox = core.inbox
        if inbox and inbox[0][0] <= start_ns:
            self._requests.drain(start_ns)
        expiries = listing.book.expiries
        if expiries and expiries[0][0] <= start_ns:
            self._expire(listing, start_ns)
        if start_ns >= listing.next_roll_ns:
            listing.roll(start_ns)
            if core.changes is not None:
                core.changes.listings.add(listing.instrument.id)

    def _end(self, listing: Listing, end_ns: int) -> None:
        expiries = listing.book.expiries
        if expiries and expiries[0][0] <= end_ns:
            self._expire(listing, end_ns)

    def advance_time(self, ts_ns: int) -> None:
        """Apply every request and expiry due at or before ``ts_ns``."""
        core = self._core
        if core.inbox and core.inbox[0][0] <= ts_ns:
            self._requests.drain(ts_ns)
        for listing in list(core.expiring):
            self._expire(listing, ts_ns)

    def _expire(self, listing: Listing, ts_ns: int) -> None:
        core = self._core
        heap = listing.book.expiries
        while heap and heap[0][0] <= ts_ns:
            expire_ns, _, order = heapq.heappop(heap)
            if order.is_open and order.expire_ns == expire_ns:
                core.finish(listing, order, OrderStatus.EXPIRED, expire_ns)
                core.sink(
                    OrderExpired(
                        client_order_id=order.client_order_id,
                        instrument_id=order.instrument_id,
                        venue_order_id=order.venue_order_id,
                        ts_event=expire_ns,
                        ts_init=core.clock.now_ns(),
                    )
                )
        if not heap:
            core.expiring.discard(listing)

    # Queries

    def order(self, client_order_id: ClientOrderId) -> OrderReport | None:
        order = self._core.orders.get(client_order_id)
        return None if order is None else order.report()

    def open_orders(self, instrument_id: InstrumentId | None = None) -> list[OrderReport]:
        """Working orders in the order they were accepted."""
        return [
            order.report()
            for order in self._core.open_orders.values()
            if instrument_id is None or order.instrument_id == instrument_id
        ]

    def positions(self) -> list[PositionReport]:
        return self._core.account.position_reports()

    def balances(self) -> list[BalanceReport]:
        return self._core.account.balance_reports()

    def last_price(self, instrument_id: InstrumentId) -> Decimal | None:
        return self._listing(instrument_id).last_price

    def _listing(self, instrument_id: InstrumentId) -> Listing:
        listing = self._core.listings.get(instrument_id)
        if listing is None:
            raise KeyError(f"{instrument_id} is not listed on this simulated exchange")
        return listing


def _rejected(
    command: SubmitOrder, rejection: ExchangeRejection, now: int, ts_init: int
) -> OrderRejected:
    return OrderRejected(
        client_order_id=command.client_order_id,
        instrument_id=command.instrument_id,
        reason=rejection.reason,
        code=rejection.code,
        ts_event=now,
        ts_init=ts_init,
    )
