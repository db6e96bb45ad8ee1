"""The registry describes each indicator as TA-Lib does: names, defaults, outputs, warm-up."""

from __future__ import annotations

import numpy as np
import pytest
import talib
from talib import abstract

import jts.indicators as ta
from jts.indicators import REGISTRY
from tests.unit.indicators.bars import random_walk
from tests.unit.indicators.cases import TALIB_FUNCTIONS, as_tuple, cases

REQUIRED = [
    "SMA",
    "EMA",
    "WMA",
    "DEMA",
    "TEMA",
    "TRIMA",
    "KAMA",
    "T3",
    "MACD",
    "MACDEXT",
    "RSI",
    "STOCH",
    "STOCHF",
    "STOCHRSI",
    "WILLR",
    "CCI",
    "MFI",
    "ROC",
    "ROCP",
    "ROCR",
    "MOM",
    "CMO",
    "ADX",
    "ADXR",
    "DX",
    "PLUS_DI",
    "MINUS_DI",
    "AROON",
    "AROONOSC",
    "BOP",
    "ATR",
    "NATR",
    "TRANGE",
    "BBANDS",
    "OBV",
    "AD",
    "ADOSC",
    "SAR",
    "ULTOSC",
    "APO",
    "PPO",
    "TRIX",
    "LINEARREG",
    "LINEARREG_SLOPE",
    "STDDEV",
    "VAR",
    "MIN",
    "MAX",
    "SUM",
    "MIDPOINT",
    "MIDPRICE",
    "VWAP",
]


def test_every_required_indicator_is_exported_in_both_forms() -> None:
    for name in REQUIRED:
        spec = ta.indicator(name)
        assert getattr(ta, name.lower()) is spec.batch
        assert getattr(ta, name) is spec.streaming


@pytest.mark.parametrize("name", TALIB_FUNCTIONS)
def test_parameters_and_outputs_are_talibs(name: str) -> None:
    info = abstract.Function(name).info
    spec = REGISTRY[name]

    talib_inputs = [name for group in info["input_names"].values() for name in np.atleast_1d(group)]

    assert spec.defaults() == dict(info["parameters"])
    assert spec.outputs == tuple(info["output_names"])
    assert len(spec.inputs) == len(talib_inputs)


@pytest.mark.parametrize(("name", "params"), cases(TALIB_FUNCTIONS))
def test_lookback_is_talibs_and_is_the_nan_prefix(name: str, params: dict[str, float]) -> None:
    spec = REGISTRY[name]
    function = abstract.Function(name)
    function.set_parameters(params)
    bars = random_walk(length=300, seed=8)

    lookback = spec.lookback(**params)
    first = as_tuple(spec.batch(*bars.series(spec.inputs), **params))[0]

    assert lookback == function.lookback
    assert int(np.argmin(np.isnan(first))) == lookback
    assert spec.streaming(**params).warmup == lookback


def test_lookback_rejects_unknown_parameters() -> None:
    with pytest.raises(ValueError, match="timeperod"):
        ta.indicator("sma").lookback(timeperod=3)


def test_unknown_indicator_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown indicator 'hull'; known: .*SMA"):
        ta.indicator("hull")


def test_defaults_reproduce_talib_called_without_arguments() -> None:
    close = random_walk(length=120, seed=2).close

    np.testing.assert_allclose(ta.apo(close), talib.APO(close), rtol=1e-9, equal_nan=True)
    np.testing.assert_allclose(ta.t3(close), talib.T3(close), rtol=1e-9, equal_nan=True)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_a_series_no_longer_than_the_warmup_is_all_nan(name: str) -> None:
    spec = REGISTRY[name]
    warmup = spec.lookback()
    exact = random_walk(length=warmup + 1, seed=6)
    too_short = random_walk(length=warmup, seed=6)

    for output in as_tuple(spec.batch(*too_short.series(spec.inputs))):
        assert np.isnan(output).all()
    for output in as_tuple(spec.batch(*exact.series(spec.inputs))):
        assert np.isnan(output[:-1]).all()
        assert not np.isnan(output[-1])


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_streaming_class_reports_the_specs_outputs_and_parameters(name: str) -> None:
    spec = REGISTRY[name]
    indicator = spec.streaming()

    assert indicator.name == name
    assert indicator.outputs == spec.outputs
    assert indicator.params == spec.defaults()
