"""Batch momentum indicators over numpy arrays, with TA-Lib's names, defaults and warm-up."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jts.contexts.strategy.domain.indicators import kernels_macd, kernels_momentum, validation
from jts.contexts.strategy.domain.indicators import lookback as lb
from jts.contexts.strategy.domain.indicators.runner import apply

Vector = NDArray[np.float64]


def _change(real: ArrayLike, timeperiod: int, kind: int) -> Vector:
    period = validation.period("timeperiod", timeperiod, 1)
    (x,) = validation.series({"real": real})
    return apply(kernels_momentum.change, [x], [period, kind], period)[0]


def _difference(x: Vector, period: int, out: Vector) -> None:
    # numpy's own SIMD loop beats a compiled loop on this memory-bound subtraction.
    np.subtract(x[period:], x[: x.shape[0] - period], out=out[period:])


def mom(real: ArrayLike, timeperiod: int = 10) -> Vector:
    """Momentum: ``real - real[timeperiod bars ago]`` (TA-Lib ``MOM``)."""
    period = validation.period("timeperiod", timeperiod, 1)
    (x,) = validation.series({"real": real})
    return apply(_difference, [x], [period], period)[0]


def roc(real: ArrayLike, timeperiod: int = 10) -> Vector:
    """Rate of change in percent: ``(real/prev - 1) * 100`` (TA-Lib ``ROC``)."""
    return _change(real, timeperiod, kernels_momentum.ROC)


def rocp(real: ArrayLike, timeperiod: int = 10) -> Vector:
    """Rate of change as a fraction: ``(real - prev) / prev`` (TA-Lib ``ROCP``)."""
    return _change(real, timeperiod, kernels_momentum.ROCP)


def rocr(real: ArrayLike, timeperiod: int = 10) -> Vector:
    """Rate of change as a ratio: ``real / prev`` (TA-Lib ``ROCR``)."""
    return _change(real, timeperiod, kernels_momentum.ROCR)


def rsi(real: ArrayLike, timeperiod: int = 14) -> Vector:
    """Wilder's relative strength index, 0..100 (TA-Lib ``RSI``)."""
    period = validation.period("timeperiod", timeperiod, 2)
    (x,) = validation.series({"real": real})
    return apply(kernels_momentum.rsi, [x], [period], period)[0]


def cmo(real: ArrayLike, timeperiod: int = 14) -> Vector:
    """Chande momentum oscillator, -100..100 (TA-Lib ``CMO``)."""
    period = validation.period("timeperiod", timeperiod, 2)
    (x,) = validation.series({"real": real})
    return apply(kernels_momentum.cmo, [x], [period], period)[0]


def trix(real: ArrayLike, timeperiod: int = 30) -> Vector:
    """One-bar percent rate of change of a triple EMA (TA-Lib ``TRIX``)."""
    period = validation.period("timeperiod", timeperiod, 1)
    (x,) = validation.series({"real": real})
    return apply(kernels_momentum.trix, [x], [period], lb.trix_lookback(period))[0]


def macd(
    real: ArrayLike, fastperiod: int = 12, slowperiod: int = 26, signalperiod: int = 9
) -> tuple[Vector, Vector, Vector]:
    """MACD line, signal line and histogram: ``(macd, macdsignal, macdhist)`` (TA-Lib ``MACD``)."""
    fast = validation.period("fastperiod", fastperiod, 2)
    slow = validation.period("slowperiod", slowperiod, 2)
    signal = validation.period("signalperiod", signalperiod, 1)
    (x,) = validation.series({"real": real})
    lookback = lb.macd_lookback(fast, slow, signal)
    line, trigger, hist = apply(kernels_macd.macd, [x], [fast, slow, signal], lookback, 3)
    return line, trigger, hist


def macdext(
    real: ArrayLike,
    fastperiod: int = 12,
    fastmatype: int = 0,
    slowperiod: int = 26,
    slowmatype: int = 0,
    signalperiod: int = 9,
    signalmatype: int = 0,
) -> tuple[Vector, Vector, Vector]:
    """MACD with a moving-average type per line: ``(macd, macdsignal, macdhist)`` (``MACDEXT``)."""
    fast = validation.period("fastperiod", fastperiod, 2)
    fast_type = validation.ma_type("fastmatype", fastmatype)
    slow = validation.period("slowperiod", slowperiod, 2)
    slow_type = validation.ma_type("slowmatype", slowmatype)
    signal = validation.period("signalperiod", signalperiod, 1)
    signal_type = validation.ma_type("signalmatype", signalmatype)
    (x,) = validation.series({"real": real})
    lookback = lb.macdext_lookback(fast, fast_type, slow, slow_type, signal, signal_type)
    params = [fast, fast_type, slow, slow_type, signal, signal_type]
    line, trigger, hist = apply(kernels_macd.macdext, [x], params, lookback, 3)
    return line, trigger, hist


def _oscillator(
    real: ArrayLike, fastperiod: int, slowperiod: int, matype: int, percent: bool
) -> Vector:
    fast = validation.period("fastperiod", fastperiod, 2)
    slow = validation.period("slowperiod", slowperiod, 2)
    kind = validation.ma_type("matype", matype)
    (x,) = validation.series({"real": real})
    lookback = lb.price_oscillator_lookback(fast, slow, kind)
    compute = kernels_macd.ppo if percent else kernels_macd.apo
    return apply(compute, [x], [fast, slow, kind], lookback)[0]


def apo(real: ArrayLike, fastperiod: int = 12, slowperiod: int = 26, matype: int = 1) -> Vector:
    """Absolute price oscillator: fast MA minus slow MA (TA-Lib ``APO``)."""
    return _oscillator(real, fastperiod, slowperiod, matype, percent=False)


def ppo(real: ArrayLike, fastperiod: int = 12, slowperiod: int = 26, matype: int = 1) -> Vector:
    """Percentage price oscillator: ``(fast MA - slow MA) / slow MA * 100`` (TA-Lib ``PPO``)."""
    return _oscillator(real, fastperiod, slowperiod, matype, percent=True)
