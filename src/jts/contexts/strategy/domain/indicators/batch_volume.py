"""Batch volume indicators: OBV, AD, ADOSC and the session-anchored VWAP."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jts.contexts.strategy.domain.indicators import kernels_volume, validation
from jts.contexts.strategy.domain.indicators.lookback import adosc_lookback
from jts.contexts.strategy.domain.indicators.runner import apply, first_complete_bar

Vector = NDArray[np.float64]


def obv(real: ArrayLike, volume: ArrayLike) -> Vector:
    """On-balance volume (TA-Lib ``OBV``)."""
    inputs = list(validation.series({"real": real, "volume": volume}))
    return apply(kernels_volume.obv, inputs, [], 0)[0]


def ad(high: ArrayLike, low: ArrayLike, close: ArrayLike, volume: ArrayLike) -> Vector:
    """Chaikin accumulation/distribution line (TA-Lib ``AD``)."""
    inputs = validation.series({"high": high, "low": low, "close": close, "volume": volume})
    return apply(kernels_volume.ad, list(inputs), [], 0)[0]


def adosc(
    high: ArrayLike,
    low: ArrayLike,
    close: ArrayLike,
    volume: ArrayLike,
    fastperiod: int = 3,
    slowperiod: int = 10,
) -> Vector:
    """Chaikin A/D oscillator: fast EMA minus slow EMA of the A/D line (TA-Lib ``ADOSC``)."""
    fast = validation.period("fastperiod", fastperiod, 2)
    slow = validation.period("slowperiod", slowperiod, 2)
    inputs = validation.series({"high": high, "low": low, "close": close, "volume": volume})
    return apply(kernels_volume.adosc, list(inputs), [fast, slow], adosc_lookback(fast, slow))[0]


def vwap(
    high: ArrayLike, low: ArrayLike, close: ArrayLike, volume: ArrayLike, session: ArrayLike
) -> Vector:
    """Session-anchored VWAP of the typical price ``(high + low + close) / 3``.

    ``session`` labels each bar's session (an integer such as the trading day number); the
    cumulative sums restart when it changes. Not a TA-Lib function. Leading bars with a NaN
    price or volume are skipped like TA-Lib skips them; a session with no volume so far has
    no VWAP (NaN).
    """
    inputs = validation.series({"high": high, "low": low, "close": close, "volume": volume})
    sessions = validation.session_ids("session", session, inputs[0].shape[0])
    out = np.full(inputs[0].shape[0], np.nan)
    if out.shape[0]:
        begin = first_complete_bar(inputs)
        high_, low_, close_, volume_ = (x[begin:] for x in inputs)
        kernels_volume.vwap(high_, low_, close_, volume_, sessions[begin:], out[begin:])
    return out
