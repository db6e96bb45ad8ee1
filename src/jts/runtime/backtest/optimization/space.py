"""The parameter space of a strategy: its declared ranges, enumerated or sampled.

A strategy-language program declares ``param fast = 20 range 5..50 step 5``; the checker
turns that into a ``ParamInfo`` whose ``grid()`` is every value the optimizer may try. A
parameter without a range is fixed at its default. Grid search enumerates the cartesian
product in declaration order (the last parameter varies fastest); TPE samples the same
grid points, so both methods try only values the program accepts.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from jts.contexts.strategy.domain.language.value_types import ParamInfo
from jts.shared_kernel.errors import StrategyError

ParamSet = Mapping[str, float]


@dataclass(frozen=True)
class Dimension:
    """One parameter: its name and the grid values it may take (one value when fixed)."""

    name: str
    values: tuple[float, ...]
    integer: bool
    default: float

    @property
    def varies(self) -> bool:
        return len(self.values) > 1


@dataclass(frozen=True)
class ParameterSpace:
    """Every parameter of a program with the values the optimizer may give it."""

    dimensions: tuple[Dimension, ...]

    @classmethod
    def of(cls, params: Sequence[ParamInfo]) -> ParameterSpace:
        """The space of a checked program's ``params``."""
        return cls(tuple(Dimension(p.name, p.grid(), p.integer, p.default) for p in params))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.dimensions)

    @property
    def varying(self) -> tuple[Dimension, ...]:
        """The dimensions with more than one value (the ones worth searching)."""
        return tuple(d for d in self.dimensions if d.varies)

    @property
    def size(self) -> int:
        """How many parameter sets the grid holds."""
        return math.prod(len(d.values) for d in self.dimensions)

    def grid(self) -> Iterator[dict[str, float]]:
        """Every parameter set, the last dimension varying fastest."""
        names = self.names
        for values in itertools.product(*(d.values for d in self.dimensions)):
            yield dict(zip(names, values, strict=True))

    def check(self, params: ParamSet) -> dict[str, float]:
        """``params`` as a complete set on the grid, or a ``StrategyError`` saying what is off."""
        unknown = sorted(set(params) - set(self.names))
        if unknown:
            raise StrategyError(
                f"unknown parameter(s) {', '.join(unknown)}; the strategy declares "
                f"{', '.join(self.names) or 'none'}"
            )
        checked: dict[str, float] = {}
        for dimension in self.dimensions:
            value = float(params.get(dimension.name, dimension.default))
            if not any(math.isclose(value, v, abs_tol=1e-9) for v in dimension.values):
                raise StrategyError(
                    f"parameter {dimension.name} = {value:g} is not on its grid "
                    f"{dimension.values[0]:g}..{dimension.values[-1]:g}"
                )
            checked[dimension.name] = value
        return checked
