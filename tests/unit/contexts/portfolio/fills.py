"""Builders for portfolio tests: venue fills of the built-in instruments."""

from __future__ import annotations

import itertools
from decimal import Decimal

from jts.messages.enums import LiquiditySide, OrderSide
from jts.messages.trading import OrderFilled
from jts.shared_kernel.identifiers import ClientOrderId, StrategyId, TradeId, VenueOrderId
from jts.shared_kernel.venues.catalog import default_registry
from jts.shared_kernel.venues.instruments import Instrument

REGISTRY = default_registry()
SAMSUNG = REGISTRY.get("005930.KRX")
BTC_USDT = REGISTRY.get("BTCUSDT.BINANCE")
BTC_KRW = REGISTRY.get("BTC-KRW.UPBIT")
D = Decimal
_numbers = itertools.count(1)


def fill(
    instrument: Instrument,
    side: OrderSide,
    quantity: str | int,
    price: str | int,
    *,
    commission: str | int = 0,
    currency: str | None = None,
    tax: str | int = 0,
    ts: int = 1,
) -> OrderFilled:
    number = next(_numbers)
    return OrderFilled(
        client_order_id=ClientOrderId(f"C-{number}"),
        instrument_id=instrument.id,
        venue_order_id=VenueOrderId(f"V-{number}"),
        trade_id=TradeId(f"T-{number}"),
        strategy_id=StrategyId("test"),
        side=side,
        last_qty=D(str(quantity)),
        last_price=D(str(price)),
        commission=D(str(commission)),
        tax=D(str(tax)),
        commission_currency=currency or instrument.quote_currency,
        liquidity_side=LiquiditySide.TAKER,
        ts_event=ts,
        ts_init=ts,
    )


BUY, SELL = OrderSide.BUY, OrderSide.SELL
