"""Grid sweep: JTS's optimizer vs vectorbt's multi-parameter run, combinations per second.

Both sweep the same SMA(fast) x SMA(slow) cross grid (fast 5..20 step 5 x slow 50..200
step 50: 16 combinations) over the same 100,000 generated one-minute BTCUSDT bars (the
JTS market simulator, seeded), long only, fee 0.1%, entries and exits at the next bar's
open, and score every combination by its Sharpe ratio:

- JTS: ``jts optimize``'s path without the store: ``ParameterSpace`` of the program's
  ranges, ``TrialRunner`` with 2 worker processes (the machine has 2 cores), grid search,
  each combination ranked on a float sweep run through the engine ``jts optimize`` wires
  (``VectorizedBacktest.sweep``: the language's vectorized signals and the numba kernel
  under the simulated exchange's rules; bars prepared once per batch) and scored with the
  analytics objective, the best set rerun exactly (kernel plus ``Decimal`` replay into a
  ``BacktestResult``), then the deflated Sharpe ratio and PBO over all trials.
- vectorbt: ``MA.run`` over the fast and slow windows of every combination at once,
  ``ma_crossed_above``/``below`` for entries and exits, one ``Portfolio.from_signals``
  over all 16 columns (signals shifted one bar, filled at the open, ``fees=0.001``) and
  ``sharpe_ratio()`` per column: its vectorized multi-column sweep in one process.

Timed: the sweep (JTS: the runner's pool start, warm-up and search; vectorbt: indicator to
Sharpe); both peers' numba kernels are compiled before the clock starts. The figure is
combinations per second and the ratio to vectorbt (goal >= 1).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from benchmarks.harness import Figure
from jts.bootstrap.stores import simulate
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.portfolio.domain.analytics import BINANCE_DAILY
from jts.contexts.strategy.domain.language import compile_strategy
from jts.runtime.backtest.optimization import (
    ParameterSpace,
    Scorer,
    SearchSettings,
    TrialRunner,
    optimize,
)
from jts.runtime.backtest.optimization.program import ProgramEvaluator
from jts.runtime.backtest.vectorized.backtest import VectorizedBacktest, VectorizedConfig
from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar
from jts.shared_kernel.venues.catalog import default_registry
from jts.shared_kernel.venues.instruments import CRYPTO_CALENDAR_ID

SEED = 20_260_101
BARS = 100_000
JOBS = 2
FAST = (5, 10, 15, 20)
SLOW = (50, 100, 150, 200)
SOURCE = """
strategy "sma_grid_bench"
universe BTCUSDT.BINANCE
timeframe 1m
param fast = 10 range 5..20 step 5
param slow = 50 range 50..200 step 50
let f = sma(close, fast)
let s = sma(close, slow)
entry long when crosses_above(f, s)
exit long when crosses_below(f, s)
size percent_equity(99%)
"""


def run() -> Iterable[Figure]:
    series = _bars(BARS)
    jts_rate = _jts(series)
    name = (
        f"grid sweep combinations/s, SMA fast x slow ({len(FAST) * len(SLOW)}) over {BARS:,} bars"
    )
    peer = _vectorbt(series)
    if peer is None:
        yield Figure(name, jts_rate, "combinations/s")
        return
    yield Figure(name, jts_rate, "combinations/s", peer="vectorbt", peer_value=peer)


def _bars(size: int) -> BarSeries:
    days = size // 1_440 + 1
    start = date(2025, 1, 1)
    market = simulate(["BTCUSDT.BINANCE"], start, start + timedelta(days=days), seed=SEED)[0]
    return market.bars.take(slice(0, size))


def _jts(series: BarSeries) -> float:
    program = compile_strategy(SOURCE, "bench.jts")
    engine = VectorizedBacktest(
        instruments=default_registry(),
        calendars={CRYPTO_CALENDAR_ID: AlwaysOpenCalendar()},
        config=VectorizedConfig(cash={"USDT": Decimal(1_000_000)}, base_currency="USDT"),
    )
    evaluator = ProgramEvaluator(engine, program, [series])
    evaluator.warm_up()  # imports, kernels, caches: compiled before the clock starts
    space = ParameterSpace.of(program.program.params)
    began = time.perf_counter()
    with TrialRunner(evaluator, Scorer("sharpe", BINANCE_DAILY), jobs=JOBS) as runner:
        outcome = optimize(runner, space, SearchSettings("grid"))
    elapsed = time.perf_counter() - began
    if len(outcome.trials) != space.size:
        raise AssertionError(f"JTS ran {len(outcome.trials)} of {space.size} combinations")
    return space.size / elapsed


def _vectorbt(series: BarSeries) -> float | None:
    try:
        import vectorbt  # noqa: F401
    except ImportError:
        return None
    open_, close = np.asarray(series.open), np.asarray(series.close)
    _vectorbt_sweep(open_[:5_000], close[:5_000])  # compile vectorbt's kernels first
    began = time.perf_counter()
    sharpes = _vectorbt_sweep(open_, close)
    elapsed = time.perf_counter() - began
    if len(sharpes) != len(FAST) * len(SLOW):
        raise AssertionError(f"vectorbt scored {len(sharpes)} combinations")
    return len(sharpes) / elapsed


def _vectorbt_sweep(open_: np.ndarray, close: np.ndarray) -> np.ndarray:
    import pandas as pd
    import vectorbt as vbt

    fast_windows = [f for f in FAST for _ in SLOW]
    slow_windows = [s for _ in FAST for s in SLOW]
    index = pd.date_range("2025-01-01", periods=len(close), freq="1min")
    price = pd.Series(close, index=index)
    fast = vbt.MA.run(price, fast_windows, short_name="fast")
    slow = vbt.MA.run(price, slow_windows, short_name="slow")
    entries = fast.ma_crossed_above(slow).shift(1, fill_value=False)
    exits = fast.ma_crossed_below(slow).shift(1, fill_value=False)
    portfolio = vbt.Portfolio.from_signals(
        price,
        entries.values,
        exits.values,
        price=pd.Series(open_, index=index),
        fees=0.001,
        init_cash=1_000_000.0,
        freq="1min",
    )
    return np.asarray(portfolio.sharpe_ratio())
