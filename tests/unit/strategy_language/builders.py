"""Small builders for strategy-language tests: sources and bars."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from jts.contexts.strategy.domain.language import BarArrays, CompiledStrategy, compile_strategy
from jts.shared_kernel.identifiers import InstrumentId

KRX = InstrumentId.parse("005930.KRX")
BINANCE = InstrumentId.parse("BTCUSDT.BINANCE")
DAY_NS = 86_400 * 10**9
MINUTE_NS = 60 * 10**9
KST_NS = 9 * 3_600 * 10**9
KRX_DAY_ONE = 1_704_067_200 * 10**9  # 2024-01-01 00:00 UTC, a Monday


def strategy(body: str, *, timeframe: str = "1d", universe: str = "005930.KRX") -> CompiledStrategy:
    """Compile ``body`` under a header and a default size."""
    header = f'strategy "test"\nuniverse {universe}\ntimeframe {timeframe}\n'
    sized = body if "size " in body else body + "\nsize percent_equity(10%)\n"
    return compile_strategy(header + sized, "test.jts")


def bars_from_closes(
    closes: Sequence[float], *, start_ns: int = KRX_DAY_ONE, step_ns: int = DAY_NS
) -> BarArrays:
    """Bars whose open, high and low straddle ``closes``; one every ``step_ns``."""
    close = np.asarray(closes, dtype=np.float64)
    ts = start_ns + step_ns * np.arange(1, close.shape[0] + 1, dtype=np.int64)
    opened = np.r_[close[:1], close[:-1]]
    return BarArrays(
        ts,
        opened,
        np.maximum(opened, close) * 1.01,
        np.minimum(opened, close) * 0.99,
        close,
        np.full(close.shape[0], 1000.0),
    )


def random_walk(length: int, seed: int = 7, start: float = 100.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return start * np.exp(np.cumsum(rng.normal(0.0, 0.01, length)))
