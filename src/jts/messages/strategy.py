"""Strategy signals: what a strategy wants, before risk sizes and approves an order."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

import msgspec

from jts.messages.base import Event, tag_for
from jts.messages.enums import Direction, OrderType
from jts.shared_kernel.identifiers import InstrumentId, StrategyId


class SizingKind(StrEnum):
    QUANTITY = "quantity"  # value = number of shares / coins
    PERCENT_EQUITY = "percent_equity"  # value = fraction of equity, 0.1 = 10%
    KELLY = "kelly"  # value = Kelly fraction, cap = maximum fraction of equity
    RISK = "risk"  # value = fraction of equity at risk, stop_distance = price distance


class Sizing(msgspec.Struct, frozen=True, kw_only=True):
    """How big the position should be; risk turns it into a quantity."""

    kind: SizingKind
    value: Decimal
    cap: Decimal | None = None
    stop_distance: Decimal | None = None


class SignalEvent(Event, frozen=True, kw_only=True, tag=tag_for("strategy")):
    strategy_id: StrategyId
    instrument_id: InstrumentId
    direction: Direction
    reason: str = ""


class EntrySignalRaised(SignalEvent, frozen=True, kw_only=True):
    """Open (or add to) a position in ``direction`` at about ``reference_price``."""

    reference_price: Decimal
    sizing: Sizing
    order_type: OrderType = OrderType.MARKET
    limit_price: Decimal | None = None
    ttl_bars: int | None = None
    stop_loss: Decimal | None = None
    take_profit: Decimal | None = None


class ExitSignalRaised(SignalEvent, frozen=True, kw_only=True):
    """Close the position in ``direction`` (all of it)."""

    reference_price: Decimal | None = None
