"""Wiring of the market data adapters: candle downloads and the hot/cold storage tiers.

Entry points reach these adapters only through here (adapters are imported lazily: they
take a while to import and most ``jts`` commands never need them):

- ``fetch_candles``: download historical candles from Binance or Upbit's public REST
  endpoints (no keys), rate limited by each venue's policy (``jts data fetch``).
- ``compact_timeseries`` / ``timeseries_tiers``: move data older than the hot window from
  the DuckDB store to Parquet under ``timeseries.cold_path`` and report both tiers
  (``jts data compact`` / ``jts data stats``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from jts.bootstrap.settings import ClickHouseConfig, Settings
from jts.bootstrap.stores import timeseries_path
from jts.shared_kernel.clock import NANOS_PER_SECOND
from jts.shared_kernel.errors import ConfigurationError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

if TYPE_CHECKING:
    import httpx

    from jts.adapters.timeseries.tiered import (
        CompactionReport,
        TieredTimeSeriesStore,
        TierStats,
    )
    from jts.contexts.market_data.domain.series import BarSeries

DEFAULT_HOT_DAYS = 30
COLD_DIRECTORY = "cold"
HTTP_TIMEOUT_S = 30.0
HISTORY_TRANSPORT: httpx.AsyncBaseTransport | None = None
"""The HTTP transport for downloads; ``None`` is the network. Tests put an
``httpx.MockTransport`` serving recorded responses here."""


def cold_path(settings: Settings) -> Path:
    """Where the cold tier lives: ``timeseries.cold_path`` or ``<home>/cold``."""
    config = settings.timeseries
    if isinstance(config, ClickHouseConfig):
        raise ConfigurationError("storage tiers need timeseries.kind duckdb")
    return config.cold_path if config.cold_path is not None else settings.home / COLD_DIRECTORY


def fetch_candles(
    instrument_id: InstrumentId, timeframe: Timeframe, start_ns: int, end_ns: int
) -> BarSeries:
    """Every candle of ``instrument_id`` starting in ``[start_ns, end_ns)`` from its venue."""
    return asyncio.run(_fetch(instrument_id, timeframe, start_ns, end_ns))


async def _fetch(
    instrument_id: InstrumentId, timeframe: Timeframe, start_ns: int, end_ns: int
) -> BarSeries:
    import httpx

    from jts.adapters.clock import LiveClock
    from jts.adapters.ratelimit.inprocess import InProcessRateLimiter

    clock = LiveClock()
    if instrument_id.venue == "BINANCE":
        from jts.adapters.brokers.binance import history as binance
        from jts.adapters.brokers.binance.constants import RATE_LIMIT_POLICY as BINANCE

        base_url, limiter = binance.DEFAULT_BASE_URL, InProcessRateLimiter(BINANCE, clock=clock)
    elif instrument_id.venue == "UPBIT":
        from jts.adapters.brokers.upbit import history as upbit
        from jts.adapters.brokers.upbit.constants import RATE_LIMIT_POLICY as UPBIT

        base_url, limiter = upbit.DEFAULT_BASE_URL, InProcessRateLimiter(UPBIT, clock=clock)
    else:
        raise ValueError(
            f"{instrument_id}: candles can be fetched from BINANCE and UPBIT (e.g. "
            "BTCUSDT.BINANCE, BTC-KRW.UPBIT); KRX history comes from a broker or a file import"
        )
    async with httpx.AsyncClient(
        base_url=base_url, transport=HISTORY_TRANSPORT, timeout=HTTP_TIMEOUT_S
    ) as client:
        if instrument_id.venue == "BINANCE":
            downloader = binance.BinanceCandles(client, limiter, clock=clock)
            return await downloader.fetch(instrument_id, timeframe, start_ns, end_ns)
        candles = upbit.UpbitCandles(client, limiter, clock=clock)
        return await candles.fetch(instrument_id, timeframe, start_ns, end_ns)


def compact_timeseries(
    settings: Settings, *, hot_days: int = DEFAULT_HOT_DAYS, now_ns: int | None = None
) -> CompactionReport:
    """Move every whole UTC day older than ``hot_days`` to the cold tier."""
    from jts.adapters.clock import LiveClock

    if hot_days < 0:
        raise ValueError(f"--hot-days {hot_days} must not be negative")
    with _tiered(settings, hot_days) as tiered:
        return tiered.compact(LiveClock().now_ns() if now_ns is None else now_ns)


def timeseries_tiers(settings: Settings) -> list[TierStats]:
    """Every stored series with its rows in the hot and the cold tier."""
    with _tiered(settings, DEFAULT_HOT_DAYS, read_only=True) as tiered:
        return tiered.stats()


@contextmanager
def _tiered(
    settings: Settings, hot_days: int, *, read_only: bool = False
) -> Iterator[TieredTimeSeriesStore]:
    """The tiered store of ``settings``; the hot DuckDB file is closed on the way out."""
    from jts.adapters.timeseries.hot import HotDuckDbStore
    from jts.adapters.timeseries.tiered import TieredTimeSeriesStore

    path = timeseries_path(settings)
    if read_only and not path.is_file():
        raise ConfigurationError(f"no time-series store at {path} yet; nothing to report")
    hot = HotDuckDbStore(path, read_only=read_only)
    try:
        yield TieredTimeSeriesStore(
            hot, cold_path(settings), hot_window_ns=hot_days * 86_400 * NANOS_PER_SECOND
        )
    finally:
        hot.close()
