"""Streaming MACD, MACDEXT, APO and PPO, mirroring ``kernels_macd``."""

from __future__ import annotations

from jts.contexts.strategy.domain.indicators import validation
from jts.contexts.strategy.domain.indicators.kernels_ma import EPSILON
from jts.contexts.strategy.domain.indicators.lookback import ma_lookback
from jts.contexts.strategy.domain.indicators.stream import (
    NAN,
    SingleSeries,
    StreamingIndicator,
    nested,
)
from jts.contexts.strategy.domain.indicators.stream_ma import SMA
from jts.contexts.strategy.domain.indicators.stream_ma_extra import moving_average
from jts.contexts.strategy.domain.indicators.stream_momentum import fused_coefficients
from jts.contexts.strategy.domain.indicators.validation import MAType

NAN3 = (NAN, NAN, NAN)


class FusedEMA(SingleSeries):
    """An EMA seeded by an SMA and advanced as ``k*x + (1-k)*prev`` (TA-Lib's fused paths)."""

    __slots__ = ("_beta", "_count", "_k", "_period", "_prev")
    name = "FUSED_EMA"

    def __init__(self, timeperiod: int) -> None:
        self._period = timeperiod
        super().__init__(timeperiod - 1)
        self._k, self._beta = fused_coefficients(timeperiod)
        self._count = 0
        self._prev = 0.0

    @property
    def params(self) -> dict[str, object]:
        return {"timeperiod": self._period}

    def update(self, real: float) -> float:
        if self._count >= self._period:
            self._prev = self._k * real + self._beta * self._prev
        else:
            self._count += 1
            self._prev += real
            if self._count < self._period:
                return NAN
            self._prev = self._prev / self._period
        self._value = self._prev
        return self._prev


class MACD(StreamingIndicator):
    """MACD line, signal and histogram (TA-Lib ``MACD``); the fast EMA seeds late, as TA-Lib's."""

    __slots__ = (
        "_count", "_fast", "_fast_ema", "_signal", "_signal_k", "_signal_sum", "_slow",
        "_slow_ema", "_trigger", "_user",
    )  # fmt: skip
    name = "MACD"
    outputs = ("macd", "macdsignal", "macdhist")

    def __init__(self, fastperiod: int = 12, slowperiod: int = 26, signalperiod: int = 9) -> None:
        fast = validation.period("fastperiod", fastperiod, 2)
        slow = validation.period("slowperiod", slowperiod, 2)
        signal = validation.period("signalperiod", signalperiod, 1)
        self._user = (fast, slow, signal)
        self._fast, self._slow = min(fast, slow), max(fast, slow)
        self._signal = signal
        super().__init__(self._slow - 1 + signal - 1)
        self._fast_ema = nested(FusedEMA(self._fast))
        self._slow_ema = nested(FusedEMA(self._slow))
        self._signal_k = fused_coefficients(signal)
        self._signal_sum = 0.0
        self._trigger = 0.0
        self._count = 0

    @property
    def params(self) -> dict[str, object]:
        fast, slow, signal = self._user
        return {"fastperiod": fast, "slowperiod": slow, "signalperiod": signal}

    def update(self, real: float) -> tuple[float, float, float]:
        if not self._started:
            if real != real:
                return NAN3
            self._started = True
        count = self._count
        self._count = count + 1
        slow_value = self._slow_ema.update(real)
        if count < self._slow - self._fast:
            return NAN3
        line = self._fast_ema.update(real) - slow_value
        if count < self._slow - 1:
            return NAN3
        signal = self._signal
        seed_end = self._slow + signal - 2
        if count <= seed_end:
            if count == self._slow - 1:
                self._signal_sum = 0.0
            self._signal_sum += line
            if count < seed_end:
                return NAN3
            self._trigger = self._signal_sum / signal
        elif signal == 1:
            self._trigger = line
        else:
            k, beta = self._signal_k
            self._trigger = k * line + beta * self._trigger
        value = (line, self._trigger, line - self._trigger)
        self._value = value
        return value


class MACDEXT(StreamingIndicator):
    """MACD with a moving-average type per line (TA-Lib ``MACDEXT``)."""

    __slots__ = ("_count", "_delay_fast", "_delay_slow", "_fast_ma", "_macd", "_params",
                 "_signal_ma", "_slow_ma")  # fmt: skip
    name = "MACDEXT"
    outputs = ("macd", "macdsignal", "macdhist")

    def __init__(
        self,
        fastperiod: int = 12,
        fastmatype: int = 0,
        slowperiod: int = 26,
        slowmatype: int = 0,
        signalperiod: int = 9,
        signalmatype: int = 0,
    ) -> None:
        fast = validation.period("fastperiod", fastperiod, 2)
        fast_type = validation.ma_type("fastmatype", fastmatype)
        slow = validation.period("slowperiod", slowperiod, 2)
        slow_type = validation.ma_type("slowmatype", slowmatype)
        signal = validation.period("signalperiod", signalperiod, 1)
        signal_type = validation.ma_type("signalmatype", signalmatype)
        self._params = {
            "fastperiod": fast, "fastmatype": fast_type, "slowperiod": slow,
            "slowmatype": slow_type, "signalperiod": signal, "signalmatype": signal_type,
        }  # fmt: skip
        all_ema = fast_type == slow_type == signal_type == MAType.EMA
        self._macd = nested(MACD(fast, slow, signal)) if all_ema and signal >= 2 else None
        if slow < fast:
            fast, slow, fast_type, slow_type = slow, fast, slow_type, fast_type
        largest = max(ma_lookback(fast, fast_type), ma_lookback(slow, slow_type))
        super().__init__(largest + ma_lookback(signal, signal_type))
        self._delay_fast = largest - ma_lookback(fast, fast_type)
        self._delay_slow = largest - ma_lookback(slow, slow_type)
        self._fast_ma = nested(moving_average(fast, fast_type))
        self._slow_ma = nested(moving_average(slow, slow_type))
        self._signal_ma = nested(moving_average(signal, signal_type))
        self._count = 0

    @property
    def params(self) -> dict[str, object]:
        return dict(self._params)

    def update(self, real: float) -> tuple[float, float, float]:
        if not self._started:
            if real != real:
                return NAN3
            self._started = True
        if self._macd is not None:
            value = self._macd.update(real)
            self._value = value
            return value
        count = self._count
        self._count = count + 1
        slow = self._slow_ma.update(real) if count >= self._delay_slow else NAN
        fast = self._fast_ma.update(real) if count >= self._delay_fast else NAN
        if count < self._lookback - self._signal_ma.warmup:
            return NAN3
        line = fast - slow
        trigger = self._signal_ma.update(line)
        if count < self._lookback:
            return NAN3
        value = (line, trigger, line - trigger)
        self._value = value
        return value


class _PriceOscillator(StreamingIndicator):
    __slots__ = ("_count", "_fast_ma", "_matype", "_params", "_slow_ma", "_slow_start")

    def __init__(self, fastperiod: int, slowperiod: int, matype: int) -> None:
        fast = validation.period("fastperiod", fastperiod, 2)
        slow = validation.period("slowperiod", slowperiod, 2)
        self._matype = validation.ma_type("matype", matype)
        self._params = {"fastperiod": fast, "slowperiod": slow, "matype": self._matype}
        fast, slow = min(fast, slow), max(fast, slow)
        self._slow_start = ma_lookback(slow, self._matype)
        super().__init__(self._slow_start)
        if self._matype == MAType.EMA:
            self._fast_ma: SingleSeries = nested(FusedEMA(fast))
            self._slow_ma: SingleSeries = nested(FusedEMA(slow))
        elif self._matype == MAType.SMA:
            self._fast_ma, self._slow_ma = nested(SMA(fast)), nested(SMA(slow))
        else:
            self._fast_ma = nested(moving_average(fast, self._matype))
            self._slow_ma = nested(moving_average(slow, self._matype))
        self._count = 0

    @property
    def params(self) -> dict[str, object]:
        return dict(self._params)

    def _averages(self, real: float) -> tuple[float, float]:
        fast = self._fast_ma.update(real)
        slow = self._slow_ma.update(real)
        return fast, slow


class APO(_PriceOscillator):
    """Absolute price oscillator: fast MA minus slow MA (TA-Lib ``APO``)."""

    __slots__ = ()
    name = "APO"

    def __init__(self, fastperiod: int = 12, slowperiod: int = 26, matype: int = 1) -> None:
        super().__init__(fastperiod, slowperiod, matype)

    def update(self, real: float) -> float:
        if not self._started:
            if real != real:
                return NAN
            self._started = True
        count = self._count
        self._count = count + 1
        fast, slow = self._averages(real)
        if count < self._slow_start:
            return NAN
        value = fast - slow
        self._value = value
        return value


class PPO(_PriceOscillator):
    """Percentage price oscillator (TA-Lib ``PPO``); 0 where the slow MA is (near) zero."""

    __slots__ = ("_zero_run",)
    name = "PPO"

    def __init__(self, fastperiod: int = 12, slowperiod: int = 26, matype: int = 1) -> None:
        super().__init__(fastperiod, slowperiod, matype)
        self._zero_run = 0

    def update(self, real: float) -> float:
        if not self._started:
            if real != real:
                return NAN
            self._started = True
        count = self._count
        self._count = count + 1
        fast, slow = self._averages(real)
        self._zero_run = self._zero_run + 1 if abs(real) <= 0.0 else 0
        if count < self._slow_start:
            return NAN
        windowed = self._matype in (MAType.SMA, MAType.WMA, MAType.TRIMA)
        if windowed and self._zero_run > self._slow_start:
            self._zero_run = self._slow_start
            value = 0.0
        elif not (-EPSILON < slow < EPSILON):
            value = ((fast - slow) / slow) * 100.0
        else:
            value = 0.0
        self._value = value
        return value
