"""Every indicator's batch form against TA-Lib, the judge, on every data set.

Agreement is asserted to 1e-9 relative; where the true value is zero (a MACD on a flat
market), "relative" is taken against the data's scale, because the TA-Lib build under test
rounds some multiply-adds once (FMA) where these kernels round twice. NaN must sit exactly
where TA-Lib's sits: that is the warm-up, the skipped leading bars and NaN propagation.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import talib

from jts.indicators import REGISTRY
from tests.unit.indicators.bars import DATASETS, Bars
from tests.unit.indicators.cases import TALIB_FUNCTIONS, as_tuple, cases, run_batch

RELATIVE = 1e-9


def _talib(name: str, bars: Bars, params: dict[str, Any]) -> tuple[np.ndarray, ...]:
    spec = REGISTRY[name]
    return as_tuple(getattr(talib, name)(*bars.series(spec.inputs), **params))


@pytest.mark.parametrize("bars", DATASETS, ids=lambda bars: bars.name)
@pytest.mark.parametrize(("name", "params"), cases(TALIB_FUNCTIONS))
def test_batch_matches_talib(name: str, params: dict[str, Any], bars: Bars) -> None:
    expected = _talib(name, bars, params)
    actual = run_batch(REGISTRY[name], bars, params)

    assert len(actual) == len(expected)
    for output, mine, theirs in zip(REGISTRY[name].outputs, actual, expected, strict=True):
        assert mine.shape == theirs.shape, output
        np.testing.assert_array_equal(np.isnan(mine), np.isnan(theirs), err_msg=output)
        scale = max(bars.scale, float(np.nanmax(np.abs(theirs), initial=0.0)))
        np.testing.assert_allclose(
            mine, theirs, rtol=RELATIVE, atol=RELATIVE * scale, equal_nan=True, err_msg=output
        )


@pytest.mark.parametrize("name", TALIB_FUNCTIONS)
def test_empty_input_gives_empty_output_like_talib(name: str) -> None:
    spec = REGISTRY[name]
    empty = [np.array([], dtype=np.float64) for _ in spec.inputs]

    for mine, theirs in zip(
        as_tuple(spec.batch(*empty)), as_tuple(getattr(talib, name)(*empty)), strict=True
    ):
        assert mine.shape == theirs.shape == (0,)


@pytest.mark.parametrize("name", ["SMA", "RSI", "MACD", "ATR", "BBANDS", "MFI", "SAR"])
def test_all_nan_input_gives_all_nan_like_talib(name: str) -> None:
    spec = REGISTRY[name]
    blank = [np.full(50, np.nan) for _ in spec.inputs]

    for mine, theirs in zip(
        as_tuple(spec.batch(*blank)), as_tuple(getattr(talib, name)(*blank)), strict=True
    ):
        np.testing.assert_array_equal(np.isnan(mine), np.isnan(theirs))
