"""``EventDrivenBacktest``: the public face of the event-driven engine.

``run_program`` backtests a compiled strategy-language program over its universe;
``run_strategies`` backtests Python strategies (one per instrument). Both return the
``BacktestResult`` the vectorized engine returns too (``runtime.backtest.results``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.risk.domain.limits import RiskLimits
from jts.contexts.strategy.domain.language.compiler import CompiledStrategy
from jts.contexts.strategy.domain.python_api import Strategy
from jts.runtime.backtest.engine.curve import equity_curve
from jts.runtime.backtest.engine.drivers import LanguageDriver, PythonDriver
from jts.runtime.backtest.engine.fx import FxSeries, by_currency, rates_at
from jts.runtime.backtest.engine.market import MarketData
from jts.runtime.backtest.engine.run import Run
from jts.runtime.backtest.exchange import ExchangeConfig, SessionPolicy
from jts.runtime.backtest.results import BacktestResult, Position
from jts.shared_kernel.errors import ConfigurationError, DataError
from jts.shared_kernel.identifiers import InstrumentId, StrategyId
from jts.shared_kernel.venues.calendar import TradingCalendar
from jts.shared_kernel.venues.instruments import Instrument

ENGINE_NAME = "event"


def _default_exchange() -> ExchangeConfig:
    return ExchangeConfig(session_policy=SessionPolicy.QUEUE, keep_closed_orders=False)


@dataclass(frozen=True, slots=True)
class EngineConfig:
    """How a run is set up.

    ``cash``: starting balances per currency. ``base_currency``: what equity is counted in.
    ``exchange``: the simulated exchange's settings (orders sent after a KRX close queue
    for the next session). ``limits``: the pre-trade gate's limits. ``feed_every_bar``:
    hand the exchange every bar instead of only those that can matter (same results,
    slower; for checking that claim).
    """

    cash: Mapping[str, Decimal] = field(default_factory=lambda: {"KRW": Decimal(100_000_000)})
    base_currency: str = "KRW"
    exchange: ExchangeConfig = field(default_factory=_default_exchange)
    limits: RiskLimits = field(default_factory=RiskLimits)
    feed_every_bar: bool = False

    def __post_init__(self) -> None:
        if self.limits.allow_short:
            raise ConfigurationError(
                "the backtest exchange holds spot accounts and never sells short; "
                "run with RiskLimits(allow_short=False)"
            )


class InstrumentLookup:
    """Instrument specs by id (``InstrumentRegistry`` or a mapping)."""

    def __init__(self, specs: Mapping[InstrumentId, Instrument] | Iterable[Instrument]) -> None:
        items = specs.values() if isinstance(specs, Mapping) else specs
        self._by_id = {instrument.id: instrument for instrument in items}

    def get(self, instrument_id: InstrumentId) -> Instrument:
        instrument = self._by_id.get(instrument_id)
        if instrument is None:
            raise ConfigurationError(
                f"no instrument spec for {instrument_id}; register it (known: "
                f"{', '.join(sorted(str(i) for i in self._by_id)) or 'none'})"
            )
        return instrument


class EventDrivenBacktest:
    """Backtests strategies through the real strategy, risk, trading and portfolio code."""

    def __init__(
        self,
        *,
        instruments: Mapping[InstrumentId, Instrument] | Iterable[Instrument],
        calendars: Mapping[str, TradingCalendar],
        config: EngineConfig | None = None,
    ) -> None:
        self._specs = InstrumentLookup(instruments)
        self._calendars = calendars
        self.config = config or EngineConfig()

    def run_program(
        self,
        compiled: CompiledStrategy,
        bars: Sequence[BarSeries],
        *,
        params: Mapping[str, float] | None = None,
        fx: Sequence[FxSeries] = (),
    ) -> BacktestResult:
        """Backtest a program on the bars of (some of) its universe."""
        resolved = compiled.resolve_params(params)
        universe = list(compiled.program.universe)
        ordered = sorted(bars, key=lambda s: _position_in(universe, s.instrument_id))
        run = self._new_run(ordered, fx)
        strategy_id = StrategyId(compiled.name)
        for market in run.markets:
            driver = LanguageDriver(
                compiled, market, params=resolved, strategy_id=strategy_id, clock=run.clock
            )
            run.add_lane(market, driver)
        return self._finish(run, compiled.name, resolved)

    def run_strategies(
        self,
        strategies: Mapping[InstrumentId, Strategy],
        bars: Sequence[BarSeries],
        *,
        name: str,
        fx: Sequence[FxSeries] = (),
    ) -> BacktestResult:
        """Backtest Python strategies, ``strategies[i]`` trading instrument ``i``, in the
        order of ``bars``."""
        run = self._new_run(list(bars), fx)
        for market in run.markets:
            strategy = strategies.get(market.instrument.id)
            if strategy is None:
                raise ConfigurationError(f"bars of {market.instrument.id} but no strategy for it")
            driver = PythonDriver(strategy, market, strategy_id=StrategyId(name), clock=run.clock)
            run.add_lane(market, driver)
        return self._finish(run, name, {})

    def _new_run(self, bars: Sequence[BarSeries], fx: Sequence[FxSeries]) -> Run:
        if not bars:
            raise DataError("a backtest needs bars of at least one instrument")
        seen = [series.instrument_id for series in bars]
        if len(set(seen)) != len(seen):
            raise DataError("one series of bars per instrument, please")
        markets = [MarketData(series, self._specs.get(series.instrument_id)) for series in bars]
        config = self.config
        return Run(
            markets,
            calendars=self._calendars,
            cash=config.cash,
            base_currency=config.base_currency,
            exchange_config=config.exchange,
            limits=config.limits,
            fx=by_currency(fx),
            feed_every_bar=config.feed_every_bar,
        )

    def _finish(self, run: Run, name: str, params: Mapping[str, float]) -> BacktestResult:
        which, rows = run.execute()
        config = self.config
        ts, equity = equity_curve(
            run.markets,
            which,
            rows,
            run.log,
            cash=config.cash,
            base_currency=config.base_currency,
            fx=run.fx,
        )
        first_ts, last_ts = int(ts[0]), int(ts[-1])
        start_rates = rates_at(config.base_currency, run.fx.values(), first_ts)
        initial = sum(
            (start_rates.to_base(amount, currency) for currency, amount in config.cash.items()),
            Decimal(0),
        )
        final = run.portfolio.equity(
            run.account.closes, rates_at(config.base_currency, run.fx.values(), last_ts)
        )
        return BacktestResult(
            strategy=name,
            parameters=dict(params),
            engine=ENGINE_NAME,
            base_currency=config.base_currency,
            initial_equity=initial,
            final_equity=final,
            fills=tuple(run.fills),
            trades=tuple(run.book.trades),
            positions=_open_positions(run),
            balances=run.portfolio.balances,
            equity_ts_ns=ts,
            equity=equity,
            bars=len(which),
            notes=_notes(run),
        )


def _position_in(universe: list[InstrumentId], instrument_id: InstrumentId) -> int:
    if instrument_id not in universe:
        shown = ", ".join(str(i) for i in universe)
        raise DataError(f"bars of {instrument_id}, which is not in the universe ({shown})")
    return universe.index(instrument_id)


def _open_positions(run: Run) -> tuple[Position, ...]:
    held = []
    for position in run.portfolio.positions():
        if position.quantity:
            held.append(
                Position(
                    instrument_id=position.instrument_id,
                    quantity=position.quantity,
                    average_price=position.average_price,
                    last_price=run.account.closes[position.instrument_id],
                    currency=position.currency,
                )
            )
    return tuple(held)


def _notes(run: Run) -> tuple[str, ...]:
    counts = Counter(denial.rule or "unnamed" for denial in run.denials)
    return tuple(
        f"{count} order(s) denied by rule {rule}" for rule, count in sorted(counts.items())
    )
