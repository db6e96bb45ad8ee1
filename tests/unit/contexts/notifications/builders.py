"""Events worth a notification, a recording notifier and times in KST for these tests."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from jts.contexts.notifications.domain.formatting import InstrumentLabel
from jts.contexts.notifications.domain.model import Notification
from jts.messages.enums import HealthStatus, OrderSide, Severity
from jts.messages.market_data import FeedStale, FeedStaleReason
from jts.messages.risk import RiskLimitBreached
from jts.messages.system import ErrorReported, HealthReported
from jts.messages.trading import OrderDenied, OrderFilled
from jts.shared_kernel.clock import datetime_to_ns
from jts.shared_kernel.identifiers import (
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TradeId,
    VenueOrderId,
)

SEOUL = ZoneInfo("Asia/Seoul")
SAMSUNG = InstrumentId.parse("005930.KRX")
BTC_USDT = InstrumentId.parse("BTCUSDT.BINANCE")
DIRECTORY = {
    SAMSUNG: InstrumentLabel(name="삼성전자", currency="KRW"),
    BTC_USDT: InstrumentLabel(name="BTC/USDT", currency="USDT"),
}
MINUTE_NS = 60_000_000_000


def kst(year: int, month: int, day: int, hour: int, minute: int = 0) -> int:
    """UNIX ns of a wall-clock time in Seoul."""
    return datetime_to_ns(datetime(year, month, day, hour, minute, tzinfo=SEOUL))


def fill(
    *,
    instrument_id: InstrumentId = SAMSUNG,
    qty: str = "10",
    price: str = "71500",
    commission: str = "107",
    currency: str = "KRW",
    ts: int = 1,
) -> OrderFilled:
    return OrderFilled(
        client_order_id=ClientOrderId("JTS-1"),
        instrument_id=instrument_id,
        venue_order_id=VenueOrderId("V1"),
        trade_id=TradeId("T1"),
        strategy_id=StrategyId("golden_cross"),
        side=OrderSide.BUY,
        last_qty=Decimal(qty),
        last_price=Decimal(price),
        commission=Decimal(commission),
        commission_currency=currency,
        ts_event=ts,
        ts_init=ts,
    )


def denial(ts: int = 1, order: str = "JTS-2") -> OrderDenied:
    return OrderDenied(
        client_order_id=ClientOrderId(order),
        instrument_id=SAMSUNG,
        reason="notional 12,000,000 KRW exceeds 10,000,000 KRW",
        rule="max_order_notional",
        ts_event=ts,
        ts_init=ts,
    )


def breach(ts: int = 1) -> RiskLimitBreached:
    return RiskLimitBreached(
        rule="max_drawdown",
        limit=Decimal("0.15"),
        value=Decimal("0.1623"),
        scope="portfolio",
        action="kill switch: flatten and stop new orders",
        ts_event=ts,
        ts_init=ts,
    )


def error(severity: Severity = Severity.WARNING, ts: int = 1) -> ErrorReported:
    return ErrorReported(
        component="kis.ws",
        error_type="ConnectionClosed",
        message="websocket closed by the venue; reconnecting",
        severity=severity,
        ts_event=ts,
        ts_init=ts,
    )


def health(status: HealthStatus, ts: int = 1) -> HealthReported:
    return HealthReported(
        component="binance.feed", status=status, detail="no heartbeat", ts_event=ts, ts_init=ts
    )


def stale(ts: int = 1) -> FeedStale:
    return FeedStale(
        instrument_id=SAMSUNG,
        reason=FeedStaleReason.NO_DATA,
        last_data_ns=ts - 90_000_000_000,
        ts_event=ts,
        ts_init=ts,
    )


class RecordingNotifier:
    """Keeps what it was given; raises ``fail_with`` instead when set."""

    def __init__(self, fail_with: Exception | None = None) -> None:
        self.sent: list[Notification] = []
        self.fail_with = fail_with

    async def send(self, notification: Notification) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.sent.append(notification)
