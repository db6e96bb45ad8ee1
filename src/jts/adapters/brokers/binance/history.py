"""Historical candles from Binance's public ``GET /api/v3/klines`` (no API key needed).

``BinanceCandles.fetch`` pages forward from ``start`` with ``startTime`` and
``limit=1000`` (Binance's maximum) until ``end`` or until a page comes back short, each
page through the shared rate limiter at the endpoint's weight (brokers.md 3.3, 3.5).
Klines are ``[open time, open, high, low, close, volume, close time, ...]`` with prices as
8-decimal strings; the bars come back exact, at the fewest decimals that hold them. A
kline's close time is its last millisecond, so a bar ends at ``close time + 1 ms``.
Use the market-data-only host ``data-api.binance.vision`` or ``api.binance.com``.
"""

from __future__ import annotations

from typing import Final

import httpx
import msgspec
import numpy as np

from jts.adapters.brokers.binance.constants import MARKET_DATA_REST_URL, endpoint
from jts.adapters.brokers.binance.parse import VENUE, binance_interval
from jts.adapters.brokers.binance.schemas import KlineRow
from jts.adapters.feeds.rest import get_json, json_error_reader
from jts.adapters.ratelimit.port import RateLimiter
from jts.contexts.market_data.domain.decimal_kernel import column_units
from jts.contexts.market_data.domain.fixed_point import Int64Array, trim_scale
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.units import text_units
from jts.shared_kernel.clock import NANOS_PER_MILLI, Clock
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

KLINES_PATH: Final = "/api/v3/klines"
PAGE_LIMIT: Final = 1000
SCALE: Final = 8
DEFAULT_BASE_URL: Final = MARKET_DATA_REST_URL

_ROWS = msgspec.json.Decoder(list[KlineRow])
_READ_ERROR = json_error_reader("code", "msg")


class BinanceCandles:
    """Downloads Binance klines into exact ``BarSeries``."""

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
        if instrument_id.venue != VENUE:
            raise ValueError(f"{instrument_id} is not a Binance instrument (SYMBOL.BINANCE)")
        interval = binance_interval(timeframe)
        rows: list[KlineRow] = []
        cursor_ms = -(-start_ns // NANOS_PER_MILLI)
        end_ms = -(-end_ns // NANOS_PER_MILLI)
        while cursor_ms < end_ms:
            page = await self._page(instrument_id.symbol, interval, cursor_ms, end_ms - 1)
            rows += [row for row in page if row[0] < end_ms]
            if len(page) < self._page_limit:
                break
            cursor_ms = page[-1][0] + timeframe.seconds * 1_000
        return _series(instrument_id, timeframe, rows)

    async def _page(self, symbol: str, interval: str, start_ms: int, end_ms: int) -> list[KlineRow]:
        params: dict[str, str | int] = {
            "symbol": symbol,
            "interval": interval,
            "startTime": start_ms,
            "endTime": end_ms,
            "limit": self._page_limit,
        }
        self.pages += 1
        return await get_json(
            self._client,
            self._limiter,
            venue=VENUE,
            endpoint=endpoint("GET", KLINES_PATH, params),
            path=KLINES_PATH,
            params=params,
            decode=_ROWS.decode,
            read_error=_READ_ERROR,
            clock=self._clock,
        )


def _series(instrument_id: InstrumentId, timeframe: Timeframe, rows: list[KlineRow]) -> BarSeries:
    if not rows:
        return BarSeries.empty(instrument_id, timeframe)
    rows = sorted({row[0]: row for row in rows}.values())  # pages may overlap by a kline
    ts_start = np.array([row[0] for row in rows], dtype=np.int64) * NANOS_PER_MILLI
    ts_event = (np.array([row[6] for row in rows], dtype=np.int64) + 1) * NANOS_PER_MILLI
    prices = [
        _units([row[1] for row in rows]),
        _units([row[2] for row in rows]),
        _units([row[3] for row in rows]),
        _units([row[4] for row in rows]),
    ]
    volume = _units([row[5] for row in rows])
    prices, price_scale = trim_scale(prices, SCALE)
    (volume,), volume_scale = trim_scale([volume], SCALE)
    open_, high, low, close = prices
    return BarSeries(
        instrument_id,
        timeframe,
        ts_start,
        ts_event,
        open_,
        high,
        low,
        close,
        volume,
        price_scale,
        volume_scale,
    )


def _units(texts: list[str]) -> Int64Array:
    units, first_bad = column_units(texts, SCALE)
    if first_bad >= 0:
        try:
            return np.array([text_units(text, SCALE) for text in texts], dtype=np.int64)
        except OverflowError as e:
            raise DataError(f"Binance kline value too large: {texts[first_bad]!r}") from e
    return units
