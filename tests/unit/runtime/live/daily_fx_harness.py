"""A live node with the account reports wired (equity store, report writer, marked FX
series) on in-memory stores, for the equity, performance, daily report and FX tests."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from jts.adapters.bus.inprocess import InProcessEventBus
from jts.adapters.calendars import trading_calendar
from jts.adapters.clock import LiveClock
from jts.adapters.feeds.replay import ReplayFeed
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.portfolio.domain.analytics import ClosedTrade
from jts.contexts.risk.domain.drawdown import DrawdownLimits
from jts.contexts.risk.domain.limits import RiskLimits
from jts.messages.base import Message
from jts.messages.portfolio import DailyReportPublished
from jts.messages.trading import OrderFilled
from jts.runtime.live.assembly import NodeSpec, assemble
from jts.runtime.live.clocks import MarketClock
from jts.runtime.live.node import LiveNode
from jts.runtime.live.node_ports import Checkpoint
from jts.runtime.live.recorder import BarRecorder, SeriesKey
from jts.runtime.live.slots import Slot
from jts.shared_kernel.clock import datetime_to_ns
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.venues.calendar import TradingCalendar
from jts.shared_kernel.venues.catalog import default_registry
from tests.unit.runtime.live.harness import CALENDARS, CASH, SeriesSource, Stores

SEOUL = ZoneInfo("Asia/Seoul")
SAMSUNG = InstrumentId.parse("005930.KRX")
BTC_USDT = InstrumentId.parse("BTCUSDT.BINANCE")
USDT_KRW = InstrumentId.parse("USDT-KRW.UPBIT")
KRX_CALENDARS: dict[str, TradingCalendar] = {
    **CALENDARS,
    "XKRX": trading_calendar("XKRX", first_year=2026, last_year=2026),
}


def kst(day: date, at: time) -> int:
    return datetime_to_ns(datetime.combine(day, at, tzinfo=SEOUL))


class RecordingWriter:
    """A ``DailyReportWriter`` that keeps what it was given."""

    def __init__(self) -> None:
        self.written: list[tuple[DailyReportPublished, list[OrderFilled], list[ClosedTrade]]] = []

    def write(
        self,
        report: DailyReportPublished,
        fills: Sequence[OrderFilled],
        trades: Sequence[ClosedTrade],
    ) -> str:
        self.written.append((report, list(fills), list(trades)))
        return f"memory://daily-{report.account_id}-{report.day.isoformat()}"


def build_reporting(
    series: Sequence[BarSeries],
    slots: Sequence[Slot],
    *,
    clock: MarketClock,
    stores: Stores,
    calendars: Mapping[str, TradingCalendar] = CALENDARS,
    writer: RecordingWriter | None = None,
    checkpoint: Checkpoint | None = None,
    marked: Sequence[SeriesKey] = (),
    fx_rates: Mapping[str, Decimal] | None = None,
    cash: Mapping[str, Decimal] | None = None,
    performance_every_ns: int = 3_600_000_000_000,
) -> LiveNode:
    """A node replaying ``series`` (the ``marked`` ones for their marks only)."""
    registry = default_registry()
    marked_ids = {instrument_id for instrument_id, _ in marked}
    traded = [s.instrument_id for s in series if s.instrument_id not in marked_ids]
    spec = NodeSpec(
        instruments=[registry.get(i) for i in dict.fromkeys(traded)],
        calendars=calendars,
        cash=cash or CASH,
        limits=RiskLimits(),
        drawdown=DrawdownLimits(max_drawdown=Decimal("0.9")),
        order_prefix=f"T{uuid.uuid4().hex[:8]}",
        fx_rates=fx_rates or {},
        fx_instruments={USDT_KRW: "USDT"} if USDT_KRW in marked_ids else {},
        performance_every_ns=performance_every_ns,
    )
    return assemble(
        spec,
        bus=InProcessEventBus(),
        clock=clock,
        feed=ReplayFeed(SeriesSource(series), clock=LiveClock(), speed=None),
        account_store=stores.accounts,
        trading_store=stores.trading.unit_of_work,
        specs=registry,
        slots=slots,
        recorder=BarRecorder(stores.timeseries, batch=1),
        checkpoint=checkpoint,
        feed_start={(s.instrument_id, s.timeframe): int(s.ts_start[0]) for s in series}.get,
        watch_feeds=False,
        equity_store=stores.timeseries,
        report_writer=writer,
        marked=marked,
    )


async def collect(node: LiveNode, pattern: str) -> list[Message]:
    """Everything published on topics matching ``pattern`` from now on (bus started)."""
    seen: list[Message] = []

    async def keep(message: Message) -> None:
        seen.append(message)

    await node.bus.subscribe(pattern, keep, name=f"test.{pattern}")
    return seen
