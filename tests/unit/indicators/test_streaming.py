"""Every streaming indicator against its batch form: the same numbers, bit for bit."""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pytest

from jts.indicators import REGISTRY
from tests.unit.indicators.bars import DATASETS, Bars, random_walk
from tests.unit.indicators.cases import as_tuple, cases, run_batch, run_stream

ALL = sorted(REGISTRY)


def _same(left: tuple[float, ...], right: tuple[float, ...]) -> bool:
    return all(a == b or (a != a and b != b) for a, b in zip(left, right, strict=True))


def _assert_identical(actual: tuple[np.ndarray, ...], expected: tuple[np.ndarray, ...]) -> None:
    for mine, batch in zip(actual, expected, strict=True):
        same = (mine == batch) | (np.isnan(mine) & np.isnan(batch))
        assert same.all(), f"first difference at bar {int(np.argmin(same))}"


@pytest.mark.parametrize("bars", DATASETS, ids=lambda bars: bars.name)
@pytest.mark.parametrize(("name", "params"), cases(ALL))
def test_streaming_equals_batch(name: str, params: dict[str, Any], bars: Bars) -> None:
    spec = REGISTRY[name]

    _assert_identical(run_stream(spec, bars, params), run_batch(spec, bars, params))


@pytest.mark.parametrize(("name", "params"), cases(ALL))
def test_snapshot_restores_the_exact_state(name: str, params: dict[str, Any]) -> None:
    spec = REGISTRY[name]
    bars = random_walk(length=400, seed=21)
    columns = list(zip(*bars.series(spec.inputs), strict=True))
    original = spec.streaming(**params)
    for values in columns[:230]:
        original.update(*values)

    resumed = spec.streaming(**params)
    resumed.restore(pickle.loads(pickle.dumps(original.snapshot())))

    for values in columns[230:]:
        assert _same(as_tuple(resumed.update(*values)), as_tuple(original.update(*values)))
    assert _same(as_tuple(resumed.value), as_tuple(original.value))


@pytest.mark.parametrize("name", ALL)
def test_value_is_the_last_output_and_nan_during_warmup(name: str) -> None:
    spec = REGISTRY[name]
    indicator = spec.streaming()
    columns = list(zip(*random_walk(length=200, seed=4).series(spec.inputs), strict=True))

    outputs = [as_tuple(indicator.update(*values)) for values in columns]

    assert all(np.isnan(outputs[bar]).all() for bar in range(indicator.warmup))
    assert not np.isnan(outputs[indicator.warmup]).any()
    assert as_tuple(indicator.value) == outputs[-1]


def test_restore_refuses_a_snapshot_of_another_indicator_or_parameters() -> None:
    sma = REGISTRY["SMA"].streaming(timeperiod=5)
    ema_state = REGISTRY["EMA"].streaming(timeperiod=5).snapshot()
    other_period = REGISTRY["SMA"].streaming(timeperiod=6).snapshot()

    with pytest.raises(ValueError, match="EMA"):
        sma.restore(ema_state)
    with pytest.raises(ValueError, match="timeperiod"):
        sma.restore(other_period)
