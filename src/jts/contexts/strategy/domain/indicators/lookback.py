"""Warm-up lengths: how many complete bars each indicator consumes before its first value.

These are TA-Lib's ``TA_<NAME>_Lookback`` functions with the library's default unstable
period of zero; a batch output starts with exactly this many NaN after the first complete bar,
and a streaming indicator returns NaN for exactly this many complete bars.
"""

from __future__ import annotations

from jts.contexts.strategy.domain.indicators.validation import MAType


def ma_lookback(timeperiod: int, matype: int) -> int:
    """``TA_MA_Lookback``: a period of 1 needs no warm-up for any type."""
    if timeperiod <= 1:
        return 0
    if matype == MAType.DEMA:
        return 2 * (timeperiod - 1)
    if matype == MAType.TEMA:
        return 3 * (timeperiod - 1)
    if matype == MAType.KAMA:
        return timeperiod
    if matype == MAType.T3:
        return 6 * (timeperiod - 1)
    return timeperiod - 1


def macd_lookback(fastperiod: int, slowperiod: int, signalperiod: int) -> int:
    return max(fastperiod, slowperiod) - 1 + signalperiod - 1


def macdext_lookback(
    fastperiod: int,
    fastmatype: int,
    slowperiod: int,
    slowmatype: int,
    signalperiod: int,
    signalmatype: int,
) -> int:
    largest = max(ma_lookback(fastperiod, fastmatype), ma_lookback(slowperiod, slowmatype))
    return largest + ma_lookback(signalperiod, signalmatype)


def price_oscillator_lookback(fastperiod: int, slowperiod: int, matype: int) -> int:
    """APO and PPO: the slow average's warm-up."""
    return ma_lookback(max(fastperiod, slowperiod), matype)


def stochf_lookback(fastk_period: int, fastd_period: int, fastd_matype: int) -> int:
    return fastk_period - 1 + ma_lookback(fastd_period, fastd_matype)


def stoch_lookback(
    fastk_period: int, slowk_period: int, slowk_matype: int, slowd_period: int, slowd_matype: int
) -> int:
    smoothing = ma_lookback(slowk_period, slowk_matype) + ma_lookback(slowd_period, slowd_matype)
    return fastk_period - 1 + smoothing


def stochrsi_lookback(
    timeperiod: int, fastk_period: int, fastd_period: int, fastd_matype: int
) -> int:
    return timeperiod + stochf_lookback(fastk_period, fastd_period, fastd_matype)


def adx_lookback(timeperiod: int) -> int:
    return 2 * timeperiod - 1


def adxr_lookback(timeperiod: int) -> int:
    return timeperiod + adx_lookback(timeperiod) - 1 if timeperiod > 1 else 3


def bbands_lookback(timeperiod: int, matype: int) -> int:
    return max(ma_lookback(timeperiod, matype), timeperiod - 1)


def ultosc_lookback(timeperiod1: int, timeperiod2: int, timeperiod3: int) -> int:
    return max(timeperiod1, timeperiod2, timeperiod3)


def adosc_lookback(fastperiod: int, slowperiod: int) -> int:
    return max(fastperiod, slowperiod) - 1


def trix_lookback(timeperiod: int) -> int:
    return 3 * (timeperiod - 1) + 1


def window_lookback(timeperiod: int) -> int:
    """Indicators over a window of ``timeperiod`` bars that includes the current one."""
    return timeperiod - 1


def period_lookback(timeperiod: int) -> int:
    """Indicators that compare with the bar ``timeperiod`` bars back (or smooth from it)."""
    return timeperiod
