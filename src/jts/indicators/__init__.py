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

from jts.contexts.strategy.domain.indicators import (
    AD,
    ADOSC,
    ADX,
    ADXR,
    APO,
    AROON,
    AROONOSC,
    ATR,
    BBANDS,
    BOP,
    CCI,
    CMO,
    DEMA,
    DX,
    EMA,
    KAMA,
    LINEARREG,
    LINEARREG_SLOPE,
    MA,
    MACD,
    MACDEXT,
    MAX,
    MFI,
    MIDPOINT,
    MIDPRICE,
    MIN,
    MINUS_DI,
    MOM,
    NATR,
    OBV,
    PLUS_DI,
    PPO,
    REGISTRY,
    ROC,
    ROCP,
    ROCR,
    RSI,
    SAR,
    SMA,
    STDDEV,
    STOCH,
    STOCHF,
    STOCHRSI,
    SUM,
    T3,
    TEMA,
    TRANGE,
    TRIMA,
    TRIX,
    ULTOSC,
    VAR,
    VWAP,
    WILLR,
    WMA,
    IndicatorSpec,
    MAType,
    Param,
    StreamingIndicator,
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
    indicator,
    kama,
    linearreg,
    linearreg_slope,
    ma,
    macd,
    macdext,
    mfi,
    midpoint,
    midprice,
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
from jts.contexts.strategy.domain.indicators import max_ as max
from jts.contexts.strategy.domain.indicators import min_ as min
from jts.contexts.strategy.domain.indicators import sum_ as sum

__all__ = [
    "AD", "ADOSC", "ADX", "ADXR", "APO", "AROON", "AROONOSC", "ATR", "BBANDS", "BOP", "CCI",
    "CMO", "DEMA", "DX", "EMA", "KAMA", "LINEARREG", "LINEARREG_SLOPE", "MA", "MACD", "MACDEXT",
    "MAX", "MFI", "MIDPOINT", "MIDPRICE", "MIN", "MINUS_DI", "MOM", "NATR", "OBV", "PLUS_DI",
    "PPO", "REGISTRY", "ROC", "ROCP", "ROCR", "RSI", "SAR", "SMA", "STDDEV", "STOCH", "STOCHF",
    "STOCHRSI", "SUM", "T3", "TEMA", "TRANGE", "TRIMA", "TRIX", "ULTOSC", "VAR", "VWAP", "WILLR",
    "WMA", "IndicatorSpec", "MAType", "Param", "StreamingIndicator", "ad", "adosc", "adx",
    "adxr", "apo", "aroon", "aroonosc", "atr", "bbands", "bop", "cci", "cmo", "dema", "dx", "ema",
    "indicator", "kama", "linearreg", "linearreg_slope", "ma", "macd", "macdext", "max", "mfi",
    "midpoint", "midprice", "min", "minus_di", "mom", "natr", "obv", "plus_di", "ppo", "roc",
    "rocp", "rocr", "rsi", "sar", "sma", "stddev", "stoch", "stochf", "stochrsi", "sum", "t3",
    "tema", "trange", "trima", "trix", "ultosc", "var", "vwap", "willr", "wma",
]  # fmt: skip
