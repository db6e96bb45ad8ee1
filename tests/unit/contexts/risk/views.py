"""A fake account and market for risk tests: plain numbers the test sets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from jts.shared_kernel.identifiers import InstrumentId, StrategyId
from jts.shared_kernel.numbers import ONE
from jts.shared_kernel.venues import rules
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
