"""Builders for simulated-exchange tests: a market, its clock, bars, ticks and orders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from jts.messages.enums import OrderSide, OrderType, TimeInForce
from jts.messages.market_data import Bar, QuoteTick, TradeTick
from jts.messages.trading import OrderEvent, OrderFilled, SubmitOrder
from jts.runtime.backtest.exchange import ExchangeConfig, SimulatedExchange
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.identifiers import ClientOrderId, InstrumentId, StrategyId
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar
from jts.shared_kernel.venues.catalog import default_registry
from tests.unit.shared_kernel.venues.calendars import krx_test_calendar, kst

SAMSUNG = InstrumentId.parse("005930.KRX")
KODEX = InstrumentId.parse("069500.KRX")
BTC_KRW = InstrumentId.parse("BTC-KRW.UPBIT")
BTC_USDT = InstrumentId.parse("BTCUSDT.BINANCE")
MINUTE = 60 * 1_000_000_000
CRYPTO_START = 1_767_225_600_000_000_000  # 2026-01-01T00:00:00Z
KRX_OPEN = kst(2026, 1, 5, 9, 0)  # a Monday session
D = Decimal


@dataclass
class Market:
    exchange: SimulatedExchange
    clock: TestClock
    events: list[OrderEvent]

    def take(self) -> list[OrderEvent]:
        events, self.events[:] = list(self.events), []
        return events

    def fills(self) -> list[OrderFilled]:
        return [e for e in self.events if isinstance(e, OrderFilled)]

    def at(self, ts_ns: int) -> Market:
        self.clock.set_ns(ts_ns)
        return self


def market(
    *,
    start_ns: int = CRYPTO_START,
    config: ExchangeConfig | None = None,
    balances: dict[str, Decimal] | None = None,
) -> Market:
    clock = TestClock(start_ns)
    events: list[OrderEvent] = []
    exchange = SimulatedExchange(
        instruments=default_registry(),
        calendars={"XKRX": krx_test_calendar(), "24/7": AlwaysOpenCalendar()},
        clock=clock,
        balances=balances if balances is not None else {"KRW": D(100_000_000), "USDT": D(100_000)},
        config=config,
        sink=events.append,
    )
    return Market(exchange, clock, events)


def bar(
    instrument_id: InstrumentId,
    start_ns: int,
    ohlc: Sequence[Decimal | int | str],
    volume: Decimal | int | str = 1_000,
    *,
    length_ns: int = MINUTE,
) -> Bar:
    o, h, low, c = (D(str(v)) for v in ohlc)
    return Bar(
        instrument_id=instrument_id,
        timeframe=Timeframe(length_ns // 1_000_000_000),
        ts_start=start_ns,
        ts_event=start_ns + length_ns,
        ts_init=start_ns + length_ns,
        open=o,
        high=h,
        low=low,
        close=c,
        volume=D(str(volume)),
    )


def trade(
    instrument_id: InstrumentId,
    ts_ns: int,
    price: Decimal | int | str,
    size: Decimal | int | str = 100,
) -> TradeTick:
    return TradeTick(
        instrument_id=instrument_id,
        price=D(str(price)),
        size=D(str(size)),
        ts_event=ts_ns,
        ts_init=ts_ns,
    )


def quote(
    instrument_id: InstrumentId,
    ts_ns: int,
    bid: Decimal | int | str,
    ask: Decimal | int | str,
    size: Decimal | int | str = 100,
) -> QuoteTick:
    return QuoteTick(
        instrument_id=instrument_id,
        bid_price=D(str(bid)),
        ask_price=D(str(ask)),
        bid_size=D(str(size)),
        ask_size=D(str(size)),
        ts_event=ts_ns,
        ts_init=ts_ns,
    )


_counter = iter(range(10**9))


def order(
    instrument_id: InstrumentId,
    side: OrderSide,
    quantity: Decimal | int | str,
    *,
    limit: Decimal | int | str | None = None,
    trigger: Decimal | int | str | None = None,
    tif: TimeInForce = TimeInForce.GTC,
    expire_ns: int | None = None,
    reduce_only: bool = False,
    client_order_id: str | None = None,
) -> SubmitOrder:
    if trigger is not None:
        order_type = OrderType.STOP_LIMIT if limit is not None else OrderType.STOP_MARKET
    else:
        order_type = OrderType.LIMIT if limit is not None else OrderType.MARKET
    return SubmitOrder(
        client_order_id=ClientOrderId(client_order_id or f"O{next(_counter)}"),
        strategy_id=StrategyId("test"),
        instrument_id=instrument_id,
        side=side,
        order_type=order_type,
        quantity=D(str(quantity)),
        limit_price=None if limit is None else D(str(limit)),
        trigger_price=None if trigger is None else D(str(trigger)),
        time_in_force=tif,
        expire_time_ns=expire_ns,
        reduce_only=reduce_only,
        ts_init=0,
    )


BUY, SELL = OrderSide.BUY, OrderSide.SELL
