"""Kernel inputs: what does not depend on the parameters (bars, grids, sessions, taxes, the
merged timeline, FX, cash) is prepared once per run or sweep; signals, levels and the
program's spec rows once per parameter set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.strategy.domain.language.bars import BarArrays
from jts.contexts.strategy.domain.language.vectorized import Signals
from jts.runtime.backtest.exchange.config import ExchangeConfig
from jts.runtime.backtest.vectorized import layout
from jts.runtime.backtest.vectorized.levels import (
    Grid,
    entry_ready,
    limit_levels,
    offset_levels,
    units_column,
)
from jts.runtime.backtest.vectorized.market import FxRates, Market
from jts.runtime.backtest.vectorized.specs import (
    ProgramShape,
    Scales,
    hold_extra,
    instrument_rows,
    quantity_scale,
    run_row,
)
from jts.runtime.backtest.vectorized.timeline import (
    Merged,
    TickRows,
    merge,
    price_scale_for,
    roll_flags,
    session_days,
    table_index,
    tax_rates,
    tick_rows,
)
from jts.shared_kernel.errors import ConfigurationError
from jts.shared_kernel.venues.calendar import TradingCalendar
from jts.shared_kernel.venues.instruments import Instrument

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class FxUnits:
    """Rates of one currency in the base currency over time (as of each ``ts``)."""

    ts_ns: IntArray
    rate_units: IntArray
    scale: int


@dataclass(frozen=True)
class PreparedMarket:
    """One instrument's parameter-free kernel columns and its replay view."""

    instrument: Instrument
    series: BarSeries  # at the kernel's price scale
    scales: Scales
    table_rows: IntArray  # tick table row (into the run's TickRows) of each bar
    roll: NDArray[np.bool_]
    stt: IntArray
    rural: IntArray
    days: IntArray
    calendar: TradingCalendar
    arrays: BarArrays  # float bars for the strategy language (close-time stamped)


@dataclass(frozen=True)
class Prepared:
    """Everything parameter-free about a run."""

    markets: tuple[PreparedMarket, ...]
    ticks: TickRows
    merged: Merged
    fx: FxRates
    balances: Mapping[str, Decimal]
    config: ExchangeConfig
    run: FloatArray
    bars: tuple[IntArray, ...]  # concatenated kernel bar columns (``B_*`` order)
    offsets: IntArray
    evaluators: dict[tuple[int, int], object] = field(default_factory=dict, compare=False)

    @property
    def base_currency(self) -> str:
        return self.fx.currencies[0]


def prepare_market(
    instrument: Instrument, series: BarSeries, calendar: TradingCalendar, first_row: int
) -> tuple[PreparedMarket, list[tuple[object, int, Decimal]]]:
    """Columns of one instrument; its tick tables are rows ``first_row`` onwards."""
    scale = price_scale_for(instrument, series)
    series = series.with_scales(scale, series.volume_scale)
    scales = Scales(scale, quantity_scale(instrument), series.volume_scale, hold_extra(instrument))
    days = session_days(series.ts_start, calendar)
    tables = table_index(instrument, days) + first_row
    floor = Decimal(int(series.low_units.min())).scaleb(-scale) / 4 if len(series) else Decimal(0)
    rows = [(table, scale, floor) for _, table in instrument.tick_rule.entries]
    if instrument.venue_rules.__class__.__name__ == "KrxRules":
        roll = roll_flags(series.ts_start, calendar)
    else:
        roll = np.zeros(len(series), dtype=np.bool_)
    stt, rural = tax_rates(instrument, days, calendar)
    arrays = BarArrays(
        series.ts_event, series.open, series.high, series.low, series.close, series.volume
    )
    market = PreparedMarket(
        instrument, series, scales, tables, roll, stt, rural, days, calendar, arrays
    )
    return market, rows  # type: ignore[return-value]


def prepare(
    data: Sequence[tuple[Instrument, BarSeries]],
    calendars: Mapping[str, TradingCalendar],
    *,
    balances: Mapping[str, Decimal],
    config: ExchangeConfig,
    fx: Mapping[str, FxUnits] | None = None,
    base_currency: str | None = None,
) -> Prepared:
    """Prepare a run over ``data`` (one bar series per instrument, universe order)."""
    markets: list[PreparedMarket] = []
    table_specs: list[tuple[object, int, Decimal]] = []
    for instrument, series in data:
        calendar = calendars.get(instrument.calendar_id)
        if calendar is None:
            raise ConfigurationError(f"no calendar {instrument.calendar_id!r} for {instrument.id}")
        market, rows = prepare_market(instrument, series, calendar, len(table_specs))
        markets.append(market)
        table_specs.extend(rows)
    ticks = tick_rows(table_specs)  # type: ignore[arg-type]
    merged = merge([m.series.ts_event for m in markets])
    currencies = _currencies(markets, base_currency, fx, balances)
    rates = _fx_rates(currencies, fx or {}, merged)
    bars, offsets = _concatenate(markets)
    return Prepared(
        tuple(markets),
        ticks,
        merged,
        rates,
        dict(balances),
        config,
        run_row(config),
        bars,
        offsets,
    )


def _currencies(
    markets: Sequence[PreparedMarket],
    base: str | None,
    fx: Mapping[str, FxUnits] | None,
    balances: Mapping[str, Decimal],
) -> tuple[str, ...]:
    """The run's currencies, base first: every quote currency and every currency held."""
    quotes = list(dict.fromkeys(m.instrument.quote_currency for m in markets))
    if base is None:
        base = "KRW" if "KRW" in quotes or fx else quotes[0]
    held = [c for c, amount in balances.items() if amount and c not in quotes]
    others = [c for c in dict.fromkeys([*quotes, *held]) if c != base]
    missing = [c for c in others if c not in (fx or {})]
    if missing:
        raise ConfigurationError(
            f"{', '.join(missing)} cannot be valued in {base}: give an FX series for it "
            "(e.g. --fx-rate 1350 or --fx FILE), or hold no cash in it"
        )
    return (base, *others)


def _fx_rates(currencies: tuple[str, ...], fx: Mapping[str, FxUnits], merged: Merged) -> FxRates:
    if len(currencies) == 1:
        return FxRates(currencies, np.ones((1, 1), dtype=np.int64), (0,))
    scale = max(fx[c].scale for c in currencies[1:])
    table = np.zeros((len(currencies), len(merged.ts)), dtype=np.int64)
    table[0] = 1
    for c, currency in enumerate(currencies[1:], start=1):
        series = fx[currency]
        at = np.searchsorted(series.ts_ns, merged.ts, side="right") - 1
        if len(at) and int(at.min()) < 0:
            raise ConfigurationError(
                f"the {currency} FX series starts after the first bar; give rates from "
                "the start of the backtest"
            )
        table[c] = series.rate_units[at] * 10 ** (scale - series.scale)
    return FxRates(currencies, table, tuple(0 if c == 0 else scale for c in range(len(currencies))))


def _concatenate(markets: Sequence[PreparedMarket]) -> tuple[tuple[IntArray, ...], IntArray]:
    def column(name: str) -> IntArray:
        parts = [np.ascontiguousarray(getattr(m.series, name)) for m in markets]
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def own(name: str, dtype: type) -> NDArray[np.generic]:
        parts = [np.ascontiguousarray(getattr(m, name), dtype=dtype) for m in markets]
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    bars = (
        column("ts_event"),
        column("open_units"),
        column("high_units"),
        column("low_units"),
        column("close_units"),
        column("volume_units"),
        own("table_rows", np.int64),
        own("roll", np.bool_),
        own("stt", np.int64),
        own("rural", np.int64),
    )
    offsets = np.concatenate(([0], np.cumsum([len(m.series) for m in markets]))).astype(np.int64)
    return bars, offsets  # type: ignore[return-value]


@dataclass(frozen=True)
class ProgramArrays:
    """One parameter set's signal columns (``Q_*`` order) and spec rows."""

    signals: tuple[NDArray[np.generic], ...]
    spec: IntArray
    fspec: FloatArray
    sizes: tuple[tuple[FloatArray, FloatArray, FloatArray], ...]  # per market, for the replay


def program_arrays(
    prepared: Prepared, signals: Sequence[Signals], shape: ProgramShape
) -> ProgramArrays:
    """Signals, exact levels and spec rows for one parameter set."""
    columns: list[list[NDArray[np.generic]]] = [[] for _ in range(10)]
    specs, fspecs, sizes = [], [], []
    for c, (market, signal) in enumerate(zip(prepared.markets, signals, strict=True)):
        currency = prepared.fx.currencies.index(market.instrument.quote_currency)
        row, frow = instrument_rows(
            market.instrument, market.scales, currency, prepared.config, shape
        )
        specs.append(row)
        fspecs.append(frow)
        market_columns = _market_signals(prepared, market, signal, shape)
        for n, column in enumerate(market_columns):
            columns[n].append(column)
        sizes.append(
            (
                market_columns[layout.Q_SIZE],
                market_columns[layout.Q_CAP],
                market_columns[layout.Q_DISTANCE],
            )
        )
        del c
    joined = tuple(parts[0] if len(parts) == 1 else np.concatenate(parts) for parts in columns)
    return ProgramArrays(joined, np.array(specs), np.array(fspecs), tuple(sizes))  # type: ignore[arg-type]


def _market_signals(
    prepared: Prepared, market: PreparedMarket, signal: Signals, shape: ProgramShape
) -> list[NDArray[np.generic]]:
    series = market.series
    grid = Grid(
        market.instrument,
        market.scales.price,
        np.asarray(series.close_units),
        market.table_rows,
        prepared.ticks,
        market.days,
        int(series.low_units.min()) // 4 if len(series) else 0,
    )
    length = len(series)
    zeros = np.zeros(length, dtype=np.int64)
    limit = (
        limit_levels(grid, signal.limit_price)
        if shape.limit_entries and signal.limit_price is not None
        else None
    )
    stop = offset_levels(grid, signal.stop_loss, above=False) if signal.stop_loss else zeros
    target = offset_levels(grid, signal.take_profit, above=True) if signal.take_profit else zeros
    trail = (
        offset_levels(grid, signal.trailing_stop, above=False) if signal.trailing_stop else zeros
    )
    ready = entry_ready(signal, limit) & np.asarray(signal.entry_long)
    size = units_column(signal.size_value, length)
    cap = units_column(signal.size_cap, length) if signal.size_cap is not None else size
    distance = units_column(signal.size_stop, length) if signal.size_stop is not None else size
    return [
        np.ascontiguousarray(signal.entry_long, dtype=np.bool_),
        np.ascontiguousarray(signal.exit_long, dtype=np.bool_),
        ready,
        limit if limit is not None else zeros,
        stop,
        target,
        trail,
        size,
        cap,
        distance,
    ]


def replay_markets(prepared: Prepared, program: ProgramArrays) -> list[Market]:
    """The replay's view of every instrument."""
    merged = prepared.merged
    out = []
    for n, market in enumerate(prepared.markets):
        series = market.series
        size, cap, distance = program.sizes[n]
        out.append(
            Market(
                instrument=market.instrument,
                calendar=market.calendar,
                price_scale=market.scales.price,
                quantity_scale=market.scales.quantity,
                volume_scale=market.scales.volume,
                offset=int(prepared.offsets[n]),
                ts_start=series.ts_start,
                ts_event=series.ts_event,
                high=series.high_units,
                low=series.low_units,
                close=series.close_units,
                volume=series.volume_units,
                days=market.days,
                roll_bars=np.flatnonzero(market.roll).astype(np.int64),
                events=np.flatnonzero(merged.instrument == n).astype(np.int64),
                size_value=size,
                size_cap=cap,
                size_distance=distance,
            )
        )
    return out
