"""Session-anchored VWAP (not a TA-Lib function, so checked against its definition)."""

from __future__ import annotations

import numpy as np

import jts.indicators as ta


def test_vwap_is_the_volume_weighted_typical_price_since_the_session_opened() -> None:
    high = np.array([11.0, 12.0, 13.0, 21.0, 22.0])
    low = np.array([9.0, 10.0, 11.0, 19.0, 20.0])
    close = np.array([10.0, 11.0, 12.0, 20.0, 21.0])
    volume = np.array([100.0, 300.0, 100.0, 50.0, 150.0])
    session = np.array([1, 1, 1, 2, 2])

    result = ta.vwap(high, low, close, volume, session)

    typical = (high + low + close) / 3
    first = np.cumsum(typical[:3] * volume[:3]) / np.cumsum(volume[:3])
    second = np.cumsum(typical[3:] * volume[3:]) / np.cumsum(volume[3:])
    np.testing.assert_allclose(result, np.r_[first, second], rtol=1e-15)


def test_a_session_without_volume_yet_has_no_vwap() -> None:
    price = np.array([5.0, 5.0, 6.0, 7.0])

    result = ta.vwap(price, price, price, np.array([0.0, 10.0, 0.0, 0.0]), np.array([1, 1, 2, 2]))

    np.testing.assert_array_equal(np.isnan(result), [True, False, True, True])
    assert result[1] == 5.0


def test_leading_incomplete_bars_are_skipped_and_a_later_nan_stays_in_its_session() -> None:
    price = np.array([np.nan, 4.0, 5.0, np.nan, 6.0, 8.0])
    volume = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    session = np.array([0, 0, 0, 0, 1, 1])

    result = ta.vwap(price, price, price, volume, session)

    np.testing.assert_array_equal(np.isnan(result), [True, False, False, True, False, False])
    np.testing.assert_allclose(result[[1, 2, 4, 5]], [4.0, 4.5, 6.0, 7.0])


def test_streaming_vwap_restarts_on_a_new_session_label() -> None:
    vwap = ta.VWAP()

    assert vwap.update(10.0, 10.0, 10.0, 2.0, session=20260105) == 10.0
    assert vwap.update(13.0, 13.0, 13.0, 1.0, session=20260105) == 11.0
    assert vwap.update(20.0, 20.0, 20.0, 5.0, session=20260106) == 20.0
