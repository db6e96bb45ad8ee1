"""``BacktestAccount``: the account and market views risk asks for, in a backtest.

It answers from the portfolio (equity: cash and positions booked from fills, marked at each
instrument's last close, other currencies at the FX rate in force) and from the simulated
exchange, which is the venue (free cash and units, today's price band, reservation prices
and order rules), so risk sizes and checks orders exactly as the venue will treat them.

The account has one book: a strategy's exposure is the account's gross exposure (a run
trades one strategy), and its working value is what its working buys would pay.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal

from jts.contexts.portfolio.domain.fx import FxRates
from jts.contexts.portfolio.domain.portfolio import Portfolio
from jts.runtime.backtest.engine.fx import FxSeries
from jts.runtime.backtest.engine.market import MarketData
from jts.runtime.backtest.engine.orders import OrderDesk
from jts.runtime.backtest.exchange.listing import Listing
from jts.runtime.backtest.exchange.reservations import affordable_quantity, buy_reserve_price
from jts.runtime.backtest.exchange.validation import rule_refusal
from jts.shared_kernel.clock import Clock
from jts.shared_kernel.identifiers import InstrumentId, StrategyId
from jts.shared_kernel.numbers import ONE, ZERO
from jts.shared_kernel.venues import rules
from jts.shared_kernel.venues.calendar import TradingCalendar
from jts.shared_kernel.venues.types import OrderSide


class LastCloses(Mapping[InstrumentId, Decimal]):
    """Each instrument's latest close, exact, made when asked for."""

    def __init__(
        self, markets: Mapping[InstrumentId, MarketData], rows: dict[InstrumentId, int]
    ) -> None:
        self._markets = markets
        self.rows = rows

    def __getitem__(self, instrument_id: InstrumentId) -> Decimal:
        row = self.rows[instrument_id]
        if row < 0:
            raise KeyError(instrument_id)
        return self._markets[instrument_id].close_price(row)

    def __iter__(self) -> Iterator[InstrumentId]:
        return (key for key, row in self.rows.items() if row >= 0)

    def __len__(self) -> int:
        return sum(1 for row in self.rows.values() if row >= 0)


class BacktestAccount:
    """Risk's ``AccountView`` and ``MarketView`` over the portfolio and the exchange."""

    def __init__(
        self,
        *,
        portfolio: Portfolio,
        desk: OrderDesk,
        markets: Mapping[InstrumentId, MarketData],
        rows: dict[InstrumentId, int],
        fx: Mapping[str, FxSeries],
        clock: Clock,
    ) -> None:
        self.portfolio = portfolio
        self._desk = desk
        self._exchange = desk.exchange
        self._fx = fx
        self._clock = clock
        self.closes = LastCloses(markets, rows)

    # --- AccountView ------------------------------------------------------------------------

    @property
    def base_currency(self) -> str:
        return self.portfolio.base_currency

    def rates(self) -> FxRates:
        now = self._clock.now_ns()
        return FxRates(self.base_currency, {c: s.rate_at(now) for c, s in self._fx.items()})

    def equity(self) -> Decimal:
        return self.portfolio.equity(self.closes, self.rates())

    def fx_rate(self, currency: str) -> Decimal:
        if currency == self.base_currency:
            return ONE
        return self.rates().rate(currency)

    def free_cash(self, currency: str) -> Decimal:
        return self._exchange.core.account.free_cash(currency)

    def free_quantity(self, instrument_id: InstrumentId) -> Decimal:
        return self._exchange.core.account.free_holding(instrument_id)

    def open_order_count(self, strategy_id: StrategyId) -> int:
        return self._desk.live_for(strategy_id)

    def total_open_orders(self) -> int:
        return sum(self._desk.live.values())

    def position_values(self) -> Mapping[InstrumentId, Decimal]:
        rates, closes = self.rates(), self.closes
        return {
            p.instrument_id: rates.to_base(
                p.quantity * closes.get(p.instrument_id, p.average_price), p.currency
            )
            for p in self.portfolio.positions()
            if p.quantity
        }

    def strategy_exposure(self, strategy_id: StrategyId) -> Decimal:
        return sum((abs(value) for value in self.position_values().values()), ZERO)

    def working_value(self, strategy_id: StrategyId) -> Decimal:
        total = ZERO
        for record in self._desk.records.values():
            if (
                record.status.is_terminal
                or record.strategy_id != strategy_id
                or record.side is not OrderSide.BUY
            ):
                continue
            price = record.limit_price or record.trigger_price
            price = price or self.mark_price(record.instrument_id)
            if price is None:
                continue
            currency = self._listing(record.instrument_id).instrument.quote_currency
            leaves = record.quantity - record.filled_quantity
            total += leaves * price * self.fx_rate(currency)
        return total

    def affordable_quantity(
        self, instrument_id: InstrumentId, quantity: Decimal, limit_price: Decimal | None
    ) -> Decimal:
        self._desk.prepare(instrument_id)
        listing = self._listing(instrument_id)
        price = buy_reserve_price(
            listing,
            limit_price,
            None,
            buffer=self._exchange.config.market_buy_buffer,
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
        return self.closes.get(instrument_id)

    def session_date(self, instrument_id: InstrumentId, ts_ns: int) -> date:
        return self._listing(instrument_id).session_date(ts_ns)

    def price_band(self, instrument_id: InstrumentId) -> tuple[Decimal, Decimal] | None:
        self._desk.prepare(instrument_id)
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
        self._desk.prepare(instrument_id)
        listing = self._listing(instrument_id)
        today = self._today(listing)
        refusal = rule_refusal(listing, side, quantity, limit_price, trigger_price, today)
        return None if refusal is None else f"[{refusal.code}] {refusal.reason}"

    def trading_calendar(self, instrument_id: InstrumentId) -> TradingCalendar:
        return self._listing(instrument_id).calendar

    def _listing(self, instrument_id: InstrumentId) -> Listing:
        return self._exchange.core.listings[instrument_id]

    def _today(self, listing: Listing) -> date:
        return listing.session_date(self._clock.now_ns())
