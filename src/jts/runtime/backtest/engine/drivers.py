"""Strategy drivers: how the engine runs a strategy on one instrument, bar by bar.

Both kinds go through the strategy context's ``StrategyRunner``, which turns what the
strategy asks for into ``EntrySignalRaised`` / ``ExitSignalRaised`` events.

- ``PythonDriver`` hands every bar to the runner (a Python strategy may act on any bar).
- ``LanguageDriver`` runs a compiled program. Its incremental evaluator advances on every
  bar (``advance``: the language's O(1)-per-bar streaming indicators); the runner, with the
  program behind ``LanguageStrategy``, is called only on bars where a rule fired, because
  ``LanguageStrategy`` does nothing on the others. On those bars ``LanguageStrategy``
  reads the signal the driver already computed (``_SteppedProgram``), so the evaluator
  still sees each bar exactly once. This keeps ``Bar`` messages, ``Decimal`` prices and
  the runner's context off the bars where nothing happens.
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
from jts.messages.portfolio import PositionSnapshot
from jts.messages.strategy import SignalEvent
from jts.runtime.backtest.engine.market import MarketData
from jts.shared_kernel.clock import Clock
from jts.shared_kernel.errors import StrategyError
from jts.shared_kernel.identifiers import InstrumentId, StrategyId

NAN = math.nan


class PythonDriver:
    """A Python ``Strategy`` on one instrument: every bar goes to the runner."""

    trailing_mode: str | None = None
    trailing_value = NAN
    fired = True

    def __init__(
        self, strategy: Strategy, market: MarketData, *, strategy_id: StrategyId, clock: Clock
    ) -> None:
        self._market = market
        self._runner = StrategyRunner(
            strategy, strategy_id=strategy_id, instrument=market.instrument.id, clock=clock
        )

    def advance(self, row: int) -> None:
        return None

    def signals(self, row: int, position: PositionSnapshot | None) -> list[SignalEvent]:
        return self._runner.on_bar(self._market.bar(row), position)


class LanguageDriver:
    """A compiled strategy-language program on one instrument."""

    def __init__(
        self,
        compiled: CompiledStrategy,
        market: MarketData,
        *,
        params: Mapping[str, float] | None,
        strategy_id: StrategyId,
        clock: Clock,
    ) -> None:
        instrument = market.instrument.id
        self._market = market
        self._evaluator = compiled.incremental(instrument=instrument, params=params)
        self.signal: BarSignal | None = None
        self.fired = False
        self.trailing_value = NAN
        modes = {p.kind: p.mode for p in compiled.program.protections}
        self.trailing_mode: str | None = modes.get("trailing_stop")
        program = _SteppedProgram(compiled, self)
        strategy = LanguageStrategy(program, instrument=instrument, params=params)
        self._runner = StrategyRunner(
            strategy, strategy_id=strategy_id, instrument=instrument, clock=clock
        )

    def advance(self, row: int) -> None:
        """Feed bar ``row`` to the evaluator."""
        signal = self._evaluator.on_bar(self._market.values(row))
        self.signal = signal
        self.fired = (
            signal.entry_long or signal.exit_long or signal.entry_short or signal.exit_short
        )
        self.trailing_value = signal.trailing_stop

    def signals(self, row: int, position: PositionSnapshot | None) -> list[SignalEvent]:
        """What the program asks for at the close of bar ``row`` (already advanced)."""
        return self._runner.on_bar(self._market.bar(row), position)


class _SteppedProgram(CompiledStrategy):
    """The program as ``LanguageStrategy`` sees it, with the driver's evaluator behind it."""

    def __init__(self, compiled: CompiledStrategy, driver: LanguageDriver) -> None:
        super().__init__(compiled.program)
        self._driver = driver

    def incremental(  # type: ignore[override]
        self,
        *,
        instrument: InstrumentId,
        params: Mapping[str, float] | None = None,
        resample_extras: bool = True,
    ) -> _CurrentSignal:
        return _CurrentSignal(self._driver)


class _CurrentSignal:
    """Answers ``LanguageStrategy``'s ``on_bar`` with the signal the driver computed."""

    def __init__(self, driver: LanguageDriver) -> None:
        self._driver = driver

    def on_bar(self, bar: BarValues) -> BarSignal:
        signal = self._driver.signal
        if signal is None or signal.ts != bar.ts:
            raise StrategyError(f"the program was not advanced to the bar closing at {bar.ts}")
        return signal
