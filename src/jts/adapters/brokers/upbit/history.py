"""Historical candles from Upbit's public candle endpoints (no API key needed).

Timeframes: 1s (``/v1/candles/seconds``), 1m, 3m, 5m, 10m, 15m, 30m, 1h, 4h
(``/v1/candles/minutes/{unit}``), 1d (``/v1/candles/days``) and 1w (``/v1/candles/weeks``).
Upbit returns at most 200 candles per call, newest first, ending before ``to`` (exclusive),
so ``UpbitCandles.fetch`` pages backwards from ``end`` with the oldest start of each page
as the next ``to``, through the shared rate limiter (the ``candle`` group, 10/s per IP;
brokers.md 4.3, 4.5). A candle exists only if something traded in it, so bars may be
missing; Upbit's daily candles start at 09:00 KST (00:00 UTC). Prices and volumes arrive as
JSON numbers and are read exactly (as ``Decimal`` from their text).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final

import httpx
import msgspec
import numpy as np

from jts.adapters.brokers.upbit.constants import REST_URL
from jts.adapters.brokers.upbit.parse import VENUE, candle_start_ns, market_for
from jts.adapters.brokers.upbit.schemas import Candle
from jts.adapters.feeds.rest import get_json, json_error_reader
from jts.adapters.ratelimit.port import RateLimiter
from jts.contexts.market_data.domain.fixed_point import trim_scale
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.units import decimal_units
from jts.shared_kernel.clock import NANOS_PER_SECOND, Clock
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

PAGE_LIMIT: Final = 200
SCALE: Final = 8
DEFAULT_BASE_URL: Final = REST_URL.removesuffix("/v1")
MINUTE_UNITS: Final = (1, 3, 5, 10, 15, 30, 60, 240)

_CANDLES = msgspec.json.Decoder(list[Candle])
_READ_ERROR = json_error_reader("name", "message", nested="error")


def candle_path(timeframe: Timeframe) -> tuple[str, str]:
    """``(path, rate-limit endpoint)`` of the candles of ``timeframe``."""
    seconds = timeframe.seconds
    if seconds == 1:
        return "/v1/candles/seconds", "GET /v1/candles/seconds"
    if seconds % 60 == 0 and seconds // 60 in MINUTE_UNITS:
        return f"/v1/candles/minutes/{seconds // 60}", "GET /v1/candles/minutes/{unit}"
    if seconds == 86_400:
        return "/v1/candles/days", "GET /v1/candles/days"
    if seconds == 7 * 86_400:
        return "/v1/candles/weeks", "GET /v1/candles/weeks"
    raise ValueError(
        f"Upbit has no {timeframe} candles; use 1s, 1m, 3m, 5m, 10m, 15m, 30m, 1h, 4h, 1d or 1w"
    )


class UpbitCandles:
    """Downloads Upbit candles into exact ``BarSeries``."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        limiter: RateLimiter,
        *,
        clock: Clock,
        page_limit: int = PAGE_LIMIT,
    ) -> None:
        if not 1 <= page_limit <= PAGE_LIMIT:
            raise ValueError(f"page_limit {page_limit} must be within 1..{PAGE_LIMIT}")
        self._client = client
        self._limiter = limiter
        self._clock = clock
        self._page_limit = page_limit
        self.pages = 0

    async def fetch(
        self, instrument_id: InstrumentId, timeframe: Timeframe, start_ns: int, end_ns: int
    ) -> BarSeries:
        """Every bar of ``instrument_id`` starting in ``[start_ns, end_ns)``."""
        path, cost = candle_path(timeframe)
        market = market_for(instrument_id)
        candles: dict[int, Candle] = {}
        to_ns = end_ns
        while to_ns > start_ns:
            page = await self._page(path, cost, market, to_ns)
            starts = [candle_start_ns(candle) for candle in page]
            candles.update(
                (start, candle)
                for start, candle in zip(starts, page, strict=True)
                if start_ns <= start < end_ns
            )
            if len(page) < self._page_limit or min(starts) >= to_ns:
                break
            to_ns = min(starts)
        return _series(instrument_id, timeframe, candles)

    async def _page(self, path: str, cost: str, market: str, to_ns: int) -> list[Candle]:
        moment = datetime.fromtimestamp(to_ns / NANOS_PER_SECOND, UTC)
        params: dict[str, str | int] = {
            "market": market,
            "to": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "count": self._page_limit,
        }
        self.pages += 1
        return await get_json(
            self._client,
            self._limiter,
            venue=VENUE,
            endpoint=cost,
            path=path,
            params=params,
            decode=_CANDLES.decode,
            read_error=_READ_ERROR,
            clock=self._clock,
        )


def _series(
    instrument_id: InstrumentId, timeframe: Timeframe, candles: dict[int, Candle]
) -> BarSeries:
    if not candles:
        return BarSeries.empty(instrument_id, timeframe)
    starts = sorted(candles)
    ordered = [candles[start] for start in starts]
    ts_start = np.array(starts, dtype=np.int64)
    prices = [
        np.array([decimal_units(getattr(c, name), SCALE) for c in ordered], dtype=np.int64)
        for name in ("opening_price", "high_price", "low_price", "trade_price")
    ]
    volume = np.array(
        [decimal_units(c.candle_acc_trade_volume, SCALE) for c in ordered], dtype=np.int64
    )
    prices, price_scale = trim_scale(prices, SCALE)
    (volume,), volume_scale = trim_scale([volume], SCALE)
    open_, high, low, close = prices
    return BarSeries(
        instrument_id,
        timeframe,
        ts_start,
        ts_start + np.int64(timeframe.nanos),
        open_,
        high,
        low,
        close,
        volume,
        price_scale,
        volume_scale,
    )
