"""Python strategies: the protocol, the context's snapshots, the guard, and the runner."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from jts.contexts.strategy.application.language_strategy import LanguageStrategy
from jts.contexts.strategy.application.strategy_runner import StrategyRunner
from jts.contexts.strategy.domain.language.indicator_bridge import batch
from jts.contexts.strategy.domain.python_api import (
    BarHistory,
    StrategyContext,
    kelly,
    percent_equity,
    quantity,
    risk,
)
from jts.messages.enums import Direction, OrderType
from jts.messages.market_data import Bar
from jts.messages.portfolio import PositionSnapshot
from jts.messages.strategy import EntrySignalRaised, ExitSignalRaised, SizingKind
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.errors import StrategyError
from jts.shared_kernel.identifiers import StrategyId
from jts.shared_kernel.timeframes import Timeframe
from tests.unit.strategy_language.builders import DAY_NS, KRX, random_walk, strategy

DAILY = Timeframe.parse("1d")


def make_bars(closes: list[float] | np.ndarray) -> list[Bar]:
    bars = []
    previous = float(closes[0])
    for i, close in enumerate(closes):
        price = Decimal(str(round(float(close), 2)))
        opened = Decimal(str(round(previous, 2)))
        bars.append(
            Bar(
                instrument_id=KRX,
                timeframe=DAILY,
                ts_start=i * DAY_NS,
                ts_event=(i + 1) * DAY_NS,
                ts_init=(i + 1) * DAY_NS,
                open=opened,
                high=max(opened, price) + 1,
                low=min(opened, price) - 1,
                close=price,
                volume=Decimal(100),
            )
        )
        previous = float(close)
    return bars


def runner_for(strategy_object: object, clock: TestClock | None = None) -> StrategyRunner:
    return StrategyRunner(
        strategy_object,  # type: ignore[arg-type]
        strategy_id=StrategyId("s1"),
        instrument=KRX,
        clock=clock or TestClock(42),
    )


class BuyAboveAverage:
    def on_bar(self, context: StrategyContext) -> None:
        average = context.indicator("sma", timeperiod=3)
        if isinstance(average, float) and float(context.bar.close) > average:
            context.enter_long(percent_equity(0.1), stop_loss=float(context.bar.close) * 0.9)


def test_python_strategy_signals_become_entry_events_caused_by_the_bar() -> None:
    runner = runner_for(BuyAboveAverage())
    bars = make_bars([10, 10, 10, 12])

    events = [event for bar in bars for event in runner.on_bar(bar)]

    (event,) = events
    assert isinstance(event, EntrySignalRaised)
    assert event.direction is Direction.LONG
    assert event.sizing.kind is SizingKind.PERCENT_EQUITY
    assert event.sizing.value == Decimal("0.1")
    assert event.order_type is OrderType.MARKET
    assert event.stop_loss == Decimal("10.8")
    assert event.ts_event == bars[3].ts_event
    assert event.ts_init == 42
    assert event.correlation_id == bars[3].id


def test_an_indicator_asked_for_late_matches_the_batch_form() -> None:
    seen: list[float] = []

    class LateAsker:
        def on_bar(self, context: StrategyContext) -> None:
            if len(context.history) >= 10:
                value = context.indicator("ema", "close", timeperiod=4)
                assert isinstance(value, float)
                seen.append(value)

    closes = random_walk(30)
    runner = runner_for(LateAsker())
    for bar in make_bars(closes):
        runner.on_bar(bar)

    rounded = np.array([round(float(c), 2) for c in closes])
    expected = batch("ema", [rounded], [4])[0][9:]
    assert seen == expected.tolist()


class Exploding:
    def on_bar(self, context: StrategyContext) -> None:
        raise ZeroDivisionError("oops")


def test_user_exceptions_become_strategy_errors_and_stop_the_strategy() -> None:
    runner = runner_for(Exploding())
    bars = make_bars([10, 11])

    with pytest.raises(StrategyError, match=r"strategy s1 failed on the 005930\.KRX bar") as first:
        runner.on_bar(bars[0])
    with pytest.raises(StrategyError) as second:
        runner.on_bar(bars[1])

    assert isinstance(first.value.__cause__, ZeroDivisionError)
    assert second.value is first.value
    assert runner.stopped is first.value


class Vandal:
    def __init__(self, attack: str) -> None:
        self.attack = attack

    def on_bar(self, context: StrategyContext) -> None:
        if self.attack == "history":
            context.history.close[0] = 0.0
        elif self.attack == "bar":
            context.bar = None  # type: ignore[misc]
        elif self.attack == "message":
            context.bar.close = Decimal(1)  # type: ignore[misc]


@pytest.mark.parametrize("attack", ["history", "bar", "message"])
def test_the_context_hands_out_immutable_snapshots(attack: str) -> None:
    runner = runner_for(Vandal(attack))

    with pytest.raises(StrategyError):
        runner.on_bar(make_bars([10])[0])


def test_history_views_keep_their_values_after_the_buffer_rolls_over() -> None:
    history = BarHistory(capacity=3)
    bars = make_bars([11, 12, 13, 14, 15, 16, 17, 18])
    for bar in bars[:3]:
        history.append(bar)
    early = history.close

    for bar in bars[3:]:
        history.append(bar)

    assert early.tolist() == [11.0, 12.0, 13.0]
    assert history.close.tolist() == [16.0, 17.0, 18.0]


def test_sizing_helpers_validate_their_inputs() -> None:
    assert quantity(10).kind is SizingKind.QUANTITY
    assert kelly(0.5, 0.2).cap == Decimal("0.2")
    assert risk(0.01, 150).stop_distance == Decimal(150)
    with pytest.raises(ValueError, match="at most 1"):
        percent_equity(1.5)
    with pytest.raises(ValueError, match="positive"):
        quantity(0)


GOLDEN = (
    "param fast = 3\nparam slow = 8\n"
    "entry long when crosses_above(sma(close, fast), sma(close, slow))\n"
    "exit long when crosses_below(sma(close, fast), sma(close, slow))\n"
    "stop_loss 5%\n"
)


def _long(bar: Bar) -> PositionSnapshot:
    return PositionSnapshot(
        instrument_id=KRX,
        quantity=Decimal(1),
        average_price=bar.close,
        market_price=bar.close,
        realized_pnl=Decimal(0),
        unrealized_pnl=Decimal(0),
        currency="KRW",
    )


def test_language_strategies_run_through_the_same_runner_as_python_code() -> None:
    compiled = strategy(GOLDEN)
    bars = make_bars(random_walk(200, seed=3))
    runner = runner_for(LanguageStrategy(compiled, instrument=KRX))
    position: PositionSnapshot | None = None
    events = []

    for bar in bars:
        raised = runner.on_bar(bar, position)
        events += raised
        for event in raised:
            position = _long(bar) if isinstance(event, EntrySignalRaised) else None

    entries = [e for e in events if isinstance(e, EntrySignalRaised)]
    exits = [e for e in events if isinstance(e, ExitSignalRaised)]
    assert entries
    assert len(exits) in (len(entries), len(entries) - 1)
    assert all(isinstance(e, EntrySignalRaised) for e in events[::2])
    for entry in entries:
        assert entry.stop_loss == entry.reference_price * (1 - Decimal("0.05"))
        assert entry.sizing.kind is SizingKind.PERCENT_EQUITY


def test_language_strategy_entries_match_the_vectorized_signals_while_flat() -> None:
    compiled = strategy(GOLDEN)
    bars = make_bars(random_walk(150, seed=5))
    runner = runner_for(LanguageStrategy(compiled, instrument=KRX))
    arrays = [np.array([float(getattr(b, f)) for b in bars]) for f in ("open", "high", "low")]
    from jts.contexts.strategy.domain.language import BarArrays

    vector = compiled.evaluate(
        BarArrays(
            [b.ts_event for b in bars],
            *arrays,
            [float(b.close) for b in bars],
            [float(b.volume) for b in bars],
        ),
        instrument=KRX,
    )

    fired = [bool(runner.on_bar(bar)) for bar in bars]

    assert fired == vector.entry_long.tolist()
