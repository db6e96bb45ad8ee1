"""Random bars and signals for the kernel-vs-exchange tests, reproducible from a seed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.strategy.domain.language.vectorized import Levels, Signals
from jts.runtime.backtest.exchange import ExchangeConfig, SessionPolicy
from jts.runtime.backtest.results import BacktestResult
from jts.runtime.backtest.vectorized.engine import run_exact
from jts.runtime.backtest.vectorized.inputs import FxUnits, prepare, program_arrays
from jts.runtime.backtest.vectorized.specs import ProgramShape
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar, TradingCalendar
from jts.shared_kernel.venues.catalog import default_registry
from jts.shared_kernel.venues.instruments import Instrument
from tests.unit.runtime.backtest.vectorized.reference import ReferenceRun
from tests.unit.shared_kernel.venues.calendars import krx_test_calendar, kst

MINUTE_NS = 60 * 1_000_000_000
CRYPTO_START = 1_767_225_600_000_000_000  # 2026-01-01T00:00:00Z
REGISTRY = default_registry()
SAMSUNG = REGISTRY.get("005930.KRX")
HYNIX = REGISTRY.get("000660.KRX")
BTC_KRW = REGISTRY.get("BTC-KRW.UPBIT")
BTC_USDT = REGISTRY.get("BTCUSDT.BINANCE")
CALENDARS: dict[str, TradingCalendar] = {"XKRX": krx_test_calendar(), "24/7": AlwaysOpenCalendar()}
# (first price units, tick units, price scale, volume scale, start)
PROFILES: dict[InstrumentId, tuple[int, int, int, int]] = {
    SAMSUNG.id: (70_000, 100, 0, 0),
    HYNIX.id: (180_000, 100, 0, 0),
    BTC_KRW.id: (140_000_000, 1_000, 0, 8),
    BTC_USDT.id: (9_500_000, 1, 2, 5),
}


def krx_minutes(days: int) -> NDArray[np.int64]:
    """Minute starts of the first ``days`` sessions from 2026-01-05 (09:00-15:30 KST)."""
    calendar = CALENDARS["XKRX"]
    starts = []
    day = calendar.session_date(kst(2026, 1, 5, 12))
    for _ in range(days):
        open_ns, close_ns = calendar.session_bounds(day)
        starts.append(np.arange(open_ns, close_ns, MINUTE_NS, dtype=np.int64))
        day = calendar.next_session(day)
    return np.concatenate(starts)


def random_bars(
    instrument: Instrument, rng: np.random.Generator, count: int, *, step: float = 0.004
) -> BarSeries:
    """A random walk on the instrument's grid, as minute bars."""
    first, tick, price_scale, volume_scale = PROFILES[instrument.id]
    if instrument.calendar_id == "XKRX":
        starts = krx_minutes(count // 390 + 1)[:count]
    else:
        starts = CRYPTO_START + np.arange(count, dtype=np.int64) * MINUTE_NS
    moves = rng.normal(0.0, step, size=(count, 4)).cumsum(axis=0)[:, 3]
    close = np.maximum(first * np.exp(moves) // tick * tick, tick * 10).astype(np.int64)
    open_ = np.concatenate(([first], close[:-1]))
    open_ = np.where(rng.random(count) < 0.2, open_ + rng.integers(-5, 6, count) * tick, open_)
    open_ = np.maximum(open_, tick)
    wick = rng.integers(0, 8, size=(count, 2)) * tick
    high = np.maximum(open_, close) + wick[:, 0]
    low = np.maximum(np.minimum(open_, close) - wick[:, 1], tick)
    lot_volume = 1_000 if volume_scale == 0 else 10**volume_scale // 10
    volume = rng.integers(0, 50, count) * lot_volume + 1
    return BarSeries(
        instrument.id,
        Timeframe(60),
        starts,
        starts + MINUTE_NS,
        open_.astype(np.int64),
        high.astype(np.int64),
        low.astype(np.int64),
        close,
        volume.astype(np.int64),
        price_scale,
        volume_scale,
    )


@dataclass(frozen=True)
class Scenario:
    """A program shape and how often its rules fire."""

    shape: ProgramShape
    entry_rate: float = 0.05
    exit_rate: float = 0.03
    stop: tuple[str, float] | None = None  # (mode, value): percent share or distance in price
    target: tuple[str, float] | None = None
    trail: tuple[str, float] | None = None
    size: float = 0.5
    cap: float = 0.3
    limit_offset: float = 0.002


def random_signals(series: BarSeries, scenario: Scenario, rng: np.random.Generator) -> Signals:
    count = len(series)
    close = series.close
    entry = rng.random(count) < scenario.entry_rate
    exit_ = rng.random(count) < scenario.exit_rate
    warm = rng.integers(0, 5)
    entry[:warm] = False

    def levels(spec: tuple[str, float] | None) -> Levels | None:
        if spec is None:
            return None
        mode, value = spec
        if mode == "percent":
            return Levels("percent", np.full(count, value))
        return Levels("distance", close * value * rng.uniform(0.5, 1.5, count))

    shape = scenario.shape
    limit = (
        close * (1 - scenario.limit_offset * rng.uniform(0, 2, count))
        if shape.limit_entries
        else None
    )
    distance = close * 0.01 * rng.uniform(0.5, 2.0, count)
    return Signals(
        ts=series.ts_event,
        params={},
        entry_long=entry,
        exit_long=exit_,
        entry_short=np.zeros(count, dtype=np.bool_),
        exit_short=np.zeros(count, dtype=np.bool_),
        limit_price=limit,
        stop_loss=levels(scenario.stop),
        take_profit=levels(scenario.target),
        trailing_stop=levels(scenario.trail),
        size_form=shape.sizing,
        size_value=np.full(count, scenario.size),
        size_cap=np.full(count, scenario.cap) if shape.sizing == "kelly" else None,
        size_stop=distance if shape.sizing == "risk" else None,
        ttl_bars=shape.ttl_bars,
        warmup={},
    )


def both_engines(
    instruments: list[Instrument],
    series: list[BarSeries],
    signals: list[Signals],
    shape: ProgramShape,
    *,
    balances: Mapping[str, Decimal],
    config: ExchangeConfig | None = None,
    fx: Mapping[str, Decimal] | None = None,
) -> tuple[BacktestResult, ReferenceRun]:
    """Run the vectorized engine and the reference on the same inputs."""
    config = config or ExchangeConfig(session_policy=SessionPolicy.QUEUE)
    fx_series = None
    if fx:
        first = min(int(s.ts_event[0]) for s in series)
        fx_series = {
            currency: FxUnits(
                np.array([first - 1], dtype=np.int64),
                np.array([int(rate.scaleb(2))], dtype=np.int64),
                2,
            )
            for currency, rate in fx.items()
        }
    prepared = prepare(
        list(zip(instruments, series, strict=True)),
        CALENDARS,
        balances=balances,
        config=config,
        fx=fx_series,
    )
    program = program_arrays(prepared, signals, shape)
    result = run_exact(
        prepared, program, strategy="random", parameters={}, sizing_form=shape.sizing
    )
    reference = ReferenceRun(
        instruments, series, CALENDARS, signals, shape, balances=balances, config=config, fx=fx
    )
    reference.run()
    return result, reference
