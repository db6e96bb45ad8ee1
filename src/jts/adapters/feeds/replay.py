"""``ReplayFeed``: stored bars and trade ticks played back as a live feed.

The data comes from a ``SeriesSource``: the time-series store (``StoreSource``, which also
builds a timeframe that is not stored from a finer one that is) or CSV/Parquet files
(``FileSource``). On ``stream()`` the feed reads every subscribed series in
``[start_ns, end_ns)`` and plays the events in market-time order (a tick before a bar
closing at the same moment; subscriptions in the order they were made), each when its
``ts_event`` is due: ``speed`` 1 is real time, 60 plays an hour a minute, ``None`` as fast
as possible. Pacing reads the injected ``Clock`` and waits with the injected ``sleep``;
``ts_init`` of every message is the clock's time when it was emitted. Only bars and trade
ticks are stored, so only they can be replayed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from pathlib import Path
from typing import Protocol

from jts.adapters.feeds.series_rows import SeriesRows, merge_schedule
from jts.contexts.market_data.application.ports import BarStore, TickStore
from jts.contexts.market_data.domain.batch_aggregation import resample_bars
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.sessions import SessionWindows
from jts.contexts.market_data.domain.subscriptions import DataSubscription
from jts.contexts.market_data.domain.tick_series import TickSeries
from jts.messages.market_data import Bar, MarketDataEvent, TradeTick
from jts.shared_kernel.clock import NANOS_PER_SECOND, Clock
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

Sleep = Callable[[float], Awaitable[None]]
SessionsFor = Callable[[InstrumentId], SessionWindows]
_YIELD_EVERY = 1_000  # as-fast-as-possible replays still let other tasks run


class SeriesSource(Protocol):
    """Where replayed bars and ticks come from."""

    def bars(
        self,
        instrument_id: InstrumentId,
        timeframe: Timeframe,
        start_ns: int | None,
        end_ns: int | None,
    ) -> BarSeries: ...

    def ticks(
        self, instrument_id: InstrumentId, start_ns: int | None, end_ns: int | None
    ) -> TickSeries: ...


class StoreSource:
    """Series from the time-series store. A timeframe that is not stored is rolled up from
    the finest stored one that divides it (needs ``sessions_for``)."""

    def __init__(
        self,
        bars: BarStore,
        ticks: TickStore | None = None,
        *,
        sessions_for: SessionsFor | None = None,
    ) -> None:
        self._bars = bars
        self._ticks = ticks
        self._sessions_for = sessions_for

    def bars(
        self,
        instrument_id: InstrumentId,
        timeframe: Timeframe,
        start_ns: int | None,
        end_ns: int | None,
    ) -> BarSeries:
        stored = self._bars.read_bars(instrument_id, timeframe, start_ns=start_ns, end_ns=end_ns)
        if len(stored) or self._sessions_for is None:
            return stored
        finer = sorted(
            s.timeframe
            for s in self._bars.list_bars()
            if s.instrument_id == instrument_id
            and s.timeframe is not None
            and s.timeframe < timeframe
            and timeframe.seconds % s.timeframe.seconds == 0
        )
        if not finer:
            return stored
        source = self._bars.read_bars(instrument_id, finer[0], start_ns=start_ns, end_ns=end_ns)
        return resample_bars(source, timeframe, self._sessions_for(instrument_id))

    def ticks(
        self, instrument_id: InstrumentId, start_ns: int | None, end_ns: int | None
    ) -> TickSeries:
        if self._ticks is None:
            raise ValueError(f"this replay has no tick store to read {instrument_id} ticks from")
        return self._ticks.read_ticks(instrument_id, start_ns=start_ns, end_ns=end_ns)


class FileSource:
    """Series from CSV/Parquet files: one file per (instrument, timeframe), ``None`` as the
    timeframe for a ticks file."""

    def __init__(
        self, files: Mapping[tuple[InstrumentId, Timeframe | None], Path], *, timezone: str = "UTC"
    ) -> None:
        self._files = dict(files)
        self._timezone = timezone

    def bars(
        self,
        instrument_id: InstrumentId,
        timeframe: Timeframe,
        start_ns: int | None,
        end_ns: int | None,
    ) -> BarSeries:
        from jts.adapters.timeseries.files import read_bars_file

        path = self._path(instrument_id, timeframe)
        series = read_bars_file(path, instrument_id, timeframe, timezone=self._timezone)
        return series.between(start_ns, end_ns)

    def ticks(
        self, instrument_id: InstrumentId, start_ns: int | None, end_ns: int | None
    ) -> TickSeries:
        from jts.adapters.timeseries.tick_files import read_ticks_file

        path = self._path(instrument_id, None)
        return read_ticks_file(path, instrument_id, timezone=self._timezone).between(
            start_ns, end_ns
        )

    def _path(self, instrument_id: InstrumentId, timeframe: Timeframe | None) -> Path:
        try:
            return self._files[(instrument_id, timeframe)]
        except KeyError:
            what = f"{timeframe} bars" if timeframe is not None else "ticks"
            raise ValueError(f"no file was given for {instrument_id} {what}") from None


class ReplayFeed:
    """A ``MarketDataFeed`` playing stored data back (see the module docstring)."""

    def __init__(
        self,
        source: SeriesSource,
        *,
        clock: Clock,
        start_ns: int | None = None,
        end_ns: int | None = None,
        speed: float | None = 1.0,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if speed is not None and not speed > 0:
            raise ValueError(
                f"replay speed {speed} must be positive (or None: as fast as possible)"
            )
        self._source = source
        self._clock = clock
        self._range = (start_ns, end_ns)
        self._speed = speed
        self._sleep = sleep
        self._wanted: list[DataSubscription] = []
        self._closed = False
        self.emitted = 0

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
            raise ValueError(f"{subscription}: a replay holds bars and trade ticks only")
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
        """Every subscribed event of the range, paced (read when the stream starts)."""
        series = [self._load(subscription) for subscription in self._wanted]
        times, sources = merge_schedule(series)
        if not len(times):
            return
        rows = [SeriesRows(one) for one in series]
        wall_start, market_start = self._clock.now_ns(), int(times[0])
        for emitted, (ts, source) in enumerate(zip(times.tolist(), sources.tolist(), strict=True)):
            if self.closed:
                return
            await self._wait(wall_start, market_start, ts, emitted)
            self.emitted += 1
            yield rows[source].take(self._clock.now_ns())

    def _load(self, subscription: DataSubscription) -> BarSeries | TickSeries:
        start_ns, end_ns = self._range
        if subscription.timeframe is None:
            return self._source.ticks(subscription.instrument_id, start_ns, end_ns)
        return self._source.bars(
            subscription.instrument_id, subscription.timeframe, start_ns, end_ns
        )

    async def _wait(self, wall_start: int, market_start: int, ts: int, emitted: int) -> None:
        if self._speed is None:
            if emitted and emitted % _YIELD_EVERY == 0:
                await self._sleep(0)
            return
        due = wall_start + int((ts - market_start) / self._speed)
        delay = due - self._clock.now_ns()
        if delay > 0:
            await self._sleep(delay / NANOS_PER_SECOND)
