"""Ports the market data context needs from the outside world.

``BarStore`` and ``TickStore`` are the time-series store: DuckDB embedded by default,
ClickHouse for scale, an in-memory fake for tests; all pass one contract suite
(``tests/contract/test_timeseries_store.py``). Calls are synchronous: the embedded store
answers in microseconds to milliseconds, and a networked store runs them in a worker thread.

Semantics every implementation keeps:

- Appends are batches (a whole series at once) and idempotent: a bar is keyed by
  ``(instrument, timeframe, ts_start)``, a tick by ``(instrument, ts_event, sequence)``; a
  newer row replaces a stored one with the same key.
- Reads take a half-open range ``[start_ns, end_ns)`` on ``ts_start`` (bars) or ``ts_event``
  (ticks); ``None`` leaves that side open. Nothing stored gives an empty series.
- Values round-trip exactly: what ``to_bars()`` gives back equals what was appended.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Literal, Protocol

import msgspec

from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.subscriptions import DataSubscription
from jts.contexts.market_data.domain.tick_series import TickSeries
from jts.messages.market_data import MarketDataEvent
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe


class StoredSeries(msgspec.Struct, frozen=True, kw_only=True):
    """What a store holds for one series: bars of one instrument and timeframe, or ticks of
    one instrument (``timeframe`` is ``None``), with the count and time range of the rows."""

    kind: Literal["bars", "ticks"]
    instrument_id: InstrumentId
    timeframe: Timeframe | None
    count: int
    first_ts: int
    last_ts: int


class BarStore(Protocol):
    """Bars by instrument and timeframe, appended in batches and read by time range."""

    def append_bars(self, series: BarSeries) -> None:
        """Store every bar of ``series``, replacing stored bars with the same ``ts_start``."""
        ...

    def read_bars(
        self,
        instrument_id: InstrumentId,
        timeframe: Timeframe,
        *,
        start_ns: int | None = None,
        end_ns: int | None = None,
    ) -> BarSeries:
        """The stored bars with ``start_ns <= ts_start < end_ns``, in time order."""
        ...

    def list_bars(self) -> list[StoredSeries]:
        """One entry per stored (instrument, timeframe), ordered by instrument then timeframe."""
        ...


class TickStore(Protocol):
    """Trade ticks by instrument, appended in batches and read by time range."""

    def append_ticks(self, series: TickSeries) -> None:
        """Store every tick, replacing stored ticks with the same ``(ts_event, sequence)``."""
        ...

    def read_ticks(
        self,
        instrument_id: InstrumentId,
        *,
        start_ns: int | None = None,
        end_ns: int | None = None,
    ) -> TickSeries:
        """The stored ticks with ``start_ns <= ts_event < end_ns``, in order."""
        ...

    def list_ticks(self) -> list[StoredSeries]:
        """One entry per instrument with stored ticks, ordered by instrument."""
        ...


class TimeSeriesStore(BarStore, TickStore, Protocol):
    """A store that holds both bars and ticks (what the CLI and the simulator write to)."""


class MarketDataFeed(Protocol):
    """Live or replayed market data from one source: subscribe, then iterate ``stream()``.

    ``data`` names the event type wanted (``TradeTick``, ``QuoteTick``, ``Bar`` with a
    ``timeframe``, ``OrderBookSnapshot``; see ``domain.subscriptions.DataSubscription``).
    ``stream()`` yields every subscribed event in the order the source produced it, health
    events (``FeedStale``/``FeedRecovered``) included, until the feed is closed. A feed that
    loses its connection reconnects by itself and subscribes to everything again
    (``jts.adapters.feeds.base``). Implementations: ``StreamingFeed`` (venue connections),
    ``ReplayFeed`` (the time-series store or files), ``SyntheticLiveFeed`` (the simulator).
    """

    async def subscribe(
        self,
        instrument_id: InstrumentId,
        data: type[MarketDataEvent],
        *,
        timeframe: Timeframe | None = None,
    ) -> None: ...

    async def unsubscribe(
        self,
        instrument_id: InstrumentId,
        data: type[MarketDataEvent],
        *,
        timeframe: Timeframe | None = None,
    ) -> None: ...

    def stream(self) -> AsyncIterator[MarketDataEvent]: ...

    @property
    def subscriptions(self) -> frozenset[DataSubscription]:
        """What the feed has been asked for (and asks for again after a reconnect)."""
        ...

    async def close(self) -> None:
        """Stop: the stream ends and any connection is released."""
        ...
