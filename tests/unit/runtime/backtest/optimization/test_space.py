from __future__ import annotations

import pytest

from jts.runtime.backtest.optimization import ParameterSpace
from jts.shared_kernel.errors import StrategyError
from tests.unit.runtime.backtest.optimization.fakes import PARAMS, param


def test_grid_enumerates_every_declared_value_last_parameter_fastest() -> None:
    space = ParameterSpace.of(PARAMS)
    grid = list(space.grid())
    assert space.size == len(grid) == 9 * 3
    assert grid[:3] == [{"a": 10, "b": 1.0}, {"a": 10, "b": 1.5}, {"a": 10, "b": 2.0}]
    assert grid[-1] == {"a": 50, "b": 2.0}
    assert [d.name for d in space.varying] == ["a", "b"]


def test_parameter_without_range_is_fixed_at_its_default() -> None:
    space = ParameterSpace.of((param("a", 20, 10, 30, 10), param("fixed", 7, 7, 7, 0)))
    assert list(space.grid()) == [
        {"a": 10, "fixed": 7},
        {"a": 20, "fixed": 7},
        {"a": 30, "fixed": 7},
    ]
    assert [d.name for d in space.varying] == ["a"]


def test_check_fills_defaults_and_refuses_off_grid_or_unknown_values() -> None:
    space = ParameterSpace.of(PARAMS)
    assert space.check({"a": 25}) == {"a": 25.0, "b": 1.0}
    with pytest.raises(StrategyError, match="not on its grid"):
        space.check({"a": 12})
    with pytest.raises(StrategyError, match=r"unknown parameter.*zz"):
        space.check({"zz": 1})
