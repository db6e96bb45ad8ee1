"""Technical indicators with TA-Lib's names, parameters, defaults, outputs and warm-up.

Two forms of every indicator, which agree bit for bit:

* **batch** — lower-case functions over numpy arrays (``sma(real, timeperiod=30)``,
  ``macd(real, fastperiod=12, slowperiod=26, signalperiod=9) -> (macd, signal, hist)``),
  backed by numba kernels (``kernels_*``) that mirror TA-Lib's C arithmetic line by line;
* **streaming** — one class per indicator, named as in TA-Lib (``SMA(timeperiod=30)``), whose
  ``update(...)`` takes one bar and returns the value for that bar (NaN during the warm-up),
  with ``warmup``, ``value``, ``snapshot()`` and ``restore(state)``. Each performs the batch
  kernel's floating-point operations in the same order, in O(1) (amortized) per bar; CCI's
  mean deviation is the exception, O(period) per bar as in TA-Lib.

:mod:`.registry` describes every indicator (inputs, parameters with defaults and ranges,
outputs, warm-up) for the strategy language and the optimizer.

NaN policy, as in TA-Lib's Python wrapper: bars before the first bar on which every input is
a number are skipped (the warm-up starts there); a NaN after that flows through the
arithmetic exactly as in TA-Lib, so each indicator gives TA-Lib's output there too.

Agreement with TA-Lib: the TA-Lib build used as the judge is compiled with fused
multiply-add, which rounds some ``a*b + c`` once instead of twice. Where that fusion sits on a
recurrence's critical path (ATR and NATR's Wilder step, KAMA, ADOSC's EMAs) these kernels
fuse the same operation explicitly (:func:`.jit.fma`), which makes them bit-identical to
TA-Lib and as fast; elsewhere they do not fuse, so results can differ from TA-Lib's in the
last bits — relative 1e-15 or so, or that much of the input's scale where the true value is
zero (a MACD of a constant series). The tests hold every indicator to TA-Lib within 1e-9 on
random walks, gaps, flat and short series, leading NaN and NaN inside the data. Infinite
inputs are not covered.

``VWAP`` is not a TA-Lib function: it is the session-anchored volume-weighted average of the
typical price, restarting whenever the ``session`` label changes.
"""

from __future__ import annotations

from jts.contexts.strategy.domain.indicators.batch import (
    BATCH_FUNCTIONS,
    ad,
    adosc,
    adx,
    adxr,
    apo,
    aroon,
    aroonosc,
    atr,
    bbands,
    bop,
    cci,
    cmo,
    dema,
    dx,
    ema,
    kama,
    linearreg,
    linearreg_slope,
    ma,
    macd,
    macdext,
    max_,
    mfi,
    midpoint,
    midprice,
    min_,
    minus_di,
    mom,
    natr,
    obv,
    plus_di,
    ppo,
    roc,
    rocp,
    rocr,
    rsi,
    sar,
    sma,
    stddev,
    stoch,
    stochf,
    stochrsi,
    sum_,
    t3,
    tema,
    trange,
    trima,
    trix,
    ultosc,
    var,
    vwap,
    willr,
    wma,
)
from jts.contexts.strategy.domain.indicators.registry import (
    REGISTRY,
    IndicatorSpec,
    Param,
    indicator,
)
from jts.contexts.strategy.domain.indicators.stream import SingleSeries, StreamingIndicator
from jts.contexts.strategy.domain.indicators.stream_ma import DEMA, EMA, SMA, TEMA, WMA
from jts.contexts.strategy.domain.indicators.stream_ma_extra import KAMA, MA, T3, TRIMA
from jts.contexts.strategy.domain.indicators.stream_macd import APO, MACD, MACDEXT, PPO
from jts.contexts.strategy.domain.indicators.stream_momentum import (
    CMO,
    MOM,
    ROC,
    ROCP,
    ROCR,
    RSI,
    TRIX,
)
from jts.contexts.strategy.domain.indicators.stream_oscillators import BOP, CCI, MFI, ULTOSC
from jts.contexts.strategy.domain.indicators.stream_sar import SAR
from jts.contexts.strategy.domain.indicators.stream_stats import (
    BBANDS,
    LINEARREG,
    LINEARREG_SLOPE,
    STDDEV,
    VAR,
)
from jts.contexts.strategy.domain.indicators.stream_stoch import (
    AROON,
    AROONOSC,
    STOCH,
    STOCHF,
    STOCHRSI,
)
from jts.contexts.strategy.domain.indicators.stream_trend import (
    ADX,
    ADXR,
    ATR,
    DX,
    MINUS_DI,
    NATR,
    PLUS_DI,
    TRANGE,
)
from jts.contexts.strategy.domain.indicators.stream_volume import AD, ADOSC, OBV, VWAP
from jts.contexts.strategy.domain.indicators.stream_window import (
    MAX,
    MIDPOINT,
    MIDPRICE,
    MIN,
    SUM,
    WILLR,
)
from jts.contexts.strategy.domain.indicators.validation import MAType

__all__ = [
    "AD", "ADOSC", "ADX", "ADXR", "APO", "AROON", "AROONOSC", "ATR", "BATCH_FUNCTIONS", "BBANDS",
    "BOP", "CCI", "CMO", "DEMA", "DX", "EMA", "KAMA", "LINEARREG", "LINEARREG_SLOPE", "MA",
    "MACD", "MACDEXT", "MAX", "MFI", "MIDPOINT", "MIDPRICE", "MIN", "MINUS_DI", "MOM", "NATR",
    "OBV", "PLUS_DI", "PPO", "REGISTRY", "ROC", "ROCP", "ROCR", "RSI", "SAR", "SMA", "STDDEV",
    "STOCH", "STOCHF", "STOCHRSI", "SUM", "T3", "TEMA", "TRANGE", "TRIMA", "TRIX", "ULTOSC",
    "VAR", "VWAP", "WILLR", "WMA", "IndicatorSpec", "MAType", "Param", "SingleSeries",
    "StreamingIndicator", "ad", "adosc", "adx", "adxr", "apo", "aroon", "aroonosc", "atr",
    "bbands", "bop", "cci", "cmo", "dema", "dx", "ema", "indicator", "kama", "linearreg",
    "linearreg_slope", "ma", "macd", "macdext", "max_", "mfi", "midpoint", "midprice", "min_",
    "minus_di", "mom", "natr", "obv", "plus_di", "ppo", "roc", "rocp", "rocr", "rsi", "sar",
    "sma", "stddev", "stoch", "stochf", "stochrsi", "sum_", "t3", "tema", "trange", "trima",
    "trix", "ultosc", "var", "vwap", "willr", "wma",
]  # fmt: skip
