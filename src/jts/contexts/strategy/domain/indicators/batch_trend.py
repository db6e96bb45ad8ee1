"""Batch volatility and directional indicators: TRANGE, ATR, NATR, +DI, -DI, DX, ADX, ADXR, SAR."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jts.contexts.strategy.domain.indicators import kernels_sar, kernels_trend, validation
from jts.contexts.strategy.domain.indicators.lookback import adx_lookback, adxr_lookback
from jts.contexts.strategy.domain.indicators.runner import apply

Vector = NDArray[np.float64]


def _hlc(high: ArrayLike, low: ArrayLike, close: ArrayLike) -> list[Vector]:
    return list(validation.series({"high": high, "low": low, "close": close}))


def trange(high: ArrayLike, low: ArrayLike, close: ArrayLike) -> Vector:
    """True range: the bar's range extended to the previous close (TA-Lib ``TRANGE``)."""
    return apply(kernels_trend.trange, _hlc(high, low, close), [], 1)[0]


def atr(high: ArrayLike, low: ArrayLike, close: ArrayLike, timeperiod: int = 14) -> Vector:
    """Average true range, Wilder-smoothed (TA-Lib ``ATR``)."""
    period = validation.period("timeperiod", timeperiod, 1)
    return apply(kernels_trend.atr, _hlc(high, low, close), [period, False], period)[0]


def natr(high: ArrayLike, low: ArrayLike, close: ArrayLike, timeperiod: int = 14) -> Vector:
    """Normalized ATR: ATR as a percent of the close (TA-Lib ``NATR``)."""
    period = validation.period("timeperiod", timeperiod, 1)
    return apply(kernels_trend.atr, _hlc(high, low, close), [period, True], period)[0]


def plus_di(high: ArrayLike, low: ArrayLike, close: ArrayLike, timeperiod: int = 14) -> Vector:
    """Plus directional indicator, +DM over true range in percent (TA-Lib ``PLUS_DI``)."""
    period = validation.period("timeperiod", timeperiod, 1)
    inputs = _hlc(high, low, close)
    return apply(kernels_trend.directional_index, inputs, [period, True], period)[0]


def minus_di(high: ArrayLike, low: ArrayLike, close: ArrayLike, timeperiod: int = 14) -> Vector:
    """Minus directional indicator, -DM over true range in percent (TA-Lib ``MINUS_DI``)."""
    period = validation.period("timeperiod", timeperiod, 1)
    inputs = _hlc(high, low, close)
    return apply(kernels_trend.directional_index, inputs, [period, False], period)[0]


def dx(high: ArrayLike, low: ArrayLike, close: ArrayLike, timeperiod: int = 14) -> Vector:
    """Directional movement index, 0..100 (TA-Lib ``DX``)."""
    period = validation.period("timeperiod", timeperiod, 2)
    return apply(kernels_trend.dx, _hlc(high, low, close), [period], period)[0]


def adx(high: ArrayLike, low: ArrayLike, close: ArrayLike, timeperiod: int = 14) -> Vector:
    """Average directional movement index (TA-Lib ``ADX``)."""
    period = validation.period("timeperiod", timeperiod, 2)
    return apply(kernels_trend.adx, _hlc(high, low, close), [period], adx_lookback(period))[0]


def adxr(high: ArrayLike, low: ArrayLike, close: ArrayLike, timeperiod: int = 14) -> Vector:
    """ADX rating: mean of ADX now and ``timeperiod - 1`` bars ago (TA-Lib ``ADXR``)."""
    period = validation.period("timeperiod", timeperiod, 2)
    return apply(kernels_trend.adxr, _hlc(high, low, close), [period], adxr_lookback(period))[0]


def sar(
    high: ArrayLike, low: ArrayLike, acceleration: float = 0.02, maximum: float = 0.2
) -> Vector:
    """Parabolic stop-and-reverse (TA-Lib ``SAR``)."""
    step = validation.real("acceleration", acceleration, 0.0)
    limit = validation.real("maximum", maximum, 0.0)
    inputs = list(validation.series({"high": high, "low": low}))
    return apply(kernels_sar.sar, inputs, [step, limit], 1)[0]
