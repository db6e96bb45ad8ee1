"""Batch statistics and window functions: VAR, STDDEV, BBANDS, LINEARREG, LINEARREG_SLOPE,
MIN, MAX, SUM, MIDPOINT, MIDPRICE."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jts.contexts.strategy.domain.indicators import kernels_stats, kernels_window, validation
from jts.contexts.strategy.domain.indicators.lookback import bbands_lookback
from jts.contexts.strategy.domain.indicators.runner import apply

Vector = NDArray[np.float64]


def _window(compute: Callable[..., Any], real: ArrayLike, timeperiod: int, *extra: float) -> Vector:
    period = validation.period("timeperiod", timeperiod, 2)
    (x,) = validation.series({"real": real})
    return apply(compute, [x], [period, *extra], period - 1)[0]


def var(real: ArrayLike, timeperiod: int = 5, nbdev: float = 1.0) -> Vector:
    """Population variance over ``timeperiod`` bars; like TA-Lib, ``nbdev`` is not applied."""
    validation.real("nbdev", nbdev)
    period = validation.period("timeperiod", timeperiod, 1)
    (x,) = validation.series({"real": real})
    return apply(kernels_stats.variance, [x], [period], period - 1)[0]


def stddev(real: ArrayLike, timeperiod: int = 5, nbdev: float = 1.0) -> Vector:
    """Population standard deviation times ``nbdev`` (TA-Lib ``STDDEV``)."""
    return _window(kernels_stats.stddev, real, timeperiod, validation.real("nbdev", nbdev))


def bbands(
    real: ArrayLike,
    timeperiod: int = 20,
    nbdevup: float = 2.0,
    nbdevdn: float = 2.0,
    matype: int = 0,
) -> tuple[Vector, Vector, Vector]:
    """Bollinger bands ``(upperband, middleband, lowerband)`` (TA-Lib ``BBANDS``)."""
    period = validation.period("timeperiod", timeperiod, 2)
    up = validation.real("nbdevup", nbdevup)
    down = validation.real("nbdevdn", nbdevdn)
    kind = validation.ma_type("matype", matype)
    (x,) = validation.series({"real": real})
    warm = bbands_lookback(period, kind)
    upper, middle, lower = apply(kernels_stats.bbands, [x], [period, up, down, kind], warm, 3)
    return upper, middle, lower


def linearreg(real: ArrayLike, timeperiod: int = 14) -> Vector:
    """Least-squares line over ``timeperiod`` bars, evaluated at the current bar."""
    return _window(kernels_stats.linear_regression, real, timeperiod, False)


def linearreg_slope(real: ArrayLike, timeperiod: int = 14) -> Vector:
    """Slope per bar of the least-squares line over ``timeperiod`` bars."""
    return _window(kernels_stats.linear_regression, real, timeperiod, True)


def max(real: ArrayLike, timeperiod: int = 30) -> Vector:
    """Highest value over ``timeperiod`` bars (TA-Lib ``MAX``)."""
    return _window(kernels_window.window_max, real, timeperiod)


def min(real: ArrayLike, timeperiod: int = 30) -> Vector:
    """Lowest value over ``timeperiod`` bars (TA-Lib ``MIN``)."""
    return _window(kernels_window.window_min, real, timeperiod)


def sum(real: ArrayLike, timeperiod: int = 30) -> Vector:
    """Sum over ``timeperiod`` bars (TA-Lib ``SUM``)."""
    return _window(kernels_window.window_sum, real, timeperiod)


def midpoint(real: ArrayLike, timeperiod: int = 14) -> Vector:
    """Mean of the highest and lowest value over ``timeperiod`` bars (TA-Lib ``MIDPOINT``)."""
    return _window(kernels_window.midpoint, real, timeperiod)


def midprice(high: ArrayLike, low: ArrayLike, timeperiod: int = 14) -> Vector:
    """Mean of the highest high and lowest low over ``timeperiod`` bars (``MIDPRICE``)."""
    period = validation.period("timeperiod", timeperiod, 2)
    inputs = list(validation.series({"high": high, "low": low}))
    return apply(kernels_window.midprice, inputs, [period], period - 1)[0]
