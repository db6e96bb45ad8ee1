"""Wiring of ``jts backtest``: strategy file and bar files in, a measured result out.

``backtest_files(options)`` compiles the program, reads each instrument's bars (CSV or
Parquet, the files adapter's layout and row-naming checks; finer bars than the program's
timeframe are rolled up), runs the vectorized engine (or the event-driven one) with the
venue rules, measures the run with the portfolio analytics and writes the HTML report when
asked. Only what the run needs is imported: ``exchange_calendars`` (and pandas with it)
only for KRX instruments, and not even then once the KRX calendar of those years is in
the cache folder (``calendar_cache``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from jts.bootstrap.calendars import bar_years, cached_krx_calendar, calendars_for
from jts.bootstrap.stores import exchange_time_zone, read_bars_file
from jts.bootstrap.strategy_files import (
    LoadedStrategy,
    PythonStrategyFile,
    load_program,
    load_python_strategy,
)
from jts.shared_kernel.errors import ConfigurationError, DataError, StrategyError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

if TYPE_CHECKING:
    from jts.contexts.market_data.domain.series import BarSeries
    from jts.contexts.portfolio.domain.analytics import MetricConventions, PerformanceReport
    from jts.contexts.strategy.domain.language.compiler import CompiledStrategy
    from jts.runtime.backtest.results import BacktestResult
    from jts.shared_kernel.venues.instruments import Instrument

Engine = Literal["vectorized", "event"]
DEFAULT_CASH = {"KRW": Decimal(100_000_000), "USDT": Decimal(1_000_000)}
_BPS = Decimal(10_000)


@dataclass(frozen=True)
class BacktestOptions:
    """What ``jts backtest`` was asked to do (see the command's help for each)."""

    strategy_path: Path
    data: tuple[Path, ...]
    symbol: str | None = None
    start: date | None = None
    end: date | None = None
    cash: Mapping[str, Decimal] = field(default_factory=dict)  # "" is the base currency
    fees_bps: Decimal | None = None  # None: each venue's own schedule
    slippage_bps: Decimal | None = None
    participation: Decimal | None = None
    fx_rate: Decimal | None = None
    fx_path: Path | None = None
    params: Mapping[str, float] = field(default_factory=dict)
    engine: Engine = "vectorized"
    report: Path | None = None
    calendar_cache: Path | None = None


@dataclass(frozen=True)
class BacktestRun:
    """A finished backtest: the engine's result, its metrics and where the report went."""

    result: BacktestResult
    metrics: PerformanceReport
    instruments: tuple[Instrument, ...]
    bars: tuple[BarSeries, ...]
    report_path: Path | None


def backtest_files(options: BacktestOptions) -> BacktestRun:
    """Backtest ``options.strategy_path`` on ``options.data``; measure and report it.

    A Python strategy file (``.py``, see ``strategy_files``) runs on the event-driven
    engine, the one engine that calls Python per bar; it takes no ``--param``."""
    strategy: LoadedStrategy
    if options.strategy_path.suffix == ".py":
        strategy = load_python_strategy(options.strategy_path)
        options = _python_options(options)
    else:
        strategy = load_strategy(options.strategy_path)
    instruments = _instruments(strategy, options)
    frame = Timeframe.parse(strategy.program.timeframe)
    bars = tuple(_bars(path, spec, frame, options) for path, spec in instruments)
    specs = tuple(_with_fees(spec, options.fees_bps) for _, spec in instruments)
    base = _base_currency(specs, options)
    result = _run(strategy, specs, bars, base, options)
    metrics = _measure(result, specs)
    report = _report(options.report, result, metrics, bars[0]) if options.report else None
    return BacktestRun(result, metrics, specs, bars, report)


def _python_options(options: BacktestOptions) -> BacktestOptions:
    if options.params:
        names = ", ".join(sorted(options.params))
        raise ConfigurationError(
            f"--param {names}: {options.strategy_path} is a Python strategy, which takes no "
            "parameters; change the constants in the file instead"
        )
    return replace(options, engine="event")


def load_strategy(path: Path) -> CompiledStrategy:
    """The compiled program in ``path``, or a ``StrategyError`` carrying every diagnostic."""
    return load_program(path)


# --- instruments and bars ------------------------------------------------------------------


def _instruments(
    strategy: LoadedStrategy, options: BacktestOptions
) -> list[tuple[Path, Instrument]]:
    """Which instrument each data file holds: named in the file (``out.005930.KRX.csv``),
    else ``--symbol``, else the universe's first."""
    from jts.shared_kernel.venues.catalog import default_registry

    registry = default_registry()
    universe = list(strategy.program.universe)
    files = _data_files(options.data, universe)
    chosen: list[tuple[Path, InstrumentId]] = []
    for path in files:
        named = _named(path, universe)
        if named is not None:
            chosen.append((path, named))
        elif len(files) == 1:
            chosen.append((path, _symbol(strategy, options.symbol)))
        else:
            shown = ", ".join(str(i) for i in universe)
            raise DataError(
                f"{path}: the file name does not say which instrument it holds; name it "
                f"like bars.{universe[0]}.csv (universe: {shown})"
            )
    ids = [i for _, i in chosen]
    if len(set(ids)) != len(ids):
        raise DataError("two data files hold the same instrument; give one file per instrument")
    if options.symbol is not None and len(files) > 1:
        wanted = _symbol(strategy, options.symbol)
        chosen = [(p, i) for p, i in chosen if i == wanted]
    chosen.sort(key=lambda item: universe.index(item[1]))
    return [(path, registry.get(i)) for path, i in chosen]


def _named(path: Path, universe: Sequence[InstrumentId]) -> InstrumentId | None:
    named = [i for i in universe if f".{i}." in f".{path.name}"]
    return named[-1] if named else None


def _data_files(data: Sequence[Path], universe: Sequence[InstrumentId]) -> list[Path]:
    """The files given, and in each folder given the bar files of universe instruments."""
    files: list[Path] = []
    for path in data:
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.suffix.lower() in {".csv", ".parquet", ".pq"}
                and ".ticks." not in p.name
                and _named(p, universe) is not None
            )
            if not found:
                shown = ", ".join(str(i) for i in universe)
                raise DataError(
                    f"{path}: no bar files of the universe ({shown}) in this folder; name "
                    f"them like bars.{universe[0]}.csv"
                )
            files.extend(found)
        elif not path.is_file():
            raise DataError(f"{path}: no such file or folder")
        else:
            files.append(path)
    if not files:
        raise DataError("give the bars with --data FILE (CSV or Parquet)")
    return files


def _symbol(strategy: LoadedStrategy, symbol: str | None) -> InstrumentId:
    universe = strategy.program.universe
    if symbol is None:
        return universe[0]
    chosen = InstrumentId.parse(symbol)
    if chosen not in universe:
        shown = ", ".join(str(i) for i in universe)
        raise StrategyError(f"--symbol {symbol} is not in {strategy.name}'s universe ({shown})")
    return chosen


def _bars(path: Path, spec: Instrument, frame: Timeframe, options: BacktestOptions) -> BarSeries:
    zone = exchange_time_zone(spec.id)
    bars = read_bars_file(path, spec.id, frame, timezone=zone)
    if len(bars) == 0:
        raise DataError(f"{path}: the file holds no bars")
    bars = _at_timeframe(bars, frame, spec, path, options.calendar_cache)
    start = _local_midnight(options.start, zone) if options.start else None
    end = _local_midnight(options.end + timedelta(days=1), zone) if options.end else None
    cut = bars.between(start, end)
    if len(cut) == 0:
        raise DataError(f"{path}: no bars between --from {options.start} and --to {options.end}")
    return cut


def _local_midnight(day: date, zone: str) -> int:
    from zoneinfo import ZoneInfo

    from jts.shared_kernel.clock import datetime_to_ns

    return datetime_to_ns(datetime.combine(day, time(), tzinfo=ZoneInfo(zone)))


def _at_timeframe(
    bars: BarSeries, frame: Timeframe, spec: Instrument, path: Path, cache: Path | None
) -> BarSeries:
    """The file's bars at the program's timeframe: finer bars are rolled up."""
    import numpy as np

    if len(bars) < 2:
        return bars
    step = int(np.median(np.diff(bars.ts_start)))
    if 2 * step > frame.nanos:
        return bars  # bars of the program's timeframe (daily bars are not 24 h apart)
    seconds = step // 1_000_000_000
    if seconds <= 0 or frame.seconds % seconds:
        raise DataError(
            f"{path}: bars {seconds}s apart cannot be rolled up into the program's "
            f"{frame} timeframe; give {frame} bars"
        )
    fine = Timeframe(seconds)
    ends = bars.ts_start + np.int64(fine.nanos)
    return _resample(replace(bars, timeframe=fine, ts_event=ends), frame, spec, cache)


def _resample(bars: BarSeries, frame: Timeframe, spec: Instrument, cache: Path | None) -> BarSeries:
    from jts.contexts.market_data.domain.batch_aggregation import resample_bars
    from jts.contexts.market_data.domain.sessions import CalendarSessions, LocalDaySessions

    if spec.calendar_id == "XKRX":
        years = bar_years([bars])
        sessions: object = CalendarSessions(cached_krx_calendar(years[0], years[1], cache))
    else:
        sessions = LocalDaySessions(exchange_time_zone(spec.id))
    return resample_bars(bars, frame, sessions)  # type: ignore[arg-type]


def _with_fees(spec: Instrument, bps: Decimal | None) -> Instrument:
    """``spec`` with a flat fee rate of ``bps`` basis points (the venue's own otherwise)."""
    if bps is None:
        return spec
    if not bps.is_finite() or not 0 <= bps < _BPS:
        raise ConfigurationError(f"--fees {bps}: give basis points in [0, 10000), e.g. 10")
    import msgspec

    rate = bps / _BPS
    fees = msgspec.structs.replace(spec.fees, maker_rate=rate, taker_rate=rate)
    return msgspec.structs.replace(spec, fees=fees)


# --- the run ----------------------------------------------------------------------------------


def _base_currency(specs: Sequence[Instrument], options: BacktestOptions) -> str:
    quotes = [spec.quote_currency for spec in specs]
    named = [c for c in options.cash if c]
    fx = options.fx_rate is not None or options.fx_path is not None
    return "KRW" if "KRW" in quotes or "KRW" in named or fx else quotes[0]


def _cash(base: str, specs: Sequence[Instrument], options: BacktestOptions) -> dict[str, Decimal]:
    cash = {c or base: amount for c, amount in options.cash.items()}
    for currency in dict.fromkeys(spec.quote_currency for spec in specs):
        cash.setdefault(currency, DEFAULT_CASH.get(currency, Decimal(1_000_000)))
    for currency, amount in cash.items():
        if not amount.is_finite() or amount < 0:
            raise ConfigurationError(f"--cash {currency}={amount}: give an amount of 0 or more")
    return cash


def _run(
    strategy: LoadedStrategy,
    specs: Sequence[Instrument],
    bars: Sequence[BarSeries],
    base: str,
    options: BacktestOptions,
) -> BacktestResult:
    from jts.runtime.backtest.exchange import ExchangeConfig, SessionPolicy
    from jts.runtime.backtest.vectorized.backtest import VectorizedBacktest, VectorizedConfig

    exchange = ExchangeConfig(
        session_policy=SessionPolicy.QUEUE,
        keep_closed_orders=False,
        participation_rate=options.participation,
        slippage=_slippage(options.slippage_bps),
    )
    config = VectorizedConfig(
        cash=_cash(base, specs, options), base_currency=base, exchange=exchange
    )
    calendars = calendars_for(specs, bars, options.calendar_cache)
    rates = _fx(specs, base, options)
    params = dict(options.params)
    if options.engine == "event" or isinstance(strategy, PythonStrategyFile):
        from jts.runtime.backtest.engine import EngineConfig, EventDrivenBacktest, FxSeries

        event_config = EngineConfig(cash=config.cash, base_currency=base, exchange=exchange)
        engine = EventDrivenBacktest(instruments=specs, calendars=calendars, config=event_config)
        series = [FxSeries(r.currency, r.ts_ns, r.rates) for r in rates]
        if isinstance(strategy, PythonStrategyFile):
            made = {spec.id: strategy.make() for spec in specs}
            return engine.run_strategies(made, bars, name=strategy.name, fx=series)
        return engine.run_program(strategy, bars, params=params, fx=series)
    vectorized = VectorizedBacktest(instruments=specs, calendars=calendars, config=config)
    return vectorized.run_program(strategy, bars, params=params, fx=rates)


def _slippage(bps: Decimal | None) -> object:
    from jts.runtime.backtest.exchange import FixedBpsSlippage, NoSlippage

    if bps is None or bps == 0:
        return NoSlippage()
    if not bps.is_finite() or not 0 < bps < _BPS:
        raise ConfigurationError(f"--slippage {bps}: give basis points in [0, 10000), e.g. 5")
    return FixedBpsSlippage(bps)


@dataclass(frozen=True)
class Rates:
    """Rates of ``currency`` in the base currency from each time on."""

    currency: str
    ts_ns: list[int]
    rates: list[Decimal]


def _fx(specs: Sequence[Instrument], base: str, options: BacktestOptions) -> list[Rates]:
    others = sorted({spec.quote_currency for spec in specs} - {base})
    others += sorted({c for c in options.cash if c and c != base} - set(others))
    if not others:
        return []
    if len(others) > 1:
        raise ConfigurationError(f"one FX rate can value only one currency; got {others}")
    if options.fx_path is not None:
        fx_bars = read_bars_file(
            options.fx_path, InstrumentId(f"{others[0]}{base}", "FX"), Timeframe(60)
        )
        rates = [Decimal(int(u)).scaleb(-fx_bars.price_scale) for u in fx_bars.close_units]
        return [Rates(others[0], [int(t) for t in fx_bars.ts_start], rates)]
    if options.fx_rate is None:
        raise ConfigurationError(
            f"{others[0]} instruments need a rate into {base}: give --fx-rate (e.g. 1350) or "
            "--fx FILE (bars whose close is the rate)"
        )
    return [Rates(others[0], [-(2**62)], [options.fx_rate])]


# --- metrics and report ------------------------------------------------------------------------


def conventions_for(specs: Sequence[Instrument]) -> MetricConventions:
    """How returns are measured: by the first instrument's venue."""
    from jts.contexts.portfolio.domain.analytics import BINANCE_DAILY, KRX_DAILY, UPBIT_DAILY

    venue = str(specs[0].id.venue)
    return {"KRX": KRX_DAILY, "UPBIT": UPBIT_DAILY, "BINANCE": BINANCE_DAILY}.get(venue, KRX_DAILY)


def _measure(result: BacktestResult, specs: Sequence[Instrument]) -> PerformanceReport:
    from jts.contexts.portfolio.domain.analytics import analyze_performance

    return analyze_performance(
        result.equity_ts_ns,
        result.equity,
        conventions=conventions_for(specs),
        trades=result.closed_trades(),
    )


def _report(
    path: Path, result: BacktestResult, metrics: PerformanceReport, bars: BarSeries
) -> Path:
    from jts.adapters.reports import (
        BacktestReportData,
        TimeSeries,
        render_backtest_report,
        write_report,
    )

    traded = [t for t in result.closed_trades() if t.instrument_id == bars.instrument_id]
    data = BacktestReportData(
        strategy=result.strategy,
        parameters=dict(result.parameters),
        equity=TimeSeries("equity", result.equity_ts_ns, result.equity),
        metrics=metrics,
        trades=traded,
        price=TimeSeries(str(bars.instrument_id), bars.ts_event, bars.close),
        currency=result.base_currency,
    )
    return write_report(path, render_backtest_report(data))
