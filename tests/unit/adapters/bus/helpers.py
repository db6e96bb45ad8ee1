"""Builders and recorders shared by the bus unit, contract and integration tests."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from decimal import Decimal

from redis.asyncio import Redis

from jts.adapters.bus.redis_layout import DeliveryPolicy
from jts.adapters.bus.redis_streams import RedisStreamsEventBus
from jts.messages.base import Message
from jts.messages.enums import HealthStatus
from jts.messages.market_data import Bar, TradeTick
from jts.messages.system import HealthReported
from jts.shared_kernel.correlation import current_correlation_id
from jts.shared_kernel.identifiers import InstrumentId
from tests.unit.messages.samples import sample_bar

# Short timings so redelivery and dead-lettering happen within a test.
FAST_POLICY = DeliveryPolicy(
    block_ms=50, claim_idle_ms=300, max_deliveries=2, dedup_ttl_s=60, close_grace_s=2.0
)


def krx(number: int) -> InstrumentId:
    return InstrumentId.parse(f"{number:06d}.KRX")


def bar(instrument: InstrumentId | None = None, sequence: int = 0) -> Bar:
    """A KRX (or any venue's) one-minute bar; ``sequence`` sets its start time."""
    start = 60_000_000_000 * sequence
    return sample_bar(
        instrument_id=instrument or krx(5930),
        ts_start=start,
        ts_event=start + 60_000_000_000,
        ts_init=start + 60_000_000_000,
    )


def trade(instrument: str = "BTC-KRW.UPBIT", sequence: int = 0) -> TradeTick:
    return TradeTick(
        instrument_id=InstrumentId.parse(instrument),
        price=Decimal("95000000"),
        size=Decimal("0.01"),
        sequence=sequence,
        ts_event=sequence + 1,
        ts_init=sequence + 1,
    )


def health(component: str = "collector") -> HealthReported:
    return HealthReported(component=component, status=HealthStatus.OK, ts_event=1, ts_init=1)


class Recorder:
    """A handler that records what it receives (and the correlation id it ran under).

    ``fail_on`` names message ids it raises on; ``delay_s`` slows it down; ``gate``, when
    given, holds every call until the event is set; ``observe`` is sampled on every call.
    """

    def __init__(
        self,
        *,
        fail_on: frozenset[uuid.UUID] = frozenset(),
        delay_s: float = 0.0,
        gate: asyncio.Event | None = None,
        observe: Callable[[], int] | None = None,
    ) -> None:
        self.messages: list[Message] = []
        self.correlations: list[uuid.UUID | None] = []
        self.observed: list[int] = []
        self.calls = 0
        self._fail_on = fail_on
        self._delay_s = delay_s
        self._gate = gate
        self.observe = observe  # sampled at the start of every call

    async def __call__(self, message: Message) -> None:
        self.calls += 1
        if self.observe is not None:
            self.observed.append(self.observe())
        if self._gate is not None:
            await self._gate.wait()
        if self._delay_s:
            await asyncio.sleep(self._delay_s)
        if message.id in self._fail_on:
            raise RuntimeError(f"refusing {message.id} on purpose")
        self.messages.append(message)
        self.correlations.append(current_correlation_id())

    @property
    def ids(self) -> list[uuid.UUID]:
        return [m.id for m in self.messages]


async def wait_until(condition: Callable[[], bool], *, timeout_s: float = 5.0) -> None:
    """Poll ``condition`` until it holds; fail the test after ``timeout_s``."""
    async with asyncio.timeout(timeout_s):
        while True:  # polling: the conditions are counters, no event announces them
            if condition():
                return
            await asyncio.sleep(0.002)


async def delete_keys(url: str, prefix: str) -> None:
    """Delete every Redis key under ``prefix``."""
    client = Redis.from_url(url)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*", count=1000)]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@asynccontextmanager
async def redis_namespace(url: str) -> AsyncIterator[Callable[..., RedisStreamsEventBus]]:
    """A factory of unstarted Redis buses sharing one fresh stream prefix, whose keys are
    deleted afterwards."""
    prefix = f"jts-test-{uuid.uuid4().hex[:12]}"

    def make(**options: object) -> RedisStreamsEventBus:
        settings: dict[str, object] = {"stream_prefix": prefix, "policy": FAST_POLICY}
        settings.update(options)
        return RedisStreamsEventBus(url, **settings)  # type: ignore[arg-type]

    try:
        yield make
    finally:
        await delete_keys(url, prefix)
