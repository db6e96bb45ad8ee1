"""Properties over generated data: TA-Lib agreement and batch/stream identity hold anywhere."""

from __future__ import annotations

import numpy as np
import talib
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import jts.indicators as ta
from tests.unit.indicators.cases import as_tuple

prices = arrays(
    np.float64,
    st.integers(min_value=0, max_value=120),
    elements=st.floats(min_value=1.0, max_value=1000.0, allow_nan=False, width=64),
)
periods = st.integers(min_value=2, max_value=30)


def _close(mine: np.ndarray, theirs: np.ndarray, scale: float) -> None:
    np.testing.assert_array_equal(np.isnan(mine), np.isnan(theirs))
    np.testing.assert_allclose(mine, theirs, rtol=1e-9, atol=1e-9 * scale, equal_nan=True)


@given(prices, periods)
def test_rsi_sma_and_bbands_match_talib_on_any_prices(close: np.ndarray, period: int) -> None:
    scale = float(np.max(close, initial=1.0))

    _close(ta.rsi(close, period), talib.RSI(close, period), scale)
    _close(ta.sma(close, period), talib.SMA(close, period), scale)
    for mine, theirs in zip(ta.bbands(close, period), talib.BBANDS(close, period), strict=True):
        _close(mine, theirs, scale)


@given(prices, periods, st.integers(min_value=1, max_value=10))
def test_stochastic_and_macd_stream_equal_their_batch(
    close: np.ndarray, period: int, signal: int
) -> None:
    high, low = close * 1.01, close * 0.99
    stoch = ta.STOCH(fastk_period=period)
    macd = ta.MACD(fastperiod=period, slowperiod=period + 5, signalperiod=signal)

    streamed_stoch = [stoch.update(h, lo, c) for h, lo, c in zip(high, low, close, strict=True)]
    streamed_macd = [macd.update(c) for c in close]

    for rows, batch in (
        (streamed_stoch, ta.stoch(high, low, close, fastk_period=period)),
        (streamed_macd, ta.macd(close, period, period + 5, signal)),
    ):
        expected = np.array(batch).T.reshape(len(close), len(batch))
        actual = np.array([as_tuple(row) for row in rows]).reshape(len(close), len(batch))
        np.testing.assert_array_equal(actual, expected)
