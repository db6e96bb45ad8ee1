"""A scripted venue transport for feed tests: each connection plays a list of frames."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from jts.adapters.feeds.base import ConnectionLost
from jts.contexts.market_data.domain.subscriptions import DataSubscription
from jts.shared_kernel.clock import NANOS_PER_SECOND, TestClock

Step = bytes | None | BaseException  # a payload, a heartbeat, or a failure to raise


class FakeConnection:
    def __init__(self, script: list[Step]) -> None:
        self.script = list(script)
        self.subscribed: list[list[DataSubscription]] = []
        self.unsubscribed: list[list[DataSubscription]] = []
        self.closed = False
        self._hang = asyncio.Event()

    async def subscribe(self, subscriptions: Sequence[DataSubscription]) -> None:
        self.subscribed.append(list(subscriptions))

    async def unsubscribe(self, subscriptions: Sequence[DataSubscription]) -> None:
        self.unsubscribed.append(list(subscriptions))

    async def receive(self) -> bytes | None:
        if self.closed:
            raise ConnectionLost("closed", venue="FAKE")
        if not self.script:
            await self._hang.wait()  # silent until closed
            raise ConnectionLost("closed", venue="FAKE")
        step = self.script.pop(0)
        if isinstance(step, BaseException):
            raise step
        await asyncio.sleep(0)
        return step

    async def close(self) -> None:
        self.closed = True
        self._hang.set()


class FakeTransport:
    """Hands out one connection per script; ``refusals`` connect attempts fail first."""

    name = "fake-feed"

    def __init__(self, *scripts: list[Step], refusals: int = 0) -> None:
        self.scripts = list(scripts)
        self.refusals = refusals
        self.connections: list[FakeConnection] = []
        self.attempts = 0

    async def connect(self) -> FakeConnection:
        self.attempts += 1
        if self.refusals:
            self.refusals -= 1
            raise ConnectionLost("connection refused", venue="FAKE")
        connection = FakeConnection(self.scripts.pop(0) if self.scripts else [])
        self.connections.append(connection)
        return connection


class FakeSleep:
    """Records each wait and moves the test clock on by it."""

    def __init__(self, clock: TestClock) -> None:
        self.clock = clock
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.clock.advance_ns(round(seconds * NANOS_PER_SECOND))
        await asyncio.sleep(0)
