"""The worker pool behind one subscription: bounded queues, one worker task per queue.

Items are sharded across the queues by the hash of their ordering key, so items with the
same key are handled one after another in arrival order while different keys proceed
concurrently. No task is created per item: each worker loops over its own queue. The
queues are plain deques with one waiting future at a time (a worker waiting for an item,
or producers waiting for room), which keeps the per-item cost well below
``asyncio.Queue``'s: this is the hot path of every in-process message.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from jts.adapters.bus.tasks import stop_tasks
from jts.messages.bus import Overflow

logger = logging.getLogger(__name__)

T = TypeVar("T")


class _Shard(Generic[T]):
    """One bounded queue and whoever waits on it."""

    __slots__ = ("getter", "items", "limit", "putters")

    def __init__(self, limit: int) -> None:
        self.items: deque[T] = deque()
        self.limit = limit
        self.getter: asyncio.Future[None] | None = None  # its worker, waiting for an item
        self.putters: deque[asyncio.Future[None]] = deque()  # producers waiting for room


class WorkerPool(Generic[T]):
    """``workers`` queues of ``queue_size`` items each, drained by ``process``.

    ``process`` should handle its own failures; anything that escapes it is logged and the
    worker carries on. ``on_drop`` is told about each item discarded by
    ``Overflow.DROP_OLDEST``.
    """

    def __init__(
        self,
        process: Callable[[T], Awaitable[None]],
        *,
        workers: int,
        queue_size: int,
        overflow: Overflow,
        label: str,
        on_drop: Callable[[T], None] | None = None,
    ) -> None:
        self._process = process
        self._shards: list[_Shard[T]] = [_Shard(queue_size) for _ in range(workers)]
        self._drop_oldest = overflow is Overflow.DROP_OLDEST
        self._on_drop = on_drop
        self._label = label
        self._tasks: list[asyncio.Task[None]] = []
        self._stopped = False
        self._pending = 0  # put and not yet finished (queued or being processed)
        self._idle_waiters: list[asyncio.Future[None]] = []
        self.dropped = 0
        self.capacity = workers * queue_size

    def start(self) -> None:
        """Start one worker task per queue (needs a running event loop)."""
        if not self._tasks:
            self._tasks = [
                asyncio.create_task(self._work(shard), name=f"bus:{self._label}:{index}")
                for index, shard in enumerate(self._shards)
            ]

    @property
    def queued(self) -> int:
        """Items waiting in the queues (not counting those being processed)."""
        return sum(len(shard.items) for shard in self._shards)

    @property
    def idle(self) -> bool:
        """Whether every item put so far has been processed."""
        return self._pending == 0

    async def put(self, item: T, key_hash: int) -> None:
        """Queue ``item`` on the shard of ``key_hash``; wait or drop when that queue is full."""
        shards = self._shards
        shard = shards[0] if len(shards) == 1 else shards[key_hash % len(shards)]
        self._pending += 1
        if len(shard.items) >= shard.limit:
            if self._drop_oldest:
                self._drop_from(shard)
            elif not await self._wait_for_room(shard):
                return
        shard.items.append(item)
        getter = shard.getter
        if getter is not None:
            shard.getter = None
            if not getter.done():
                getter.set_result(None)

    async def join(self) -> None:
        """Wait until every item put so far has been processed."""
        while self._pending:
            waiter = asyncio.get_running_loop().create_future()
            self._idle_waiters.append(waiter)
            await waiter

    async def stop(self, *, grace_s: float) -> None:
        """Let the workers finish what is queued for up to ``grace_s``, then cancel them;
        producers still waiting for room give up."""
        if grace_s > 0:
            try:
                async with asyncio.timeout(grace_s):
                    await self.join()
            except TimeoutError:
                logger.warning(
                    "bus subscriber %s stopped with %d messages unprocessed after %.1fs",
                    self._label,
                    self._pending,
                    grace_s,
                )
        self._stopped = True
        for shard in self._shards:
            while shard.putters:
                self._wake(shard.putters.popleft())
        await stop_tasks(self._tasks)
        self._tasks = []

    def _drop_from(self, shard: _Shard[T]) -> None:
        oldest = shard.items.popleft()
        self.dropped += 1
        self._finished()
        if self._on_drop is not None:
            self._on_drop(oldest)

    async def _wait_for_room(self, shard: _Shard[T]) -> bool:
        # The slow path. False when the pool stopped meanwhile: the item is given up, so a
        # producer never waits forever on a subscriber that has gone away.
        while len(shard.items) >= shard.limit:
            if self._stopped:
                self._finished()
                return False
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            shard.putters.append(waiter)
            try:
                await waiter
            except BaseException:
                if waiter in shard.putters:
                    shard.putters.remove(waiter)
                elif shard.putters and len(shard.items) < shard.limit:
                    self._wake(shard.putters.popleft())  # pass the room on
                self._finished()
                raise
        return True

    async def _work(self, shard: _Shard[T]) -> None:
        loop = asyncio.get_running_loop()
        items = shard.items
        process = self._process
        while True:
            while not items:
                getter: asyncio.Future[None] = loop.create_future()
                shard.getter = getter
                await getter
            item = items.popleft()
            if shard.putters:
                self._wake(shard.putters.popleft())
            try:
                await process(item)
            except Exception:
                logger.exception("bus subscriber %s: unexpected failure", self._label)
            finally:
                self._finished()

    def _finished(self) -> None:
        self._pending -= 1
        if self._pending == 0 and self._idle_waiters:
            waiters, self._idle_waiters = self._idle_waiters, []
            for waiter in waiters:
                self._wake(waiter)

    @staticmethod
    def _wake(waiter: asyncio.Future[None]) -> None:
        if not waiter.done():
            waiter.set_result(None)
