"""Indicators: batch throughput against TA-Lib's C on 1M bars, and streaming cost per bar.

For every indicator in ``jts.indicators.REGISTRY`` (TA-Lib's defaults), the batch form and
TA-Lib's function run on the same generated 1,000,000-bar OHLCV series; each is timed as the
best of a few runs after a warm-up call (which also compiles the numba kernel). The figure is
values per second, with TA-Lib as the peer, so ``ratio`` >= 0.8 means JTS is at least 80% as
fast as the C library. Streaming figures are nanoseconds per ``update`` (no peer).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from benchmarks.harness import Figure, best_of

BATCH_BARS = 1_000_000
STREAM_BARS = 20_000
REPEATS = 5


def _bars(length: int, seed: int = 42) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    close = 100.0 + np.cumsum(rng.normal(0.0, 1.0, length))
    spread = rng.uniform(0.05, 1.5, length)
    high = close + spread * rng.uniform(0.0, 1.0, length)
    low = close - spread * rng.uniform(0.0, 1.0, length)
    opening = np.clip(np.r_[close[0], close[:-1]] + rng.normal(0.0, 0.3, length), low, high)
    return {
        "real": close, "open": opening, "high": high, "low": low, "close": close,
        "volume": rng.uniform(1_000.0, 50_000.0, length).round(),
        "session": (np.arange(length) // 390).astype(np.int64),
    }  # fmt: skip


def _paired(mine: Callable[[], object], theirs: Callable[[], object]) -> tuple[float, float]:
    """Best seconds of each, alternating runs so both see the same machine load."""
    mine()
    theirs()
    best_mine = best_theirs = float("inf")
    for _ in range(REPEATS):
        best_mine = min(best_mine, best_of(1, mine))
        best_theirs = min(best_theirs, best_of(1, theirs))
    return best_mine, best_theirs


def _batch_figures(bars: dict[str, np.ndarray]) -> Iterable[Figure]:
    import talib

    from jts.indicators import REGISTRY, IndicatorSpec

    for name, spec in sorted(REGISTRY.items()):
        inputs = [bars[field] for field in spec.inputs]

        def mine(spec: IndicatorSpec = spec, inputs: list[np.ndarray] = inputs) -> object:
            return spec.batch(*inputs)

        if name == "VWAP":
            mine()
            seconds = best_of(REPEATS, mine)
            yield Figure(
                name=f"indicator.{name}.batch", value=BATCH_BARS / seconds, unit="values/s"
            )
            continue
        function = getattr(talib, name)
        ours, theirs = _paired(mine, lambda f=function, inputs=inputs: f(*inputs))
        yield Figure(
            name=f"indicator.{name}.batch", value=BATCH_BARS / ours, unit="values/s",
            peer="ta-lib", peer_value=BATCH_BARS / theirs,
        )  # fmt: skip


def _streaming_figures(bars: dict[str, np.ndarray]) -> Iterable[Figure]:
    from jts.indicators import REGISTRY, IndicatorSpec

    for name, spec in sorted(REGISTRY.items()):
        rows = list(zip(*(bars[field].tolist() for field in spec.inputs), strict=True))

        def feed(spec: IndicatorSpec = spec, rows: list[tuple[float, ...]] = rows) -> None:
            update = spec.streaming().update
            for row in rows:
                update(*row)

        seconds = best_of(3, feed)
        yield Figure(
            name=f"indicator.{name}.stream_update", value=seconds / len(rows) * 1e9,
            unit="ns/update", higher_is_better=False,
        )  # fmt: skip


def run() -> Iterable[Figure]:
    """Batch figures against TA-Lib for every indicator, then streaming cost per update."""
    yield from _batch_figures(_bars(BATCH_BARS))
    yield from _streaming_figures(_bars(STREAM_BARS, seed=7))
