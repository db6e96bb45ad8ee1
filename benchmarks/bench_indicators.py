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


def _throughput(call: Callable[[], object], values: int) -> float:
    call()
    return values / best_of(REPEATS, call)


def _batch_figures(bars: dict[str, np.ndarray]) -> Iterable[Figure]:
    import talib

    from jts.indicators import REGISTRY

    for name, spec in sorted(REGISTRY.items()):
        inputs = [bars[field] for field in spec.inputs]
        mine = _throughput(lambda spec=spec, inputs=inputs: spec.batch(*inputs), BATCH_BARS)
        if name == "VWAP":
            yield Figure(name=f"indicator.{name}.batch", value=mine, unit="values/s")
            continue
        function = getattr(talib, name)
        theirs = _throughput(lambda f=function, inputs=inputs: f(*inputs), BATCH_BARS)
        yield Figure(
            name=f"indicator.{name}.batch", value=mine, unit="values/s",
            peer="ta-lib", peer_value=theirs,
        )  # fmt: skip


def _streaming_figures(bars: dict[str, np.ndarray]) -> Iterable[Figure]:
    from jts.indicators import REGISTRY

    for name, spec in sorted(REGISTRY.items()):
        rows = list(zip(*(bars[field].tolist() for field in spec.inputs), strict=True))

        def feed(spec=spec, rows=rows) -> None:  # type: ignore[no-untyped-def]
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
