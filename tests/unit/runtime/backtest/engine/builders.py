"""Builders for event-engine tests: minute bars of BTC-KRW on Upbit and small programs."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.strategy.domain.language import compile_strategy
from jts.contexts.strategy.domain.language.compiler import CompiledStrategy
from jts.messages.market_data import Bar
from jts.runtime.backtest.engine import EngineConfig, EventDrivenBacktest
from jts.runtime.backtest.results import BacktestResult
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar
from jts.shared_kernel.venues.catalog import default_registry
from tests.unit.shared_kernel.venues.calendars import krx_test_calendar

BTC_KRW = InstrumentId.parse("BTC-KRW.UPBIT")
BTC_USDT = InstrumentId.parse("BTCUSDT.BINANCE")
MINUTE = 60_000_000_000
START = 1_767_225_600_000_000_000  # 2026-01-01T00:00:00Z
M = 1_000_000  # prices below are in millions of won
D = Decimal
Row = tuple[float, float, float, float]


def series(rows: Sequence[Row], instrument: InstrumentId = BTC_KRW, *, scale: int = M) -> BarSeries:
    """Minute bars ``(open, high, low, close)``, prices times ``scale``."""
    bars = []
    for i, row in enumerate(rows):
        o, h, low, c = (D(str(value)) * scale for value in row)
        start = START + i * MINUTE
        bars.append(
            Bar(
                instrument_id=instrument,
                timeframe=Timeframe(60),
                ts_start=start,
                ts_event=start + MINUTE,
                ts_init=start + MINUTE,
                open=o,
                high=h,
                low=low,
                close=c,
                volume=D(100),
            )
        )
    return BarSeries.from_bars(bars)


def program(
    rules: str, *, universe: str = "BTC-KRW.UPBIT", size: str = "quantity(0.1)"
) -> CompiledStrategy:
    source = f"""strategy "test"
universe {universe}
timeframe 1m
{rules}
size {size}
"""
    return compile_strategy(source, "test.jts")


def engine(config: EngineConfig | None = None) -> EventDrivenBacktest:
    return EventDrivenBacktest(
        instruments=default_registry(),
        calendars={"XKRX": krx_test_calendar(), "24/7": AlwaysOpenCalendar()},
        config=config,
    )


def backtest(rules: str, rows: Sequence[Row], **options: str) -> BacktestResult:
    return engine().run_program(program(rules, **options), [series(rows)])


def ts(bar: int) -> int:
    """The close time of bar ``bar``."""
    return START + (bar + 1) * MINUTE
