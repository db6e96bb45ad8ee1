"""A fake account and market for risk tests: plain numbers the test sets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from jts.contexts.risk.domain.checks_market import DayLoss
from jts.contexts.risk.domain.var import VarModel
from jts.shared_kernel.identifiers import InstrumentId, StrategyId
from jts.shared_kernel.numbers import ONE
from jts.shared_kernel.venues import rules
from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar, TradingCalendar
from jts.shared_kernel.venues.catalog import default_registry
from jts.shared_kernel.venues.types import OrderSide

D = Decimal
REGISTRY = default_registry()
SAMSUNG = REGISTRY.get("005930.KRX")
BTC_USDT = REGISTRY.get("BTCUSDT.BINANCE")


@dataclass
class FakeAccount:
    """Risk's ``AccountView`` and ``MarketView`` over numbers a test sets."""

    base_currency: str = "KRW"
    equity_value: Decimal = field(default_factory=lambda: D(100_000_000))
    rates: dict[str, Decimal] = field(default_factory=lambda: {"USDT": D(1_350)})
    cash: dict[str, Decimal] = field(default_factory=lambda: {"KRW": D(100_000_000)})
    held: dict[InstrumentId, Decimal] = field(default_factory=dict)
    open_orders: int = 0
    marks: dict[InstrumentId, Decimal] = field(default_factory=dict)
    band: tuple[Decimal, Decimal] | None = None
    refusal: str | None = None
    affordable_at: Decimal | None = None  # the reserve price of market buys
    day: date = date(2026, 1, 5)
    total_open: int = 0
    values: dict[InstrumentId, Decimal] = field(default_factory=dict)
    strategy_gross: Decimal = field(default_factory=Decimal)
    working: Decimal = field(default_factory=Decimal)
    calendar: TradingCalendar = field(default_factory=AlwaysOpenCalendar)

    def equity(self) -> Decimal:
        return self.equity_value

    def fx_rate(self, currency: str) -> Decimal:
        return ONE if currency == self.base_currency else self.rates[currency]

    def free_cash(self, currency: str) -> Decimal:
        return self.cash.get(currency, D(0))

    def free_quantity(self, instrument_id: InstrumentId) -> Decimal:
        return self.held.get(instrument_id, D(0))

    def open_order_count(self, strategy_id: StrategyId) -> int:
        return self.open_orders

    def total_open_orders(self) -> int:
        return self.total_open

    def position_values(self) -> Mapping[InstrumentId, Decimal]:
        return self.values

    def strategy_exposure(self, strategy_id: StrategyId) -> Decimal:
        return self.strategy_gross

    def working_value(self, strategy_id: StrategyId) -> Decimal:
        return self.working

    def trading_calendar(self, instrument_id: InstrumentId) -> TradingCalendar:
        return self.calendar

    def affordable_quantity(
        self, instrument_id: InstrumentId, quantity: Decimal, limit_price: Decimal | None
    ) -> Decimal:
        instrument = REGISTRY.get(instrument_id)
        price = limit_price or self.affordable_at or self.marks[instrument_id]
        budget = self.free_cash(instrument.quote_currency)
        rate = instrument.fees.taker_rate
        most = rules.round_quantity(instrument, budget / (price * (1 + rate)))
        return min(quantity, most)

    def mark_price(self, instrument_id: InstrumentId) -> Decimal | None:
        return self.marks.get(instrument_id)

    def session_date(self, instrument_id: InstrumentId, ts_ns: int) -> date:
        return self.day

    def price_band(self, instrument_id: InstrumentId) -> tuple[Decimal, Decimal] | None:
        return self.band

    def venue_refusal(
        self,
        instrument_id: InstrumentId,
        side: OrderSide,
        quantity: Decimal,
        limit_price: Decimal | None,
        trigger_price: Decimal | None = None,
    ) -> str | None:
        return self.refusal


@dataclass
class FakeRiskState:
    """Risk's ``RiskStateView`` over a day's equity and a VaR model a test sets."""

    day: DayLoss | None = None
    model: VarModel | None = None

    def day_loss(self, ts_ns: int) -> DayLoss | None:
        return self.day

    def var_model(self) -> VarModel | None:
        return self.model
