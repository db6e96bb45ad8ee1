"""Streaming OBV, AD, ADOSC and the session-anchored VWAP, mirroring ``kernels_volume``."""

from __future__ import annotations

from jts.contexts.strategy.domain.indicators import validation
from jts.contexts.strategy.domain.indicators.lookback import adosc_lookback
from jts.contexts.strategy.domain.indicators.stream import NAN, StreamingIndicator, fma


def money_flow_volume(high: float, low: float, close: float, volume: float) -> float:
    """Chaikin's money-flow volume of one bar; 0 for a bar without range."""
    spread = high - low
    if spread > 0.0:
        return (((close - low) - (high - close)) / spread) * volume
    return 0.0


def _incomplete(*values: float) -> bool:
    return any(value != value for value in values)


class OBV(StreamingIndicator):
    """On-balance volume (TA-Lib ``OBV``)."""

    __slots__ = ("_balance", "_previous")
    name = "OBV"

    def __init__(self) -> None:
        super().__init__(0)
        self._balance = 0.0
        self._previous = 0.0

    def update(self, real: float, volume: float) -> float:
        if not self._started:
            if _incomplete(real, volume):
                return NAN
            self._started = True
            self._balance, self._previous = volume, real
        if real > self._previous:
            self._balance += volume
        elif real < self._previous:
            self._balance -= volume
        self._previous = real
        self._value = self._balance
        return self._balance


class AD(StreamingIndicator):
    """Chaikin accumulation/distribution line (TA-Lib ``AD``)."""

    __slots__ = ("_line",)
    name = "AD"

    def __init__(self) -> None:
        super().__init__(0)
        self._line = 0.0

    def update(self, high: float, low: float, close: float, volume: float) -> float:
        if not self._started:
            if _incomplete(high, low, close, volume):
                return NAN
            self._started = True
        self._line += money_flow_volume(high, low, close, volume)
        self._value = self._line
        return self._line


class ADOSC(StreamingIndicator):
    """Chaikin A/D oscillator (TA-Lib ``ADOSC``)."""

    __slots__ = ("_count", "_fast", "_fast_ema", "_line", "_params", "_slow", "_slow_ema")
    name = "ADOSC"

    def __init__(self, fastperiod: int = 3, slowperiod: int = 10) -> None:
        fast = validation.period("fastperiod", fastperiod, 2)
        slow = validation.period("slowperiod", slowperiod, 2)
        self._params = {"fastperiod": fast, "slowperiod": slow}
        super().__init__(adosc_lookback(fast, slow))
        self._fast = (2.0 / (fast + 1), 1.0 - 2.0 / (fast + 1))
        self._slow = (2.0 / (slow + 1), 1.0 - 2.0 / (slow + 1))
        self._line = self._fast_ema = self._slow_ema = 0.0
        self._count = 0

    @property
    def params(self) -> dict[str, object]:
        return dict(self._params)

    def update(self, high: float, low: float, close: float, volume: float) -> float:
        if not self._started:
            if _incomplete(high, low, close, volume):
                return NAN
            self._started = True
        today = self._count
        self._count = today + 1
        flow = money_flow_volume(high, low, close, volume)
        if today == 0:
            self._line = 0.0
            self._line += flow
            self._fast_ema = self._slow_ema = self._line
            return NAN
        self._line += flow
        fast_k, fast_beta = self._fast
        slow_k, slow_beta = self._slow
        self._fast_ema = fma(fast_beta, self._fast_ema, fast_k * self._line)
        self._slow_ema = fma(slow_beta, self._slow_ema, slow_k * self._line)
        if today < self._lookback:
            return NAN
        value = self._fast_ema - self._slow_ema
        self._value = value
        return value


class VWAP(StreamingIndicator):
    """Session-anchored VWAP of the typical price; sums restart when ``session`` changes."""

    __slots__ = ("_session", "_traded", "_weighted")
    name = "VWAP"

    def __init__(self) -> None:
        super().__init__(0)
        self._session: int | None = None
        self._traded = 0.0
        self._weighted = 0.0

    def update(self, high: float, low: float, close: float, volume: float, session: int) -> float:
        if not self._started:
            if _incomplete(high, low, close, volume):
                return NAN
            self._started = True
        if session != self._session:
            self._session = session
            self._traded = 0.0
            self._weighted = 0.0
        self._weighted += ((high + low + close) / 3.0) * volume
        self._traded += volume
        value = self._weighted / self._traded if self._traded != 0.0 else NAN
        self._value = value
        return value
