"""Bad arguments fail fast with a message that names the argument and the accepted range."""

from __future__ import annotations

import numpy as np
import pytest

import jts.indicators as ta

CLOSE = np.linspace(10.0, 20.0, 50)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ta.sma(CLOSE, timeperiod=0), "timeperiod must be between 1 and 100000, got 0"),
        (lambda: ta.rsi(CLOSE, timeperiod=1), "timeperiod must be between 2 and 100000, got 1"),
        (lambda: ta.ema(CLOSE, timeperiod=100_001), "between 1 and 100000, got 100001"),
        (lambda: ta.macd(CLOSE, fastperiod=1), "fastperiod must be between 2"),
        (lambda: ta.macd(CLOSE, signalperiod=0), "signalperiod must be between 1"),
        (lambda: ta.t3(CLOSE, vfactor=1.5), "vfactor must be between 0 and 1, got 1.5"),
        (lambda: ta.t3(CLOSE, vfactor=float("nan")), "vfactor must be between"),
        (lambda: ta.sar(CLOSE, CLOSE, acceleration=-0.1), "acceleration must be between 0"),
        (lambda: ta.bbands(CLOSE, matype=7), "matype=7 is not a supported moving-average type"),
        (lambda: ta.macdext(CLOSE, signalmatype=9), "signalmatype=9 is not a supported"),
        (lambda: ta.stoch(CLOSE, CLOSE, CLOSE, slowd_matype=-1), "slowd_matype=-1"),
        (lambda: ta.ultosc(CLOSE, CLOSE, CLOSE, timeperiod3=0), "timeperiod3 must be between 1"),
    ],
)
def test_out_of_range_parameter_is_named(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        call()  # type: ignore[operator]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ta.sma(CLOSE, timeperiod=5.0), "timeperiod must be an integer, got float 5.0"),
        (lambda: ta.sma(CLOSE, timeperiod=True), "timeperiod must be an integer, got bool"),
        (lambda: ta.bbands(CLOSE, nbdevup="2"), "nbdevup must be a number, got str"),
        (lambda: ta.ma(CLOSE, matype=1.0), "matype must be an integer MA type code"),
        (lambda: ta.sma(["a", "b"]), "real must be a sequence of numbers"),
    ],
)
def test_wrong_type_is_named(call: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        call()  # type: ignore[operator]


def test_inputs_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="low has 49 values but high has 50"):
        ta.atr(CLOSE, CLOSE[1:], CLOSE)


def test_two_dimensional_input_is_refused() -> None:
    with pytest.raises(ValueError, match=r"real must be one-dimensional, got shape \(5, 10\)"):
        ta.sma(CLOSE.reshape(5, 10))


def test_session_ids_must_be_integers_of_the_same_length() -> None:
    with pytest.raises(TypeError, match="session must hold integers"):
        ta.vwap(CLOSE, CLOSE, CLOSE, CLOSE, session=CLOSE)
    with pytest.raises(ValueError, match="session has 3 values but the prices have 50"):
        ta.vwap(CLOSE, CLOSE, CLOSE, CLOSE, session=np.array([1, 2, 3]))


def test_streaming_classes_validate_like_the_batch_functions() -> None:
    with pytest.raises(ValueError, match="timeperiod must be between 2"):
        ta.RSI(timeperiod=1)
    with pytest.raises(ValueError, match="fastd_matype=7 is not a supported"):
        ta.STOCHF(fastd_matype=7)
    with pytest.raises(ValueError, match="vfactor"):
        ta.T3(vfactor=-0.1)


def test_lists_and_integer_arrays_are_accepted_as_float64() -> None:
    as_list = ta.sma([1, 2, 3, 4, 5], timeperiod=2)

    np.testing.assert_array_equal(as_list, [np.nan, 1.5, 2.5, 3.5, 4.5])
    assert as_list.dtype == np.float64
