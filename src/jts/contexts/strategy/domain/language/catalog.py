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


PERIOD_MAX = 100_000.0
REAL_MAX = 3e37


def _period(name: str, default: int, minimum: int = 2) -> ParamSpec:
    return ParamSpec(name, True, float(default), float(minimum), PERIOD_MAX)


def _real(name: str, default: float, minimum: float = -REAL_MAX) -> ParamSpec:
    return ParamSpec(name, False, default, minimum, REAL_MAX)


_MATYPE = ParamSpec("matype", True, 0.0, 0.0, 8.0)
_REAL = ("real",)
_HLC = ("high", "low", "close")

_LOCAL: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("sma", _REAL, (_period("timeperiod", 30, 1),), ("real",), "simple average"),
    IndicatorSpec("ema", _REAL, (_period("timeperiod", 30, 1),), ("real",), "exponential"),
    IndicatorSpec("wma", _REAL, (_period("timeperiod", 30, 1),), ("real",), "weighted"),
    IndicatorSpec("dema", _REAL, (_period("timeperiod", 30, 1),), ("real",), "double EMA"),
    IndicatorSpec("tema", _REAL, (_period("timeperiod", 30, 1),), ("real",), "triple EMA"),
    IndicatorSpec("trima", _REAL, (_period("timeperiod", 30, 1),), ("real",), "triangular"),
    IndicatorSpec("kama", _REAL, (_period("timeperiod", 30, 1),), ("real",), "Kaufman"),
    IndicatorSpec("rsi", _REAL, (_period("timeperiod", 14),), ("real",), "RSI 0..100"),
    IndicatorSpec("cmo", _REAL, (_period("timeperiod", 14),), ("real",), "Chande momentum"),
    IndicatorSpec("mom", _REAL, (_period("timeperiod", 10, 1),), ("real",), "momentum"),
    IndicatorSpec("roc", _REAL, (_period("timeperiod", 10, 1),), ("real",), "rate of change"),
    IndicatorSpec(
        "macd",
        _REAL,
        (_period("fastperiod", 12), _period("slowperiod", 26), _period("signalperiod", 9, 1)),
        ("macd", "macdsignal", "macdhist"),
        "MACD line, signal and histogram",
    ),
    IndicatorSpec(
        "bbands",
        _REAL,
        (_period("timeperiod", 5), _real("nbdevup", 2.0), _real("nbdevdn", 2.0), _MATYPE),
        ("upperband", "middleband", "lowerband"),
        "Bollinger bands",
    ),
    IndicatorSpec("stddev", _REAL, (_period("timeperiod", 5), _real("nbdev", 1.0)), ("real",)),
    IndicatorSpec("atr", _HLC, (_period("timeperiod", 14, 1),), ("real",), "average true range"),
    IndicatorSpec("natr", _HLC, (_period("timeperiod", 14, 1),), ("real",), "normalized ATR"),
    IndicatorSpec("trange", _HLC, (), ("real",), "true range"),
    IndicatorSpec("adx", _HLC, (_period("timeperiod", 14),), ("real",), "trend strength"),
    IndicatorSpec("cci", _HLC, (_period("timeperiod", 14),), ("real",), "commodity channel"),
    IndicatorSpec("willr", _HLC, (_period("timeperiod", 14),), ("real",), "Williams %R"),
)


@functools.cache
def indicator_specs() -> Mapping[str, IndicatorSpec]:
    """Every indicator the language can call, by lower-case name."""
    return {spec.name: spec for spec in _LOCAL}


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
