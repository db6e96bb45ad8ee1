"""The publishing side of the Redis Streams bus: XADDs sent in batches by one task.

``append`` returns once Redis has stored the entry, as a plain XADD would, but concurrent
publishers share round trips: everything queued while one pipeline is in flight goes out
in the next. That bounds the bus to one connection for publishing however many tasks
publish at once, and keeps each publisher's entries in the order it appended them.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from jts.messages.bus import BusClosed, BusError


@dataclass(frozen=True, slots=True)
class _Append:
    stream: str
    fields: dict[bytes, bytes]
    trim: dict[str, Any]  # maxlen= or minid=, approximate=True
    done: asyncio.Future[None]


class StreamAppender:
    """Queues XADDs and writes them a batch per round trip."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._queued: list[_Append] = []
        self._wakeup = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="bus:publish")

    async def stop(self) -> None:
        """Write whatever is queued, then stop."""
        if self._task is None:
            return
        self._stopping = True
        self._wakeup.set()
        await asyncio.wait((self._task,))
        self._task = None

    async def append(self, stream: str, fields: dict[bytes, bytes], trim: dict[str, Any]) -> None:
        """Append one entry to ``stream``; raises ``BusError`` if Redis refused or failed."""
        if self._task is None or self._task.done():
            raise BusClosed(f"cannot publish to {stream}: the bus has stopped publishing")
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queued.append(_Append(stream, fields, trim, done))
        self._wakeup.set()
        await done

    async def _run(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            if self._queued:
                batch, self._queued = self._queued, []
                await self._write(batch)
            if self._stopping and not self._queued:
                return

    async def _write(self, batch: list[_Append]) -> None:
        pipe = self._client.pipeline(transaction=False)
        for item in batch:
            pipe.xadd(item.stream, item.fields, **item.trim)
        try:
            results = await pipe.execute(raise_on_error=False)
        except Exception as e:
            results = [e] * len(batch)
        for item, result in zip(batch, results, strict=True):
            if item.done.done():
                continue  # the publisher was cancelled; the entry may still have been stored
            if isinstance(result, Exception):
                item.done.set_exception(
                    BusError(
                        f"publishing to {item.stream} failed: {type(result).__name__}: {result}"
                    )
                )
            else:
                item.done.set_result(None)
