"""Parameter sets each indicator is tested with: TA-Lib's defaults plus awkward variants."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from jts.indicators import REGISTRY, IndicatorSpec
from tests.unit.indicators.bars import Bars

Params = dict[str, Any]

VARIANTS: dict[str, list[Params]] = {
    "SMA": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 13}],
    "EMA": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 13}],
    "WMA": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 13}],
    "DEMA": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 9}],
    "TEMA": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 9}],
    "TRIMA": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 7}, {"timeperiod": 10}],
    "KAMA": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 10}],
    "T3": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 8, "vfactor": 0.3}],
    "MA": [{"timeperiod": 9, "matype": kind} for kind in (0, 1, 2, 3, 4, 5, 6, 8)],
    "MACD": [
        {"fastperiod": 26, "slowperiod": 12, "signalperiod": 9},
        {"fastperiod": 3, "slowperiod": 7, "signalperiod": 1},
    ],
    "MACDEXT": [
        {"fastmatype": 1, "slowmatype": 1, "signalmatype": 1},
        {"fastperiod": 5, "fastmatype": 6, "slowperiod": 3, "slowmatype": 2, "signalmatype": 8},
        {"fastmatype": 3, "slowmatype": 4, "signalperiod": 1, "signalmatype": 5},
    ],
    "RSI": [{"timeperiod": 2}, {"timeperiod": 30}],
    "STOCH": [
        {"fastk_period": 14, "slowk_matype": 1, "slowd_matype": 2},
        {"fastk_period": 1, "slowk_period": 1, "slowd_period": 1},
        {"slowk_matype": 6, "slowd_matype": 8},
    ],
    "STOCHF": [{"fastk_period": 14, "fastd_matype": 1}, {"fastk_period": 1, "fastd_period": 1}],
    "STOCHRSI": [{"timeperiod": 5, "fastk_period": 14, "fastd_period": 4, "fastd_matype": 3}],
    "WILLR": [{"timeperiod": 2}, {"timeperiod": 30}],
    "CCI": [{"timeperiod": 2}, {"timeperiod": 20}],
    "MFI": [{"timeperiod": 2}, {"timeperiod": 20}],
    "ROC": [{"timeperiod": 1}],
    "ROCP": [{"timeperiod": 1}],
    "ROCR": [{"timeperiod": 1}],
    "MOM": [{"timeperiod": 1}, {"timeperiod": 25}],
    "CMO": [{"timeperiod": 2}, {"timeperiod": 25}],
    "ADX": [{"timeperiod": 2}, {"timeperiod": 25}],
    "ADXR": [{"timeperiod": 2}, {"timeperiod": 25}],
    "DX": [{"timeperiod": 2}, {"timeperiod": 25}],
    "PLUS_DI": [{"timeperiod": 1}, {"timeperiod": 2}],
    "MINUS_DI": [{"timeperiod": 1}, {"timeperiod": 2}],
    "AROON": [{"timeperiod": 2}, {"timeperiod": 25}],
    "AROONOSC": [{"timeperiod": 2}, {"timeperiod": 25}],
    "ATR": [{"timeperiod": 1}, {"timeperiod": 2}],
    "NATR": [{"timeperiod": 1}, {"timeperiod": 2}],
    "BBANDS": [
        {"timeperiod": 5, "nbdevup": 1.5, "nbdevdn": 2.5},
        *({"timeperiod": 10, "matype": kind} for kind in (1, 2, 3, 4, 5, 6, 8)),
    ],
    "ADOSC": [{"fastperiod": 10, "slowperiod": 3}, {"fastperiod": 2, "slowperiod": 2}],
    "SAR": [{"acceleration": 0.05, "maximum": 0.1}, {"acceleration": 0.3, "maximum": 0.2}],
    "ULTOSC": [
        {"timeperiod1": 28, "timeperiod2": 7, "timeperiod3": 14},
        {"timeperiod1": 1, "timeperiod2": 2, "timeperiod3": 3},
    ],
    "APO": [{"matype": kind} for kind in (0, 2, 3, 4, 5, 6, 8)]
    + [{"fastperiod": 26, "slowperiod": 5}],
    "PPO": [{"matype": kind} for kind in (0, 2, 3, 4, 5, 6, 8)]
    + [{"fastperiod": 26, "slowperiod": 5}],
    "TRIX": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 9}],
    "LINEARREG": [{"timeperiod": 2}, {"timeperiod": 40}],
    "LINEARREG_SLOPE": [{"timeperiod": 2}, {"timeperiod": 40}],
    "STDDEV": [{"timeperiod": 2}, {"timeperiod": 20, "nbdev": 2.5}],
    "VAR": [{"timeperiod": 1}, {"timeperiod": 20, "nbdev": 3.0}],
    "MIN": [{"timeperiod": 2}, {"timeperiod": 7}],
    "MAX": [{"timeperiod": 2}, {"timeperiod": 7}],
    "SUM": [{"timeperiod": 2}, {"timeperiod": 7}],
    "MIDPOINT": [{"timeperiod": 2}, {"timeperiod": 7}],
    "MIDPRICE": [{"timeperiod": 2}, {"timeperiod": 7}],
}

TALIB_FUNCTIONS = sorted(name for name in REGISTRY if name != "VWAP")


def parameter_sets(name: str) -> list[Params]:
    """TA-Lib's defaults first, then the variants."""
    return [{}, *VARIANTS.get(name, [])]


def cases(names: list[str]) -> list[Any]:
    """``pytest.param(name, params)`` for every indicator and parameter set, readable ids."""
    result = []
    for name in names:
        for number, params in enumerate(parameter_sets(name)):
            result.append(pytest.param(name, params, id=f"{name}-{number}"))
    return result


def as_tuple(result: Any) -> tuple[NDArray[np.float64], ...]:
    return result if isinstance(result, tuple) else (result,)


def run_batch(spec: IndicatorSpec, bars: Bars, params: Params) -> tuple[NDArray[np.float64], ...]:
    return as_tuple(spec.batch(*bars.series(spec.inputs), **params))


def run_stream(spec: IndicatorSpec, bars: Bars, params: Params) -> tuple[NDArray[np.float64], ...]:
    """Feed the bars one at a time; the outputs stacked like the batch form's."""
    indicator = spec.streaming(**params)
    columns = bars.series(spec.inputs)
    rows = [as_tuple(indicator.update(*values)) for values in zip(*columns, strict=True)]
    stacked = np.array(rows, dtype=np.float64).reshape(len(rows), len(spec.outputs))
    return tuple(stacked.T.copy())
