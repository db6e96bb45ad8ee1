"""The writes one Redis Streams consumer makes after handling: acknowledgements, "processed"
marks, replies and dead letters.

Acknowledgements are batched: workers queue them and one writer task sends everything
queued since its last round trip in a single MULTI/EXEC, so the mark that a message was
processed and its XACK land together and a busy consumer pays one round trip per batch
rather than per message. An entry stays pending in Redis until its batch is written; if
the process dies first, the entry is redelivered (at-least-once).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from jts.adapters.bus.redis_layout import (
    FIELD_ERROR,
    FIELD_MESSAGE,
    FIELD_REQUEST_ID,
    DeliveryPolicy,
    StreamLayout,
)
from jts.messages.base import Message
from jts.messages.codec import MessageCodec
from jts.shared_kernel.clock import NANOS_PER_MILLI, Clock

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Entry:
    """A decoded stream entry waiting for, or in, a worker."""

    stream: bytes
    entry_id: bytes
    message: Message
    reply_to: bytes | None


@dataclass(frozen=True, slots=True)
class RedisContext:
    """What every subscription of one bus shares."""

    client: Any  # redis.asyncio.Redis (bytes responses)
    layout: StreamLayout
    codec: MessageCodec
    policy: DeliveryPolicy
    clock: Clock


@dataclass(frozen=True, slots=True)
class _Write:
    entry: Entry
    mark_done: bool  # record the message id as processed by the group
    reply: dict[bytes, bytes] | None  # reply entry for the requester's inbox


class GroupWriter:
    """Batched writes for consumer group ``group``.

    ``on_written(entry, processed=...)`` hears of every entry whose acknowledgement reached
    Redis (or failed to: it is then redelivered later); ``processed`` tells a handled entry
    from a skipped one.
    """

    def __init__(
        self,
        context: RedisContext,
        group: str,
        *,
        on_written: Callable[..., None],
    ) -> None:
        self._context = context
        self._group = group
        self._on_written = on_written
        self._queued: list[_Write] = []
        self._wakeup = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"bus:ack:{self._group}")

    async def stop(self) -> None:
        """Write whatever is queued, then stop."""
        if self._task is None:
            return
        self._stopping = True
        self._wakeup.set()
        await asyncio.wait((self._task,))
        self._task = None

    def processed(
        self, entry: Entry, *, answer: bool, reply: Message | None, error: str | None
    ) -> None:
        """Acknowledge ``entry`` as processed; when ``answer`` (this group serves requests)
        and the entry is a request, send ``reply``, or ``error`` if the responder failed."""
        fields = None
        if answer and entry.reply_to is not None:
            fields = self._reply_fields(entry, reply, error)
        self._queue(_Write(entry, True, fields))

    def skipped(self, entries: Iterable[Entry]) -> None:
        """Acknowledge entries without handling them (duplicates, dropped by overflow)."""
        for entry in entries:
            self._queue(_Write(entry, False, None))

    async def dead_letter(
        self, stream: bytes, entry_id: bytes, fields: dict[bytes, bytes], reason: str
    ) -> None:
        """Move an entry nobody can process to the dead-letter stream and acknowledge it."""
        layout = self._context.layout
        record: dict[Any, Any] = {
            **fields,
            b"stream": stream,
            b"id": entry_id,
            b"group": self._group,
            b"reason": reason,
        }
        pipe = self._context.client.pipeline(transaction=True)
        pipe.xadd(layout.dead_letter, record, maxlen=layout.dead_letter_max_len)
        pipe.xack(stream, self._group, entry_id)
        await pipe.execute()

    def _queue(self, write: _Write) -> None:
        self._queued.append(write)
        self._wakeup.set()

    async def _run(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            if self._queued:
                batch, self._queued = self._queued, []
                await self._write(batch)
            if self._stopping and not self._queued:
                return

    async def _write(self, batch: list[_Write]) -> None:
        policy = self._context.policy
        pipe = self._context.client.pipeline(transaction=True)
        self._mark_processed(pipe, [w.entry for w in batch if w.mark_done])
        acks: dict[bytes, list[bytes]] = {}
        for write in batch:
            acks.setdefault(write.entry.stream, []).append(write.entry.entry_id)
        for stream, entry_ids in acks.items():
            pipe.xack(stream, self._group, *entry_ids)
        for write in batch:
            reply_to = write.entry.reply_to
            if write.reply is not None and reply_to is not None:
                pipe.xadd(reply_to, write.reply)
                pipe.expire(reply_to, policy.reply_ttl_s)
        try:
            await pipe.execute()
        except Exception:
            logger.exception(
                "bus subscriber %s: acknowledging %d entries failed; they will be redelivered",
                self._group,
                len(batch),
            )
        for write in batch:
            self._on_written(write.entry, processed=write.mark_done)

    def _mark_processed(self, pipe: Any, entries: list[Entry]) -> None:
        if not entries:
            return
        ttl_s = self._context.policy.dedup_ttl_s
        now_ms = self._context.clock.now_ns() // NANOS_PER_MILLI
        done = self._context.layout.done(self._group)
        pipe.zadd(done, {entry.message.id.hex: now_ms for entry in entries})
        pipe.zremrangebyscore(done, "-inf", f"({now_ms - ttl_s * 1_000}")
        pipe.expire(done, ttl_s)

    def _reply_fields(
        self, entry: Entry, reply: Message | None, error: str | None
    ) -> dict[bytes, bytes]:
        fields = {FIELD_REQUEST_ID: entry.message.id.hex.encode()}
        if error is None and not isinstance(reply, Message):
            error = f"responder {self._group!r} returned {type(reply).__name__}, not a Message"
        if error is not None:
            fields[FIELD_ERROR] = error.encode()
        elif reply is not None:
            fields[FIELD_MESSAGE] = self._context.codec.to_msgpack(reply)
        return fields
