"""Vectorized backtests: JTS's engine vs vectorbt (and backtrader), same bars, same rules.

Every figure runs an SMA(10)/SMA(50) cross, long only, on the same generated one-minute
BTCUSDT bars (the JTS market simulator, seeded): 100,000 and 1,000,000 bars. Orders are
sent at a bar's close and filled at the next bar's open with a 0.1% fee on each fill (the
BTCUSDT spec's rate; in vectorbt ``fees=0.001`` at ``price=open`` with the signals shifted
one bar); each trade buys 0.1 BTC (vectorbt ``size=0.1``, backtrader ``size=0.1``), so all
engines close the same trades (checked). Figures:

- **kernel bars/s**: the order/fill/cash simulation alone on signals already computed:
  JTS's numba kernel (``engine.execute``: matching under the exchange rules, cash,
  positions, the equity curve) vs ``Portfolio.from_signals``. Best of three.
- **engine bars/s**: a whole backtest from bars in memory to trades and equity: JTS's
  ``run_prepared`` (the language's signals, the kernel, the exact ``Decimal`` replay into a
  ``BacktestResult``) vs vectorbt's ``MA.run`` + ``ma_crossed_above/below`` +
  ``from_signals`` + trade records and value. Best of three. backtrader (its own SMA and
  ``CrossOver``, market orders at the next open, 0.1% commission) is a second peer at
  100,000 bars.
- **grid sweep combinations/s**: fast 5..20 step 5 x slow 50..200 step 50 (16 sets) over
  100,000 bars in one process: JTS prepares the bars once and runs each set (signals share
  the evaluator's indicator cache) either exactly (``run_prepared``: kernel and ``Decimal``
  replay) or in floats (``sweep``: the kernel alone, for ranking); vectorbt runs all 16
  columns in one ``from_signals``.
- **whole process**: wall time of ``jts backtest FILE --data bars.parquet --json`` vs a
  Python script doing the vectorbt backtest of the same file (reading it with pandas),
  both as subprocesses after one warm run each (numba caches and Python bytecode written,
  as an installed program runs); and the peak memory (``ru_maxrss``) of those runs, each
  started from a small launcher process. Lower is better for both.

``JTS_BENCH_LARGE=1`` also runs the whole-process figures on 1,000,000 bars.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.harness import Figure, best_of
from jts.bootstrap.stores import simulate, write_bars_file
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.strategy.domain.language import compile_strategy
from jts.runtime.backtest.vectorized import engine
from jts.runtime.backtest.vectorized.backtest import VectorizedBacktest, VectorizedConfig
from jts.runtime.backtest.vectorized.inputs import program_arrays
from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar
from jts.shared_kernel.venues.catalog import default_registry
from jts.shared_kernel.venues.instruments import CRYPTO_CALENDAR_ID

SEED = 20_260_101
SIZES = (100_000, 1_000_000)
FEE = 0.001
CASH = 1_000_000
QUANTITY = 0.1
BACKTRADER_BARS = 50_000  # backtrader runs ~20,000 bars/s: its figure is per bar
FAST, SLOW = (5, 10, 15, 20), (50, 100, 150, 200)
SOURCE = """
strategy "sma_cross_bench"
universe BTCUSDT.BINANCE
timeframe 1m
param fast = 10 range 5..20 step 5
param slow = 50 range 50..200 step 50
let f = sma(close, fast)
let s = sma(close, slow)
entry long when crosses_above(f, s)
exit long when crosses_below(f, s)
size quantity(0.1)
"""
VECTORBT_SCRIPT = """
import json, sys
import pandas as pd
import vectorbt as vbt
data = pd.read_parquet(sys.argv[1])
index = pd.DatetimeIndex(data["timestamp"])
close = pd.Series(data["close"].to_numpy(), index=index)
open_ = pd.Series(data["open"].to_numpy(), index=index)
fast = vbt.MA.run(close, 10)
slow = vbt.MA.run(close, 50)
entries = fast.ma_crossed_above(slow).shift(1, fill_value=False)
exits = fast.ma_crossed_below(slow).shift(1, fill_value=False)
pf = vbt.Portfolio.from_signals(close, entries, exits, price=open_, fees=0.001, size=0.1,
                                size_type="amount", init_cash=1_000_000.0, freq="1min")
trades = pf.trades.values
print(json.dumps({"trades": int(len(trades)), "final": float(pf.value().iloc[-1])}))
"""


def run() -> Iterable[Figure]:
    bars = _bars(max(SIZES))
    peer = _Vectorbt.load()
    for size in SIZES:
        series = bars.take(slice(0, size))
        yield from _kernel_figures(series, peer)
        yield from _engine_figures(series, peer)
    yield from _sweep_figures(bars.take(slice(0, SIZES[0])), peer)
    sizes = SIZES if os.environ.get("JTS_BENCH_LARGE") == "1" else SIZES[:1]
    for size in sizes:
        yield from _process_figures(bars.take(slice(0, size)), peer is not None)


def _bars(size: int) -> BarSeries:
    start = date(2025, 1, 1)
    days = size // 1_440 + 1
    market = simulate(["BTCUSDT.BINANCE"], start, start + timedelta(days=days), seed=SEED)[0]
    return market.bars.take(slice(0, size))


def _engine() -> VectorizedBacktest:
    config = VectorizedConfig(cash={"USDT": Decimal(CASH)}, base_currency="USDT")
    return VectorizedBacktest(
        instruments=default_registry(),
        calendars={CRYPTO_CALENDAR_ID: AlwaysOpenCalendar()},
        config=config,
    )


# --- in-process figures ---------------------------------------------------------------------


def _kernel_figures(series: BarSeries, peer: _Vectorbt | None) -> Iterable[Figure]:
    compiled = compile_strategy(SOURCE, "bench.jts")
    prepared = _engine().prepare([series], universe=compiled.program.universe)
    params = compiled.resolve_params()
    signals = engine.evaluate_signals(compiled, prepared, params)
    program = program_arrays(prepared, signals, engine.program_shape(compiled))
    engine.execute(prepared, program)  # compiled (or loaded from the cache) first
    elapsed = best_of(3, lambda: engine.execute(prepared, program))
    name = f"vectorized kernel bars/s, SMA(10/50) cross, {len(series):,} bars"
    ours = len(series) / elapsed
    entries, exits = signals[0].entry_long, signals[0].exit_long
    if peer is None:
        yield Figure(name, ours, "bars/s")
        return
    theirs = len(series) / peer.kernel_seconds(series, entries, exits)
    yield Figure(name, ours, "bars/s", peer="vectorbt", peer_value=theirs)


def _engine_figures(series: BarSeries, peer: _Vectorbt | None) -> Iterable[Figure]:
    backtest = _engine()
    compiled = compile_strategy(SOURCE, "bench.jts")
    prepared = backtest.prepare([series], universe=compiled.program.universe)
    result = backtest.run_prepared(compiled, prepared)
    elapsed = best_of(3, lambda: backtest.run_prepared(compiled, prepared))
    ours = len(series) / elapsed
    name = f"vectorized engine bars/s (signals, kernel, exact replay), {len(series):,} bars"
    if peer is None:
        yield Figure(name, ours, "bars/s")
    else:
        trades, seconds = peer.engine_seconds(series)
        _check_trades(len(result.trades), trades, "vectorbt")
        yield Figure(name, ours, "bars/s", peer="vectorbt", peer_value=len(series) / seconds)
    if len(series) <= SIZES[0]:
        bars_per_second = _backtrader(series.take(slice(0, BACKTRADER_BARS)))
        if bars_per_second is not None:
            name = f"vectorized engine bars/s vs backtrader, {len(series):,} bars"
            yield Figure(name, ours, "bars/s", peer="backtrader", peer_value=bars_per_second)


def _check_trades(ours: int, theirs: int, peer: str) -> None:
    if ours != theirs:
        raise AssertionError(f"JTS closed {ours} trades, {peer} {theirs}: not the same run")


def _sweep_figures(series: BarSeries, peer: _Vectorbt | None) -> Iterable[Figure]:
    backtest = _engine()
    compiled = compile_strategy(SOURCE, "bench.jts")
    grid = [{"fast": float(f), "slow": float(s)} for f in FAST for s in SLOW]
    prepared = backtest.prepare([series], universe=compiled.program.universe)
    backtest.run_prepared(compiled, prepared, params=grid[0])  # compiled first

    def exact() -> None:
        for params in grid:
            backtest.run_prepared(compiled, prepared, params=params)

    exact_rate = len(grid) / best_of(1, exact)
    fast_rate = len(grid) / best_of(1, lambda: backtest.sweep(compiled, prepared, grid))
    peer_rate = None if peer is None else len(grid) / peer.sweep(series)
    bars = f"{len(grid)} SMA sets over {len(series):,} bars"
    for how, rate in (("exact", exact_rate), ("float", fast_rate)):
        name = f"grid sweep combinations/s ({how}), {bars}"
        if peer_rate is None:
            yield Figure(name, rate, "combinations/s")
        else:
            yield Figure(name, rate, "combinations/s", peer="vectorbt", peer_value=peer_rate)


class _Vectorbt:
    """vectorbt's side of the in-process figures (imported once)."""

    def __init__(self, vbt: Any, pd: Any) -> None:
        self.vbt, self.pd = vbt, pd

    @classmethod
    def load(cls) -> _Vectorbt | None:
        try:
            import pandas as pd
            import vectorbt as vbt
        except ImportError:
            return None
        return cls(vbt, pd)

    def _series(self, series: BarSeries) -> tuple[Any, Any]:
        index = self.pd.date_range("2025-01-01", periods=len(series), freq="1min")
        close = self.pd.Series(np.asarray(series.close), index=index)
        return close, self.pd.Series(np.asarray(series.open), index=index)

    def _portfolio(self, close: Any, open_: Any, entries: Any, exits: Any) -> Any:
        return self.vbt.Portfolio.from_signals(
            close,
            entries,
            exits,
            price=open_,
            fees=FEE,
            size=QUANTITY,
            size_type="amount",
            init_cash=float(CASH),
            freq="1min",
        )

    def kernel_seconds(self, series: BarSeries, entries: np.ndarray, exits: np.ndarray) -> float:
        close, open_ = self._series(series)
        shifted = [np.concatenate(([False], s[:-1])) for s in (entries, exits)]
        self._portfolio(close, open_, *shifted)  # compiled first
        return best_of(3, lambda: self._portfolio(close, open_, *shifted))

    def _run(self, close: Any, open_: Any, fast: Any, slow: Any) -> Any:
        fast_ma = self.vbt.MA.run(close, fast)
        slow_ma = self.vbt.MA.run(close, slow)
        entries = fast_ma.ma_crossed_above(slow_ma).shift(1, fill_value=False)
        exits = fast_ma.ma_crossed_below(slow_ma).shift(1, fill_value=False)
        return self._portfolio(close, open_, entries, exits)

    def engine_seconds(self, series: BarSeries) -> tuple[int, float]:
        close, open_ = self._series(series)
        outcome: dict[str, int] = {}

        def backtest() -> None:
            portfolio = self._run(close, open_, 10, 50)
            records = portfolio.trades.values
            outcome["trades"] = int(np.count_nonzero(records["status"] == 1))
            portfolio.value()

        backtest()
        return outcome["trades"], best_of(3, backtest)

    def sweep(self, series: BarSeries) -> float:
        close, open_ = self._series(series)
        fast = [f for f in FAST for _ in SLOW]
        slow = [s for _ in FAST for s in SLOW]

        def run_all() -> None:
            self._run(close, open_, fast, slow).value()

        run_all()
        began = time.perf_counter()
        run_all()
        return time.perf_counter() - began


def _backtrader(series: BarSeries) -> float | None:
    try:
        import backtrader as bt
        import pandas as pd
    except ImportError:
        return None

    class Cross(bt.Strategy):  # type: ignore[misc]
        def __init__(self) -> None:
            fast = bt.indicators.SMA(self.data.close, period=10)
            slow = bt.indicators.SMA(self.data.close, period=50)
            self.cross = bt.indicators.CrossOver(fast, slow)

        def next(self) -> None:
            if not self.position and self.cross[0] > 0:
                self.buy(size=QUANTITY)
            elif self.position and self.cross[0] < 0:
                self.close()

    frame = pd.DataFrame(
        {name: np.asarray(getattr(series, name)) for name in ("open", "high", "low", "close")},
        index=pd.to_datetime(np.asarray(series.ts_start), unit="ns"),
    )
    frame["volume"] = np.asarray(series.volume)
    cerebro = bt.Cerebro(stdstats=False)
    cerebro.adddata(bt.feeds.PandasData(dataname=frame))
    cerebro.addstrategy(Cross)
    cerebro.broker.setcash(float(CASH))
    cerebro.broker.setcommission(commission=FEE)
    began = time.perf_counter()
    cerebro.run()
    return len(series) / (time.perf_counter() - began)


# --- whole processes --------------------------------------------------------------------------


def _process_figures(series: BarSeries, with_peer: bool) -> Iterable[Figure]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        data = root / "bars.parquet"
        write_bars_file(series, data)
        strategy = root / "cross.jts"
        strategy.write_text(SOURCE, encoding="utf-8")
        jts = [sys.executable, "-m", "jts.entrypoints.cli.main", "backtest", str(strategy)]
        jts += ["--data", str(data), "--json", "--cash", "USDT=1000000"]
        # no other JTS_* variables (JTS_BENCH_LARGE is not a setting); installed software
        # keeps its bytecode, so PYTHONDONTWRITEBYTECODE goes too
        env = {k: v for k, v in os.environ.items() if not k.startswith("JTS_")}
        env["JTS_HOME"] = str(root / "home")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        ours = _timed_process(jts, env)
        peer = (
            _timed_process([sys.executable, "-c", VECTORBT_SCRIPT, str(data)], env)
            if with_peer
            else None
        )
    size = f"{len(series):,} bars"
    if not with_peer or peer is None:
        yield Figure(f"jts backtest whole process, {size}", ours[0], "s", higher_is_better=False)
        yield Figure(f"jts backtest peak memory, {size}", ours[1], "MB", higher_is_better=False)
        return
    yield Figure(
        f"jts backtest whole process, {size}",
        ours[0],
        "s",
        higher_is_better=False,
        peer="vectorbt script",
        peer_value=peer[0],
    )
    yield Figure(
        f"jts backtest peak memory, {size}",
        ours[1],
        "MB",
        higher_is_better=False,
        peer="vectorbt script",
        peer_value=peer[1],
    )


LAUNCHER = """
import json, os, subprocess, sys, time
with open(sys.argv[1], "wb") as output:
    began = time.perf_counter()
    process = subprocess.Popen(sys.argv[2:], stdout=output, stderr=output)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - began
print(json.dumps({"status": status, "seconds": seconds, "maxrss_kb": usage.ru_maxrss}))
"""


def _timed_process(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of ``command``, after one warm run. A small
    launcher process starts it: a child forked from this (large) process would report
    this process's memory as its own peak."""
    outcome = (0.0, 0.0)
    with tempfile.NamedTemporaryFile() as output:
        for _ in range(2):
            launched = subprocess.run(
                [sys.executable, "-c", LAUNCHER, output.name, *command],
                env=env,
                capture_output=True,
                check=True,
            )
            report = json.loads(launched.stdout)
            if report["status"] != 0:
                text = Path(output.name).read_text(errors="replace")[-2000:]
                raise RuntimeError(f"{command[:4]} failed: {text}")
            outcome = (report["seconds"], report["maxrss_kb"] / 1024)
    return outcome
