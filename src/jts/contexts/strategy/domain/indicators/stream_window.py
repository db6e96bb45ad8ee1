"""Streaming window extremes and sums: MAX, MIN, MIDPOINT, MIDPRICE, WILLR, SUM.

:class:`BlockExtremes` replays the batch kernel's van Herk / Gil-Werman block scan one bar at
a time: when a block of ``period`` bars completes, its suffix extremes are computed once
(``period`` comparisons, i.e. O(1) amortized per bar); bars of the next block keep a running
prefix extreme and combine it with the stored suffix. The result, including how ties and NaN
resolve, is the batch kernel's.
"""

from __future__ import annotations

from jts.contexts.strategy.domain.indicators import validation
from jts.contexts.strategy.domain.indicators.stream import (
    NAN,
    SingleSeries,
    StreamingIndicator,
    nested,
)


class BlockExtremes(StreamingIndicator):
    """Highest of one series and lowest of another over the last ``period`` bars."""

    __slots__ = ("_bottom", "_count", "_highs", "_lows", "_period", "_suffix_high",
                 "_suffix_low", "_top")  # fmt: skip
    name = "BLOCK_EXTREMES"
    outputs = ("highest", "lowest")

    def __init__(self, timeperiod: int) -> None:
        self._period = timeperiod
        super().__init__(timeperiod - 1)
        self._highs = [0.0] * timeperiod
        self._lows = [0.0] * timeperiod
        self._suffix_high = [0.0] * timeperiod
        self._suffix_low = [0.0] * timeperiod
        self._top = self._bottom = 0.0
        self._count = 0

    @property
    def params(self) -> dict[str, object]:
        return {"timeperiod": self._period}

    def update(self, high: float, low: float) -> tuple[float, float]:
        period = self._period
        position = self._count % period
        self._count += 1
        self._highs[position] = high
        self._lows[position] = low
        if position == period - 1:
            self._close_block()
            value = (self._suffix_high[0], self._suffix_low[0])
        elif self._count <= period:
            return (NAN, NAN)
        else:
            value = self._combine(position, high, low)
        self._value = value
        return value

    def _close_block(self) -> None:
        top = self._highs[-1]
        bottom = self._lows[-1]
        self._suffix_high[-1] = top
        self._suffix_low[-1] = bottom
        for i in range(self._period - 2, -1, -1):
            if self._highs[i] > top:
                top = self._highs[i]
            if self._lows[i] < bottom:
                bottom = self._lows[i]
            self._suffix_high[i] = top
            self._suffix_low[i] = bottom

    def _combine(self, position: int, high: float, low: float) -> tuple[float, float]:
        if position == 0:
            self._top, self._bottom = high, low
        else:
            if high > self._top:
                self._top = high
            if low < self._bottom:
                self._bottom = low
        best = self._suffix_high[position + 1]
        if self._top > best:
            best = self._top
        worst = self._suffix_low[position + 1]
        if self._bottom < worst:
            worst = self._bottom
        return best, worst


class _WindowIndicator(StreamingIndicator):
    __slots__ = ("_extremes", "_period")

    def __init__(self, timeperiod: int) -> None:
        self._period = validation.period("timeperiod", timeperiod, 2)
        super().__init__(self._period - 1)
        self._extremes = nested(BlockExtremes(self._period))

    @property
    def params(self) -> dict[str, object]:
        return {"timeperiod": self._period}


class MAX(_WindowIndicator, SingleSeries):
    """Highest value over ``timeperiod`` bars (TA-Lib ``MAX``)."""

    __slots__ = ()
    name = "MAX"

    def __init__(self, timeperiod: int = 30) -> None:
        super().__init__(timeperiod)

    def update(self, real: float) -> float:
        if not self._started:
            if real != real:
                return NAN
            self._started = True
        value = self._extremes.update(real, real)[0]
        self._value = value
        return value


class MIN(_WindowIndicator, SingleSeries):
    """Lowest value over ``timeperiod`` bars (TA-Lib ``MIN``)."""

    __slots__ = ()
    name = "MIN"

    def __init__(self, timeperiod: int = 30) -> None:
        super().__init__(timeperiod)

    def update(self, real: float) -> float:
        if not self._started:
            if real != real:
                return NAN
            self._started = True
        value = self._extremes.update(real, real)[1]
        self._value = value
        return value


class MIDPOINT(_WindowIndicator, SingleSeries):
    """Mean of the highest and lowest value over ``timeperiod`` bars (TA-Lib ``MIDPOINT``)."""

    __slots__ = ()
    name = "MIDPOINT"

    def __init__(self, timeperiod: int = 14) -> None:
        super().__init__(timeperiod)

    def update(self, real: float) -> float:
        if not self._started:
            if real != real:
                return NAN
            self._started = True
        top, bottom = self._extremes.update(real, real)
        value = (top + bottom) / 2.0
        self._value = value
        return value


class MIDPRICE(_WindowIndicator):
    """Mean of the highest high and lowest low over ``timeperiod`` bars (``MIDPRICE``)."""

    __slots__ = ()
    name = "MIDPRICE"

    def __init__(self, timeperiod: int = 14) -> None:
        super().__init__(timeperiod)

    def update(self, high: float, low: float) -> float:
        if not self._started:
            if high != high or low != low:
                return NAN
            self._started = True
        top, bottom = self._extremes.update(high, low)
        value = (top + bottom) / 2.0
        self._value = value
        return value


class WILLR(_WindowIndicator):
    """Williams %R over ``timeperiod`` bars, clamped to -100..0 (TA-Lib ``WILLR``)."""

    __slots__ = ()
    name = "WILLR"

    def __init__(self, timeperiod: int = 14) -> None:
        super().__init__(timeperiod)

    def update(self, high: float, low: float, close: float) -> float:
        if not self._started:
            if high != high or low != low or close != close:
                return NAN
            self._started = True
        top, bottom = self._extremes.update(high, low)
        diff = (top - bottom) / (-100.0)
        value = (top - close) / diff if diff != 0.0 else 0.0
        if value > 0.0:
            value = 0.0
        elif value < -100.0:
            value = -100.0
        self._value = value
        return value


class SUM(SingleSeries):
    """Sum over ``timeperiod`` bars by a running total (TA-Lib ``SUM``)."""

    __slots__ = ("_count", "_period", "_ring", "_total")
    name = "SUM"

    def __init__(self, timeperiod: int = 30) -> None:
        self._period = validation.period("timeperiod", timeperiod, 2)
        super().__init__(self._period - 1)
        self._ring = [0.0] * self._period
        self._count = 0
        self._total = 0.0

    @property
    def params(self) -> dict[str, object]:
        return {"timeperiod": self._period}

    def update(self, real: float) -> float:
        if not self._started:
            if real != real:
                return NAN
            self._started = True
        period = self._period
        self._ring[self._count % period] = real
        self._count += 1
        if self._count < period:
            self._total += real
            return NAN
        value = self._total + real
        self._total = value - self._ring[self._count % period]
        self._value = value
        return value
