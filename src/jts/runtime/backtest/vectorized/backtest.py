"""``VectorizedBacktest``: the vectorized engine with the event-driven engine's face.

``run_program(compiled, bars, params=..., fx=...)`` takes and returns what
``EventDrivenBacktest.run_program`` does, so either engine can serve ``jts backtest``,
``jts optimize`` (``optimization.program.ProgramBacktester``) and the parity tests.
``prepare`` + ``run_prepared`` split the parameter-free work from each parameter set, for
sweeps over many sets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

import numpy as np

from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.strategy.domain.language.compiler import CompiledStrategy
from jts.runtime.backtest.exchange.config import ExchangeConfig, SessionPolicy
from jts.runtime.backtest.results import BacktestResult
from jts.runtime.backtest.vectorized.engine import SweepRun, run_program, sweep_program
from jts.runtime.backtest.vectorized.inputs import FxUnits, Prepared, prepare
from jts.runtime.backtest.vectorized.specs import digits
from jts.shared_kernel.errors import ConfigurationError, DataError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.venues.calendar import TradingCalendar
from jts.shared_kernel.venues.instruments import Instrument


def _exchange() -> ExchangeConfig:
    return ExchangeConfig(session_policy=SessionPolicy.QUEUE, keep_closed_orders=False)


@dataclass(frozen=True, slots=True)
class VectorizedConfig:
    """Starting cash per currency, the base currency equity is counted in, and the
    simulated exchange's settings (the event-driven ``EngineConfig`` fits here too)."""

    cash: Mapping[str, Decimal] = field(default_factory=lambda: {"KRW": Decimal(100_000_000)})
    base_currency: str = "KRW"
    exchange: ExchangeConfig = field(default_factory=_exchange)


class RunSettings(Protocol):
    @property
    def cash(self) -> Mapping[str, Decimal]: ...

    @property
    def base_currency(self) -> str: ...

    @property
    def exchange(self) -> ExchangeConfig: ...


class RateSeries(Protocol):
    """An FX series (``runtime.backtest.engine.FxSeries``): rates of ``currency`` in the
    base currency from each time on."""

    currency: str
    ts_ns: list[int]
    rates: list[Decimal]


class VectorizedBacktest:
    """Backtests strategy-language programs with the numba kernel and the exact replay."""

    def __init__(
        self,
        *,
        instruments: Mapping[InstrumentId, Instrument] | Iterable[Instrument],
        calendars: Mapping[str, TradingCalendar],
        config: RunSettings | None = None,
    ) -> None:
        items = instruments.values() if isinstance(instruments, Mapping) else instruments
        self._specs = {instrument.id: instrument for instrument in items}
        self._calendars = calendars
        self.config: RunSettings = config or VectorizedConfig()
        _refuse_risk_limits(self.config)

    def prepare(
        self,
        bars: Sequence[BarSeries],
        *,
        universe: Sequence[InstrumentId] = (),
        fx: Sequence[RateSeries] = (),
    ) -> Prepared:
        """The parameter-free part of a run over ``bars`` (in universe order)."""
        ordered = sorted(bars, key=lambda s: _position_in(list(universe), s.instrument_id))
        if not ordered:
            raise DataError("a backtest needs bars of at least one instrument")
        seen = [series.instrument_id for series in ordered]
        if len(set(seen)) != len(seen):
            raise DataError("one series of bars per instrument, please")
        data = [(self._spec(series.instrument_id), series) for series in ordered]
        config = self.config
        return prepare(
            data,
            self._calendars,
            balances=config.cash,
            config=config.exchange,
            fx={series.currency: _units(series) for series in fx},
            base_currency=config.base_currency,
        )

    def run_prepared(
        self,
        compiled: CompiledStrategy,
        prepared: Prepared,
        *,
        params: Mapping[str, float] | None = None,
    ) -> BacktestResult:
        return run_program(compiled, prepared, params)

    def sweep(
        self,
        compiled: CompiledStrategy,
        prepared: Prepared,
        param_sets: Sequence[Mapping[str, float]],
    ) -> list[SweepRun]:
        """Many parameter sets in floats (``engine.SweepRun``), for ranking; rerun the
        chosen one with ``run_prepared`` for its exact result."""
        return sweep_program(compiled, prepared, param_sets)

    def run_program(
        self,
        compiled: CompiledStrategy,
        bars: Sequence[BarSeries],
        *,
        params: Mapping[str, float] | None = None,
        fx: Sequence[RateSeries] = (),
    ) -> BacktestResult:
        """Backtest a program on the bars of (some of) its universe."""
        prepared = self.prepare(bars, universe=compiled.program.universe, fx=fx)
        return run_program(compiled, prepared, params)

    def _spec(self, instrument_id: InstrumentId) -> Instrument:
        instrument = self._specs.get(instrument_id)
        if instrument is None:
            raise ConfigurationError(
                f"no instrument spec for {instrument_id}; register it (known: "
                f"{', '.join(sorted(str(i) for i in self._specs)) or 'none'})"
            )
        return instrument


def _refuse_risk_limits(config: object) -> None:
    """An ``EngineConfig`` may carry pre-trade limits, which this engine does not apply
    (entries are always held to the free cash, as the default limits do)."""
    from jts.contexts.risk.domain.limits import RiskLimits

    limits = getattr(config, "limits", None)
    if limits is not None and limits != RiskLimits():
        raise ConfigurationError(
            f"the vectorized engine applies no pre-trade limits, but {limits!r} were given; "
            "use the event-driven engine for them"
        )


def _position_in(universe: list[InstrumentId], instrument_id: InstrumentId) -> int:
    if not universe:
        return 0
    if instrument_id not in universe:
        shown = ", ".join(str(i) for i in universe)
        raise DataError(f"bars of {instrument_id}, which is not in the universe ({shown})")
    return universe.index(instrument_id)


def _units(series: RateSeries) -> FxUnits:
    scale = max(digits(rate) for rate in series.rates)
    rates = [int(rate.scaleb(scale)) for rate in series.rates]
    return FxUnits(np.array(series.ts_ns, dtype=np.int64), np.array(rates, dtype=np.int64), scale)
