"""The reply side of request/reply over Redis Streams.

Each bus that sends requests owns one inbox stream (``<prefix>:reply:<bus id>``); a request
entry names it in its ``r`` field and the responder appends the reply there, tagged with
the request's id. One task reads the inbox and completes the matching waiter. The inbox is
deleted on close; responders give it an expiry so a crashed requester's inbox goes away.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

import msgspec
from redis.asyncio import Redis

from jts.adapters.bus.redis_layout import FIELD_ERROR, FIELD_MESSAGE, FIELD_REQUEST_ID
from jts.adapters.bus.tasks import stop_tasks
from jts.messages.base import Message
from jts.messages.bus import BusClosed, RequestFailed
from jts.messages.codec import MessageCodec

logger = logging.getLogger(__name__)

_BATCH = 100


class ReplyInbox:
    """Waiters for replies, keyed by request id, fed by one reader task."""

    def __init__(self, client: Redis, key: str, codec: MessageCodec, *, block_ms: int) -> None:
        self.key = key
        self._client = client
        self._codec = codec
        self._block_ms = block_ms
        self._waiting: dict[bytes, asyncio.Future[Message]] = {}
        self._reader: asyncio.Task[None] | None = None
        self._stopping = False

    def expect(self, request_id: uuid.UUID) -> asyncio.Future[Message]:
        """A future completed by the reply to ``request_id``; starts the reader if needed."""
        token = request_id.hex.encode()
        if token in self._waiting:
            raise ValueError(f"a request with id {request_id} is already waiting for a reply")
        future: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        self._waiting[token] = future
        if self._reader is None:
            self._reader = asyncio.create_task(self._read(), name=f"bus:inbox:{self.key}")
        return future

    def forget(self, request_id: uuid.UUID) -> None:
        self._waiting.pop(request_id.hex.encode(), None)

    async def close(self) -> None:
        """Stop reading, delete the inbox and fail whoever still waits."""
        if self._reader is not None:
            self._stopping = True
            await stop_tasks((self._reader,))
            self._reader = None
            try:
                await self._client.delete(self.key)
            except Exception:
                logger.warning("could not delete reply inbox %s", self.key, exc_info=True)
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(BusClosed("the bus closed before the reply arrived"))
        self._waiting.clear()

    async def _read(self) -> None:
        last_id: bytes | str = "0-0"  # the inbox is new: read it from the start
        while not self._stopping:
            try:
                response: Any = await self._client.xread(
                    {self.key: last_id}, count=_BATCH, block=self._block_ms
                )
            except Exception:
                logger.exception("reply inbox %s: read failed; retrying", self.key)
                await asyncio.sleep(self._block_ms / 1000)
                continue
            for _stream, entries in response or ():
                for entry_id, fields in entries:
                    last_id = entry_id
                    self._resolve(fields)

    def _resolve(self, fields: dict[bytes, Any]) -> None:
        future = self._waiting.get(fields.get(FIELD_REQUEST_ID, b""))
        if future is None or future.done():
            return  # the requester gave up (timed out) or the reply is a duplicate
        error = fields.get(FIELD_ERROR)
        if error is not None:
            future.set_exception(RequestFailed(error.decode(errors="replace")))
            return
        try:
            future.set_result(self._codec.from_msgpack(fields[FIELD_MESSAGE]))
        except (KeyError, msgspec.DecodeError) as e:
            future.set_exception(RequestFailed(f"the reply could not be decoded: {e}"))
