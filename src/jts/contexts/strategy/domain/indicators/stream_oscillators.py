"""Streaming CCI, MFI, ULTOSC and BOP, mirroring ``kernels_oscillators``."""

from __future__ import annotations

from jts.contexts.strategy.domain.indicators import lookback, validation
from jts.contexts.strategy.domain.indicators.kernels_ma import EPSILON
from jts.contexts.strategy.domain.indicators.stream import NAN, StreamingIndicator


def _incomplete(*values: float) -> bool:
    return any(value != value for value in values)


class CCI(StreamingIndicator):
    """Commodity channel index (TA-Lib ``CCI``).

    The mean absolute deviation has no running form, so each bar sums the window (O(period)),
    in the same ring-slot order as TA-Lib.
    """

    __slots__ = ("_count", "_period", "_ring")
    name = "CCI"

    def __init__(self, timeperiod: int = 14) -> None:
        self._period = validation.period("timeperiod", timeperiod, 2)
        super().__init__(self._period - 1)
        self._ring = [0.0] * self._period
        self._count = 0

    @property
    def params(self) -> dict[str, object]:
        return {"timeperiod": self._period}

    def update(self, high: float, low: float, close: float) -> float:
        if not self._started:
            if _incomplete(high, low, close):
                return NAN
            self._started = True
        period = self._period
        last = (high + low + close) / 3
        self._ring[self._count % period] = last
        self._count += 1
        if self._count < period:
            return NAN
        average = 0.0
        for typical in self._ring:
            average += typical
        average /= period
        deviation = 0.0
        for typical in self._ring:
            deviation += abs(typical - average)
        offset = last - average
        if abs(offset) <= EPSILON * (abs(last) + abs(average)):
            value = 0.0
        else:
            value = offset / (0.015 * (deviation / period))
        self._value = value
        return value


class MFI(StreamingIndicator):
    """Money flow index (TA-Lib ``MFI``)."""

    __slots__ = ("_count", "_negative", "_negatives", "_null_run", "_period", "_positive",
                 "_positives", "_previous")  # fmt: skip
    name = "MFI"

    def __init__(self, timeperiod: int = 14) -> None:
        self._period = validation.period("timeperiod", timeperiod, 2)
        super().__init__(self._period)
        self._positives = [0.0] * self._period
        self._negatives = [0.0] * self._period
        self._positive = self._negative = self._previous = 0.0
        self._null_run = 0
        self._count = 0

    @property
    def params(self) -> dict[str, object]:
        return {"timeperiod": self._period}

    def update(self, high: float, low: float, close: float, volume: float) -> float:
        if not self._started:
            if _incomplete(high, low, close, volume):
                return NAN
            self._started = True
        today = self._count
        self._count = today + 1
        typical = (high + low + close) / 3.0
        if today == 0:
            self._previous = typical
            return NAN
        period = self._period
        slot = (today - 1) % period
        if today > period:
            self._positive -= self._positives[slot]
            self._negative -= self._negatives[slot]
        change = typical - self._previous
        flat = abs(change) <= EPSILON * (abs(typical) + abs(self._previous))
        flow = 0.0 if flat else typical * volume
        up, down = (0.0, flow) if change < 0.0 else (flow, 0.0)
        self._previous = typical
        self._positives[slot], self._negatives[slot] = up, down
        self._positive += up
        self._negative += down
        self._null_run = self._null_run + 1 if flow == 0.0 else 0
        if self._null_run >= period:
            self._null_run = period
            self._positive = self._negative = 0.0
        if today < period:
            return NAN
        value = _money_flow_ratio(self._positive, self._negative)
        self._value = value
        return value


def _money_flow_ratio(positive: float, negative: float) -> float:
    total = positive + negative
    if total <= 0.0:
        return 0.0
    clamped = 0.0 if positive < 0.0 else (total if positive > total else positive)
    return 100.0 * (clamped / total)


class ULTOSC(StreamingIndicator):
    """Ultimate oscillator (TA-Lib ``ULTOSC``)."""

    __slots__ = ("_count", "_params", "_pressure", "_prev_close", "_ranges", "_sums", "_windows")
    name = "ULTOSC"

    def __init__(self, timeperiod1: int = 7, timeperiod2: int = 14, timeperiod3: int = 28) -> None:
        p1 = validation.period("timeperiod1", timeperiod1, 1)
        p2 = validation.period("timeperiod2", timeperiod2, 1)
        p3 = validation.period("timeperiod3", timeperiod3, 1)
        self._params = {"timeperiod1": p1, "timeperiod2": p2, "timeperiod3": p3}
        super().__init__(lookback.ultosc_lookback(p1, p2, p3))
        self._windows = tuple(sorted((p1, p2, p3)))
        self._pressure = [0.0] * self._windows[2]
        self._ranges = [0.0] * self._windows[2]
        self._sums = [0.0] * 6
        self._prev_close = 0.0
        self._count = 0

    @property
    def params(self) -> dict[str, object]:
        return dict(self._params)

    def update(self, high: float, low: float, close: float) -> float:
        if not self._started:
            if _incomplete(high, low, close):
                return NAN
            self._started = True
        today = self._count
        self._count = today + 1
        previous, self._prev_close = self._prev_close, close
        if today == 0:
            return NAN
        longest = self._windows[2]
        pressure, greatest = _ultosc_terms(high, low, close, previous)
        self._pressure[today % longest] = pressure
        self._ranges[today % longest] = greatest
        sums = self._sums
        for w, window in enumerate(self._windows):
            if today > longest - window:
                sums[2 * w] += pressure
                sums[2 * w + 1] += greatest
        if today < longest:
            return NAN
        value = _ultosc_combine(sums)
        for w, window in enumerate(self._windows):
            leaving = (today - window + 1) % longest
            sums[2 * w] -= self._pressure[leaving]
            sums[2 * w + 1] -= self._ranges[leaving]
        self._value = value
        return value


def _ultosc_terms(high: float, low: float, close: float, previous: float) -> tuple[float, float]:
    true_low = low if low < previous else previous
    greatest = high - low
    candidate = abs(previous - high)
    if candidate > greatest:
        greatest = candidate
    candidate = abs(previous - low)
    if candidate > greatest:
        greatest = candidate
    return close - true_low, greatest


def _ultosc_combine(sums: list[float]) -> float:
    output = 0.0
    if sums[1] > 0.0:
        output += 4.0 * (sums[0] / sums[1])
    if sums[3] > 0.0:
        output += 2.0 * (sums[2] / sums[3])
    if sums[5] > 0.0:
        output += sums[4] / sums[5]
    return 100.0 * (output / 7.0)


class BOP(StreamingIndicator):
    """Balance of power (TA-Lib ``BOP``)."""

    __slots__ = ()
    name = "BOP"

    def __init__(self) -> None:
        super().__init__(0)

    def update(self, open: float, high: float, low: float, close: float) -> float:
        if not self._started:
            if _incomplete(open, high, low, close):
                return NAN
            self._started = True
        spread = high - low
        value = 0.0 if spread <= 0.0 else (close - open) / spread
        self._value = value
        return value
