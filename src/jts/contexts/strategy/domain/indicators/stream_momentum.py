"""Streaming MOM, ROC, ROCP, ROCR, RSI, CMO and TRIX, mirroring ``kernels_momentum``."""

from __future__ import annotations

from typing import ClassVar

from jts.contexts.strategy.domain.indicators import kernels_momentum as km
from jts.contexts.strategy.domain.indicators import validation
from jts.contexts.strategy.domain.indicators.stream import NAN, SingleSeries


def fused_coefficients(period: int) -> tuple[float, float]:
    """``(k, 1-k)`` formed as TA-Lib's fused EMA paths form them (they sum to exactly 1)."""
    beta = float(period - 1) / float(period + 1)
    k = 1.0 - beta
    return k, 1.0 - k


class _Change(SingleSeries):
    __slots__ = ("_count", "_period", "_ring")
    kind: ClassVar[int] = km.MOM

    def __init__(self, timeperiod: int = 10) -> None:
        self._period = validation.period("timeperiod", timeperiod, 1)
        super().__init__(self._period)
        self._ring = [0.0] * self._period
        self._count = 0

    @property
    def params(self) -> dict[str, object]:
        return {"timeperiod": self._period}

    def update(self, real: float) -> float:
        if not self._started:
            if real != real:
                return NAN
            self._started = True
        slot = self._count % self._period
        then = self._ring[slot]
        self._ring[slot] = real
        self._count += 1
        if self._count <= self._period:
            return NAN
        kind = self.kind
        if kind == km.MOM:
            value = real - then
        elif then != 0.0:
            if kind == km.ROC:
                value = ((real / then) - 1.0) * 100.0
            elif kind == km.ROCP:
                value = (real - then) / then
            else:
                value = real / then
        else:
            value = 0.0
        self._value = value
        return value


class MOM(_Change):
    """Momentum: ``real - real[timeperiod bars ago]`` (TA-Lib ``MOM``)."""

    __slots__ = ()
    name = "MOM"
    kind = km.MOM


class ROC(_Change):
    """Rate of change in percent (TA-Lib ``ROC``)."""

    __slots__ = ()
    name = "ROC"
    kind = km.ROC


class ROCP(_Change):
    """Rate of change as a fraction (TA-Lib ``ROCP``)."""

    __slots__ = ()
    name = "ROCP"
    kind = km.ROCP


class ROCR(_Change):
    """Rate of change as a ratio (TA-Lib ``ROCR``)."""

    __slots__ = ()
    name = "ROCR"
    kind = km.ROCR


class _Wilder(SingleSeries):
    """Shared state of RSI and CMO: Wilder-smoothed average gain and loss."""

    __slots__ = ("_count", "_gain", "_loss", "_period", "_prev")

    def __init__(self, timeperiod: int = 14) -> None:
        self._period = validation.period("timeperiod", timeperiod, 2)
        super().__init__(self._period)
        self._count = 0
        self._gain = self._loss = self._prev = 0.0

    @property
    def params(self) -> dict[str, object]:
        return {"timeperiod": self._period}


class RSI(_Wilder):
    """Wilder's relative strength index, 0..100 (TA-Lib ``RSI``)."""

    __slots__ = ()
    name = "RSI"

    def update(self, real: float) -> float:
        if not self._started:
            if real != real:
                return NAN
            self._started = True
        count = self._count
        self._count = count + 1
        period = self._period
        if count == 0:
            self._prev = real
            return NAN
        diff = real - self._prev
        self._prev = real
        up = diff if diff > 0.0 else 0.0
        if count < period:
            self._gain += up
            self._loss += up - diff
            return NAN
        gain, loss = self._gain, self._loss
        if count > period:
            loss *= period - 1
            gain *= period - 1
        gain += up
        loss += up - diff
        inv_period = 1.0 / period
        loss *= inv_period
        gain *= inv_period
        self._gain, self._loss = gain, loss
        total = gain + loss
        value = 100.0 * (gain / total) if total > 0.0 else 0.0
        self._value = value
        return value


class CMO(_Wilder):
    """Chande momentum oscillator, -100..100 (TA-Lib ``CMO``)."""

    __slots__ = ()
    name = "CMO"

    def update(self, real: float) -> float:
        if not self._started:
            if real != real:
                return NAN
            self._started = True
        count = self._count
        self._count = count + 1
        period = self._period
        if count == 0:
            self._prev = real
            return NAN
        diff = real - self._prev
        self._prev = real
        gain, loss = self._gain, self._loss
        if count > period:
            loss *= period - 1
            gain *= period - 1
        if diff < 0:
            loss -= diff
        else:
            gain += diff
        if count < period:
            self._gain, self._loss = gain, loss
            return NAN
        loss /= period
        gain /= period
        self._gain, self._loss = gain, loss
        total = gain + loss
        value = 100.0 * ((gain - loss) / total) if total > 0.0 else 0.0
        self._value = value
        return value


class TRIX(SingleSeries):
    """One-bar percent rate of change of a triple EMA (TA-Lib ``TRIX``)."""

    __slots__ = ("_beta", "_count", "_e1", "_e2", "_e3", "_k", "_period", "_total")
    name = "TRIX"

    def __init__(self, timeperiod: int = 30) -> None:
        self._period = validation.period("timeperiod", timeperiod, 1)
        super().__init__(3 * (self._period - 1) + 1)
        self._k, self._beta = fused_coefficients(self._period)
        self._count = 0
        self._e1 = self._e2 = self._e3 = self._total = 0.0

    @property
    def params(self) -> dict[str, object]:
        return {"timeperiod": self._period}

    def update(self, real: float) -> float:
        if not self._started:
            if real != real:
                return NAN
            self._started = True
        period, count, k, beta = self._period, self._count, self._k, self._beta
        self._count = count + 1
        if count < period:
            self._total += real
            if count == period - 1:
                self._seed_from_sma()
            return NAN
        e1 = self._e1 = k * real + beta * self._e1
        if count < 2 * period - 1:
            self._total += e1
            if count == 2 * period - 2:
                self._seed_e2()
            return NAN
        e2 = self._e2 = k * e1 + beta * self._e2
        if count < 3 * period - 2:
            self._total += e2
            if count == 3 * period - 3:
                self._e3 = self._total / period
            return NAN
        previous = self._e3
        e3 = self._e3 = k * e2 + beta * previous
        value = ((e3 / previous) - 1.0) * 100.0 if previous != 0.0 else 0.0
        self._value = value
        return value

    def _seed_from_sma(self) -> None:
        self._e1 = self._total / self._period
        self._total = 0.0
        self._total += self._e1
        if self._period == 1:
            self._seed_e2()

    def _seed_e2(self) -> None:
        self._e2 = self._total / self._period
        self._total = 0.0
        self._total += self._e2
        if self._period == 1:
            self._e3 = self._total / self._period
