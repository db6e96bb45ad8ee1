"""Streaming VAR, STDDEV, BBANDS, LINEARREG and LINEARREG_SLOPE, mirroring ``kernels_stats``."""

from __future__ import annotations

import math

from jts.contexts.strategy.domain.indicators import validation
from jts.contexts.strategy.domain.indicators.lookback import bbands_lookback, ma_lookback
from jts.contexts.strategy.domain.indicators.stream import (
    NAN,
    SingleSeries,
    StreamingIndicator,
    nested,
)
from jts.contexts.strategy.domain.indicators.stream_ma import SMA
from jts.contexts.strategy.domain.indicators.stream_ma_extra import moving_average
from jts.contexts.strategy.domain.indicators.validation import MAType


class Variance(SingleSeries):
    """Population variance over ``timeperiod`` bars, TA-Lib's shifted and re-anchored form."""

    __slots__ = ("_count", "_period", "_reseed_in", "_ring", "_shift", "_total1", "_total2")
    name = "VARIANCE"

    def __init__(self, timeperiod: int) -> None:
        self._period = timeperiod
        super().__init__(timeperiod - 1)
        self._ring = [0.0] * timeperiod
        self._shift = self._total1 = self._total2 = 0.0
        self._reseed_in = 32 * timeperiod
        self._count = 0

    @property
    def params(self) -> dict[str, object]:
        return {"timeperiod": self._period}

    def update(self, real: float) -> float:
        period = self._period
        today = self._count
        self._count = today + 1
        self._ring[today % period] = real
        if today == 0:
            self._shift = real
        deviation = real - self._shift
        self._total1 += deviation
        deviation *= deviation
        self._total2 += deviation
        if today < period - 1:
            return NAN
        inv_period = 1.0 / period
        mean = self._total1 * inv_period
        variance = self._total2 * inv_period - mean * mean
        deviation = self._ring[(today + 1) % period] - self._shift
        self._total1 -= deviation
        deviation *= deviation
        self._total2 -= deviation
        self._reseed_in -= 1
        if (
            variance < 0.000001 * (self._total2 * inv_period)
            or deviation > 1000000.0 * self._total2
            or self._reseed_in <= 0
        ):
            variance = self._reanchor(today)
        self._value = variance
        return variance

    def _reanchor(self, today: int) -> float:
        period = self._period
        inv_period = 1.0 / period
        self._reseed_in = 32 * period
        window = [self._ring[j % period] for j in range(today - period + 1, today + 1)]
        total = 0.0
        for value in window:
            total += value
        shift = total * inv_period
        total1 = total2 = 0.0
        for value in window:
            deviation = value - shift
            total1 += deviation
            deviation *= deviation
            total2 += deviation
        mean = total1 * inv_period
        variance = total2 * inv_period - mean * mean
        if variance < 0.000000000001 * (total2 * inv_period):
            variance = 0.0
        deviation = window[0] - shift
        total1 -= deviation
        deviation *= deviation
        total2 -= deviation
        self._shift, self._total1, self._total2 = shift, total1, total2
        return variance


class VAR(SingleSeries):
    """Population variance (TA-Lib ``VAR``; ``nbdev`` is accepted and, like TA-Lib, unused)."""

    __slots__ = ("_nbdev", "_variance")
    name = "VAR"

    def __init__(self, timeperiod: int = 5, nbdev: float = 1.0) -> None:
        period = validation.period("timeperiod", timeperiod, 1)
        self._nbdev = validation.real("nbdev", nbdev)
        self._variance = nested(Variance(period))
        super().__init__(period - 1)

    @property
    def params(self) -> dict[str, object]:
        return {**self._variance.params, "nbdev": self._nbdev}

    def update(self, real: float) -> float:
        if not self._started:
            if real != real:
                return NAN
            self._started = True
        value = self._variance.update(real)
        self._value = value
        return value


class STDDEV(VAR):
    """Population standard deviation times ``nbdev`` (TA-Lib ``STDDEV``)."""

    __slots__ = ()
    name = "STDDEV"

    def __init__(self, timeperiod: int = 5, nbdev: float = 1.0) -> None:
        validation.period("timeperiod", timeperiod, 2)
        super().__init__(timeperiod, nbdev)

    def update(self, real: float) -> float:
        if not self._started:
            if real != real:
                return NAN
            self._started = True
        value = _sqrt(self._variance.update(real))
        if self._nbdev != 1.0:
            value *= self._nbdev
        self._value = value
        return value


def _sqrt(value: float) -> float:
    """``math.sqrt`` with C's answers where Python would raise: NaN for a negative value."""
    return math.sqrt(value) if value >= 0.0 else (value if value == 0.0 else NAN)


class BBANDS(StreamingIndicator):
    """Bollinger bands ``(upperband, middleband, lowerband)`` (TA-Lib ``BBANDS``)."""

    __slots__ = ("_count", "_delay", "_down", "_middle", "_params", "_sma", "_up", "_variance")
    name = "BBANDS"
    outputs = ("upperband", "middleband", "lowerband")

    def __init__(
        self, timeperiod: int = 20, nbdevup: float = 2.0, nbdevdn: float = 2.0, matype: int = 0
    ) -> None:
        period = validation.period("timeperiod", timeperiod, 2)
        up = validation.real("nbdevup", nbdevup)
        down = validation.real("nbdevdn", nbdevdn)
        kind = validation.ma_type("matype", matype)
        self._params = {"timeperiod": period, "nbdevup": up, "nbdevdn": down, "matype": kind}
        super().__init__(bbands_lookback(period, kind))
        self._up, self._down = up, down
        self._sma = sma = kind == MAType.SMA
        self._middle = nested(SMA(period) if sma else moving_average(period, kind))
        self._variance = nested(Variance(period))
        self._delay = 0 if sma else max(ma_lookback(period, kind), period - 1) - (period - 1)
        self._count = 0

    @property
    def params(self) -> dict[str, object]:
        return dict(self._params)

    def update(self, real: float) -> tuple[float, float, float]:
        if not self._started:
            if real != real:
                return (NAN, NAN, NAN)
            self._started = True
        today = self._count
        self._count = today + 1
        center = self._middle.update(real)
        if today < self._delay:
            return (NAN, NAN, NAN)
        variance = self._variance.update(real)
        if today < self._lookback:
            return (NAN, NAN, NAN)
        # The SMA path maps an exact zero variance to +0.0; the general path keeps its sign.
        flat = self._sma and variance == 0.0
        deviation = 0.0 if flat else _sqrt(variance)
        up, down = self._up, self._down
        if up == down:
            width = deviation * up
            value = (center + width, center, center - width)
        else:
            value = (center + (deviation * up), center, center - (deviation * down))
        self._value = value
        return value


class _LinearRegression(SingleSeries):
    __slots__ = ("_count", "_divisor", "_period", "_reseed_in", "_ring", "_sum_abs", "_sum_x",
                 "_sum_xy", "_sum_y", "_trailing")  # fmt: skip
    slope_only = False

    def __init__(self, timeperiod: int = 14) -> None:
        self._period = period = validation.period("timeperiod", timeperiod, 2)
        super().__init__(period - 1)
        self._sum_x = float(period) * (period - 1) * 0.5
        sum_x_sqr = float(period) * (period - 1) * (2 * period - 1) / 6.0
        self._divisor = self._sum_x * self._sum_x - period * sum_x_sqr
        self._ring = [0.0] * period
        self._sum_y = self._sum_xy = self._sum_abs = self._trailing = 0.0
        self._reseed_in = 32 * period
        self._count = 0

    @property
    def params(self) -> dict[str, object]:
        return {"timeperiod": self._period}

    def update(self, real: float) -> float:
        if not self._started:
            if real != real:
                return NAN
            self._started = True
        period = self._period
        today = self._count
        self._count = today + 1
        self._ring[today % period] = real
        if today < period - 1:
            return NAN
        if today == period - 1:
            self._rebuild(today)
        else:
            weighted = float(period) * self._trailing
            self._sum_xy = self._sum_xy + self._sum_y - weighted
            self._sum_y = self._sum_y - self._trailing + real
            self._sum_abs = self._sum_abs - abs(self._trailing) + abs(real)
            self._reseed_in -= 1
            if self._reseed_in <= 0 or abs(weighted) > 100.0 * self._sum_abs:
                self._reseed_in = 32 * period
                self._rebuild(today)
        self._trailing = self._ring[(today + 1) % period]
        slope = (period * self._sum_xy - self._sum_x * self._sum_y) / self._divisor
        if self.slope_only:
            value = slope
        else:
            intercept = (self._sum_y - slope * self._sum_x) / period
            value = intercept + slope * float(period - 1)
        self._value = value
        return value

    def _rebuild(self, today: int) -> None:
        period = self._period
        sum_y = sum_xy = sum_abs = 0.0
        weight = float(period - 1)
        for j in range(today - period + 1, today + 1):
            value = self._ring[j % period]
            sum_y += value
            sum_xy += weight * value
            sum_abs += abs(value)
            weight -= 1.0
        self._sum_y, self._sum_xy, self._sum_abs = sum_y, sum_xy, sum_abs


class LINEARREG(_LinearRegression):
    """Least-squares line over ``timeperiod`` bars at the current bar (``LINEARREG``)."""

    __slots__ = ()
    name = "LINEARREG"


class LINEARREG_SLOPE(_LinearRegression):  # noqa: N801 - TA-Lib's name
    """Slope of the least-squares line over ``timeperiod`` bars (``LINEARREG_SLOPE``)."""

    __slots__ = ()
    name = "LINEARREG_SLOPE"
    slope_only = True
