"""Streaming TRIMA, KAMA and T3, the ``MA`` switch and the ``matype`` factory."""

from __future__ import annotations

from jts.contexts.strategy.domain.indicators import validation
from jts.contexts.strategy.domain.indicators.kernels_ma import (
    EPSILON,
    KAMA_DIFF,
    KAMA_SLOWEST,
    T3_DEFAULT_VFACTOR,
)
from jts.contexts.strategy.domain.indicators.stream import NAN, SingleSeries, fma, nested
from jts.contexts.strategy.domain.indicators.stream_ma import (
    DEMA,
    EMA,
    SMA,
    TEMA,
    WMA,
    Identity,
    PeriodAverage,
)
from jts.contexts.strategy.domain.indicators.validation import MAType


class TRIMA(PeriodAverage):
    """Triangular MA (TA-Lib ``TRIMA``) kept by TA-Lib's three running sums."""

    __slots__ = ("_add", "_leaving", "_numerator", "_ring", "_sub")
    name = "TRIMA"

    def __init__(self, timeperiod: int = 30) -> None:
        super().__init__(timeperiod)
        self._lookback = self._period - 1
        self._ring = [0.0] * self._period
        self._numerator = self._sub = self._add = self._leaving = 0.0

    def update(self, real: float) -> float:
        if not self._started:
            if real != real:
                return NAN
            self._started = True
        period = self._period
        today = self._count
        self._ring[today % period] = real
        self._count = today + 1
        if today < period - 1:
            return NAN
        if today == period - 1:
            self._prime()
        else:
            self._slide(today)
        self._leaving = self._ring[(today + 1) % period]
        value = self._numerator * self._factor()
        self._value = value
        return value

    def _factor(self) -> float:
        half = self._period >> 1
        return 1.0 / ((half + 1) * (half + 1)) if self._period % 2 else 1.0 / (half * (half + 1))

    def _prime(self) -> None:
        period, ring = self._period, self._ring
        half = period >> 1
        middle = half if period % 2 else half - 1
        numerator = sub = add = 0.0
        for i in range(middle, -1, -1):
            sub += ring[i]
            numerator += sub
        for i in range(middle + 1, period):
            add += ring[i]
            numerator += add
        self._numerator, self._sub, self._add = numerator, sub, add

    def _slide(self, today: int) -> None:
        period, ring = self._period, self._ring
        numerator = self._numerator - self._sub
        sub = self._sub - self._leaving
        value = ring[(today - (period >> 1)) % period]
        sub += value
        if period % 2:
            numerator += self._add
            add = self._add - value
        else:
            add = self._add - value
            numerator += add
        value = ring[today % period]
        add += value
        numerator += value
        self._numerator, self._sub, self._add = numerator, sub, add


class KAMA(PeriodAverage):
    """Kaufman adaptive moving average (TA-Lib ``KAMA``)."""

    __slots__ = ("_flat_run", "_kama", "_ring", "_sum_roc1", "_trailing_value")
    name = "KAMA"

    def __init__(self, timeperiod: int = 30) -> None:
        super().__init__(timeperiod)
        self._lookback = 0 if self._period == 1 else self._period
        self._ring = [0.0] * (self._period + 1)
        self._sum_roc1 = self._kama = self._trailing_value = 0.0
        self._flat_run = 0

    def update(self, real: float) -> float:
        if not self._started:
            if real != real:
                return NAN
            self._started = True
        period = self._period
        if period == 1:
            self._value = real
            return real
        size = period + 1
        today = self._count
        ring = self._ring
        ring[today % size] = real
        self._count = today + 1
        if today == 0:
            return NAN
        previous = ring[(today - 1) % size]
        leaving = ring[(today - period) % size]
        if today <= period:
            if not self._prime(previous, real, today):
                return NAN
            kama = previous
        else:
            self._slide(previous, real, leaving)
            kama = self._kama
        self._trailing_value = leaving
        sum_roc1, period_roc = self._sum_roc1, real - leaving
        ratio = abs(period_roc / sum_roc1) if sum_roc1 != 0.0 else 0.0
        if sum_roc1 <= period_roc or (-EPSILON < sum_roc1 < EPSILON):
            ratio = 1.0
        alpha = fma(ratio, KAMA_DIFF, KAMA_SLOWEST)
        kama = fma(real - kama, alpha * alpha, kama)
        self._kama = kama
        self._value = kama
        return kama

    def _prime(self, previous: float, real: float, today: int) -> bool:
        """Add one change to the first window; True once the window is complete."""
        diff = previous
        diff -= real
        self._sum_roc1 += abs(diff)
        self._flat_run = self._flat_run + 1 if diff == 0.0 else 0
        if today < self._period:
            return False
        if self._flat_run >= self._period:
            self._sum_roc1 = 0.0
        return True

    def _slide(self, previous: float, real: float, leaving: float) -> None:
        """Move the volatility window one bar, resetting it after a flat stretch."""
        step = real - previous
        self._sum_roc1 = (self._sum_roc1 - abs(self._trailing_value - leaving)) + abs(step)
        self._flat_run = self._flat_run + 1 if step == 0.0 else 0
        if self._flat_run >= self._period:
            self._flat_run = self._period
            self._sum_roc1 = 0.0


class T3(PeriodAverage):
    """Tillson's T3 (TA-Lib ``T3``): six chained EMAs, vFactor-weighted."""

    __slots__ = ("_coefficients", "_e", "_k", "_total", "_vfactor")
    name = "T3"

    def __init__(self, timeperiod: int = 5, vfactor: float = T3_DEFAULT_VFACTOR) -> None:
        super().__init__(timeperiod, 6)
        self._vfactor = validation.real("vfactor", vfactor, 0.0, 1.0)
        self._k = 2.0 / (self._period + 1.0)
        self._e = [0.0] * 6
        self._total = 0.0
        v = self._vfactor
        v2 = v * v
        c1 = 0 - v2 * v
        c2 = 3.0 * (v2 - c1)
        c3 = (0 - 6.0) * v2 - 3.0 * (v - c1)
        c4 = 1.0 + 3.0 * v - c1 + 3.0 * v2
        self._coefficients = (c1, c2, c3, c4)

    @property
    def params(self) -> dict[str, object]:
        return {"timeperiod": self._period, "vfactor": self._vfactor}

    def update(self, real: float) -> float:
        if not self._started:
            if real != real:
                return NAN
            self._started = True
        period = self._period
        if period == 1:
            self._value = real
            return real
        count = self._count
        self._count = count + 1
        e = self._e
        if count < period:
            self._total = real if count == 0 else self._total + real
            if count == period - 1:
                e[0] = self._total / period
                self._total = e[0]
            return NAN
        stage = min((count - period) // (period - 1) + 1, 6)
        k, one_minus_k = self._k, 1.0 - self._k
        e[0] = k * real + one_minus_k * e[0]
        for j in range(1, stage):
            e[j] = k * e[j - 1] + one_minus_k * e[j]
        if stage < 6:
            self._total += e[stage - 1]
            if (count - period) % (period - 1) == period - 2:
                e[stage] = self._total / period
                self._total = e[stage]
                if stage == 5:
                    return self._emit()
            return NAN
        return self._emit()

    def _emit(self) -> float:
        c1, c2, c3, c4 = self._coefficients
        e = self._e
        value = c1 * e[5] + c2 * e[4] + c3 * e[3] + c4 * e[2]
        self._value = value
        return value


class MA(SingleSeries):
    """Moving average of type ``matype`` (TA-Lib ``MA``); period 1 passes the input through."""

    __slots__ = ("_average", "_matype", "_period")
    name = "MA"

    def __init__(self, timeperiod: int = 30, matype: int = 0) -> None:
        self._matype = validation.ma_type("matype", matype)
        self._period = validation.period("timeperiod", timeperiod, 1)
        self._average = nested(moving_average(self._period, self._matype))
        super().__init__(self._average.warmup)

    @property
    def params(self) -> dict[str, object]:
        return {"timeperiod": self._period, "matype": self._matype}

    def update(self, real: float) -> float:
        if not self._started:
            if real != real:
                return NAN
            self._started = True
        value = self._average.update(real)
        self._value = value
        return value


_MA_CLASSES: dict[int, type[PeriodAverage]] = {
    MAType.SMA: SMA,
    MAType.EMA: EMA,
    MAType.WMA: WMA,
    MAType.DEMA: DEMA,
    MAType.TEMA: TEMA,
    MAType.TRIMA: TRIMA,
    MAType.KAMA: KAMA,
    MAType.T3: T3,
}


def moving_average(timeperiod: int, matype: int) -> SingleSeries:
    """The streaming form of ``TA_MA(timeperiod, matype)``; period 1 passes input through."""
    if timeperiod == 1:
        return Identity()
    return _MA_CLASSES[matype](timeperiod)
