"""What the risk context needs from outside: the account, the market, instrument specs and,
live, the account's risk state.

Risk owns these protocols; bootstrap (or the backtest engine) hands in objects that satisfy
them, backed by the portfolio, the venue's balances and the order store. Risk never imports
those contexts. ``RiskStateView`` (the day's loss, the fitted VaR model) is what the live
risk guard keeps; a backtest has none, and the gate refuses limits that need it there.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Protocol

from jts.contexts.risk.domain.checks_market import DayLoss
from jts.contexts.risk.domain.var.model import VarModel
from jts.shared_kernel.identifiers import InstrumentId, StrategyId
from jts.shared_kernel.venues.calendar import TradingCalendar
from jts.shared_kernel.venues.instruments import Instrument
from jts.shared_kernel.venues.types import OrderSide


class AccountView(Protocol):
    """The account as risk sees it, now."""

    @property
    def base_currency(self) -> str: ...

    def equity(self) -> Decimal:
        """Cash plus positions at the latest prices, in the base currency."""
        ...

    def fx_rate(self, currency: str) -> Decimal:
        """The value of one unit of ``currency`` in the base currency."""
        ...

    def free_cash(self, currency: str) -> Decimal:
        """Cash not locked by working orders."""
        ...

    def free_quantity(self, instrument_id: InstrumentId) -> Decimal:
        """Units held and not locked by working sells (negative when short)."""
        ...

    def open_order_count(self, strategy_id: StrategyId) -> int:
        """Orders of ``strategy_id`` still working (or on their way) at a venue."""
        ...

    def total_open_orders(self) -> int:
        """Orders of every strategy still working (or on their way) at a venue."""
        ...

    def position_values(self) -> Mapping[InstrumentId, Decimal]:
        """The account's positions: signed values at the latest prices, base currency."""
        ...

    def strategy_exposure(self, strategy_id: StrategyId) -> Decimal:
        """The sum of the absolute values of ``strategy_id``'s positions, base currency."""
        ...

    def working_value(self, strategy_id: StrategyId) -> Decimal:
        """What ``strategy_id``'s working buy orders (not reduce-only) would pay for what
        they have left, at their limit (or trigger, or the latest) price, base currency."""
        ...

    def affordable_quantity(
        self, instrument_id: InstrumentId, quantity: Decimal, limit_price: Decimal | None
    ) -> Decimal:
        """The most of a buy of ``quantity`` (whole lots) the free cash can pay for, valued
        the way the venue reserves cash for it (a market buy at its reserve price)."""
        ...


class MarketView(Protocol):
    """What risk needs to know about an instrument's market now."""

    def mark_price(self, instrument_id: InstrumentId) -> Decimal | None:
        """The latest price, or ``None`` before the first one."""
        ...

    def session_date(self, instrument_id: InstrumentId, ts_ns: int) -> date:
        """The venue-local trading date of ``ts_ns`` (it picks the tick table in force)."""
        ...

    def price_band(self, instrument_id: InstrumentId) -> tuple[Decimal, Decimal] | None:
        """Today's lowest and highest allowed prices (KRX), or ``None`` without a band."""
        ...

    def venue_refusal(
        self,
        instrument_id: InstrumentId,
        side: OrderSide,
        quantity: Decimal,
        limit_price: Decimal | None,
        trigger_price: Decimal | None = None,
    ) -> str | None:
        """Why the venue's order rules would refuse these terms, or ``None``."""
        ...

    def trading_calendar(self, instrument_id: InstrumentId) -> TradingCalendar:
        """The sessions of the instrument's venue."""
        ...


class RiskStateView(Protocol):
    """The live account's risk state, as the risk guard keeps it."""

    def day_loss(self, ts_ns: int) -> DayLoss | None:
        """The day's opening and latest equity for the day of ``ts_ns`` (``None`` before the
        day's first equity observation)."""
        ...

    def var_model(self) -> VarModel | None:
        """The VaR model of the returns window, ``None`` until it holds enough days."""
        ...


class InstrumentSpecs(Protocol):
    """Instrument specs by id (``InstrumentRegistry`` is one)."""

    def get(self, instrument_id: InstrumentId) -> Instrument: ...
