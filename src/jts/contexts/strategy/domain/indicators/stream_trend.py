"""Streaming TRANGE, ATR, NATR, PLUS_DI, MINUS_DI, DX, ADX, ADXR, mirroring ``kernels_trend``."""

from __future__ import annotations

from jts.contexts.strategy.domain.indicators import validation
from jts.contexts.strategy.domain.indicators.kernels_ma import EPSILON
from jts.contexts.strategy.domain.indicators.stream import NAN, StreamingIndicator, fma, nested


def true_range(high: float, low: float, prev_close: float) -> float:
    """The largest of high-low, |high - previous close| and |low - previous close|."""
    greatest = high - low
    candidate = abs(prev_close - high)
    if candidate > greatest:
        greatest = candidate
    candidate = abs(prev_close - low)
    if candidate > greatest:
        greatest = candidate
    return greatest


class _Bars(StreamingIndicator):
    """Bookkeeping shared by the indicators that compare a bar with the one before."""

    __slots__ = ("_count", "_period", "_prev_close", "_prev_high", "_prev_low")

    def __init__(self, timeperiod: int, minimum: int, lookback: int) -> None:
        self._period = validation.period("timeperiod", timeperiod, minimum)
        super().__init__(lookback if lookback >= 0 else self._period)
        self._count = 0
        self._prev_high = self._prev_low = self._prev_close = 0.0

    @property
    def params(self) -> dict[str, object]:
        return {"timeperiod": self._period}

    def _first(self, high: float, low: float, close: float) -> bool:
        """Skip incomplete leading bars; remember the very first complete one."""
        if not self._started:
            if high != high or low != low or close != close:
                return True
            self._started = True
        if self._count == 0:
            self._count = 1
            self._prev_high, self._prev_low, self._prev_close = high, low, close
            return True
        return False


class TRANGE(_Bars):
    """True range (TA-Lib ``TRANGE``)."""

    __slots__ = ()
    name = "TRANGE"

    def __init__(self) -> None:
        super().__init__(1, 1, 1)

    @property
    def params(self) -> dict[str, object]:
        return {}

    def update(self, high: float, low: float, close: float) -> float:
        if self._first(high, low, close):
            return NAN
        value = true_range(high, low, self._prev_close)
        self._prev_close = close
        self._value = value
        return value


class ATR(_Bars):
    """Average true range, Wilder-smoothed (TA-Lib ``ATR``)."""

    __slots__ = ("_alpha", "_atr", "_beta", "_total")
    name = "ATR"
    normalized = False

    def __init__(self, timeperiod: int = 14) -> None:
        super().__init__(timeperiod, 1, -1)
        self._beta = float(self._period - 1) / float(self._period)
        self._alpha = 1.0 - self._beta
        self._total = self._atr = 0.0

    def update(self, high: float, low: float, close: float) -> float:
        if self._first(high, low, close):
            return NAN
        today = self._count
        self._count = today + 1
        greatest = true_range(high, low, self._prev_close)
        self._prev_close = close
        period = self._period
        if today < period:
            self._total += greatest
            return NAN
        if today == period:
            self._total += greatest
            self._atr = self._total / period
        else:
            self._atr = fma(self._beta, self._atr, self._alpha * greatest)
        value = self._atr
        if self.normalized and period > 1:
            value = (value / close) * 100.0 if close != 0.0 else 0.0
        self._value = value
        return value


class NATR(ATR):
    """ATR as a percent of the close (TA-Lib ``NATR``)."""

    __slots__ = ()
    name = "NATR"
    normalized = True


class _DirectionalIndex(_Bars):
    __slots__ = ("_inv_period", "_movement", "_ranges")
    plus = True

    def __init__(self, timeperiod: int = 14) -> None:
        super().__init__(timeperiod, 1, -1)
        self._inv_period = 1.0 / self._period
        self._movement = self._ranges = 0.0

    def update(self, high: float, low: float, close: float) -> float:
        if self._first(high, low, close):
            return NAN
        today = self._count
        self._count = today + 1
        diff_plus = high - self._prev_high
        diff_minus = self._prev_low - low
        greatest = true_range(high, low, self._prev_close)
        self._prev_high, self._prev_low, self._prev_close = high, low, close
        if self._period == 1:
            value = self._single_bar(diff_plus, diff_minus, greatest)
        else:
            if self.plus:
                leg = diff_plus if diff_plus - diff_minus > 0.0 else 0.0
            else:
                leg = diff_minus if diff_minus - diff_plus > 0.0 else 0.0
            if today < self._period:
                grown = self._movement + leg
                self._movement = self._movement if self._movement > grown else grown
                self._ranges += greatest
                return NAN
            value = self._smooth(leg, greatest)
        self._value = value
        return value

    def _smooth(self, leg: float, greatest: float) -> float:
        decayed = self._movement - (self._movement * self._inv_period)
        movement = decayed + leg
        self._movement = decayed if decayed > movement else movement
        self._ranges = self._ranges - (self._ranges * self._inv_period) + greatest
        return 100.0 * (self._movement / self._ranges) if self._ranges > 0.0 else 0.0

    def _single_bar(self, diff_plus: float, diff_minus: float, greatest: float) -> float:
        if self.plus:
            moved, leg = diff_plus > 0 and diff_plus > diff_minus, diff_plus
        else:
            moved, leg = diff_minus > 0 and diff_plus < diff_minus, diff_minus
        if not moved:
            return 0.0
        return 0.0 if greatest <= 0.0 else leg / greatest


class PLUS_DI(_DirectionalIndex):  # noqa: N801 - TA-Lib's name
    """Plus directional indicator (TA-Lib ``PLUS_DI``)."""

    __slots__ = ()
    name = "PLUS_DI"
    plus = True


class MINUS_DI(_DirectionalIndex):  # noqa: N801 - TA-Lib's name
    """Minus directional indicator (TA-Lib ``MINUS_DI``)."""

    __slots__ = ()
    name = "MINUS_DI"
    plus = False


class RawDX(_Bars):
    """DX per bar from bar ``period`` on; NaN where TA-Lib keeps the previous value."""

    __slots__ = ("_inv_period", "_minus_dm", "_plus_dm", "_ranges")
    name = "RAW_DX"

    def __init__(self, timeperiod: int) -> None:
        super().__init__(timeperiod, 2, -1)
        self._inv_period = 1.0 / self._period
        self._minus_dm = self._plus_dm = self._ranges = 0.0

    def update(self, high: float, low: float, close: float) -> float:
        if self._first(high, low, close):
            return NAN
        today = self._count
        self._count = today + 1
        diff_plus = high - self._prev_high
        diff_minus = self._prev_low - low
        minus = diff_minus if diff_minus - diff_plus > 0.0 else 0.0
        plus = diff_plus if diff_plus - diff_minus > 0.0 else 0.0
        minus = minus if diff_minus > 0.0 else 0.0
        plus = plus if diff_plus > 0.0 else 0.0
        greatest = true_range(high, low, self._prev_close)
        self._prev_high, self._prev_low, self._prev_close = high, low, close
        if today < self._period:
            self._minus_dm += minus
            self._plus_dm += plus
            self._ranges += greatest
            return NAN
        inv = self._inv_period
        self._minus_dm -= self._minus_dm * inv
        self._plus_dm -= self._plus_dm * inv
        self._minus_dm += minus
        self._plus_dm += plus
        self._ranges = self._ranges - (self._ranges * inv) + greatest
        return self._dx()

    def _dx(self) -> float:
        if self._ranges > 0.0:
            minus_di = 100.0 * (self._minus_dm / self._ranges)
            plus_di = 100.0 * (self._plus_dm / self._ranges)
            total = minus_di + plus_di
            if not (-EPSILON < total < EPSILON):
                return 100.0 * (abs(minus_di - plus_di) / total)
        return NAN


class DX(StreamingIndicator):
    """Directional movement index; a bar without a defined DX repeats the last (``DX``)."""

    __slots__ = ("_count", "_last", "_raw")
    name = "DX"

    def __init__(self, timeperiod: int = 14) -> None:
        self._raw = nested(RawDX(timeperiod))
        super().__init__(self._raw.warmup)
        self._count = 0
        self._last = 0.0

    @property
    def params(self) -> dict[str, object]:
        return self._raw.params

    def update(self, high: float, low: float, close: float) -> float:
        if not self._started:
            if high != high or low != low or close != close:
                return NAN
            self._started = True
        today = self._count
        self._count = today + 1
        value = self._raw.update(high, low, close)
        if today < self._lookback:
            return NAN
        if value != value:
            value = 0.0 if today == self._lookback else self._last
        self._last = value
        self._value = value
        return value


class ADX(StreamingIndicator):
    """Average directional movement index (TA-Lib ``ADX``)."""

    __slots__ = ("_adx", "_count", "_raw", "_total")
    name = "ADX"

    def __init__(self, timeperiod: int = 14) -> None:
        period = validation.period("timeperiod", timeperiod, 2)
        self._raw = nested(RawDX(period))
        super().__init__(2 * period - 1)
        self._count = 0
        self._total = self._adx = 0.0

    @property
    def params(self) -> dict[str, object]:
        return self._raw.params

    def update(self, high: float, low: float, close: float) -> float:
        if not self._started:
            if high != high or low != low or close != close:
                return NAN
            self._started = True
        today = self._count
        self._count = today + 1
        value = self._raw.update(high, low, close)
        period = self._raw.warmup
        if today < self._lookback:
            if today >= period and value == value:
                self._total += value
            return NAN
        if today == self._lookback:
            if value == value:
                self._total += value
            self._adx = self._total / period
        elif value == value:
            self._adx = self._adx - (self._adx - value) * (1.0 / period)
        self._value = self._adx
        return self._adx


class ADXR(StreamingIndicator):
    """Mean of the ADX now and ``timeperiod - 1`` bars ago (TA-Lib ``ADXR``)."""

    __slots__ = ("_adx", "_count", "_history")
    name = "ADXR"

    def __init__(self, timeperiod: int = 14) -> None:
        period = validation.period("timeperiod", timeperiod, 2)
        self._adx = nested(ADX(period))
        super().__init__(3 * period - 2)
        self._history = [0.0] * period
        self._count = 0

    @property
    def params(self) -> dict[str, object]:
        return self._adx.params

    def update(self, high: float, low: float, close: float) -> float:
        if not self._started:
            if high != high or low != low or close != close:
                return NAN
            self._started = True
        today = self._count
        self._count = today + 1
        current = self._adx.update(high, low, close)
        size = len(self._history)
        self._history[today % size] = current
        if today < self._lookback:
            return NAN
        value = (current + self._history[(today - (size - 1)) % size]) / 2.0
        self._value = value
        return value
