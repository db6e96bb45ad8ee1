"""``SyntheticLiveFeed``: the market simulator streaming today's market in real time.

On ``stream()`` the feed simulates every subscribed instrument from the venue date the
clock is in (KST for KRX, UTC for crypto) for ``horizon_days`` days, and emits each trade
and each bar when the clock reaches its ``ts_event``: what already happened today is
skipped, KRX is silent outside its sessions and on holidays (as a real feed is), crypto
never sleeps. When the horizon is played out it simulates the next one, from the last
close of the one before and with a seed of its own (derived from the seed and its first
date), so the market walks on instead of repeating. ``start_prices`` continues a market
known before (the last stored closes) instead of starting at the profiles' prices. The same
seed, start and start prices give the same market, so a paper-trading session can be
replayed.

Pacing reads the injected ``Clock`` and waits with the injected ``sleep``: with a
``TestClock`` and a sleep that advances it, a day plays in milliseconds.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from jts.adapters.feeds.series_rows import SeriesRows, merge_schedule
from jts.adapters.marketsim.resample import resample_bars
from jts.adapters.marketsim.simulator import MarketSimulator, SimulatedMarket
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.subscriptions import DataSubscription
from jts.contexts.market_data.domain.tick_series import TickSeries
from jts.messages.market_data import Bar, MarketDataEvent, TradeTick
from jts.shared_kernel.clock import NANOS_PER_SECOND, Clock
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

Sleep = Callable[[float], Awaitable[None]]
_KST = ZoneInfo("Asia/Seoul")
_KST_VENUES = frozenset({"KRX", "NXT"})


class SyntheticLiveFeed:
    """A ``MarketDataFeed`` of simulated live data (see the module docstring)."""

    def __init__(
        self,
        simulator: MarketSimulator,
        *,
        clock: Clock,
        seed: int,
        horizon_days: int = 7,
        sleep: Sleep = asyncio.sleep,
        start_prices: Mapping[InstrumentId, float] | None = None,
    ) -> None:
        if horizon_days < 1:
            raise ValueError(f"horizon_days {horizon_days} must be at least 1")
        self._simulator = simulator
        self._clock = clock
        self._seed = seed
        self._horizon = timedelta(days=horizon_days)
        self._sleep = sleep
        self._start_prices = dict(start_prices or {})
        self._wanted: list[DataSubscription] = []
        self._closed = False

    @property
    def subscriptions(self) -> frozenset[DataSubscription]:
        return frozenset(self._wanted)

    async def subscribe(
        self,
        instrument_id: InstrumentId,
        data: type[MarketDataEvent],
        *,
        timeframe: Timeframe | None = None,
    ) -> None:
        subscription = DataSubscription.of(instrument_id, data, timeframe)
        if data not in (TradeTick, Bar):
            raise ValueError(f"{subscription}: the simulator makes trades and bars only")
        if timeframe is not None and (timeframe.seconds % 60 or timeframe.seconds > 86_400):
            raise ValueError(f"{subscription}: simulated bars are whole minutes up to 1d")
        self._simulator.registry.get(instrument_id)  # unknown instruments fail here, not later
        if subscription not in self._wanted:
            self._wanted.append(subscription)

    async def unsubscribe(
        self,
        instrument_id: InstrumentId,
        data: type[MarketDataEvent],
        *,
        timeframe: Timeframe | None = None,
    ) -> None:
        subscription = DataSubscription.of(instrument_id, data, timeframe)
        if subscription in self._wanted:
            self._wanted.remove(subscription)

    @property
    def closed(self) -> bool:
        return self._closed

    async def close(self) -> None:
        self._closed = True

    async def stream(self) -> AsyncIterator[MarketDataEvent]:
        start = self._clock.now_ns()
        first = {instrument_id: _venue_date(instrument_id, start) for instrument_id in self._ids()}
        closes = dict(self._start_prices)
        while not self._closed and self._wanted:
            series = self._simulate(first, closes)
            times, sources = merge_schedule(series)
            rows = [SeriesRows(one) for one in series]
            for ts, source in zip(times.tolist(), sources.tolist(), strict=True):
                row = rows[source]
                if ts < start:
                    row.next += 1  # already happened before the feed started
                    continue
                delay = ts - self._clock.now_ns()
                if delay > 0:
                    await self._sleep(delay / NANOS_PER_SECOND)
                if self.closed:
                    return
                yield row.take(self._clock.now_ns())
            first = {instrument_id: day + self._horizon for instrument_id, day in first.items()}

    def _ids(self) -> list[InstrumentId]:
        return list(dict.fromkeys(subscription.instrument_id for subscription in self._wanted))

    def _simulate(
        self, first: dict[InstrumentId, date], closes: dict[InstrumentId, float]
    ) -> list[BarSeries | TickSeries]:
        """The next horizon of every instrument; ``closes`` holds each one's last close
        (read to continue, updated for the next horizon)."""
        markets: dict[InstrumentId, SimulatedMarket] = {}
        for instrument_id, day in first.items():
            end = day + self._horizon - timedelta(days=1)
            before = closes.get(instrument_id)
            (market,) = self._simulator.generate(
                [instrument_id],
                day,
                end,
                seed=self._seed if before is None else _horizon_seed(self._seed, day),
                with_ticks=True,
                start_prices=None if before is None else {instrument_id: before},
            )
            markets[instrument_id] = market
            if len(market.minute_bars):
                closes[instrument_id] = float(market.minute_bars.close[-1])
        series: list[BarSeries | TickSeries] = []
        for subscription in self._wanted:
            market = markets[subscription.instrument_id]
            if subscription.timeframe is None:
                assert market.ticks is not None  # generated with ticks
                series.append(market.ticks)
            else:
                series.append(
                    resample_bars(market.minute_bars, subscription.timeframe, market.sessions)
                )
        return series


def _horizon_seed(seed: int, first_day: date) -> int:
    """A seed of its own for the horizon starting on ``first_day``."""
    return zlib.crc32(f"{seed}:{first_day.isoformat()}".encode())


def _venue_date(instrument_id: InstrumentId, ts_ns: int) -> date:
    moment = datetime.fromtimestamp(ts_ns // NANOS_PER_SECOND, UTC)
    return (moment.astimezone(_KST) if instrument_id.venue in _KST_VENUES else moment).date()
