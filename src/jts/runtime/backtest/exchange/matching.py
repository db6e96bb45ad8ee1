"""The matching pass: one market data event against one instrument's book.

The rules themselves (prices, triggers, priorities, liquidity caps) are documented in
``window``. This module applies them and turns each decided fill into account changes and
an ``OrderFilled``: buys pay notional plus a quote fee (or receive the quantity less a
base-asset fee), sells receive notional less fee and, on KRX, the sell tax of the trade date
(``rules.sell_tax``). A buy that would cost more than the cash it reserved plus the free
cash is cut to what the account can pay; a market buy that can pay for nothing more is
canceled, as is a reduce-only sell with nothing left to reduce.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from jts.messages.enums import OrderStatus, OrderType, TimeInForce
from jts.messages.trading import OrderCanceled, OrderExpired, OrderFilled
from jts.runtime.backtest.exchange.core import ExchangeCore
from jts.runtime.backtest.exchange.listing import Listing
from jts.runtime.backtest.exchange.orders import SimOrder
from jts.runtime.backtest.exchange.reservations import (
    affordable_quantity,
    buy_cost,
    buy_reserve,
)
from jts.runtime.backtest.exchange.slippage import NoSlippage
from jts.runtime.backtest.exchange.window import Window
from jts.shared_kernel.numbers import ZERO, Rounding
from jts.shared_kernel.venues import rules
from jts.shared_kernel.venues.types import LiquiditySide, OrderSide

_TAKER = LiquiditySide.TAKER


class Matcher:
    """Fills the orders one event reaches; keeps each side's remaining liquidity."""

    __slots__ = ("_buy_left", "_core", "_sell_left", "_slips")

    def __init__(self, core: ExchangeCore) -> None:
        self._core = core
        self._slips = not isinstance(core.config.slippage, NoSlippage)
        self._buy_left: Decimal | None = None
        self._sell_left: Decimal | None = None

    def match(self, listing: Listing, window: Window) -> None:
        book = listing.book
        self._buy_left, self._sell_left = window.buy_capacity, window.sell_capacity
        seen = listing.seen_priority
        if book.market:
            self._fill_market_orders(listing, window)
        triggered = (
            self._trigger_stops(listing, window)
            if book.sell_stops.size or book.buy_stops.size
            else None
        )
        if book.sell_limits.size or book.buy_limits.size:
            self._match_limits(listing, window, seen)
        listing.seen_priority = self._core.priority
        if triggered:  # triggered stop-limits work from the next event on
            for order in triggered:
                order.priority = self._core.next_priority()
                book.requeue(order)
        if book.immediate:
            self._expire_immediate(listing, window.start_ns, window.end_ns)

    def _fill_market_orders(self, listing: Listing, window: Window) -> None:
        start = window.start_ns
        for order in list(listing.book.market):
            # skip orders canceled by an earlier fill (reduce-only) or not yet there
            if order.is_open and order.arrival_ns <= start:
                self._take(listing, order, window.market_price(order.is_buy), window)

    def _match_limits(self, listing: Listing, window: Window, seen: int) -> None:
        book, touch = listing.book, window.limits_fill_at_touch
        if book.sell_limits.size:
            reached = book.sell_limits.reached(window.sell_high, inclusive=touch)
            if reached:
                self._fill_limits(listing, window, reached, False, seen)
        if book.buy_limits.size:
            reached = book.buy_limits.reached(window.buy_low, inclusive=touch)
            if reached:
                self._fill_limits(listing, window, reached, True, seen)

    def _trigger_stops(self, listing: Listing, window: Window) -> list[SimOrder]:
        book = listing.book
        stop_limits: list[SimOrder] = []
        for levels, is_buy in ((book.sell_stops, False), (book.buy_stops, True)):
            if not levels.size:
                continue
            for order in levels.reached(window.stop_threshold(is_buy), inclusive=True):
                if order.arrival_ns > window.start_ns:
                    continue  # it reached the venue after this data began
                book.take(order)
                order.triggered = True
                self._core.touch(order)
                if order.order_type is OrderType.STOP_LIMIT:
                    stop_limits.append(order)
                    continue
                book.requeue(order)  # a triggered stop-market is a market order
                trigger = order.trigger_price
                assert trigger is not None
                self._take(listing, order, window.stop_price(is_buy, trigger), window)
        return stop_limits

    def _fill_limits(
        self,
        listing: Listing,
        window: Window,
        reached: Sequence[SimOrder],
        is_buy: bool,
        seen: int,
    ) -> None:
        start = window.start_ns
        for order in reached:
            if not order.is_open or order.arrival_ns > start:
                continue  # canceled by an earlier fill (reduce-only), or not there yet
            limit = order.limit_price
            assert limit is not None
            price, liquidity = window.limit_fill(is_buy, limit, order.priority > seen)
            quantity = self._quantity(listing, order, window)
            if quantity is None:
                return  # this side's liquidity is used up
            if quantity:
                self._execute(listing, order, quantity, price, liquidity, window)

    def _take(self, listing: Listing, order: SimOrder, price: Decimal, window: Window) -> None:
        quantity = self._quantity(listing, order, window)
        if not quantity:
            return
        if self._slips:
            price = self._slipped(listing, order, price, quantity, window)
        self._execute(listing, order, quantity, price, _TAKER, window)

    def _quantity(self, listing: Listing, order: SimOrder, window: Window) -> Decimal | None:
        """How much of ``order`` this event can fill: ``None`` once the side is exhausted."""
        quantity = order.leaves
        left = self._buy_left if order.is_buy else self._sell_left
        if left is not None and left < quantity:
            quantity = rules.round_quantity(listing.instrument, left)
            if quantity <= ZERO:
                return None
        if order.reduce_only:
            free = self._core.account.free_holding(order.instrument_id)
            if free <= ZERO:
                self._cancel(listing, order, window.end_ns)  # nothing left to reduce
                return ZERO
            if free < quantity:
                quantity = rules.round_quantity(listing.instrument, free)
        if order.time_in_force is TimeInForce.FOK and quantity < order.leaves:
            return ZERO
        return quantity

    def _slipped(
        self, listing: Listing, order: SimOrder, price: Decimal, quantity: Decimal, window: Window
    ) -> Decimal:
        raw = self._core.config.slippage.slipped_price(
            order.side, price, quantity, window.volume(order.is_buy)
        )
        if raw == price:
            return price
        if window.clips_to_range:
            raw = min(max(raw, window.buy_low), window.buy_high)
        band = listing.band
        if band is not None:
            raw = min(max(raw, band.lower), band.upper)
        rounding = Rounding.UP if order.is_buy else Rounding.DOWN
        on = listing.session_date(window.start_ns)
        return rules.round_price(listing.instrument, raw, on=on, rounding=rounding)

    def _execute(
        self,
        listing: Listing,
        order: SimOrder,
        quantity: Decimal,
        price: Decimal,
        liquidity: LiquiditySide,
        window: Window,
    ) -> None:
        if order.is_buy:
            settled = self._settle_buy(listing, order, quantity, price, liquidity, window)
            if settled is None:
                return
            quantity, commission, currency, cut = settled
            tax = ZERO
            if self._buy_left is not None:
                self._buy_left -= quantity
        else:
            cut = False
            commission, currency, tax = self._settle_sell(
                listing, order, quantity, price, liquidity, window
            )
            if self._sell_left is not None:
                self._sell_left -= quantity
        self._record(listing, order, quantity, price, liquidity, window, commission, currency, tax)
        if cut and order.is_open:
            self._cancel(listing, order, window.end_ns)

    def _settle_buy(
        self,
        listing: Listing,
        order: SimOrder,
        quantity: Decimal,
        price: Decimal,
        liquidity: LiquiditySide,
        window: Window,
    ) -> tuple[Decimal, Decimal, str, bool] | None:
        """Pay for a buy: ``(quantity, commission, currency, cut)``; ``cut`` means the account
        could not pay for all of it, so the rest is to be canceled."""
        instrument, account = listing.instrument, self._core.account
        currency = instrument.quote_currency

        def fee_of(q: Decimal) -> Decimal:
            return rules.fee(instrument, OrderSide.BUY, price, q, liquidity).amount

        quantity, still_reserved, cut = self._payable(listing, order, quantity, price, fee_of)
        if quantity <= ZERO or (cut and order.time_in_force is TimeInForce.FOK):
            self._cancel(listing, order, window.end_ns)
            return None
        fee = rules.fee(instrument, OrderSide.BUY, price, quantity, liquidity)
        account.settle_buy(
            instrument.id,
            currency,
            quantity_received=quantity if listing.buy_fee_in_quote else quantity - fee.amount,
            cost=buy_cost(listing, quantity, price, fee.amount),
            price=price,
            quantity=quantity,
            released=order.reserved - still_reserved,
        )
        order.reserved = still_reserved
        return quantity, fee.amount, fee.currency, cut

    def _payable(
        self,
        listing: Listing,
        order: SimOrder,
        quantity: Decimal,
        price: Decimal,
        fee_of: Callable[[Decimal], Decimal],
    ) -> tuple[Decimal, Decimal, bool]:
        """``(quantity, still reserved, cut)``: what the account can pay for. When the price
        ran past the reservation, buy what the free cash plus the whole reservation pays for
        and release all of it (``cut``: the rest is to be canceled)."""
        reserve_price = order.reserve_price
        assert reserve_price is not None
        free = self._core.account.free_cash(listing.instrument.quote_currency)
        still_reserved = buy_reserve(listing, order.leaves - quantity, reserve_price)
        cost = buy_cost(listing, quantity, price, fee_of(quantity))
        if cost <= free + order.reserved - still_reserved:
            return quantity, still_reserved, False
        budget = free + order.reserved
        payable = affordable_quantity(
            listing, quantity=quantity, price=price, budget=budget, fee_of=fee_of
        )
        return payable, ZERO, True

    def _settle_sell(
        self,
        listing: Listing,
        order: SimOrder,
        quantity: Decimal,
        price: Decimal,
        liquidity: LiquiditySide,
        window: Window,
    ) -> tuple[Decimal, str, Decimal]:
        instrument = listing.instrument
        fee = rules.fee(instrument, OrderSide.SELL, price, quantity, liquidity)
        tax = ZERO
        if listing.has_band:
            trade_date = listing.session_date(window.start_ns)
            tax = rules.sell_tax(
                instrument, price, quantity, trade_date=trade_date, calendar=listing.calendar
            )
        released = ZERO if order.reduce_only else quantity
        self._core.account.settle_sell(
            instrument.id,
            instrument.quote_currency,
            quantity=quantity,
            proceeds=price * quantity - fee.amount - tax,
            released=released,
        )
        order.reserved -= released
        return fee.amount, fee.currency, tax

    def _record(
        self,
        listing: Listing,
        order: SimOrder,
        quantity: Decimal,
        price: Decimal,
        liquidity: LiquiditySide,
        window: Window,
        commission: Decimal,
        currency: str,
        tax: Decimal,
    ) -> None:
        core = self._core
        order.filled += quantity
        order.filled_value += price * quantity
        order.updated_ns = window.end_ns
        number, trade_id = core.next_trade_id()
        fill = OrderFilled(
            client_order_id=order.client_order_id,
            instrument_id=order.instrument_id,
            venue_order_id=order.venue_order_id,
            trade_id=trade_id,
            strategy_id=order.strategy_id,
            side=order.side,
            last_qty=quantity,
            last_price=price,
            commission=commission,
            tax=tax,
            commission_currency=currency,
            liquidity_side=liquidity,
            ts_event=window.end_ns,
            ts_init=core.clock.now_ns(),
        )
        if core.changes is not None:  # the last price is worth keeping with the fill
            core.changes.listings.add(listing.instrument.id)
        if order.filled == order.quantity:
            core.finish(listing, order, OrderStatus.FILLED, window.end_ns)
        else:
            order.status = OrderStatus.PARTIALLY_FILLED
            core.touch(order)
        core.record_fill(number, fill)

    def _cancel(self, listing: Listing, order: SimOrder, ts: int) -> None:
        core = self._core
        core.finish(listing, order, OrderStatus.CANCELED, ts)
        core.sink(
            OrderCanceled(
                client_order_id=order.client_order_id,
                instrument_id=order.instrument_id,
                venue_order_id=order.venue_order_id,
                ts_event=ts,
                ts_init=core.clock.now_ns(),
            )
        )

    def _expire_immediate(self, listing: Listing, ts_start: int, ts_ns: int) -> None:
        core = self._core
        book = listing.book
        waiting = []
        for order in book.immediate:
            if order.arrival_ns > ts_start:
                waiting.append(order)  # its one chance is the next event
            elif order.is_open:
                core.finish(listing, order, OrderStatus.EXPIRED, ts_ns)
                core.sink(
                    OrderExpired(
                        client_order_id=order.client_order_id,
                        instrument_id=order.instrument_id,
                        venue_order_id=order.venue_order_id,
                        ts_event=ts_ns,
                        ts_init=core.clock.now_ns(),
                    )
                )
        book.immediate[:] = waiting
