"""Batch moving averages over numpy arrays, with TA-Lib's names, parameters and warm-up."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jts.contexts.strategy.domain.indicators import kernels_ma, kernels_ma_extra, validation
from jts.contexts.strategy.domain.indicators.lookback import ma_lookback
from jts.contexts.strategy.domain.indicators.runner import apply

Vector = NDArray[np.float64]


def _average(real: ArrayLike, timeperiod: int, matype: int, minimum: int = 1) -> Vector:
    period = validation.period("timeperiod", timeperiod, minimum)
    (x,) = validation.series({"real": real})
    lookback = ma_lookback(period, matype)
    return apply(kernels_ma_extra.moving_average, [x], [period, matype], lookback)[0]


def sma(real: ArrayLike, timeperiod: int = 30) -> Vector:
    """Simple moving average of the last ``timeperiod`` bars (TA-Lib ``SMA``)."""
    return _average(real, timeperiod, kernels_ma.SMA)


def ema(real: ArrayLike, timeperiod: int = 30) -> Vector:
    """Exponential moving average, ``k = 2/(timeperiod+1)``, seeded by an SMA (TA-Lib ``EMA``)."""
    return _average(real, timeperiod, kernels_ma.EMA)


def wma(real: ArrayLike, timeperiod: int = 30) -> Vector:
    """Linearly weighted moving average, newest bar weighted most (TA-Lib ``WMA``)."""
    return _average(real, timeperiod, kernels_ma.WMA)


def dema(real: ArrayLike, timeperiod: int = 30) -> Vector:
    """Double exponential moving average, ``2*EMA - EMA(EMA)`` (TA-Lib ``DEMA``)."""
    return _average(real, timeperiod, kernels_ma.DEMA)


def tema(real: ArrayLike, timeperiod: int = 30) -> Vector:
    """Triple exponential moving average (TA-Lib ``TEMA``)."""
    return _average(real, timeperiod, kernels_ma.TEMA)


def trima(real: ArrayLike, timeperiod: int = 30) -> Vector:
    """Triangular moving average, an SMA of an SMA (TA-Lib ``TRIMA``)."""
    return _average(real, timeperiod, kernels_ma.TRIMA)


def kama(real: ArrayLike, timeperiod: int = 30) -> Vector:
    """Kaufman adaptive moving average (TA-Lib ``KAMA``)."""
    return _average(real, timeperiod, kernels_ma.KAMA)


def t3(real: ArrayLike, timeperiod: int = 5, vfactor: float = 0.7) -> Vector:
    """Tillson's T3 moving average with volume factor ``vfactor`` in [0, 1] (TA-Lib ``T3``)."""
    period = validation.period("timeperiod", timeperiod, 1)
    factor = validation.real("vfactor", vfactor, 0.0, 1.0)
    (x,) = validation.series({"real": real})
    return apply(kernels_ma_extra.t3, [x], [period, factor], 6 * (period - 1))[0]


def ma(real: ArrayLike, timeperiod: int = 30, matype: int = 0) -> Vector:
    """Moving average of type ``matype`` (0=SMA ... 8=T3), as TA-Lib's ``MA``."""
    kind = validation.ma_type("matype", matype)
    period = validation.period("timeperiod", timeperiod, 1)
    (x,) = validation.series({"real": real})
    lookback = ma_lookback(period, kind)
    return apply(kernels_ma_extra.generic_ma, [x], [period, kind], lookback)[0]
