"""Run one strategy on one instrument: bars in, signal events out.

``StrategyRunner`` feeds each closed bar to a ``Strategy`` (Python code or a compiled
strategy-language program through ``LanguageStrategy``) behind the guard, then publishes
what it asked for as ``EntrySignalRaised`` / ``ExitSignalRaised`` events caused by the bar.
A strategy that raised is stopped: further bars are refused with the same ``StrategyError``.
"""

from __future__ import annotations

from jts.contexts.strategy.domain.python_api import (
    BarHistory,
    EntryIntent,
    ExitIntent,
    IndicatorBook,
    Intent,
    Strategy,
    StrategyContext,
    call_guarded,
)
from jts.messages.base import caused_by
from jts.messages.enums import OrderType
from jts.messages.market_data import Bar
from jts.messages.portfolio import PositionSnapshot
from jts.messages.strategy import EntrySignalRaised, ExitSignalRaised, SignalEvent
from jts.shared_kernel.clock import Clock
from jts.shared_kernel.errors import DataError, StrategyError
from jts.shared_kernel.identifiers import InstrumentId, StrategyId


class StrategyRunner:
    """One strategy instance trading one instrument."""

    def __init__(
        self,
        strategy: Strategy,
        *,
        strategy_id: StrategyId,
        instrument: InstrumentId,
        clock: Clock,
        history: int = 5_000,
    ) -> None:
        self._strategy = strategy
        self._strategy_id = strategy_id
        self._instrument = instrument
        self._clock = clock
        self._history = BarHistory(history)
        self._indicators = IndicatorBook()
        self._failure: StrategyError | None = None

    @property
    def stopped(self) -> StrategyError | None:
        """The error that stopped this strategy, if one did."""
        return self._failure

    def on_bar(self, bar: Bar, position: PositionSnapshot | None = None) -> list[SignalEvent]:
        """Feed one closed bar; return the signals the strategy raised on it."""
        if self._failure is not None:
            raise self._failure
        if bar.instrument_id != self._instrument:
            raise DataError(f"runner for {self._instrument} was given a {bar.instrument_id} bar")
        self._history.append(bar)
        self._indicators.advance(bar)
        context = StrategyContext(
            instrument=self._instrument,
            bar=bar,
            position=position,
            history=self._history,
            indicators=self._indicators,
        )
        try:
            call_guarded(self._strategy_id, self._strategy.on_bar, context)
        except StrategyError as e:
            self._failure = e
            raise
        return [self._event(intent, bar) for intent in context.intents]

    def _event(self, intent: Intent, bar: Bar) -> SignalEvent:
        if isinstance(intent, ExitIntent):
            return ExitSignalRaised(
                strategy_id=self._strategy_id,
                instrument_id=self._instrument,
                direction=intent.direction,
                reason=intent.reason,
                reference_price=bar.close,
                ts_event=bar.ts_event,
                ts_init=self._clock.now_ns(),
                correlation_id=caused_by(bar),
            )
        assert isinstance(intent, EntryIntent)
        return EntrySignalRaised(
            strategy_id=self._strategy_id,
            instrument_id=self._instrument,
            direction=intent.direction,
            reason=intent.reason,
            reference_price=bar.close,
            sizing=intent.sizing,
            order_type=OrderType.LIMIT if intent.limit_price is not None else OrderType.MARKET,
            limit_price=intent.limit_price,
            ttl_bars=intent.ttl_bars,
            stop_loss=intent.stop_loss,
            take_profit=intent.take_profit,
            ts_event=bar.ts_event,
            ts_init=self._clock.now_ns(),
            correlation_id=caused_by(bar),
        )
