"""The worker pool behind one subscription: bounded queues, one worker task per queue.

Items are sharded across the queues by the hash of their ordering key, so items with the
same key are handled one after another in arrival order while different keys proceed
concurrently. No task is created per item: each worker loops over its own queue.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from jts.adapters.bus.tasks import stop_tasks
from jts.messages.bus import Overflow

logger = logging.getLogger(__name__)

T = TypeVar("T")


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
        self._queues: list[asyncio.Queue[T]] = [asyncio.Queue(queue_size) for _ in range(workers)]
        self._drop_oldest = overflow is Overflow.DROP_OLDEST
        self._on_drop = on_drop
        self._label = label
        self._tasks: list[asyncio.Task[None]] = []
        self._stopped: asyncio.Future[None] | None = None
        self._pending = 0  # put and not yet finished (queued or being processed)
        self.dropped = 0
        self.capacity = workers * queue_size

    def start(self) -> None:
        """Start one worker task per queue (needs a running event loop)."""
        if self._tasks:
            return
        self._stopped = asyncio.get_running_loop().create_future()
        self._tasks = [
            asyncio.create_task(self._work(queue), name=f"bus:{self._label}:{index}")
            for index, queue in enumerate(self._queues)
        ]

    @property
    def queued(self) -> int:
        """Items waiting in the queues (not counting those being processed)."""
        return sum(queue.qsize() for queue in self._queues)

    @property
    def idle(self) -> bool:
        """Whether every item put so far has been processed."""
        return self._pending == 0

    async def put(self, item: T, key_hash: int) -> None:
        """Queue ``item`` on the shard of ``key_hash``; wait or drop when that queue is full."""
        queues = self._queues
        queue = queues[0] if len(queues) == 1 else queues[key_hash % len(queues)]
        self._pending += 1
        try:
            queue.put_nowait(item)
        except asyncio.QueueFull:
            if self._drop_oldest:
                self._drop_from(queue)
                queue.put_nowait(item)
            else:
                await self._put_when_space(queue, item)

    async def _put_when_space(self, queue: asyncio.Queue[T], item: T) -> None:
        # The slow path: wait for space, but give up if the pool stops meanwhile, so a
        # producer never waits forever on a subscriber that has gone away.
        put = asyncio.ensure_future(queue.put(item))
        waiters = (put,) if self._stopped is None else (put, self._stopped)
        try:
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            if not put.done():
                put.cancel()
                self._pending -= 1

    def _drop_from(self, queue: asyncio.Queue[T]) -> None:
        oldest = queue.get_nowait()
        queue.task_done()
        self._pending -= 1
        self.dropped += 1
        if self._on_drop is not None:
            self._on_drop(oldest)

    async def join(self) -> None:
        """Wait until every queued item has been processed."""
        for queue in self._queues:
            await queue.join()

    async def stop(self, *, grace_s: float) -> None:
        """Let the workers finish what is queued for up to ``grace_s``, then cancel them."""
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
        if self._stopped is not None and not self._stopped.done():
            self._stopped.set_result(None)
        await stop_tasks(self._tasks)
        self._tasks = []

    async def _work(self, queue: asyncio.Queue[T]) -> None:
        process = self._process
        while True:
            item = await queue.get()
            try:
                await process(item)
            except Exception:
                logger.exception("bus subscriber %s: unexpected failure", self._label)
            finally:
                self._pending -= 1
                queue.task_done()
