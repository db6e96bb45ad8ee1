"""Builders for execution-algorithm tests."""

from __future__ import annotations

from decimal import Decimal

from jts.contexts.trading.application.algorithms.children import ParentOrder
from jts.messages.enums import OrderSide
from jts.messages.trading import (
    OrderCanceled,
    OrderFilled,
    SubmitOrder,
    TradingCommand,
)
from jts.shared_kernel.identifiers import ClientOrderId, StrategyId, TradeId, VenueOrderId
from tests.unit.contexts.trading.fakes import SAMSUNG

SECOND = 10**9
_trades = iter(range(10**9))


def parent(quantity: str = "100", *, limit: str | None = None, lot: str = "1") -> ParentOrder:
    return ParentOrder(
        client_order_id=ClientOrderId("P1"),
        strategy_id=StrategyId("algo"),
        instrument_id=SAMSUNG,
        side=OrderSide.BUY,
        quantity=Decimal(quantity),
        limit_price=None if limit is None else Decimal(limit),
        lot_size=Decimal(lot),
    )


def submits(commands: list[TradingCommand]) -> list[SubmitOrder]:
    assert all(isinstance(c, SubmitOrder) for c in commands)
    return [c for c in commands if isinstance(c, SubmitOrder)]


def filled(child: SubmitOrder, quantity: Decimal | None = None) -> OrderFilled:
    return OrderFilled(
        client_order_id=child.client_order_id,
        instrument_id=child.instrument_id,
        venue_order_id=VenueOrderId("V"),
        trade_id=TradeId(f"T{next(_trades)}"),
        strategy_id=child.strategy_id,
        side=child.side,
        last_qty=child.quantity if quantity is None else quantity,
        last_price=Decimal(70000),
        ts_event=1,
        ts_init=1,
    )


def canceled(child: SubmitOrder) -> OrderCanceled:
    return OrderCanceled(
        client_order_id=child.client_order_id,
        instrument_id=child.instrument_id,
        ts_event=1,
        ts_init=1,
    )
