"""``jts.indicators``: TA-Lib-compatible technical indicators, batch and streaming.

Batch functions carry TA-Lib's lower-case names, parameter names and defaults and return
TA-Lib's outputs (a tuple for multi-output indicators) with the same NaN warm-up::

    from jts import indicators as ta

    ta.sma(close, timeperiod=20)
    macd, signal, hist = ta.macd(close, fastperiod=12, slowperiod=26, signalperiod=9)
    slowk, slowd = ta.stoch(high, low, close)
    ta.vwap(high, low, close, volume, session=day_numbers)   # not in TA-Lib

Streaming classes carry TA-Lib's upper-case names and give the same numbers one bar at a
time::

    rsi = ta.RSI(timeperiod=14)
    for price in prices:
        value = rsi.update(price)          # NaN for the first ``rsi.warmup`` bars
    state = rsi.snapshot()                 # plain dict; ``ta.RSI(14).restore(state)`` resumes

``ta.REGISTRY`` / ``ta.indicator(name)`` describe every indicator: inputs, parameters with
defaults and ranges, outputs and ``lookback(**params)``. The implementation lives in the
strategy context (``jts.contexts.strategy.domain.indicators``); see its docstring for the NaN
policy and how closely results track TA-Lib.
"""

from __future__ import annotations

from jts.contexts.strategy.domain import indicators as _implementation
from jts.contexts.strategy.domain.indicators import *  # noqa: F403
from jts.contexts.strategy.domain.indicators import max_ as max  # noqa: F401 (re-exported via __all__)
from jts.contexts.strategy.domain.indicators import min_ as min  # noqa: F401 (re-exported via __all__)
from jts.contexts.strategy.domain.indicators import sum_ as sum  # noqa: F401 (re-exported via __all__)

# TA-Lib's names for the three that shadow Python builtins inside the implementation.
_PUBLIC_NAMES = {"max_": "max", "min_": "min", "sum_": "sum"}
_INTERNAL = frozenset({"BATCH_FUNCTIONS", "SingleSeries"})

__all__ = [
    _PUBLIC_NAMES.get(name, name) for name in _implementation.__all__ if name not in _INTERNAL
]
