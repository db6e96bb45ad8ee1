"""Strategy language: vectorized golden cross vs plain numpy and vectorbt, plus live speed.

Figures (JTS relative to the peer; ratio > 1 means JTS is faster):

* golden cross over 1,000,000 bars, one parameter set, vs a plain numpy implementation
  computing the same entry/exit signals (cumulative-sum SMAs, shifted comparisons);
* the same over 100 parameter sets (fast 5..50 x slow 60..150), vs numpy with an SMA cache
  and vs vectorbt (``MA.run`` + ``ma_crossed_above``, 10 parameter sets per call to bound
  memory);
* the incremental evaluator's throughput in bars per second, and compile time per example.

Before timing, each peer's signals are compared with JTS's: they must agree on all but a
handful of bars (cumulative-sum SMAs round differently at exact ties).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from benchmarks.harness import Figure, best_of
from jts.contexts.strategy.domain.language import BarArrays, CompiledStrategy, compile_strategy
from jts.shared_kernel.identifiers import InstrumentId

BARS = 1_000_000
INSTRUMENT = InstrumentId.parse("BTCUSDT.BINANCE")
SOURCE = """
strategy "golden_cross_bench"
universe BTCUSDT.BINANCE
timeframe 1m
param fast = 20 range 5..50 step 5
param slow = 60 range 60..150 step 10
let f = sma(close, fast)
let s = sma(close, slow)
entry long when crosses_above(f, s)
exit long when crosses_below(f, s)
size percent_equity(10%)
"""
EXAMPLES = Path(__file__).parents[1] / "examples" / "strategies"
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def _bars(length: int) -> BarArrays:
    rng = np.random.default_rng(20240101)
    close = 30_000.0 * np.exp(np.cumsum(rng.normal(0.0, 0.001, length)))
    ts = np.arange(1, length + 1, dtype=np.int64) * 60_000_000_000
    return BarArrays(ts, close, close * 1.0005, close * 0.9995, close, np.ones(length))


def _numpy_sma(close: FloatArray, window: int) -> FloatArray:
    total = np.cumsum(close)
    out = np.full(close.shape[0], np.nan)
    out[window - 1] = total[window - 1] / window
    out[window:] = (total[window:] - total[:-window]) / window
    return out


def _numpy_signals(fast: FloatArray, slow: FloatArray) -> tuple[BoolArray, BoolArray]:
    above = fast > slow
    below = fast < slow
    known = ~(np.isnan(fast) | np.isnan(slow))
    before_known = np.r_[False, known[:-1]]
    up = above[1:] & ~above[:-1]
    down = below[1:] & ~below[:-1]
    entries = np.r_[False, up] & known & before_known
    exits = np.r_[False, down] & known & before_known
    return entries, exits


class NumpyGoldenCross:
    """The peer: the same signals in plain numpy, caching SMAs per window."""

    def __init__(self, close: FloatArray) -> None:
        self.close = close
        self.cache: dict[int, FloatArray] = {}

    def sma(self, window: int) -> FloatArray:
        if window not in self.cache:
            self.cache[window] = _numpy_sma(self.close, window)
        return self.cache[window]

    def signals(self, fast: int, slow: int) -> tuple[BoolArray, BoolArray]:
        return _numpy_signals(self.sma(fast), self.sma(slow))


def _grid(strategy: CompiledStrategy) -> list[dict[str, float]]:
    return list(strategy.grid())


def _check_agreement(ours: BoolArray, theirs: BoolArray, peer: str) -> None:
    differing = int(np.count_nonzero(ours != theirs))
    if differing > max(5, ours.shape[0] // 100_000):
        raise AssertionError(f"{peer} disagrees with JTS on {differing} bars")


def _jts_many(strategy: CompiledStrategy, bars: BarArrays, grid: list[dict[str, float]]) -> int:
    evaluator = strategy.vectorized(bars, instrument=INSTRUMENT)
    return sum(int(s.entry_long.sum()) for s in evaluator.evaluate_many(grid))


def _numpy_many(close: FloatArray, grid: list[dict[str, float]]) -> int:
    peer = NumpyGoldenCross(close)
    return sum(int(peer.signals(int(p["fast"]), int(p["slow"]))[0].sum()) for p in grid)


def _vectorbt_many(close: FloatArray, grid: list[dict[str, float]]) -> int:
    import vectorbt as vbt

    total = 0
    for start in range(0, len(grid), 10):
        chunk = grid[start : start + 10]
        fast = vbt.MA.run(close, [int(p["fast"]) for p in chunk], short_name="fast")
        slow = vbt.MA.run(close, [int(p["slow"]) for p in chunk], short_name="slow")
        total += int(np.asarray(fast.ma_crossed_above(slow)).sum())
    return total


def _single(strategy: CompiledStrategy, bars: BarArrays) -> Iterator[Figure]:
    defaults = strategy.default_params()
    ours = strategy.evaluate(bars, instrument=INSTRUMENT)
    entries, exits = NumpyGoldenCross(bars.close).signals(20, 60)
    _check_agreement(ours.entry_long, entries, "numpy")
    _check_agreement(ours.exit_long, exits, "numpy")
    jts = best_of(3, lambda: strategy.vectorized(bars, instrument=INSTRUMENT).evaluate(defaults))
    peer = best_of(3, lambda: NumpyGoldenCross(bars.close).signals(20, 60))
    yield Figure(
        "strategy.golden_cross.vectorized_1m_bars",
        jts,
        "s",
        higher_is_better=False,
        peer="numpy",
        peer_value=peer,
    )


def _many(strategy: CompiledStrategy, bars: BarArrays) -> Iterator[Figure]:
    grid = _grid(strategy)
    assert len(grid) == 100
    peer = NumpyGoldenCross(bars.close)
    for params in (grid[0], grid[-1]):
        ours = strategy.evaluate(bars, instrument=INSTRUMENT, params=params)
        theirs = peer.signals(int(params["fast"]), int(params["slow"]))
        _check_agreement(ours.entry_long, theirs[0], "numpy")
        _check_agreement(ours.exit_long, theirs[1], "numpy")
    del peer
    jts = best_of(1, lambda: _jts_many(strategy, bars, grid))
    numpy_time = best_of(1, lambda: _numpy_many(bars.close, grid))
    name = "strategy.golden_cross.vectorized_1m_bars_100_params"
    yield Figure(name, jts, "s", higher_is_better=False, peer="numpy", peer_value=numpy_time)
    try:
        import vectorbt  # noqa: F401
    except ImportError:
        return
    _vectorbt_many(bars.close[:10_000], grid[:10])  # compile vectorbt's kernels first
    vbt = best_of(1, lambda: _vectorbt_many(bars.close, grid))
    yield Figure(name, jts, "s", higher_is_better=False, peer="vectorbt", peer_value=vbt)


def _incremental(strategy: CompiledStrategy, bars: BarArrays) -> Iterator[Figure]:
    count = 100_000
    live = strategy.incremental(instrument=INSTRUMENT)
    feed = [bars.bar(i) for i in range(count)]
    start = time.perf_counter()
    for bar in feed:
        live.on_bar(bar)
    elapsed = time.perf_counter() - start
    yield Figure("strategy.golden_cross.incremental", count / elapsed, "bars/s")


def _compile_time() -> Iterator[Figure]:
    sources = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.jts"))]
    elapsed = best_of(3, lambda: [compile_strategy(text, name) for name, text in sources])
    yield Figure("strategy.compile_example", elapsed / len(sources) * 1000, "ms", False)


def run() -> Iterable[Figure]:
    strategy = compile_strategy(SOURCE, "golden_cross_bench.jts")
    bars = _bars(BARS)
    strategy.evaluate(_bars(1_000), instrument=INSTRUMENT)  # compile numba kernels first
    yield from _single(strategy, bars)
    yield from _many(strategy, bars)
    yield from _incremental(strategy, bars)
    yield from _compile_time()
