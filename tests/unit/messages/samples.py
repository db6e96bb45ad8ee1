"""Small builders of valid messages for tests."""

from __future__ import annotations

from decimal import Decimal

from jts.messages.enums import OrderSide, OrderType
from jts.messages.market_data import Bar
from jts.messages.trading import OrderFilled, SubmitOrder
from jts.shared_kernel.identifiers import (
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TradeId,
    VenueOrderId,
)
from jts.shared_kernel.timeframes import Timeframe

SAMSUNG = InstrumentId.parse("005930.KRX")


def sample_fill(price: Decimal = Decimal(70100), quantity: Decimal = Decimal(1)) -> OrderFilled:
    return OrderFilled(
        client_order_id=ClientOrderId("JTS-1"),
        instrument_id=SAMSUNG,
        venue_order_id=VenueOrderId("V1"),
        trade_id=TradeId("T1"),
        strategy_id=StrategyId("golden_cross"),
        side=OrderSide.BUY,
        last_qty=quantity,
        last_price=price,
        ts_event=1,
        ts_init=1,
    )


def sample_order(**overrides: object) -> SubmitOrder:
    fields: dict[str, object] = {
        "client_order_id": ClientOrderId("JTS-1"),
        "instrument_id": SAMSUNG,
        "strategy_id": StrategyId("golden_cross"),
        "side": OrderSide.BUY,
        "order_type": OrderType.LIMIT,
        "quantity": Decimal(10),
        "limit_price": Decimal(70000),
        "ts_init": 1,
    }
    fields.update(overrides)
    return SubmitOrder(**fields)  # type: ignore[arg-type]


def sample_bar(**overrides: object) -> Bar:
    fields: dict[str, object] = {
        "instrument_id": SAMSUNG,
        "timeframe": Timeframe.parse("1m"),
        "ts_start": 0,
        "ts_event": 60_000_000_000,
        "ts_init": 60_000_000_000,
        "open": Decimal(70000),
        "high": Decimal(70200),
        "low": Decimal(69900),
        "close": Decimal(70100),
        "volume": Decimal(1200),
    }
    fields.update(overrides)
    return Bar(**fields)  # type: ignore[arg-type]
