"""A live node on in-memory stores and a replay of given bars, for unit tests.

Everything is real (bus, OMS, paper broker, simulated exchange, risk, portfolio) except the
stores, which are the in-memory fakes, and the calendars, which trade around the clock.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from jts.adapters.bus.inprocess import InProcessEventBus
from jts.adapters.clock import LiveClock
from jts.adapters.feeds.replay import ReplayFeed
from jts.adapters.sql.memory import InMemoryStore
from jts.adapters.timeseries.memory import InMemoryTimeSeriesStore
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.tick_series import TickSeries
from jts.contexts.risk.application.kill_switch import KillSwitch
from jts.contexts.risk.domain.drawdown import DrawdownLimits
from jts.contexts.risk.domain.limits import RiskLimits
from jts.contexts.strategy.domain.language import compile_strategy
from jts.contexts.strategy.domain.language.compiler import CompiledStrategy
from jts.messages.market_data import Bar
from jts.runtime.backtest.exchange.memory_store import InMemoryAccountStore
from jts.runtime.live.assembly import NodeSpec, assemble
from jts.runtime.live.node import LiveNode
from jts.runtime.live.recorder import BarRecorder
from jts.runtime.live.slots import Slot
from jts.shared_kernel.clock import Clock
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar
from jts.shared_kernel.venues.catalog import default_registry

BTC = InstrumentId.parse("BTC-KRW.UPBIT")
ETH = InstrumentId.parse("ETH-KRW.UPBIT")
MINUTE = 60_000_000_000
START = 1_767_225_600_000_000_000  # 2026-01-01T00:00:00Z
CASH = {"KRW": Decimal(100_000_000)}
CALENDARS = {"24/7": AlwaysOpenCalendar(), "XKRX": AlwaysOpenCalendar("XKRX")}


def bars(
    closes: Sequence[float], instrument: InstrumentId = BTC, *, start: int = START
) -> BarSeries:
    """Minute bars whose open is the previous close (the first opens at its close)."""
    made = []
    previous = closes[0]
    for i, close in enumerate(closes):
        opened, closed = Decimal(str(previous)), Decimal(str(close))
        begin = start + i * MINUTE
        made.append(
            Bar(
                instrument_id=instrument,
                timeframe=Timeframe(60),
                ts_start=begin,
                ts_event=begin + MINUTE,
                ts_init=begin + MINUTE,
                open=opened,
                high=max(opened, closed),
                low=min(opened, closed),
                close=closed,
                volume=Decimal(100),
            )
        )
        previous = close
    return BarSeries.from_bars(made)


def program(
    rules: str, *, universe: str = "BTC-KRW.UPBIT", size: str = "quantity(0.1)"
) -> CompiledStrategy:
    source = f'strategy "test"\nuniverse {universe}\ntimeframe 1m\n{rules}\nsize {size}\n'
    return compile_strategy(source, "test.jts")


class SeriesSource:
    """Given series as the replay feed's source."""

    def __init__(self, series: Sequence[BarSeries]) -> None:
        self._series = {(s.instrument_id, s.timeframe): s for s in series}

    def bars(
        self,
        instrument_id: InstrumentId,
        timeframe: Timeframe,
        start_ns: int | None,
        end_ns: int | None,
    ) -> BarSeries:
        return self._series[(instrument_id, timeframe)].between(start_ns, end_ns)

    def ticks(
        self, instrument_id: InstrumentId, start_ns: int | None, end_ns: int | None
    ) -> TickSeries:
        raise AssertionError("bar replays only")


class Stores:
    """The in-memory stores one node uses; a second node on the same ``Stores`` is a restart."""

    def __init__(self) -> None:
        self.trading = InMemoryStore()
        self.accounts = InMemoryAccountStore()
        self.timeseries = InMemoryTimeSeriesStore()


def build(
    series: Sequence[BarSeries],
    slots: Sequence[Slot],
    *,
    clock: Clock,
    stores: Stores | None = None,
    limits: RiskLimits | None = None,
    drawdown: DrawdownLimits | None = None,
    cash: dict[str, Decimal] | None = None,
    kill_switch: KillSwitch | None = None,
) -> LiveNode:
    """A node replaying ``series`` as fast as it can through ``slots``."""
    stores = stores or Stores()
    registry = default_registry()
    instruments = [registry.get(s.instrument_id) for s in series]
    spec = NodeSpec(
        instruments=instruments,
        calendars=CALENDARS,
        cash=cash or CASH,
        limits=limits or RiskLimits(),
        drawdown=drawdown or DrawdownLimits(max_drawdown=Decimal("0.9")),
        order_prefix=f"T{uuid.uuid4().hex[:8]}",
    )
    feed = ReplayFeed(SeriesSource(series), clock=LiveClock(), speed=None)
    return assemble(
        spec,
        bus=InProcessEventBus(),
        clock=clock,
        feed=feed,
        account_store=stores.accounts,
        trading_store=stores.trading.unit_of_work,
        specs=registry,
        slots=slots,
        recorder=BarRecorder(stores.timeseries, batch=1),
        feed_start={(s.instrument_id, s.timeframe): int(s.ts_start[0]) for s in series}.get,
        kill_switch=kill_switch,
    )
