"""Streaming SMA, EMA, WMA, DEMA and TEMA; each mirrors its ``kernels_ma`` kernel exactly."""

from __future__ import annotations

from typing import ClassVar

from jts.contexts.strategy.domain.indicators import validation
from jts.contexts.strategy.domain.indicators.stream import NAN, SingleSeries


class PeriodAverage(SingleSeries):
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


class SMA(PeriodAverage):
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


class EMA(PeriodAverage):
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


class WMA(PeriodAverage):
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


class DEMA(PeriodAverage):
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


class TEMA(PeriodAverage):
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
