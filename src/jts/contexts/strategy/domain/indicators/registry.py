"""The catalogue of indicators: for each, its TA-Lib name, inputs, parameters, outputs,
warm-up, batch function and streaming class.

The strategy language, the optimizer (parameter ranges) and the warm-up planner read this
table instead of knowing indicators one by one; a test holds every entry to its functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from jts.contexts.strategy.domain.indicators import lookback as lb
from jts.contexts.strategy.domain.indicators import (
    stream_ma,
    stream_ma_extra,
    stream_macd,
    stream_momentum,
    stream_oscillators,
    stream_sar,
    stream_stats,
    stream_stoch,
    stream_trend,
    stream_volume,
    stream_window,
)
from jts.contexts.strategy.domain.indicators.batch import BATCH_FUNCTIONS
from jts.contexts.strategy.domain.indicators.stream import StreamingIndicator
from jts.contexts.strategy.domain.indicators.validation import PERIOD_MAX, REAL_MAX

ParamKind = Literal["period", "real", "matype"]


@dataclass(frozen=True)
class Param:
    """One parameter: TA-Lib's name, default and accepted range."""

    name: str
    default: int | float
    kind: ParamKind
    minimum: float
    maximum: float


def period(name: str, default: int, minimum: int) -> Param:
    return Param(name, default, "period", minimum, PERIOD_MAX)


def real(name: str, default: float, minimum: float = -REAL_MAX, maximum: float = REAL_MAX) -> Param:
    return Param(name, default, "real", minimum, maximum)


def matype(name: str, default: int = 0) -> Param:
    return Param(name, default, "matype", 0, 8)


@dataclass(frozen=True)
class IndicatorSpec:
    """How to call one indicator, in batch and streaming form, and how long it warms up."""

    name: str
    group: str
    inputs: tuple[str, ...]
    params: tuple[Param, ...]
    outputs: tuple[str, ...]
    streaming: type[StreamingIndicator]
    lookback_of: Callable[..., int]
    lookback_args: tuple[str, ...] = field(default=())

    @property
    def batch(self) -> Callable[..., Any]:
        """The lower-case batch function, ``jts.indicators.<name>``."""
        return BATCH_FUNCTIONS[self.name.lower()]

    def defaults(self) -> dict[str, int | float]:
        return {p.name: p.default for p in self.params}

    def lookback(self, **params: int | float) -> int:
        """Complete bars consumed before the first value, for these parameters."""
        unknown = set(params) - {p.name for p in self.params}
        if unknown:
            raise ValueError(f"{self.name} has no parameter {sorted(unknown)}")
        values = {**self.defaults(), **params}
        return self.lookback_of(*(values[name] for name in self.lookback_args))


def _fixed(value: int) -> Callable[[], int]:
    return lambda: value


_PRICE = ("real",)
_HL = ("high", "low")
_HLC = ("high", "low", "close")
_HLCV = ("high", "low", "close", "volume")
_ONE = ("real",)
_TP = ("timeperiod",)
_OVERLAP, _MOMENTUM, _VOLUME = "Overlap Studies", "Momentum Indicators", "Volume Indicators"
_VOLATILITY, _STATISTIC, _MATH = "Volatility Indicators", "Statistic Functions", "Math Operators"


def _ma_spec(
    name: str, cls: type[StreamingIndicator], per_period: int, extra: int = 0
) -> IndicatorSpec:
    def warmup(timeperiod: int) -> int:
        return 0 if timeperiod == 1 else per_period * (timeperiod - 1) + extra

    return IndicatorSpec(
        name, _OVERLAP, _PRICE, (period("timeperiod", 30, 1),), _ONE, cls, warmup, _TP
    )


def _window_spec(
    name: str,
    group: str,
    cls: type[StreamingIndicator],
    default: int,
    minimum: int = 2,
    inputs: tuple[str, ...] = _PRICE,
    extra: tuple[Param, ...] = (),
) -> IndicatorSpec:
    params = (period("timeperiod", default, minimum), *extra)
    return IndicatorSpec(name, group, inputs, params, _ONE, cls, lb.window_lookback, _TP)


def _period_spec(
    name: str,
    group: str,
    cls: type[StreamingIndicator],
    default: int,
    minimum: int,
    inputs: tuple[str, ...] = _PRICE,
) -> IndicatorSpec:
    params = (period("timeperiod", default, minimum),)
    return IndicatorSpec(name, group, inputs, params, _ONE, cls, lb.period_lookback, _TP)


# fmt: off
_SPECS: tuple[IndicatorSpec, ...] = (
    _ma_spec("SMA", stream_ma.SMA, 1),
    _ma_spec("EMA", stream_ma.EMA, 1),
    _ma_spec("WMA", stream_ma.WMA, 1),
    _ma_spec("DEMA", stream_ma.DEMA, 2),
    _ma_spec("TEMA", stream_ma.TEMA, 3),
    _ma_spec("TRIMA", stream_ma_extra.TRIMA, 1),
    _ma_spec("KAMA", stream_ma_extra.KAMA, 1, 1),
    IndicatorSpec(
        "T3", _OVERLAP, _PRICE, (period("timeperiod", 5, 1), real("vfactor", 0.7, 0.0, 1.0)),
        _ONE, stream_ma_extra.T3, lambda timeperiod: 6 * (timeperiod - 1), _TP,
    ),
    IndicatorSpec(
        "MA", _OVERLAP, _PRICE, (period("timeperiod", 30, 1), matype("matype")), _ONE,
        stream_ma_extra.MA, lb.ma_lookback, ("timeperiod", "matype"),
    ),
    IndicatorSpec(
        "MACD", _MOMENTUM, _PRICE,
        (period("fastperiod", 12, 2), period("slowperiod", 26, 2), period("signalperiod", 9, 1)),
        ("macd", "macdsignal", "macdhist"), stream_macd.MACD, lb.macd_lookback,
        ("fastperiod", "slowperiod", "signalperiod"),
    ),
    IndicatorSpec(
        "MACDEXT", _MOMENTUM, _PRICE,
        (period("fastperiod", 12, 2), matype("fastmatype"), period("slowperiod", 26, 2),
         matype("slowmatype"), period("signalperiod", 9, 1), matype("signalmatype")),
        ("macd", "macdsignal", "macdhist"), stream_macd.MACDEXT, lb.macdext_lookback,
        ("fastperiod", "fastmatype", "slowperiod", "slowmatype", "signalperiod", "signalmatype"),
    ),
    _period_spec("RSI", _MOMENTUM, stream_momentum.RSI, 14, 2),
    IndicatorSpec(
        "STOCH", _MOMENTUM, _HLC,
        (period("fastk_period", 5, 1), period("slowk_period", 3, 1), matype("slowk_matype"),
         period("slowd_period", 3, 1), matype("slowd_matype")),
        ("slowk", "slowd"), stream_stoch.STOCH, lb.stoch_lookback,
        ("fastk_period", "slowk_period", "slowk_matype", "slowd_period", "slowd_matype"),
    ),
    IndicatorSpec(
        "STOCHF", _MOMENTUM, _HLC,
        (period("fastk_period", 5, 1), period("fastd_period", 3, 1), matype("fastd_matype")),
        ("fastk", "fastd"), stream_stoch.STOCHF, lb.stochf_lookback,
        ("fastk_period", "fastd_period", "fastd_matype"),
    ),
    IndicatorSpec(
        "STOCHRSI", _MOMENTUM, _PRICE,
        (period("timeperiod", 14, 2), period("fastk_period", 5, 1), period("fastd_period", 3, 1),
         matype("fastd_matype")),
        ("fastk", "fastd"), stream_stoch.STOCHRSI, lb.stochrsi_lookback,
        ("timeperiod", "fastk_period", "fastd_period", "fastd_matype"),
    ),
    _window_spec("WILLR", _MOMENTUM, stream_window.WILLR, 14, inputs=_HLC),
    _window_spec("CCI", _MOMENTUM, stream_oscillators.CCI, 14, inputs=_HLC),
    _period_spec("MFI", _MOMENTUM, stream_oscillators.MFI, 14, 2, _HLCV),
    _period_spec("ROC", _MOMENTUM, stream_momentum.ROC, 10, 1),
    _period_spec("ROCP", _MOMENTUM, stream_momentum.ROCP, 10, 1),
    _period_spec("ROCR", _MOMENTUM, stream_momentum.ROCR, 10, 1),
    _period_spec("MOM", _MOMENTUM, stream_momentum.MOM, 10, 1),
    _period_spec("CMO", _MOMENTUM, stream_momentum.CMO, 14, 2),
    IndicatorSpec(
        "ADX", _MOMENTUM, _HLC, (period("timeperiod", 14, 2),), _ONE, stream_trend.ADX,
        lb.adx_lookback, _TP,
    ),
    IndicatorSpec(
        "ADXR", _MOMENTUM, _HLC, (period("timeperiod", 14, 2),), _ONE, stream_trend.ADXR,
        lb.adxr_lookback, _TP,
    ),
    _period_spec("DX", _MOMENTUM, stream_trend.DX, 14, 2, _HLC),
    _period_spec("PLUS_DI", _MOMENTUM, stream_trend.PLUS_DI, 14, 1, _HLC),
    _period_spec("MINUS_DI", _MOMENTUM, stream_trend.MINUS_DI, 14, 1, _HLC),
    IndicatorSpec(
        "AROON", _MOMENTUM, _HL, (period("timeperiod", 14, 2),), ("aroondown", "aroonup"),
        stream_stoch.AROON, lb.period_lookback, _TP,
    ),
    _period_spec("AROONOSC", _MOMENTUM, stream_stoch.AROONOSC, 14, 2, _HL),
    IndicatorSpec(
        "BOP", _MOMENTUM, ("open", "high", "low", "close"), (), _ONE, stream_oscillators.BOP,
        _fixed(0),
    ),
    _period_spec("ATR", _VOLATILITY, stream_trend.ATR, 14, 1, _HLC),
    _period_spec("NATR", _VOLATILITY, stream_trend.NATR, 14, 1, _HLC),
    IndicatorSpec("TRANGE", _VOLATILITY, _HLC, (), _ONE, stream_trend.TRANGE, _fixed(1)),
    IndicatorSpec(
        "BBANDS", _OVERLAP, _PRICE,
        (period("timeperiod", 20, 2), real("nbdevup", 2.0), real("nbdevdn", 2.0), matype("matype")),
        ("upperband", "middleband", "lowerband"), stream_stats.BBANDS, lb.bbands_lookback,
        ("timeperiod", "matype"),
    ),
    IndicatorSpec("OBV", _VOLUME, ("real", "volume"), (), _ONE, stream_volume.OBV, _fixed(0)),
    IndicatorSpec("AD", _VOLUME, _HLCV, (), _ONE, stream_volume.AD, _fixed(0)),
    IndicatorSpec(
        "ADOSC", _VOLUME, _HLCV, (period("fastperiod", 3, 2), period("slowperiod", 10, 2)), _ONE,
        stream_volume.ADOSC, lb.adosc_lookback, ("fastperiod", "slowperiod"),
    ),
    IndicatorSpec(
        "SAR", _OVERLAP, _HL,
        (real("acceleration", 0.02, 0.0), real("maximum", 0.2, 0.0)), _ONE, stream_sar.SAR,
        _fixed(1),
    ),
    IndicatorSpec(
        "ULTOSC", _MOMENTUM, _HLC,
        (period("timeperiod1", 7, 1), period("timeperiod2", 14, 1), period("timeperiod3", 28, 1)),
        _ONE, stream_oscillators.ULTOSC, lb.ultosc_lookback,
        ("timeperiod1", "timeperiod2", "timeperiod3"),
    ),
    IndicatorSpec(
        "APO", _MOMENTUM, _PRICE,
        (period("fastperiod", 12, 2), period("slowperiod", 26, 2), matype("matype", 1)), _ONE,
        stream_macd.APO, lb.price_oscillator_lookback, ("fastperiod", "slowperiod", "matype"),
    ),
    IndicatorSpec(
        "PPO", _MOMENTUM, _PRICE,
        (period("fastperiod", 12, 2), period("slowperiod", 26, 2), matype("matype", 1)), _ONE,
        stream_macd.PPO, lb.price_oscillator_lookback, ("fastperiod", "slowperiod", "matype"),
    ),
    IndicatorSpec(
        "TRIX", _MOMENTUM, _PRICE, (period("timeperiod", 30, 1),), _ONE, stream_momentum.TRIX,
        lb.trix_lookback, _TP,
    ),
    _window_spec("LINEARREG", _STATISTIC, stream_stats.LINEARREG, 14),
    _window_spec("LINEARREG_SLOPE", _STATISTIC, stream_stats.LINEARREG_SLOPE, 14),
    _window_spec("STDDEV", _STATISTIC, stream_stats.STDDEV, 5, extra=(real("nbdev", 1.0),)),
    _window_spec("VAR", _STATISTIC, stream_stats.VAR, 5, 1, extra=(real("nbdev", 1.0),)),
    _window_spec("MIN", _MATH, stream_window.MIN, 30),
    _window_spec("MAX", _MATH, stream_window.MAX, 30),
    _window_spec("SUM", _MATH, stream_window.SUM, 30),
    _window_spec("MIDPOINT", _OVERLAP, stream_window.MIDPOINT, 14),
    _window_spec("MIDPRICE", _OVERLAP, stream_window.MIDPRICE, 14, inputs=_HL),
    IndicatorSpec(
        "VWAP", _VOLUME, (*_HLCV, "session"), (), _ONE, stream_volume.VWAP, _fixed(0),
    ),
)
# fmt: on

REGISTRY: Mapping[str, IndicatorSpec] = {spec.name: spec for spec in _SPECS}


def indicator(name: str) -> IndicatorSpec:
    """The spec of indicator ``name`` (case-insensitive TA-Lib name, e.g. ``"macd"``)."""
    try:
        return REGISTRY[name.upper()]
    except KeyError:
        raise ValueError(
            f"unknown indicator {name!r}; known: {', '.join(sorted(REGISTRY))}"
        ) from None
