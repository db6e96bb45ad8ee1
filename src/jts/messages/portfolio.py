"""Portfolio events: positions, cash and performance."""

from __future__ import annotations

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
