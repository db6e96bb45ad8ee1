"""Batch oscillators: STOCH, STOCHF, STOCHRSI, WILLR, CCI, MFI, ULTOSC, BOP, AROON, AROONOSC."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jts.contexts.strategy.domain.indicators import (
    kernels_oscillators,
    kernels_stoch,
    kernels_window,
    lookback,
    validation,
)
from jts.contexts.strategy.domain.indicators.runner import apply

Vector = NDArray[np.float64]


def _hlc(high: ArrayLike, low: ArrayLike, close: ArrayLike) -> list[Vector]:
    return list(validation.series({"high": high, "low": low, "close": close}))


def stoch(
    high: ArrayLike,
    low: ArrayLike,
    close: ArrayLike,
    fastk_period: int = 5,
    slowk_period: int = 3,
    slowk_matype: int = 0,
    slowd_period: int = 3,
    slowd_matype: int = 0,
) -> tuple[Vector, Vector]:
    """Slow stochastic ``(slowk, slowd)`` (TA-Lib ``STOCH``)."""
    k = validation.period("fastk_period", fastk_period, 1)
    sk = validation.period("slowk_period", slowk_period, 1)
    sk_type = validation.ma_type("slowk_matype", slowk_matype)
    sd = validation.period("slowd_period", slowd_period, 1)
    sd_type = validation.ma_type("slowd_matype", slowd_matype)
    warm = lookback.stoch_lookback(k, sk, sk_type, sd, sd_type)
    params = [k, sk, sk_type, sd, sd_type]
    slow_k, slow_d = apply(kernels_stoch.stoch, _hlc(high, low, close), params, warm, 2)
    return slow_k, slow_d


def stochf(
    high: ArrayLike,
    low: ArrayLike,
    close: ArrayLike,
    fastk_period: int = 5,
    fastd_period: int = 3,
    fastd_matype: int = 0,
) -> tuple[Vector, Vector]:
    """Fast stochastic ``(fastk, fastd)`` (TA-Lib ``STOCHF``)."""
    k = validation.period("fastk_period", fastk_period, 1)
    d = validation.period("fastd_period", fastd_period, 1)
    d_type = validation.ma_type("fastd_matype", fastd_matype)
    warm = lookback.stochf_lookback(k, d, d_type)
    fast_k, fast_d = apply(kernels_stoch.stochf, _hlc(high, low, close), [k, d, d_type], warm, 2)
    return fast_k, fast_d


def stochrsi(
    real: ArrayLike,
    timeperiod: int = 14,
    fastk_period: int = 5,
    fastd_period: int = 3,
    fastd_matype: int = 0,
) -> tuple[Vector, Vector]:
    """Fast stochastic of the RSI ``(fastk, fastd)`` (TA-Lib ``STOCHRSI``)."""
    period = validation.period("timeperiod", timeperiod, 2)
    k = validation.period("fastk_period", fastk_period, 1)
    d = validation.period("fastd_period", fastd_period, 1)
    d_type = validation.ma_type("fastd_matype", fastd_matype)
    (x,) = validation.series({"real": real})
    warm = lookback.stochrsi_lookback(period, k, d, d_type)
    fast_k, fast_d = apply(kernels_stoch.stochrsi, [x], [period, k, d, d_type], warm, 2)
    return fast_k, fast_d


def willr(high: ArrayLike, low: ArrayLike, close: ArrayLike, timeperiod: int = 14) -> Vector:
    """Williams %R, -100..0 (TA-Lib ``WILLR``)."""
    period = validation.period("timeperiod", timeperiod, 2)
    return apply(kernels_window.willr, _hlc(high, low, close), [period], period - 1)[0]


def cci(high: ArrayLike, low: ArrayLike, close: ArrayLike, timeperiod: int = 14) -> Vector:
    """Commodity channel index (TA-Lib ``CCI``)."""
    period = validation.period("timeperiod", timeperiod, 2)
    return apply(kernels_oscillators.cci, _hlc(high, low, close), [period], period - 1)[0]


def mfi(
    high: ArrayLike, low: ArrayLike, close: ArrayLike, volume: ArrayLike, timeperiod: int = 14
) -> Vector:
    """Money flow index, 0..100 (TA-Lib ``MFI``)."""
    period = validation.period("timeperiod", timeperiod, 2)
    inputs = validation.series({"high": high, "low": low, "close": close, "volume": volume})
    return apply(kernels_oscillators.mfi, list(inputs), [period], period)[0]


def ultosc(
    high: ArrayLike,
    low: ArrayLike,
    close: ArrayLike,
    timeperiod1: int = 7,
    timeperiod2: int = 14,
    timeperiod3: int = 28,
) -> Vector:
    """Ultimate oscillator, 0..100 (TA-Lib ``ULTOSC``)."""
    p1 = validation.period("timeperiod1", timeperiod1, 1)
    p2 = validation.period("timeperiod2", timeperiod2, 1)
    p3 = validation.period("timeperiod3", timeperiod3, 1)
    warm = lookback.ultosc_lookback(p1, p2, p3)
    return apply(kernels_oscillators.ultosc, _hlc(high, low, close), [p1, p2, p3], warm)[0]


def bop(open: ArrayLike, high: ArrayLike, low: ArrayLike, close: ArrayLike) -> Vector:
    """Balance of power: ``(close - open) / (high - low)`` (TA-Lib ``BOP``)."""
    inputs = validation.series({"open": open, "high": high, "low": low, "close": close})
    return apply(kernels_oscillators.bop, list(inputs), [], 0)[0]


def aroon(high: ArrayLike, low: ArrayLike, timeperiod: int = 14) -> tuple[Vector, Vector]:
    """Aroon ``(aroondown, aroonup)`` (TA-Lib ``AROON``)."""
    period = validation.period("timeperiod", timeperiod, 2)
    inputs = list(validation.series({"high": high, "low": low}))
    down, up = apply(kernels_stoch.aroon, inputs, [period], period, 2)
    return down, up


def aroonosc(high: ArrayLike, low: ArrayLike, timeperiod: int = 14) -> Vector:
    """Aroon oscillator, up minus down (TA-Lib ``AROONOSC``)."""
    period = validation.period("timeperiod", timeperiod, 2)
    inputs = list(validation.series({"high": high, "low": low}))
    return apply(kernels_stoch.aroonosc, inputs, [period], period)[0]
