"""Slots: one strategy on one instrument, as the live strategy engine runs it.

- ``ProgramSlot`` runs a compiled strategy-language program: its incremental evaluator
  sees every bar once (``advance``); when a rule fires, the strategy context's
  ``StrategyRunner`` runs the program behind ``LanguageStrategy``, which reads the signal
  the slot already computed (so the evaluator is not advanced twice). The slot keeps the
  program's trailing-stop distance for the trading desk.
- ``PythonSlot`` runs a Python ``Strategy`` through the same runner on every bar.

``warm`` feeds history without asking for signals. A slot whose strategy raised is
``stopped``: the engine reports it and never calls it again.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from jts.contexts.strategy.application.language_strategy import LanguageStrategy
from jts.contexts.strategy.application.strategy_runner import StrategyRunner
from jts.contexts.strategy.domain.language.bars import BarValues
from jts.contexts.strategy.domain.language.compiler import CompiledStrategy
from jts.contexts.strategy.domain.language.incremental import BarSignal
from jts.contexts.strategy.domain.python_api import Strategy
from jts.messages.market_data import Bar
from jts.messages.portfolio import PositionSnapshot
from jts.messages.strategy import SignalEvent
from jts.shared_kernel.clock import Clock
from jts.shared_kernel.errors import StrategyError
from jts.shared_kernel.identifiers import InstrumentId, StrategyId
from jts.shared_kernel.timeframes import Timeframe

NAN = math.nan


def bar_values(bar: Bar) -> BarValues:
    """A bar as the language's evaluators take it (floats, exact to the last bit)."""
    return BarValues(
        bar.ts_event,
        float(bar.open),
        float(bar.high),
        float(bar.low),
        float(bar.close),
        float(bar.volume),
    )


class ProgramSlot:
    """A compiled program on one instrument."""

    def __init__(
        self,
        compiled: CompiledStrategy,
        *,
        strategy_id: StrategyId,
        instrument: InstrumentId,
        clock: Clock,
        params: Mapping[str, float] | None = None,
    ) -> None:
        self.strategy_id = strategy_id
        self.instrument = instrument
        self.timeframe = Timeframe.parse(compiled.program.timeframe)
        modes = {p.kind: p.mode for p in compiled.program.protections}
        self.trailing_mode: str | None = modes.get("trailing_stop")
        self.trailing_value = NAN
        self.stopped: StrategyError | None = None
        self.signal: BarSignal | None = None
        self._evaluator = compiled.incremental(instrument=instrument, params=params)
        strategy = LanguageStrategy(_SteppedProgram(compiled, self), instrument=instrument)
        self._runner = StrategyRunner(
            strategy, strategy_id=strategy_id, instrument=instrument, clock=clock
        )

    def warm(self, bar: Bar) -> None:
        self._advance(bar)

    def on_bar(self, bar: Bar, position: PositionSnapshot | None) -> list[SignalEvent]:
        signal = self._advance(bar)
        if not (signal.entry_long or signal.exit_long or signal.entry_short or signal.exit_short):
            return []
        return self._runner.on_bar(bar, position)

    def _advance(self, bar: Bar) -> BarSignal:
        try:
            signal = self._evaluator.on_bar(bar_values(bar))
        except StrategyError:
            raise
        except Exception as e:  # an evaluator fault stops this strategy only
            raise StrategyError(
                f"strategy {self.strategy_id} failed on the {self.instrument} bar closing at "
                f"{bar.ts_event}: {type(e).__name__}: {e}"
            ) from e
        self.signal = signal
        self.trailing_value = signal.trailing_stop
        return signal


class PythonSlot:
    """A Python ``Strategy`` on one instrument."""

    trailing_mode: str | None = None
    trailing_value = NAN

    def __init__(
        self,
        strategy: Strategy,
        *,
        strategy_id: StrategyId,
        instrument: InstrumentId,
        timeframe: Timeframe,
        clock: Clock,
    ) -> None:
        self.strategy_id = strategy_id
        self.instrument = instrument
        self.timeframe = timeframe
        self.stopped: StrategyError | None = None
        self._runner = StrategyRunner(
            strategy, strategy_id=strategy_id, instrument=instrument, clock=clock
        )

    def warm(self, bar: Bar) -> None:
        self._runner.on_bar(bar, None)

    def on_bar(self, bar: Bar, position: PositionSnapshot | None) -> list[SignalEvent]:
        return self._runner.on_bar(bar, position)


Slot = ProgramSlot | PythonSlot


class _SteppedProgram(CompiledStrategy):
    """The program as ``LanguageStrategy`` sees it, with the slot's evaluator behind it."""

    def __init__(self, compiled: CompiledStrategy, slot: ProgramSlot) -> None:
        super().__init__(compiled.program)
        self._slot = slot

    def incremental(  # type: ignore[override]
        self,
        *,
        instrument: InstrumentId,
        params: Mapping[str, float] | None = None,
        resample_extras: bool = True,
    ) -> _CurrentSignal:
        return _CurrentSignal(self._slot)


class _CurrentSignal:
    """Answers ``LanguageStrategy``'s ``on_bar`` with the signal the slot computed."""

    def __init__(self, slot: ProgramSlot) -> None:
        self._slot = slot

    def on_bar(self, bar: BarValues) -> BarSignal:
        signal = self._slot.signal
        if signal is None or signal.ts != bar.ts:
            raise StrategyError(f"the program was not advanced to the bar closing at {bar.ts}")
        return signal
