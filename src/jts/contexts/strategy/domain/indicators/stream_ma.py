"""Streaming moving averages; each mirrors its kernel in ``kernels_ma`` operation for operation."""

from __future__ import annotations

from typing import ClassVar

from jts.contexts.strategy.domain.indicators import validation
from jts.contexts.strategy.domain.indicators.kernels_ma import (
    EPSILON,
    KAMA_DIFF,
    KAMA_SLOWEST,
    T3_DEFAULT_VFACTOR,
)
from jts.contexts.strategy.domain.indicators.stream import NAN, SingleSeries
from jts.contexts.strategy.domain.indicators.validation import MAType


class _PeriodMA(SingleSeries):
    """A moving average over ``timeperiod`` bars of one input."""

    __slots__ = ("_count", "_period")
    minimum: ClassVar[int] = 1

    def __init__(self, timeperiod: int, lookback_per_period: int = 1) -> None:
        self._period = validation.period("timeperiod", timeperiod, self.minimum)
        lookback = 0 if self._period == 1 else lookback_per_period * (self._period - 1)
        super().__init__(lookback)
        self._count = 0

    @property
    def params(self) -> dict[str, object]:
        return {"timeperiod": self._period}


class Identity(SingleSeries):
    """``TA_MA`` at period 1: every moving-average type passes its input through."""

    __slots__ = ()
    name = "IDENTITY"

    def __init__(self) -> None:
        super().__init__(0)

    def update(self, real: float) -> float:
        self._value = real
        return real


class SMA(_PeriodMA):
    """Simple moving average (TA-Lib ``SMA``), a running total over a ring of bars."""

    __slots__ = ("_ring", "_total")
    name = "SMA"

    def __init__(self, timeperiod: int = 30) -> None:
        super().__init__(timeperiod)
        self._lookback = self._period - 1
        self._ring = [0.0] * self._period
        self._total = 0.0

    def update(self, real: float) -> float:
        if not self._started:
            if real != real:
                return NAN
            self._started = True
        period = self._period
        slot = self._count % period
        self._ring[slot] = real
        self._count += 1
        if self._count < period:
            self._total += real
            return NAN
        total = self._total + real
        self._total = total - self._ring[self._count % period]
        value = total / period
        self._value = value
        return value


class EMA(_PeriodMA):
    """Exponential moving average (TA-Lib ``EMA``) seeded by the SMA of its first bars."""

    __slots__ = ("_k", "_prev")
    name = "EMA"

    def __init__(self, timeperiod: int = 30) -> None:
        super().__init__(timeperiod)
        self._k = 2.0 / (self._period + 1)
        self._prev = 0.0

    def update(self, real: float) -> float:
        if not self._started:
            if real != real:
                return NAN
            self._started = True
        if self._period == 1:
            self._value = real
            return real
        if self._count >= self._period:
            prev = ((real - self._prev) * self._k) + self._prev
        else:
            self._count += 1
            self._prev += real
            if self._count < self._period:
                return NAN
            prev = self._prev / self._period
        self._prev = prev
        self._value = prev
        return prev


class WMA(_PeriodMA):
    """Weighted moving average (TA-Lib ``WMA``), re-anchored every ``8 * period`` bars."""

    __slots__ = ("_reseed_in", "_ring", "_sub", "_sum", "_trailing")
    name = "WMA"

    def __init__(self, timeperiod: int = 30) -> None:
        super().__init__(timeperiod)
        self._ring = [0.0] * self._period
        self._sub = 0.0
        self._sum = 0.0
        self._trailing = 0.0
        self._reseed_in = 8 * self._period

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
        self._ring[count % period] = real
        self._count = count + 1
        if count < period - 1:
            self._sub += real
            self._sum += real * (count + 1)
            return NAN
        self._sub += real
        self._sub -= self._trailing
        self._sum += real * period
        self._reseed_in -= 1
        if self._reseed_in <= 0:
            self._reanchor()
        self._trailing = self._ring[(count + 1) % period]
        value = self._sum / (float(period) * (period + 1) / 2.0)
        self._sum -= self._sub
        self._value = value
        return value

    def _reanchor(self) -> None:
        period = self._period
        self._reseed_in = 8 * period
        sub = 0.0
        total = 0.0
        for weight in range(1, period + 1):
            value = self._ring[(self._count - 1 - period + weight) % period]
            sub += value
            total += value * weight
        self._sub = sub
        self._sum = total


class DEMA(_PeriodMA):
    """Double EMA (TA-Lib ``DEMA``): ``2*EMA - EMA(EMA)``."""

    __slots__ = ("_e1", "_e2", "_k", "_total")
    name = "DEMA"

    def __init__(self, timeperiod: int = 30) -> None:
        super().__init__(timeperiod, 2)
        self._k = 2.0 / (self._period + 1)
        self._e1 = self._e2 = self._total = 0.0

    def update(self, real: float) -> float:
        if not self._started:
            if real != real:
                return NAN
            self._started = True
        period = self._period
        if period == 1:
            self._value = real
            return real
        k = self._k
        count = self._count
        self._count = count + 1
        if count < period:
            self._total += real
            if count == period - 1:
                self._e1 = self._total / period
                self._total = 0.0
                self._total += self._e1
            return NAN
        e1 = self._e1 = ((real - self._e1) * k) + self._e1
        if count < 2 * period - 2:
            self._total += e1
            return NAN
        if count == 2 * period - 2:
            self._total += e1
            self._e2 = self._total / period
        else:
            self._e2 = ((e1 - self._e2) * k) + self._e2
        value = (2.0 * e1) - self._e2
        self._value = value
        return value


class TEMA(_PeriodMA):
    """Triple EMA (TA-Lib ``TEMA``): ``3*EMA - 3*EMA(EMA) + EMA(EMA(EMA))``."""

    __slots__ = ("_e1", "_e2", "_e3", "_k", "_total")
    name = "TEMA"

    def __init__(self, timeperiod: int = 30) -> None:
        super().__init__(timeperiod, 3)
        self._k = 2.0 / (self._period + 1)
        self._e1 = self._e2 = self._e3 = self._total = 0.0

    def update(self, real: float) -> float:
        if not self._started:
            if real != real:
                return NAN
            self._started = True
        period = self._period
        if period == 1:
            self._value = real
            return real
        k = self._k
        count = self._count
        self._count = count + 1
        if count < period:
            self._total += real
            if count == period - 1:
                self._e1 = self._total / period
                self._total = 0.0
                self._total += self._e1
            return NAN
        e1 = self._e1 = ((real - self._e1) * k) + self._e1
        if count <= 2 * period - 2:
            self._total += e1
            if count == 2 * period - 2:
                self._e2 = self._total / period
                self._total = 0.0
                self._total += self._e2
            return NAN
        e2 = self._e2 = ((e1 - self._e2) * k) + self._e2
        if count < 3 * period - 3:
            self._total += e2
            return NAN
        if count == 3 * period - 3:
            self._total += e2
            self._e3 = self._total / period
        else:
            self._e3 = ((e2 - self._e3) * k) + self._e3
        value = self._e3 + ((3.0 * e1) - (3.0 * e2))
        self._value = value
        return value


class TRIMA(_PeriodMA):
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


class KAMA(_PeriodMA):
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
        if today <= period:
            diff = previous
            diff -= real
            self._sum_roc1 += abs(diff)
            self._flat_run = self._flat_run + 1 if diff == 0.0 else 0
            if today < period:
                return NAN
            if self._flat_run >= period:
                self._sum_roc1 = 0.0
            kama = previous
        else:
            self._sum_roc1 -= abs(self._trailing_value - ring[(today - period) % size])
            step = real - previous
            self._sum_roc1 += abs(step)
            self._flat_run = self._flat_run + 1 if step == 0.0 else 0
            if self._flat_run >= period:
                self._flat_run = period
                self._sum_roc1 = 0.0
            kama = self._kama
        leaving = ring[(today - period) % size]
        self._trailing_value = leaving
        sum_roc1, period_roc = self._sum_roc1, real - leaving
        if sum_roc1 <= period_roc or (-EPSILON < sum_roc1 < EPSILON):
            ratio = 1.0
        else:
            ratio = abs(period_roc / sum_roc1)
        alpha = ratio * KAMA_DIFF + KAMA_SLOWEST
        alpha *= alpha
        kama = (real - kama) * alpha + kama
        self._kama = kama
        self._value = kama
        return kama


class T3(_PeriodMA):
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


_MA_CLASSES: dict[int, type[_PeriodMA]] = {
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
