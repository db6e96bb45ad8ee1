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
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

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
from jts.shared_kernel.venues.types import OrderSide

OpenOrderCount = Callable[[StrategyId], int]


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

    def for_strategy(self, strategy_id: StrategyId) -> PaperAccountView:
        """The same account as one strategy sees it (its own holdings)."""
        return PaperAccountView(
            tracker=self._tracker,
            exchange=self._ref,
            clock=self._clock,
            open_orders=self.open_order_count,
            strategy_id=strategy_id,
        )

    def bind_open_orders(self, open_orders: OpenOrderCount) -> None:
        """Count working orders with ``open_orders`` (the desk, built after this view)."""
        self._open_orders = open_orders

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

    def _listing(self, instrument_id: InstrumentId) -> Listing:
        listing = self._ref.exchange.core.listings.get(instrument_id)
        if listing is None:
            raise ConfigurationError(f"the paper exchange does not list {instrument_id}")
        return listing

    def _today(self, listing: Listing) -> date:
        return listing.session_date(self._clock.now_ns())
