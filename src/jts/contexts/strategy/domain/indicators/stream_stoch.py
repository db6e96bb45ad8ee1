"""Streaming STOCHF, STOCH, STOCHRSI, AROON and AROONOSC, mirroring ``kernels_stoch``.

:class:`RescanExtreme` reproduces the batch kernels' "track the extreme's index, rescan when
it leaves the window" rule without rescanning: a monotonic deque of the window's candidate
extremes answers the rescan in O(1) amortized, with the same tie rule and the same NaN
behaviour (a rescan that starts on a NaN yields NaN; other NaN are never an extreme).
"""

from __future__ import annotations

from collections import deque

from jts.contexts.strategy.domain.indicators import lookback, validation
from jts.contexts.strategy.domain.indicators.kernels_ma import EPSILON
from jts.contexts.strategy.domain.indicators.stream import NAN, StreamingIndicator, nested
from jts.contexts.strategy.domain.indicators.stream_ma_extra import moving_average
from jts.contexts.strategy.domain.indicators.stream_momentum import RSI

NAN2 = (NAN, NAN)


class RescanExtreme(StreamingIndicator):
    """The extreme of the last ``window`` bars and the bar index it sits at.

    ``latest`` selects the tie rule of a rescan: the latest extreme (Aroon) or the earliest
    (the stochastics); a new bar equal to the current extreme always takes over.
    """

    __slots__ = ("_best", "_candidates", "_count", "_index", "_latest", "_maximum", "_ring",
                 "_window")  # fmt: skip
    name = "RESCAN_EXTREME"

    def __init__(self, window: int, maximum: bool, latest: bool) -> None:
        super().__init__(window - 1)
        self._window, self._maximum, self._latest = window, maximum, latest
        self._ring = [0.0] * window
        self._candidates: deque[tuple[int, float]] = deque()
        self._count = 0
        self._index = -1
        self._best = 0.0

    @property
    def params(self) -> dict[str, object]:
        return {"window": self._window, "maximum": self._maximum, "latest": self._latest}

    @property
    def index(self) -> int:
        """Bar index (counted from the first bar fed) of the current extreme."""
        return self._index

    def update(self, real: float) -> float:
        today = self._count
        self._count = today + 1
        window = self._window
        self._ring[today % window] = real
        candidates = self._candidates
        if real == real:
            self._push(today, real)
        trailing = today - window + 1
        while candidates and candidates[0][0] < trailing:
            candidates.popleft()
        if trailing < 0:
            return NAN
        if self._index < trailing:
            first = self._ring[trailing % window]
            if first != first:
                self._index, self._best = trailing, first
            else:
                self._index, self._best = candidates[0]
        elif (real >= self._best) if self._maximum else (real <= self._best):
            self._index, self._best = today, real
        self._value = self._best
        return self._best

    def _push(self, today: int, real: float) -> None:
        candidates = self._candidates
        if self._maximum:
            if self._latest:
                while candidates and candidates[-1][1] <= real:
                    candidates.pop()
            else:
                while candidates and candidates[-1][1] < real:
                    candidates.pop()
        elif self._latest:
            while candidates and candidates[-1][1] >= real:
                candidates.pop()
        else:
            while candidates and candidates[-1][1] > real:
                candidates.pop()
        candidates.append((today, real))


class _RawK(StreamingIndicator):
    """Raw %K over ``fastk_period`` bars (the batch ``fast_k`` kernel)."""

    __slots__ = ("_highest", "_lowest")
    name = "RAW_K"

    def __init__(self, fastk_period: int) -> None:
        super().__init__(fastk_period - 1)
        self._highest = nested(RescanExtreme(fastk_period, maximum=True, latest=False))
        self._lowest = nested(RescanExtreme(fastk_period, maximum=False, latest=False))

    def update(self, high: float, low: float, close: float) -> float:
        lowest = self._lowest.update(low)
        highest = self._highest.update(high)
        diff = highest - lowest
        if abs(diff) <= EPSILON * (abs(highest) + abs(lowest)):
            return 0.0
        return ((close - lowest) / diff) * 100.0


class STOCHF(StreamingIndicator):
    """Fast stochastic ``(fastk, fastd)`` (TA-Lib ``STOCHF``)."""

    __slots__ = ("_count", "_d", "_k", "_params")
    name = "STOCHF"
    outputs = ("fastk", "fastd")

    def __init__(self, fastk_period: int = 5, fastd_period: int = 3, fastd_matype: int = 0) -> None:
        k_period = validation.period("fastk_period", fastk_period, 1)
        d_period = validation.period("fastd_period", fastd_period, 1)
        d_type = validation.ma_type("fastd_matype", fastd_matype)
        self._params = {"fastk_period": k_period, "fastd_period": d_period, "fastd_matype": d_type}
        super().__init__(lookback.stochf_lookback(k_period, d_period, d_type))
        self._k = nested(_RawK(k_period))
        self._d = nested(moving_average(d_period, d_type))
        self._count = 0

    @property
    def params(self) -> dict[str, object]:
        return dict(self._params)

    def update(self, high: float, low: float, close: float) -> tuple[float, float]:
        if not self._started:
            if high != high or low != low or close != close:
                return NAN2
            self._started = True
        return self._step(high, low, close)

    def _step(self, high: float, low: float, close: float) -> tuple[float, float]:
        count = self._count
        self._count = count + 1
        k = self._k.update(high, low, close)
        if count < self._k.warmup:
            return NAN2
        d = self._d.update(k)
        if count < self._lookback:
            return NAN2
        value = (k, d)
        self._value = value
        return value


class STOCH(StreamingIndicator):
    """Slow stochastic ``(slowk, slowd)`` (TA-Lib ``STOCH``)."""

    __slots__ = ("_count", "_k", "_params", "_slow_d", "_slow_k")
    name = "STOCH"
    outputs = ("slowk", "slowd")

    def __init__(
        self,
        fastk_period: int = 5,
        slowk_period: int = 3,
        slowk_matype: int = 0,
        slowd_period: int = 3,
        slowd_matype: int = 0,
    ) -> None:
        k_period = validation.period("fastk_period", fastk_period, 1)
        sk_period = validation.period("slowk_period", slowk_period, 1)
        sk_type = validation.ma_type("slowk_matype", slowk_matype)
        sd_period = validation.period("slowd_period", slowd_period, 1)
        sd_type = validation.ma_type("slowd_matype", slowd_matype)
        self._params = {
            "fastk_period": k_period, "slowk_period": sk_period, "slowk_matype": sk_type,
            "slowd_period": sd_period, "slowd_matype": sd_type,
        }  # fmt: skip
        super().__init__(lookback.stoch_lookback(k_period, sk_period, sk_type, sd_period, sd_type))
        self._k = nested(_RawK(k_period))
        self._slow_k = nested(moving_average(sk_period, sk_type))
        self._slow_d = nested(moving_average(sd_period, sd_type))
        self._count = 0

    @property
    def params(self) -> dict[str, object]:
        return dict(self._params)

    def update(self, high: float, low: float, close: float) -> tuple[float, float]:
        if not self._started:
            if high != high or low != low or close != close:
                return NAN2
            self._started = True
        count = self._count
        self._count = count + 1
        k = self._k.update(high, low, close)
        if count < self._k.warmup:
            return NAN2
        slow_k = self._slow_k.update(k)
        if count < self._k.warmup + self._slow_k.warmup:
            return NAN2
        slow_d = self._slow_d.update(slow_k)
        if count < self._lookback:
            return NAN2
        value = (slow_k, slow_d)
        self._value = value
        return value


class STOCHRSI(StreamingIndicator):
    """Fast stochastic of the RSI ``(fastk, fastd)`` (TA-Lib ``STOCHRSI``)."""

    __slots__ = ("_count", "_params", "_rsi", "_stoch")
    name = "STOCHRSI"
    outputs = ("fastk", "fastd")

    def __init__(
        self,
        timeperiod: int = 14,
        fastk_period: int = 5,
        fastd_period: int = 3,
        fastd_matype: int = 0,
    ) -> None:
        self._rsi = nested(RSI(timeperiod))
        self._stoch = nested(STOCHF(fastk_period, fastd_period, fastd_matype))
        self._params = {"timeperiod": self._rsi.params["timeperiod"], **self._stoch.params}
        super().__init__(self._rsi.warmup + self._stoch.warmup)
        self._count = 0

    @property
    def params(self) -> dict[str, object]:
        return dict(self._params)

    def update(self, real: float) -> tuple[float, float]:
        if not self._started:
            if real != real:
                return NAN2
            self._started = True
        count = self._count
        self._count = count + 1
        value = self._rsi.update(real)
        if count < self._rsi.warmup:
            return NAN2
        result = self._stoch._step(value, value, value)
        self._value = result
        return result


class _Aroon(StreamingIndicator):
    __slots__ = ("_count", "_highest", "_lowest", "_period")

    def __init__(self, timeperiod: int) -> None:
        self._period = validation.period("timeperiod", timeperiod, 2)
        super().__init__(self._period)
        self._highest = nested(RescanExtreme(self._period + 1, maximum=True, latest=True))
        self._lowest = nested(RescanExtreme(self._period + 1, maximum=False, latest=True))
        self._count = 0

    @property
    def params(self) -> dict[str, object]:
        return {"timeperiod": self._period}

    def _indices(self, high: float, low: float) -> tuple[int, int] | None:
        today = self._count
        self._count = today + 1
        self._lowest.update(low)
        self._highest.update(high)
        if today < self._period:
            return None
        return today - self._lowest.index, today - self._highest.index


class AROON(_Aroon):
    """Aroon ``(aroondown, aroonup)`` over ``timeperiod`` bars (TA-Lib ``AROON``)."""

    __slots__ = ()
    name = "AROON"
    outputs = ("aroondown", "aroonup")

    def __init__(self, timeperiod: int = 14) -> None:
        super().__init__(timeperiod)

    def update(self, high: float, low: float) -> tuple[float, float]:
        if not self._started:
            if high != high or low != low:
                return NAN2
            self._started = True
        ages = self._indices(high, low)
        if ages is None:
            return NAN2
        factor = 100.0 / self._period
        value = (factor * (self._period - ages[0]), factor * (self._period - ages[1]))
        self._value = value
        return value


class AROONOSC(_Aroon):
    """Aroon oscillator, up minus down (TA-Lib ``AROONOSC``)."""

    __slots__ = ()
    name = "AROONOSC"

    def __init__(self, timeperiod: int = 14) -> None:
        super().__init__(timeperiod)

    def update(self, high: float, low: float) -> float:
        if not self._started:
            if high != high or low != low:
                return NAN
            self._started = True
        ages = self._indices(high, low)
        if ages is None:
            return NAN
        value = (100.0 / self._period) * (ages[0] - ages[1])
        self._value = value
        return value
