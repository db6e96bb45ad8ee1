"""Every batch function by its lower-case TA-Lib name (plus ``vwap``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jts.contexts.strategy.domain.indicators.batch_ma import (
    dema,
    ema,
    kama,
    ma,
    sma,
    t3,
    tema,
    trima,
    wma,
)
from jts.contexts.strategy.domain.indicators.batch_momentum import (
    apo,
    cmo,
    macd,
    macdext,
    mom,
    ppo,
    roc,
    rocp,
    rocr,
    rsi,
    trix,
)
from jts.contexts.strategy.domain.indicators.batch_oscillators import (
    aroon,
    aroonosc,
    bop,
    cci,
    mfi,
    stoch,
    stochf,
    stochrsi,
    ultosc,
    willr,
)
from jts.contexts.strategy.domain.indicators.batch_stats import (
    bbands,
    linearreg,
    linearreg_slope,
    midpoint,
    midprice,
    stddev,
    var,
)
from jts.contexts.strategy.domain.indicators.batch_stats import max as max_
from jts.contexts.strategy.domain.indicators.batch_stats import min as min_
from jts.contexts.strategy.domain.indicators.batch_stats import sum as sum_
from jts.contexts.strategy.domain.indicators.batch_trend import (
    adx,
    adxr,
    atr,
    dx,
    minus_di,
    natr,
    plus_di,
    sar,
    trange,
)
from jts.contexts.strategy.domain.indicators.batch_volume import ad, adosc, obv, vwap

__all__ = [
    "BATCH_FUNCTIONS",
    "ad",
    "adosc",
    "adx",
    "adxr",
    "apo",
    "aroon",
    "aroonosc",
    "atr",
    "bbands",
    "bop",
    "cci",
    "cmo",
    "dema",
    "dx",
    "ema",
    "kama",
    "linearreg",
    "linearreg_slope",
    "ma",
    "macd",
    "macdext",
    "max_",
    "mfi",
    "midpoint",
    "midprice",
    "min_",
    "minus_di",
    "mom",
    "natr",
    "obv",
    "plus_di",
    "ppo",
    "roc",
    "rocp",
    "rocr",
    "rsi",
    "sar",
    "sma",
    "stddev",
    "stoch",
    "stochf",
    "stochrsi",
    "sum_",
    "t3",
    "tema",
    "trange",
    "trima",
    "trix",
    "ultosc",
    "var",
    "vwap",
    "willr",
    "wma",
]

BATCH_FUNCTIONS: Mapping[str, Callable[..., Any]] = {
    function.__name__: function
    for function in (
        sma, ema, wma, dema, tema, trima, kama, t3, ma, macd, macdext, rsi, stoch, stochf,
        stochrsi, willr, cci, mfi, roc, rocp, rocr, mom, cmo, adx, adxr, dx, plus_di, minus_di,
        aroon, aroonosc, bop, atr, natr, trange, bbands, obv, ad, adosc, sar, ultosc, apo, ppo,
        trix, linearreg, linearreg_slope, stddev, var, min_, max_, sum_, midpoint, midprice, vwap,
    )
}  # fmt: skip
