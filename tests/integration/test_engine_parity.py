"""Both backtest engines trade alike: every example strategy, generated KRX and crypto bars.

The event-driven engine (``runtime.backtest.engine``: the strategy runner, risk's planner
and gate, the order life cycle, the simulated exchange, the portfolio) and the vectorized
engine (``runtime.backtest.vectorized``: signal arrays, the numba kernel, the exact replay)
must report the same fills, the same round-trip trades and the same final equity, to the
last digit. Each example runs on simulated bars of the instruments of its universe the
built-in registry knows, in its own timeframe, under three exchange settings: plain; a 2%
participation cap with volume-share slippage; 5 bps fixed slippage. Donchian's universe
mixes a USDT and a KRW pair (one run, one FX series). Every case must trade, so the
comparison is never vacuous.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from jts.adapters.calendars import trading_calendar
from jts.bootstrap.stores import simulate
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.strategy.domain.language import compile_strategy
from jts.runtime.backtest.engine import EngineConfig, EventDrivenBacktest, FxSeries
from jts.runtime.backtest.exchange import (
    ExchangeConfig,
    FixedBpsSlippage,
    SessionPolicy,
    VolumeShareSlippage,
)
from jts.runtime.backtest.results import BacktestResult
from jts.runtime.backtest.vectorized.backtest import VectorizedBacktest
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar
from jts.shared_kernel.venues.catalog import default_registry

EXAMPLES = Path(__file__).parents[2] / "examples" / "strategies"
REGISTRY = default_registry()
CASH = {"KRW": Decimal(100_000_000), "USDT": Decimal(100_000)}
FX = [FxSeries("USDT", [0], [Decimal("1350.5")])]
PARAMS: Mapping[str, Mapping[str, float]] = {
    # the defaults trade once on these bars; a faster RSI trades, stops and takes profit more
    "rsi_mean_reversion": {"period": 7, "oversold": 35},
}
SETTINGS = {
    "plain": {},
    "participation+volume slippage": {
        "participation_rate": Decimal("0.02"),
        "slippage": VolumeShareSlippage(),
    },
    "fixed slippage": {"slippage": FixedBpsSlippage(Decimal(5))},
}


def _examples() -> list[str]:
    return sorted(path.stem for path in EXAMPLES.glob("*.jts"))


@cache
def _calendars() -> dict[str, object]:
    return {
        "XKRX": trading_calendar("XKRX", first_year=2022, last_year=2025),
        "24/7": AlwaysOpenCalendar(),
    }


@cache
def _bars(instruments: tuple[str, ...], timeframe: str) -> tuple[BarSeries, ...]:
    frame = Timeframe.parse(timeframe)
    if frame.seconds >= 86_400:
        start, end = date(2022, 1, 3), date(2024, 12, 30)  # a 200-day trend filter warms up
    elif frame.seconds >= 3_600:
        start, end = date(2024, 1, 2), date(2024, 12, 30)
    else:
        start, end = date(2024, 3, 4), date(2024, 5, 31)
    markets = simulate(list(instruments), start, end, seed=7, timeframe=frame)
    return tuple(market.bars for market in markets)


def _runs(name: str, setting: str) -> tuple[BacktestResult, BacktestResult]:
    compiled = compile_strategy((EXAMPLES / f"{name}.jts").read_text(), f"{name}.jts")
    known = tuple(str(i) for i in compiled.program.universe if i in REGISTRY)
    bars = list(_bars(known, compiled.program.timeframe))
    exchange = ExchangeConfig(
        session_policy=SessionPolicy.QUEUE, keep_closed_orders=False, **SETTINGS[setting]
    )
    config = EngineConfig(cash=CASH, exchange=exchange)
    calendars = _calendars()
    params = PARAMS.get(name)
    event = EventDrivenBacktest(instruments=REGISTRY, calendars=calendars, config=config)
    vectorized = VectorizedBacktest(instruments=REGISTRY, calendars=calendars, config=config)
    return (
        event.run_program(compiled, bars, params=params, fx=FX),
        vectorized.run_program(compiled, bars, params=params, fx=FX),
    )


@pytest.mark.slow
@pytest.mark.parametrize("setting", list(SETTINGS))
@pytest.mark.parametrize("name", _examples())
def test_both_engines_fill_trade_and_end_alike(name: str, setting: str) -> None:
    event, vectorized = _runs(name, setting)

    assert event.trades, f"{name} made no trade on the generated bars: the test would prove nothing"
    assert event.fills == vectorized.fills
    assert event.trades == vectorized.trades
    assert event.final_equity == vectorized.final_equity
    assert event.positions == vectorized.positions
    assert event.balances == vectorized.balances
    assert (event.engine, vectorized.engine) == ("event", "vectorized")


def test_every_example_is_covered() -> None:
    assert len(_examples()) >= 6
