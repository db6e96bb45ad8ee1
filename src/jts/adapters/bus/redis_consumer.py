"""One subscription of the Redis Streams bus: a consumer in a consumer group.

The subscription's name is the group (one per topic stream), so subscriptions sharing a
name, in any process, compete for entries. Its reader task XREADGROUPs only as many
entries as its local queues have room for, so a slow handler leaves the backlog in the
stream instead of in memory. Workers handle entries sharded by ordering key; the
``GroupWriter`` then marks each message id processed and XACKs it.

At-least-once: an entry whose handler raised, or whose consumer died, stays pending; a
claimer task XAUTOCLAIMs entries idle longer than ``claim_idle_ms`` and delivers them
again, up to ``max_deliveries`` times before moving them to the dead-letter stream.
Idempotency: before handling, entries whose message id the group has already processed
(a redelivery after a crash between handling and acknowledging, or the same message
published twice) are acknowledged and skipped. A redelivered entry can overtake later
entries of its key: ordering is per key and per delivery attempt. A request whose
responder raised is answered with the error and acknowledged, not retried.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable

import msgspec
from redis.exceptions import ResponseError

from jts.adapters.bus.pool import WorkerPool
from jts.adapters.bus.redis_layout import FIELD_KEY, FIELD_MESSAGE, FIELD_REPLY_TO, stream_id
from jts.adapters.bus.redis_writes import Entry, GroupWriter, RedisContext
from jts.adapters.bus.subscriptions import SubscriptionSpec, key_hash
from jts.adapters.bus.tasks import stop_tasks
from jts.messages.base import Message
from jts.messages.bus import Overflow
from jts.shared_kernel.clock import NANOS_PER_MILLI
from jts.shared_kernel.correlation import CORRELATION_ID

logger = logging.getLogger(__name__)

Consume = Callable[[Message], Awaitable[Message | None]]
_Raw = tuple[bytes, bytes, dict[bytes, bytes]]  # stream, entry id, fields


class RedisSubscription:
    """Consumer ``consumer`` of group ``spec.name`` on every topic of ``spec``
    (implements ``Subscription``)."""

    def __init__(
        self,
        context: RedisContext,
        spec: SubscriptionSpec,
        consume: Consume,
        *,
        consumer: str,
        replies: bool,
        on_close: Callable[[RedisSubscription], None],
    ) -> None:
        self._context = context
        self._client = context.client
        self._spec = spec
        self._consume = consume
        self._consumer = consumer
        self._replies = replies
        self._on_close = on_close
        self._group = spec.name
        self._streams = tuple(context.layout.stream(t).encode() for t in spec.topics)
        self._offsets = dict.fromkeys(self._streams, b">")
        self._blocking = spec.overflow is Overflow.BLOCK
        self._in_flight: set[tuple[bytes, bytes]] = set()  # entries received, not yet acked
        self._handling: set[uuid.UUID] = set()  # ids of messages queued or being handled
        self._dropped: list[Entry] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = False
        self._writer = GroupWriter(context, spec.name, on_written=self._written)
        self.handled = 0
        self.failed = 0
        self.duplicates = 0  # skipped: the group had already processed the message
        self.redelivered = 0  # claimed after sitting unacknowledged (consumer died, handler failed)
        self.dead_lettered = 0
        self.pool: WorkerPool[Entry] = WorkerPool(
            self._process,
            workers=spec.workers,
            queue_size=spec.queue_size,
            overflow=spec.overflow,
            label=f"{spec.name}/{consumer}",
            on_drop=self._dropped.append,
        )

    @property
    def name(self) -> str:
        return self._spec.name

    @property
    def pattern(self) -> str:
        return self._spec.pattern

    @property
    def topics(self) -> tuple[str, ...]:
        return self._spec.topics

    @property
    def consumer(self) -> str:
        """This subscription's consumer name inside its group."""
        return self._consumer

    @property
    def dropped(self) -> int:
        return self.pool.dropped

    @property
    def queued(self) -> int:
        return self.pool.queued

    async def start(self) -> None:
        """Join (or create, reading from now on) the group on every stream, then start
        reading and claiming."""
        await self._create_groups(start_id="$")
        self.pool.start()
        self._writer.start()
        label = f"{self._group}/{self._consumer}"
        self._tasks = [
            asyncio.create_task(self._read_loop(), name=f"bus:read:{label}"),
            asyncio.create_task(self._claim_loop(), name=f"bus:claim:{label}"),
        ]

    async def close(self) -> None:
        """Stop reading, finish what is queued (within the grace period), acknowledge it,
        and leave the group if nothing is pending for this consumer."""
        if not self._tasks:
            return
        self._stopping = True
        await stop_tasks(self._tasks)
        self._tasks = []
        await self.pool.stop(grace_s=self._context.policy.close_grace_s)
        self._writer.skipped(self._drain_dropped())
        await self._writer.stop()
        await self._leave_group()
        self._on_close(self)

    async def settled(self) -> bool:
        """Whether the group has been delivered everything in its streams and has nothing
        pending, and this consumer has nothing left to do."""
        if not self.pool.idle or self._in_flight:
            return False
        pipe = self._client.pipeline(transaction=False)
        for stream in self._streams:
            pipe.xinfo_stream(stream)
            pipe.xinfo_groups(stream)
        replies = await pipe.execute()
        group_name = self._group.encode()
        for info, groups in zip(replies[::2], replies[1::2], strict=True):
            group = next((g for g in groups if g["name"] == group_name), None)
            if group is None or group["pending"]:  # no group: the stream was deleted
                return False
            if stream_id(group["last-delivered-id"]) < stream_id(info["last-generated-id"]):
                return False
        return True

    async def _read_loop(self) -> None:
        while not self._stopping:
            try:
                await self._read_once()
            except ResponseError as e:
                if "NOGROUP" not in str(e):
                    await self._pause_after_error("reading")
                    continue
                logger.warning("bus subscriber %s: a stream or group vanished", self._group)
                await self._create_groups(start_id="0")
            except Exception:
                await self._pause_after_error("reading")

    async def _read_once(self) -> None:
        pool = self.pool
        room = pool.capacity - pool.queued if self._blocking else pool.capacity
        response = await self._client.xreadgroup(
            self._group,
            self._consumer,
            self._offsets,
            count=max(room, 1),
            block=self._context.policy.block_ms,
        )
        raw = [(s, i, f) for s, entries in response or () for i, f in entries]
        if raw:
            await self._accept(raw)
        if self._dropped:
            self._writer.skipped(self._drain_dropped())

    async def _claim_loop(self) -> None:
        while not self._stopping:
            await asyncio.sleep(self._context.policy.claim_interval_s)
            for stream in self._streams:
                try:
                    await self._claim(stream)
                except Exception:
                    await self._pause_after_error(f"claiming on {stream!r}")

    async def _claim(self, stream: bytes) -> None:
        start: bytes | str = "0-0"
        while True:
            next_start, claimed, _deleted = await self._client.xautoclaim(
                stream,
                self._group,
                self._consumer,
                self._context.policy.claim_idle_ms,
                start,
                count=self.pool.capacity,
            )
            # Entries this consumer still holds are slow, not lost: leave them to it.
            mine = [(stream, i, f) for i, f in claimed if (stream, i) not in self._in_flight]
            if mine:
                await self._redeliver(stream, mine)
            if stream_id(next_start) == (0, 0):
                return
            start = next_start

    async def _redeliver(self, stream: bytes, claimed: list[_Raw]) -> None:
        counts = await self._delivery_counts(stream, [entry_id for _, entry_id, _ in claimed])
        limit = self._context.policy.max_deliveries
        retry = []
        for raw in claimed:
            if counts.get(raw[1], 1) > limit:
                await self._dead_letter(raw, f"not processed after {limit} deliveries")
            else:
                retry.append(raw)
        self.redelivered += len(retry)
        await self._accept(retry)

    async def _delivery_counts(self, stream: bytes, ids: list[bytes]) -> dict[bytes, int]:
        ordered = sorted(ids, key=stream_id)
        rows = await self._client.xpending_range(
            stream,
            self._group,
            min=ordered[0],
            max=ordered[-1],
            count=len(ids) + len(self._in_flight),
            consumername=self._consumer,
        )
        return {row["message_id"]: row["times_delivered"] for row in rows}

    async def _accept(self, raw: list[_Raw]) -> None:
        entries: list[tuple[Entry, bytes]] = []
        for stream, entry_id, fields in raw:
            entry = await self._decode(stream, entry_id, fields)
            if entry is not None:
                entries.append((entry, fields.get(FIELD_KEY, b"")))
        if not entries:
            return
        seen = await self._already_processed([entry for entry, _ in entries])
        for (entry, key), done in zip(entries, seen, strict=True):
            self._in_flight.add((entry.stream, entry.entry_id))
            if done or entry.message.id in self._handling:
                self.duplicates += 1
                self._writer.skipped((entry,))
            else:
                self._handling.add(entry.message.id)
                await self.pool.put(entry, key_hash(key))

    async def _decode(
        self, stream: bytes, entry_id: bytes, fields: dict[bytes, bytes]
    ) -> Entry | None:
        try:
            message = self._context.codec.from_msgpack(fields[FIELD_MESSAGE])
        except (KeyError, msgspec.DecodeError) as e:
            self.failed += 1
            logger.error(
                "bus subscriber %s: entry %r on %r is not a message (%s); dead-lettered",
                self._group,
                entry_id,
                stream,
                e,
            )
            await self._dead_letter((stream, entry_id, fields), f"undecodable: {e}")
            return None
        return Entry(stream, entry_id, message, fields.get(FIELD_REPLY_TO))

    async def _already_processed(self, entries: list[Entry]) -> list[bool]:
        context = self._context
        members = [entry.message.id.hex for entry in entries]
        scores = await self._client.zmscore(context.layout.done(self._group), members)
        oldest_ms = context.clock.now_ns() // NANOS_PER_MILLI - context.policy.dedup_ttl_s * 1_000
        return [score is not None and score >= oldest_ms for score in scores]

    async def _process(self, entry: Entry) -> None:
        message = entry.message
        token = CORRELATION_ID.set(message.correlation())
        try:
            reply = await self._consume(message)
        except Exception as e:
            self.failed += 1
            logger.exception(
                "bus subscriber %r failed on %s %s", self._group, message.type_tag(), message.id
            )
            if self._replies and entry.reply_to is not None:
                error = f"responder {self._group!r} raised {e!r}"
                self._writer.processed(entry, answer=True, reply=None, error=error)
            else:
                self._written(entry, processed=True)  # not acked: retried once claimed
        else:
            self.handled += 1
            self._writer.processed(entry, answer=self._replies, reply=reply, error=None)
        finally:
            CORRELATION_ID.reset(token)

    def _written(self, entry: Entry, *, processed: bool) -> None:
        self._in_flight.discard((entry.stream, entry.entry_id))
        if processed:
            self._handling.discard(entry.message.id)

    def _drain_dropped(self) -> list[Entry]:
        dropped = list(self._dropped)
        self._dropped.clear()  # the pool appends to this very list
        for entry in dropped:
            self._handling.discard(entry.message.id)
        return dropped

    async def _dead_letter(self, raw: _Raw, reason: str) -> None:
        await self._writer.dead_letter(*raw, reason=reason)
        self.dead_lettered += 1

    async def _create_groups(self, *, start_id: str) -> None:
        for stream in self._streams:
            try:
                await self._client.xgroup_create(stream, self._group, id=start_id, mkstream=True)
            except ResponseError as e:
                if "BUSYGROUP" not in str(e):
                    raise

    async def _leave_group(self) -> None:
        # A consumer with pending entries stays, so the group can still claim them.
        try:
            for stream in self._streams:
                rows = await self._client.xpending_range(
                    stream, self._group, min="-", max="+", count=1, consumername=self._consumer
                )
                if not rows:
                    await self._client.xgroup_delconsumer(stream, self._group, self._consumer)
        except Exception:
            logger.warning(
                "bus subscriber %s: could not remove consumer %s from its group",
                self._group,
                self._consumer,
                exc_info=True,
            )

    async def _pause_after_error(self, doing: str) -> None:
        logger.exception("bus subscriber %s: %s failed; retrying", self._group, doing)
        await asyncio.sleep(self._context.policy.block_ms / 1000)
