"""``VectorizedBacktest``: programs over bars, the result's shape, and bad requests."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from jts.contexts.strategy.domain.language import compile_strategy
from jts.runtime.backtest.vectorized.backtest import VectorizedBacktest, VectorizedConfig
from jts.shared_kernel.errors import ConfigurationError, DataError
from jts.shared_kernel.venues.catalog import default_registry
from tests.unit.runtime.backtest.vectorized.builders import (
    BTC_USDT,
    CALENDARS,
    HYNIX,
    SAMSUNG,
    random_bars,
)

PROGRAM = """
strategy "cross"
universe 005930.KRX, 000660.KRX, BTCUSDT.BINANCE
timeframe 1m
param fast = 5
param slow = 20
entry long when crosses_above(sma(close, fast), sma(close, slow))
exit long when crosses_below(sma(close, fast), sma(close, slow))
stop_loss 2%
take_profit 3%
size percent_equity(30%)
"""
COMPILED = compile_strategy(PROGRAM)
CASH = {"KRW": Decimal(100_000_000), "USDT": Decimal(50_000)}


class Rates:
    def __init__(self, currency: str, rate: str) -> None:
        self.currency = currency
        self.ts_ns = [-(2**62)]
        self.rates = [Decimal(rate)]


def engine(**config: object) -> VectorizedBacktest:
    settings = VectorizedConfig(**{"cash": CASH, **config})  # type: ignore[arg-type]
    return VectorizedBacktest(instruments=default_registry(), calendars=CALENDARS, config=settings)


def test_a_program_over_several_instruments_trades_and_measures() -> None:
    rng = np.random.default_rng(4)
    bars = [random_bars(spec, rng, 2_000) for spec in (HYNIX, BTC_USDT, SAMSUNG)]

    result = engine().run_program(COMPILED, bars, fx=[Rates("USDT", "1400")])

    assert result.engine == "vectorized"
    assert result.trades
    assert {t.instrument_id for t in result.trades} <= {SAMSUNG.id, HYNIX.id, BTC_USDT.id}
    assert result.initial_equity == Decimal(100_000_000) + Decimal(50_000) * 1400
    assert len(result.equity) == len(result.equity_ts_ns) == len(np.unique(result.equity_ts_ns))
    assert result.equity[0] == float(result.initial_equity)
    assert abs(result.equity[-1] - float(result.final_equity)) < 1e-6 * float(result.final_equity)
    assert result.parameters == {"fast": 5.0, "slow": 20.0}


def test_parameters_change_the_run() -> None:
    bars = [random_bars(SAMSUNG, np.random.default_rng(5), 1_500)]

    krw = engine(cash={"KRW": Decimal(100_000_000)})
    fast = krw.run_program(COMPILED, bars, params={"fast": 3})
    slow = krw.run_program(COMPILED, bars, params={"fast": 8})

    assert fast.fills != slow.fills


def test_usdt_cash_needs_a_rate_into_the_base_currency() -> None:
    bars = [random_bars(BTC_USDT, np.random.default_rng(6), 300)]

    with pytest.raises(ConfigurationError, match="FX series"):
        engine().run_program(COMPILED, bars)


def test_bars_outside_the_universe_are_refused() -> None:
    eth = default_registry().get("ETHUSDT.BINANCE")
    bars = [random_bars(BTC_USDT, np.random.default_rng(7), 100)]
    odd = [
        bars[0].__class__(
            eth.id,
            *[
                getattr(bars[0], f)
                for f in (
                    "timeframe",
                    "ts_start",
                    "ts_event",
                    "open_units",
                    "high_units",
                    "low_units",
                    "close_units",
                    "volume_units",
                    "price_scale",
                    "volume_scale",
                )
            ],
        )
    ]

    with pytest.raises(DataError, match="not in the universe"):
        engine(cash={"USDT": Decimal(1)}, base_currency="USDT").run_program(COMPILED, odd)


def test_one_series_per_instrument() -> None:
    bars = random_bars(SAMSUNG, np.random.default_rng(8), 100)

    with pytest.raises(DataError, match="one series of bars per instrument"):
        engine().run_program(COMPILED, [bars, bars])


def test_a_sweep_gives_each_set_its_float_curve_and_trades() -> None:
    krw = engine(cash={"KRW": Decimal(100_000_000)})
    bars = [random_bars(SAMSUNG, np.random.default_rng(9), 1_500)]
    prepared = krw.prepare(bars, universe=COMPILED.program.universe)
    sets = [{"fast": 3.0}, {"fast": 5.0}, {"fast": 8.0}]

    runs = krw.sweep(COMPILED, prepared, sets)

    for params, run in zip(sets, runs, strict=True):
        exact = krw.run_prepared(COMPILED, prepared, params=params)
        assert run.parameters == exact.parameters
        assert np.allclose(run.equity, exact.equity, rtol=1e-12)
        pnl = [float(t.pnl * t.fx_rate) for t in exact.trades]
        assert np.allclose(run.trade_pnl, pnl, rtol=1e-9)


def test_short_entries_are_noted_not_traded() -> None:
    both_ways = compile_strategy(
        PROGRAM.replace(
            "exit long when",
            "entry short when crosses_below(sma(close, fast), sma(close, slow))\nexit long when",
        )
    )
    bars = [random_bars(SAMSUNG, np.random.default_rng(10), 1_500)]

    result = engine(cash={"KRW": Decimal(100_000_000)}).run_program(both_ways, bars)

    assert any("short entry signal" in note for note in result.notes)
    assert all(fill.side.value in ("BUY", "SELL") for fill in result.fills)
    assert all(t.direction.value == "LONG" for t in result.trades)


def test_pre_trade_limits_are_left_to_the_event_driven_engine() -> None:
    from jts.contexts.risk.domain.limits import RiskLimits
    from jts.runtime.backtest.engine import EngineConfig

    config = EngineConfig(limits=RiskLimits(max_open_orders=1))

    with pytest.raises(ConfigurationError, match="pre-trade limits"):
        VectorizedBacktest(instruments=default_registry(), calendars=CALENDARS, config=config)
