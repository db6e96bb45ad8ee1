"""``StreamingFeed``: the reconnect-and-resubscribe loop every venue feed shares.

A venue feed is a ``FeedTransport`` (how to open a connection: WebSocket URL, login,
subscription messages) plus this loop, which owns everything that is the same for every
venue:

- **Subscriptions** are kept in a ``SubscriptionSet``; ``subscribe`` sends to the live
  connection when there is one, and every new connection is sent all of them first.
- **Reconnects.** A connection that fails (``ConnectionLost`` or any
  ``TransientVenueError`` or ``OSError``), or that is silent for ``idle_timeout_s`` (not
  even a heartbeat), is dropped and reopened after an exponential backoff with jitter
  (``ReconnectPolicy``; the randomness is the injected ``random.Random``). A
  ``PermanentVenueError`` (bad credentials, say) ends the stream instead.
- **Health.** When a connection drops, ``stream()`` yields ``FeedStale(DISCONNECTED)`` for
  every subscribed instrument; the first data for an instrument after the reconnect is
  preceded by its ``FeedRecovered``. Heartbeats are reported to ``on_heartbeat`` (the
  feed-health watchdog) so a live connection whose data stopped can be told apart.
- **Normalization.** Payloads go through the venue's ``VenueNormalizer``; ``stream()``
  yields messages, ``frames()`` the raw payloads for the collector's batched path.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from jts.contexts.market_data.domain.normalization import TradeRecord
from jts.contexts.market_data.domain.normalizer import VenueNormalizer
from jts.contexts.market_data.domain.subscriptions import DataSubscription, SubscriptionSet
from jts.messages.market_data import (
    FeedRecovered,
    FeedStale,
    FeedStaleReason,
    MarketDataEvent,
)
from jts.shared_kernel.clock import Clock
from jts.shared_kernel.errors import TransientVenueError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

logger = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
HeartbeatHandler = Callable[[str, int], None]


class ConnectionLost(TransientVenueError):
    """The venue connection closed or broke; the feed reconnects."""


class FeedConnection(Protocol):
    """One open connection to a venue's market data service."""

    async def subscribe(self, subscriptions: Sequence[DataSubscription]) -> None: ...

    async def unsubscribe(self, subscriptions: Sequence[DataSubscription]) -> None: ...

    async def receive(self) -> bytes | None:
        """The next payload, or ``None`` for a heartbeat (ping/pong); raises
        ``ConnectionLost`` when the connection is gone."""
        ...

    async def close(self) -> None: ...


class FeedTransport(Protocol):
    """Opens connections to one venue's market data service."""

    @property
    def name(self) -> str:
        """The feed's name in logs and health events (``binance-spot``)."""
        ...

    async def connect(self) -> FeedConnection: ...


@dataclass(frozen=True)
class ReconnectPolicy:
    """Backoff between connection attempts and how long silence may last."""

    initial_delay_s: float = 0.5
    max_delay_s: float = 30.0
    multiplier: float = 2.0
    jitter: float = 0.2
    idle_timeout_s: float = 60.0
    max_attempts: int | None = None

    def delay_s(self, attempt: int, rng: random.Random) -> float:
        """The wait before attempt ``attempt`` (1 = the first retry), jittered by +-jitter."""
        base = min(self.max_delay_s, self.initial_delay_s * self.multiplier ** (attempt - 1))
        return base * (1.0 + self.jitter * (2.0 * rng.random() - 1.0))


@dataclass
class FeedStats:
    connects: int = 0
    disconnects: int = 0
    frames: int = 0
    heartbeats: int = 0


class StreamingFeed:
    """A ``MarketDataFeed`` over a venue ``FeedTransport`` (see the module docstring)."""

    def __init__(
        self,
        transport: FeedTransport,
        normalizer: VenueNormalizer,
        *,
        clock: Clock,
        rng: random.Random,
        policy: ReconnectPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
        on_heartbeat: HeartbeatHandler | None = None,
    ) -> None:
        self.transport = transport
        self.normalizer = normalizer
        self.policy = policy or ReconnectPolicy()
        self.stats = FeedStats()
        self._clock = clock
        self._rng = rng
        self._sleep = sleep
        self._on_heartbeat = on_heartbeat
        self._wanted = SubscriptionSet()
        self._connection: FeedConnection | None = None
        self._lost: dict[InstrumentId, int] = {}
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
        if self._wanted.add(subscription) and self._connection is not None:
            await self._connection.subscribe([subscription])

    async def unsubscribe(
        self,
        instrument_id: InstrumentId,
        data: type[MarketDataEvent],
        *,
        timeframe: Timeframe | None = None,
    ) -> None:
        subscription = DataSubscription.of(instrument_id, data, timeframe)
        if self._wanted.discard(subscription) and self._connection is not None:
            await self._connection.unsubscribe([subscription])

    @property
    def closed(self) -> bool:
        return self._closed

    async def close(self) -> None:
        self._closed = True
        await self._drop()

    async def frames(self) -> AsyncIterator[tuple[int, bytes]]:
        """Raw payloads with their receive time, across reconnects."""
        async for item in self._items():
            if isinstance(item, tuple):
                yield item

    async def stream(self) -> AsyncIterator[MarketDataEvent]:
        async for item in self._items():
            if not isinstance(item, tuple):
                yield item
                continue
            received_ns, payload = item
            for record in self.normalizer.normalize(payload, received_ns):
                event = record.to_message(received_ns) if type(record) is TradeRecord else record
                assert isinstance(event, MarketDataEvent)
                if self._wanted.wants(event):
                    since = self._lost.pop(event.instrument_id, None)
                    if since is not None:
                        yield FeedRecovered(
                            instrument_id=event.instrument_id,
                            stale_since_ns=since,
                            ts_event=received_ns,
                            ts_init=received_ns,
                        )
                    yield event

    async def _items(self) -> AsyncIterator[tuple[int, bytes] | FeedStale]:
        while not self._closed:
            connection = self._connection or await self._connect()
            if connection is None:
                return
            try:
                payload = await asyncio.wait_for(
                    connection.receive(), timeout=self.policy.idle_timeout_s
                )
            except (TransientVenueError, OSError, TimeoutError) as e:
                if self.closed:  # close() broke the connection on purpose
                    return
                for event in await self._lost_connection(e):
                    yield event
                continue
            now = self._clock.now_ns()
            if payload is None:
                self.stats.heartbeats += 1
                if self._on_heartbeat is not None:
                    self._on_heartbeat(self.transport.name, now)
                continue
            self.stats.frames += 1
            yield now, payload

    async def _connect(self) -> FeedConnection | None:
        attempt = 0
        while not self._closed:
            try:
                connection = await self.transport.connect()
                if len(self._wanted):
                    await connection.subscribe(list(self._wanted))
            except (TransientVenueError, OSError, TimeoutError) as e:
                attempt += 1
                if self.policy.max_attempts is not None and attempt >= self.policy.max_attempts:
                    raise
                delay = self.policy.delay_s(attempt, self._rng)
                name = self.transport.name
                logger.warning("%s: connect failed (%s); retry in %.1fs", name, e, delay)
                await self._sleep(delay)
                continue
            self.stats.connects += 1
            self._connection = connection
            return connection
        return None

    async def _lost_connection(self, error: BaseException) -> list[FeedStale]:
        why = str(error) or type(error).__name__
        logger.warning("%s: connection lost (%s); reconnecting", self.transport.name, why)
        self.stats.disconnects += 1
        await self._drop()
        now = self._clock.now_ns()
        events = []
        for instrument_id in sorted(self._wanted.instruments(), key=str):
            if instrument_id in self._lost:
                continue
            self._lost[instrument_id] = now
            events.append(
                FeedStale(
                    instrument_id=instrument_id,
                    reason=FeedStaleReason.DISCONNECTED,
                    detail=f"{self.transport.name}: {why}",
                    ts_event=now,
                    ts_init=now,
                )
            )
        await self._sleep(self.policy.delay_s(1, self._rng))
        return events

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                await connection.close()
            except (TransientVenueError, OSError) as e:
                logger.debug("%s: closing a broken connection: %s", self.transport.name, e)
