"""What the language knows about indicators and built-in functions: names and signatures.

The checker needs only signatures: an indicator's series inputs (TA-Lib names: ``real``,
``high``, ``low``, ``close``, ``volume``), its parameters with defaults and bounds, and its
outputs. Inputs may be omitted in a call, in which case they are the bar fields of the same
name (``real`` is ``close``): ``atr(14)`` is ``atr(high, low, close, 14)``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import msgspec

from jts.contexts.strategy.domain.indicators.registry import REGISTRY

DEFAULT_INPUT_FIELD = {"real": "close", "price": "close"}


class ParamSpec(msgspec.Struct, frozen=True):
    """One indicator parameter: whole number or real, with its default and bounds."""

    name: str
    integer: bool
    default: float
    minimum: float
    maximum: float


class IndicatorSpec(msgspec.Struct, frozen=True):
    """The call signature of one indicator."""

    name: str
    inputs: tuple[str, ...]
    params: tuple[ParamSpec, ...]
    outputs: tuple[str, ...]
    summary: str = ""

    def signature(self) -> str:
        """``sma(real, timeperiod=30)`` for messages."""
        parts = [*self.inputs, *(f"{p.name}={_number(p.default)}" for p in self.params)]
        return f"{self.name}({', '.join(parts)})"

    def example(self) -> str:
        """``sma(close, 30)``: a call with the default inputs and parameters."""
        parts = [*(input_field(name) for name in self.inputs)]
        parts += [_number(p.default) for p in self.params]
        return f"{self.name}({', '.join(parts)})"


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def input_field(input_name: str) -> str:
    """The bar field an omitted indicator input stands for."""
    return DEFAULT_INPUT_FIELD.get(input_name, input_name)


BAR_INPUTS = {"real", "open", "high", "low", "close", "volume"}


@functools.cache
def indicator_specs() -> Mapping[str, IndicatorSpec]:
    """Every indicator the language can call, by lower-case name, from the indicator registry.

    Left out: indicators with an input that is not a bar field (VWAP's session label) and
    names the language uses for its own functions (``min``, ``max``: use ``lowest`` and
    ``highest`` for rolling extremes).
    """
    specs: dict[str, IndicatorSpec] = {}
    for entry in REGISTRY.values():
        name = entry.name.lower()
        if name in BUILTINS or not set(entry.inputs) <= BAR_INPUTS:
            continue
        params = tuple(
            ParamSpec(p.name, p.kind != "real", float(p.default), p.minimum, p.maximum)
            for p in entry.params
        )
        specs[name] = IndicatorSpec(name, entry.inputs, params, entry.outputs, entry.group)
    return specs


class BuiltinSpec(msgspec.Struct, frozen=True):
    """A function of the language itself (not an indicator)."""

    name: str
    arguments: tuple[str, ...]
    summary: str


BUILTINS: Mapping[str, BuiltinSpec] = {
    spec.name: spec
    for spec in (
        BuiltinSpec("crosses_above", ("a", "b"), "a > b now and a <= b on the bar before"),
        BuiltinSpec("crosses_below", ("a", "b"), "a < b now and a >= b on the bar before"),
        BuiltinSpec("highest", ("series", "bars"), "highest value over the last n bars"),
        BuiltinSpec("lowest", ("series", "bars"), "lowest value over the last n bars"),
        BuiltinSpec("abs", ("x",), "absolute value"),
        BuiltinSpec("min", ("a", "b"), "the smaller of two values"),
        BuiltinSpec("max", ("a", "b"), "the larger of two values"),
    )
}

SIZING_FORMS = ("quantity", "percent_equity", "kelly", "risk")
ORDER_KINDS = ("market", "limit")
