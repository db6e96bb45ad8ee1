"""``PaperAccountView``: the account and market views risk asks for, on a paper account.

Risk (``OrderPlanner``, ``PreTradeGate``) sizes and checks orders against the account as
the venue treats it: equity from the ``PortfolioTracker`` (cash and positions booked from
fills, at their marks), free cash and free units, the day's price band, reservation prices
and order rules from the paper broker's simulated exchange, which *is* the venue here. The
exchange instance is read through an ``ExchangeRef`` because the paper broker builds a new
one when it restores its account from the store.

``for_strategy`` gives one strategy's view: its free units of an instrument are what it
holds itself (and the account can still sell), so one strategy's exit never sells another
strategy's holding.

The exposure figures the gate asks for come from the tracker (positions at their marks, in
the base currency) and from the trading desk (working orders, each strategy's instruments),
bound with ``bind_desk`` once the desk exists.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Protocol

from jts.contexts.trading.domain.records import OrderRecord
from jts.runtime.backtest.exchange import SimulatedExchange
from jts.runtime.backtest.exchange.listing import Listing
from jts.runtime.backtest.exchange.reservations import affordable_quantity, buy_reserve_price
from jts.runtime.backtest.exchange.validation import rule_refusal
from jts.runtime.live.portfolio_tracker import PortfolioTracker
from jts.shared_kernel.clock import Clock
from jts.shared_kernel.errors import ConfigurationError
from jts.shared_kernel.identifiers import InstrumentId, StrategyId
from jts.shared_kernel.numbers import ONE, ZERO
from jts.shared_kernel.venues import rules
from jts.shared_kernel.venues.calendar import TradingCalendar
from jts.shared_kernel.venues.types import OrderSide

OpenOrderCount = Callable[[StrategyId], int]


class DeskOrders(Protocol):
    """What the view reads from the trading desk."""

    def open_orders(self, strategy_id: StrategyId) -> int: ...

    def open_total(self) -> int: ...

    def open_records(self) -> list[OrderRecord]: ...

    def instruments_of(self, strategy_id: StrategyId) -> Sequence[InstrumentId]: ...


class ExchangeRef:
    """The simulated exchange the paper broker uses now (set by the broker's factory)."""

    def __init__(self) -> None:
        self._exchange: SimulatedExchange | None = None

    def set(self, exchange: SimulatedExchange) -> SimulatedExchange:
        self._exchange = exchange
        return exchange

    @property
    def exchange(self) -> SimulatedExchange:
        if self._exchange is None:
            raise ConfigurationError("the paper broker has not built its exchange yet")
        return self._exchange


class PaperAccountView:
    """Risk's ``AccountView`` and ``MarketView`` over the tracker and the paper exchange."""

    def __init__(
        self,
        *,
        tracker: PortfolioTracker,
        exchange: ExchangeRef,
        clock: Clock,
        open_orders: OpenOrderCount,
        strategy_id: StrategyId | None = None,
    ) -> None:
        self._tracker = tracker
        self._ref = exchange
        self._clock = clock
        self._open_orders = open_orders
        self._strategy = strategy_id
        self._desk: DeskOrders | None = None

    def for_strategy(self, strategy_id: StrategyId) -> PaperAccountView:
        """The same account as one strategy sees it (its own holdings)."""
        view = PaperAccountView(
            tracker=self._tracker,
            exchange=self._ref,
            clock=self._clock,
            open_orders=self.open_order_count,
            strategy_id=strategy_id,
        )
        view._desk = self._desk
        return view

    def bind_open_orders(self, open_orders: OpenOrderCount) -> None:
        """Count working orders with ``open_orders`` (the desk, built after this view)."""
        self._open_orders = open_orders

    def bind_desk(self, desk: DeskOrders) -> None:
        """Read working orders and strategies' instruments from ``desk`` (built after)."""
        self._desk = desk
        self._open_orders = desk.open_orders

    # --- AccountView ------------------------------------------------------------------------

    @property
    def base_currency(self) -> str:
        return self._tracker.base_currency

    def equity(self) -> Decimal:
        return self._tracker.equity()

    def fx_rate(self, currency: str) -> Decimal:
        return ONE if currency == self.base_currency else self._tracker.rates.rate(currency)

    def free_cash(self, currency: str) -> Decimal:
        return self._ref.exchange.core.account.free_cash(currency)

    def free_quantity(self, instrument_id: InstrumentId) -> Decimal:
        free = self._ref.exchange.core.account.free_holding(instrument_id)
        if self._strategy is None:
            return free
        own = self._tracker.position(self._strategy, instrument_id)
        held = ZERO if own is None else own.quantity
        return min(free, held) if held >= ZERO else max(free, held)

    def open_order_count(self, strategy_id: StrategyId) -> int:
        return self._open_orders(strategy_id)

    def total_open_orders(self) -> int:
        return 0 if self._desk is None else self._desk.open_total()

    def position_values(self) -> Mapping[InstrumentId, Decimal]:
        return self._tracker.exposure()

    def strategy_exposure(self, strategy_id: StrategyId) -> Decimal:
        if self._desk is None:
            return ZERO
        tracker, gross = self._tracker, ZERO
        for instrument_id in self._desk.instruments_of(strategy_id):
            position = tracker.position(strategy_id, instrument_id)
            if position is None or not position.quantity:
                continue
            mark = tracker.mark_price(instrument_id) or position.average_price
            gross += abs(tracker.rates.to_base(position.quantity * mark, position.currency))
        return gross

    def working_value(self, strategy_id: StrategyId) -> Decimal:
        if self._desk is None:
            return ZERO
        total = ZERO
        for record in self._desk.open_records():
            if record.strategy_id != strategy_id or record.side is not OrderSide.BUY:
                continue  # the paper account is spot and long-only: buys add risk
            price = record.limit_price or record.trigger_price
            price = price or self._tracker.mark_price(record.instrument_id)
            if price is None:
                continue
            currency = self._listing(record.instrument_id).instrument.quote_currency
            leaves = record.quantity - record.filled_quantity
            total += leaves * price * self.fx_rate(currency)
        return total

    def affordable_quantity(
        self, instrument_id: InstrumentId, quantity: Decimal, limit_price: Decimal | None
    ) -> Decimal:
        exchange = self._ref.exchange
        listing = self._listing(instrument_id)
        price = buy_reserve_price(
            listing,
            limit_price,
            None,
            buffer=exchange.config.market_buy_buffer,
            on=self._today(listing),
        )
        if price is None:
            return ZERO
        instrument, liquidity = listing.instrument, listing.reserve_liquidity

        def fee_of(q: Decimal) -> Decimal:
            return rules.fee(instrument, OrderSide.BUY, price, q, liquidity).amount

        budget = self.free_cash(instrument.quote_currency)
        return affordable_quantity(
            listing, quantity=quantity, price=price, budget=budget, fee_of=fee_of
        )

    # --- MarketView -------------------------------------------------------------------------

    def mark_price(self, instrument_id: InstrumentId) -> Decimal | None:
        return self._tracker.mark_price(instrument_id)

    def session_date(self, instrument_id: InstrumentId, ts_ns: int) -> date:
        return self._listing(instrument_id).session_date(ts_ns)

    def price_band(self, instrument_id: InstrumentId) -> tuple[Decimal, Decimal] | None:
        band = self._listing(instrument_id).band
        return None if band is None else (band.lower, band.upper)

    def venue_refusal(
        self,
        instrument_id: InstrumentId,
        side: OrderSide,
        quantity: Decimal,
        limit_price: Decimal | None,
        trigger_price: Decimal | None = None,
    ) -> str | None:
        listing = self._listing(instrument_id)
        today = self._today(listing)
        refusal = rule_refusal(listing, side, quantity, limit_price, trigger_price, today)
        return None if refusal is None else f"[{refusal.code}] {refusal.reason}"

    def trading_calendar(self, instrument_id: InstrumentId) -> TradingCalendar:
        return self._listing(instrument_id).calendar

    def _listing(self, instrument_id: InstrumentId) -> Listing:
        listing = self._ref.exchange.core.listings.get(instrument_id)
        if listing is None:
            raise ConfigurationError(f"the paper exchange does not list {instrument_id}")
        return listing

    def _today(self, listing: Listing) -> date:
        return listing.session_date(self._clock.now_ns())
