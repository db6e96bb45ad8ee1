"""The live strategy engine: signals on the bus, warm-up, stale feeds, reduce-only and a
failing strategy stopped alone."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jts.contexts.strategy.domain.python_api import StrategyContext, quantity
from jts.messages.base import Message
from jts.messages.enums import Direction, Severity
from jts.messages.market_data import FeedRecovered, FeedStale, FeedStaleReason
from jts.messages.portfolio import PositionSnapshot
from jts.messages.strategy import EntrySignalRaised, ExitSignalRaised
from jts.messages.system import ErrorReported
from jts.runtime.live.slots import ProgramSlot, PythonSlot
from jts.runtime.live.strategy_engine import LiveStrategyEngine
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.errors import StrategyError
from jts.shared_kernel.identifiers import InstrumentId, StrategyId
from jts.shared_kernel.timeframes import Timeframe
from tests.unit.runtime.live.harness import BTC, ETH, bars, program

MINUTE = Timeframe(60)


class NoPositions:
    def snapshot(self, strategy_id: StrategyId, instrument_id: InstrumentId) -> None:
        return None


class Held:
    """Holds one unit of everything."""

    def snapshot(self, strategy_id: StrategyId, instrument_id: InstrumentId) -> PositionSnapshot:
        one = Decimal(1)
        return PositionSnapshot(
            instrument_id=instrument_id,
            quantity=one,
            average_price=one,
            market_price=one,
            realized_pnl=Decimal(0),
            unrealized_pnl=Decimal(0),
            currency="KRW",
        )


class EnterEveryBar:
    def on_bar(self, context: StrategyContext) -> None:
        context.enter_long(quantity(1))


class ExitEveryBar:
    def on_bar(self, context: StrategyContext) -> None:
        context.exit_long("always")


class FailsOnThirdBar:
    def __init__(self) -> None:
        self.seen = 0

    def on_bar(self, context: StrategyContext) -> None:
        self.seen += 1
        if self.seen == 3:
            raise ZeroDivisionError("division by zero")
        context.enter_long(quantity(1))


def engine(positions=None) -> tuple[LiveStrategyEngine, list[Message]]:
    sent: list[Message] = []

    async def publish(message: Message) -> None:
        sent.append(message)

    return LiveStrategyEngine(
        positions=positions or NoPositions(), publish=publish, clock=TestClock()
    ), sent


def python_slot(strategy, name: str = "s", instrument: InstrumentId = BTC) -> PythonSlot:
    return PythonSlot(
        strategy,
        strategy_id=StrategyId(name),
        instrument=instrument,
        timeframe=MINUTE,
        clock=TestClock(),
    )


async def test_each_bar_goes_to_the_slots_of_its_instrument_and_their_signals_to_the_bus() -> None:
    live, sent = engine()
    live.add(python_slot(EnterEveryBar(), "btc", BTC))
    live.add(python_slot(EnterEveryBar(), "eth", ETH))
    for bar in bars([1.0, 2.0], BTC).to_bars():
        await live.on_market_data(bar)

    assert [type(m) for m in sent] == [EntrySignalRaised, EntrySignalRaised]
    assert {m.strategy_id for m in sent} == {"btc"}
    assert live.bars_seen == 2


async def test_warm_up_feeds_the_strategy_without_signals() -> None:
    live, sent = engine()
    compiled = program(
        "entry long when crosses_above(sma(close, 2), sma(close, 4))\nexit long when close < 0"
    )
    slot = ProgramSlot(compiled, strategy_id=StrategyId("p"), instrument=BTC, clock=TestClock())
    live.add(slot)
    closes = [10.0, 9.0, 8.0, 7.0, 6.0, 9.0, 12.0, 13.0]
    history = bars(closes).to_bars()

    assert await live.warm_up(history[:6]) == 6
    assert sent == []
    for bar in history[6:]:
        await live.on_bar(bar)

    cold, cold_sent = engine()
    cold.add(ProgramSlot(compiled, strategy_id=StrategyId("p"), instrument=BTC, clock=TestClock()))
    for bar in history[6:]:
        await cold.on_bar(bar)
    assert len(sent) == 1  # the warmed slot crossed on bar 6
    assert cold_sent == []  # a cold one is still warming up


async def test_a_stale_feed_blocks_entries_but_not_exits_until_it_recovers() -> None:
    live, sent = engine(Held())
    live.add(python_slot(EnterEveryBar(), "in"))
    live.add(python_slot(ExitEveryBar(), "out"))
    series = bars([1.0, 2.0, 3.0]).to_bars()
    stale = FeedStale(instrument_id=BTC, reason=FeedStaleReason.NO_DATA, ts_event=0, ts_init=0)
    await live.on_market_data(stale)
    await live.on_market_data(series[0])
    assert [type(m) for m in sent] == [ExitSignalRaised]
    assert live.dropped_entries == 1

    await live.on_market_data(
        FeedRecovered(instrument_id=BTC, stale_since_ns=0, ts_event=1, ts_init=1)
    )
    await live.on_market_data(series[1])
    assert [type(m) for m in sent[1:]] == [EntrySignalRaised, ExitSignalRaised]


async def test_reduce_only_drops_entries_and_keeps_exits() -> None:
    live, sent = engine(Held())
    live.add(python_slot(EnterEveryBar(), "in"))
    live.add(python_slot(ExitEveryBar(), "out"))
    live.reduce_only = True
    await live.on_bar(bars([1.0]).to_bars()[0])
    assert [m.direction for m in sent if isinstance(m, ExitSignalRaised)] == [Direction.LONG]
    assert not [m for m in sent if isinstance(m, EntrySignalRaised)]


async def test_a_failing_strategy_is_stopped_alone_and_reported() -> None:
    live, sent = engine()
    failing = python_slot(FailsOnThirdBar(), "fragile")
    live.add(failing)
    live.add(python_slot(EnterEveryBar(), "sturdy"))
    for bar in bars([1.0, 2.0, 3.0, 4.0, 5.0]).to_bars():
        await live.on_bar(bar)

    errors = [m for m in sent if isinstance(m, ErrorReported)]
    assert len(errors) == 1
    assert errors[0].component == "strategy.fragile"
    assert errors[0].severity is Severity.CRITICAL
    assert "ZeroDivisionError" in errors[0].message
    assert isinstance(failing.stopped, StrategyError)
    by_strategy = [m.strategy_id for m in sent if isinstance(m, EntrySignalRaised)]
    assert by_strategy.count("fragile") == 2  # bars 1 and 2, never again
    assert by_strategy.count("sturdy") == 5


def test_one_strategy_runs_once_per_instrument() -> None:
    live, _ = engine()
    live.add(python_slot(EnterEveryBar(), "twice"))
    with pytest.raises(StrategyError, match=r"already runs on BTC-KRW\.UPBIT"):
        live.add(python_slot(EnterEveryBar(), "twice"))
