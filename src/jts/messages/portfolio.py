"""Portfolio events: positions, cash and performance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

from jts.messages.base import Event, tag_for
from jts.shared_kernel.identifiers import AccountId, InstrumentId


class PositionSnapshot(msgspec.Struct, frozen=True, kw_only=True):
    instrument_id: InstrumentId
    quantity: Decimal
    average_price: Decimal
    market_price: Decimal
    realized_pnl: Decimal
    unrealized_pnl: Decimal
    currency: str


class PortfolioEvent(Event, frozen=True, kw_only=True, tag=tag_for("portfolio")):
    account_id: AccountId


class PortfolioUpdated(PortfolioEvent, frozen=True, kw_only=True):
    """Cash by currency, positions and equity in the base currency after a change."""

    base_currency: str = "KRW"
    cash: dict[str, Decimal]
    positions: tuple[PositionSnapshot, ...]
    equity: Decimal


class PerformanceUpdated(PortfolioEvent, frozen=True, kw_only=True):
    """Performance figures (returns, Sharpe, drawdown...) on the live equity curve."""

    equity: Decimal
    figures: dict[str, Decimal]


class DailyReportPublished(PortfolioEvent, frozen=True, kw_only=True):
    """The account's day at the KRX close (``ts_event``): equity, P&L, activity, risk.

    Money is in ``base_currency``. ``pnl`` and ``day_return`` compare ``end_equity`` with
    ``start_equity`` (the previous report's close, or the first equity seen);
    ``realized_pnl`` and ``fees`` are the day's (trades closed and fills booked since the
    previous report), ``unrealized_pnl`` is the open positions' at the close.
    ``strategy_pnl`` is each strategy's change in realized plus unrealized P&L over the day;
    ``risk`` holds the risk guard's figures (drawdown, VaR...); ``location`` says where the
    report file was written ("" when none was)."""

    day: date
    base_currency: str = "KRW"
    start_equity: Decimal
    end_equity: Decimal
    pnl: Decimal
    day_return: Decimal
    realized_pnl: Decimal
    unrealized_pnl: Decimal
    fees: Decimal
    fills: int
    trades: int
    strategy_pnl: dict[str, Decimal]
    positions: tuple[PositionSnapshot, ...]
    risk: dict[str, Decimal]
    location: str = ""
