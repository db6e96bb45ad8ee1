"""Streaming parabolic SAR, mirroring ``kernels_sar`` step for step."""

from __future__ import annotations

from jts.contexts.strategy.domain.indicators import validation
from jts.contexts.strategy.domain.indicators.stream import NAN, StreamingIndicator


def _raise(value: float, first: float, second: float) -> float:
    if value < first:
        value = first
    if value < second:
        value = second
    return value


def _lower(value: float, first: float, second: float) -> float:
    if value > first:
        value = first
    if value > second:
        value = second
    return value


class SAR(StreamingIndicator):
    """Parabolic stop-and-reverse (TA-Lib ``SAR``)."""

    __slots__ = ("_acceleration", "_af", "_count", "_ep", "_long", "_maximum", "_params",
                 "_prev_high", "_prev_low", "_sar")  # fmt: skip
    name = "SAR"

    def __init__(self, acceleration: float = 0.02, maximum: float = 0.2) -> None:
        step = validation.real("acceleration", acceleration, 0.0)
        limit = validation.real("maximum", maximum, 0.0)
        self._params = {"acceleration": step, "maximum": limit}
        super().__init__(1)
        self._acceleration = limit if step > limit else step
        self._maximum = limit
        self._count = 0
        self._long = True
        self._sar = self._ep = self._af = self._prev_high = self._prev_low = 0.0

    @property
    def params(self) -> dict[str, object]:
        return dict(self._params)

    def update(self, high: float, low: float) -> float:
        if not self._started:
            if high != high or low != low:
                return NAN
            self._started = True
        count = self._count
        self._count = count + 1
        if count == 0:
            self._prev_high, self._prev_low = high, low
            return NAN
        if count == 1:
            self._seed(high, low)
        value = self._step(high, low)
        self._value = value
        return value

    def _seed(self, high: float, low: float) -> None:
        diff_plus = high - self._prev_high
        diff_minus = self._prev_low - low
        self._long = not (diff_minus > 0 and diff_plus < diff_minus)
        self._sar = self._prev_low if self._long else self._prev_high
        self._ep = high if self._long else low
        self._af = self._acceleration
        self._prev_high, self._prev_low = high, low

    def _step(self, high: float, low: float) -> float:
        prev_high, prev_low = self._prev_high, self._prev_low
        sar, ep, af = self._sar, self._ep, self._af
        step, limit = self._acceleration, self._maximum
        if self._long:
            if low <= sar:
                self._long = False
                emitted = sar = _raise(ep, prev_high, high)
                af, ep = step, low
                sar = _raise(sar + af * (ep - sar), prev_high, high)
            else:
                emitted = sar
                if high > ep:
                    ep = high
                    af += step
                    if af > limit:
                        af = limit
                sar = _lower(sar + af * (ep - sar), prev_low, low)
        elif high >= sar:
            self._long = True
            emitted = sar = _lower(ep, prev_low, low)
            af, ep = step, high
            sar = _lower(sar + af * (ep - sar), prev_low, low)
        else:
            emitted = sar
            if low < ep:
                ep = low
                af += step
                if af > limit:
                    af = limit
            sar = _raise(sar + af * (ep - sar), prev_high, high)
        self._sar, self._ep, self._af = sar, ep, af
        self._prev_high, self._prev_low = high, low
        return emitted
