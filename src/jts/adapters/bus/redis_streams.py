"""The Redis Streams event bus: durable, shared between processes, at-least-once.

Every topic is a stream ``<prefix>:<topic>``; ``publish`` XADDs the message as msgpack
with its ordering key and trims the stream approximately, by the topic's retention
(MINID) or, when ``max_len`` is given, by length (MAXLEN). Subscriptions are consumer
groups named after the subscriber (see ``redis_consumer``); requests carry the requester's
reply inbox (see ``redis_replies``). The key layout is in ``redis_layout``.

Unlike the in-process bus, ``publish`` returns once Redis has stored the message: a slow
subscriber holds back its own reading, not the publisher, and the stream (bounded by
retention) is the buffer.
"""

from __future__ import annotations

import asyncio
import enum
import itertools
import logging
import os
import socket
import uuid
from types import TracebackType
from typing import Any, Self

from redis.asyncio import Redis
from redis.exceptions import RedisError

from jts.adapters.bus.redis_appender import StreamAppender
from jts.adapters.bus.redis_consumer import Consume, RedisSubscription
from jts.adapters.bus.redis_layout import (
    FIELD_KEY,
    FIELD_MESSAGE,
    FIELD_REPLY_TO,
    DeliveryPolicy,
    StreamLayout,
)
from jts.adapters.bus.redis_replies import ReplyInbox
from jts.adapters.bus.redis_writes import RedisContext
from jts.adapters.bus.subscriptions import subscription_spec
from jts.adapters.clock import LiveClock
from jts.messages.base import Message
from jts.messages.bus import (
    BusClosed,
    BusError,
    Handler,
    Overflow,
    RequestTimeout,
    Responder,
)
from jts.messages.codec import MessageCodec
from jts.messages.topics import TOPICS, key_of, topic_of
from jts.shared_kernel.clock import NANOS_PER_MILLI, Clock

logger = logging.getLogger(__name__)


class _State(enum.Enum):
    NEW = "not started"
    RUNNING = "running"
    CLOSING = "closing"
    CLOSED = "closed"


class RedisStreamsEventBus:
    """An ``EventBus`` over Redis Streams.

    ``url`` is a redis:// URL (credentials in it never reach logs or errors);
    ``stream_prefix`` namespaces every key; ``max_len`` caps each stream by length
    instead of by retention; ``queue_size`` is the default per-worker queue bound.
    """

    def __init__(
        self,
        url: str = "redis://127.0.0.1:6379/0",
        *,
        stream_prefix: str = "jts",
        max_len: int | None = None,
        queue_size: int = 1_024,
        policy: DeliveryPolicy | None = None,
        clock: Clock | None = None,
        codec: MessageCodec | None = None,
    ) -> None:
        if max_len is not None and max_len < 1:
            raise ValueError(f"RedisStreamsEventBus max_len is {max_len}; use 1 or more, or None")
        if queue_size < 1:
            raise ValueError(f"RedisStreamsEventBus queue_size is {queue_size}; use 1 or more")
        self._url = url
        self._layout = StreamLayout(stream_prefix)
        self._max_len = max_len
        self._default_queue_size = queue_size
        self._policy = policy or DeliveryPolicy()
        self._clock = clock or LiveClock()
        self._codec = codec or MessageCodec()
        self._id = uuid.uuid4().hex[:12]
        self._consumer_names = (
            f"{socket.gethostname()}-{os.getpid()}-{self._id}-{n}" for n in itertools.count(1)
        )
        self._state = _State.NEW
        self._client: Redis | None = None
        self._inbox: ReplyInbox | None = None
        self._appender: StreamAppender | None = None
        self._subscriptions: list[RedisSubscription] = []

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def stream_prefix(self) -> str:
        return self._layout.prefix

    async def start(self) -> None:
        if self._state is not _State.NEW:
            raise BusClosed(f"RedisStreamsEventBus is {self._state.value}; build a new bus")
        client = Redis.from_url(self._url, decode_responses=False, protocol=2)
        try:
            await client.ping()
        except (RedisError, OSError) as e:
            await client.aclose()
            raise BusError(
                f"cannot reach Redis at {_where(client)} ({type(e).__name__}: {e}); check "
                "that the server runs and the bus URL (JTS_BUS__URL) points at it"
            ) from None
        self._client = client
        self._appender = StreamAppender(client)
        self._appender.start()
        self._inbox = ReplyInbox(
            client, self._layout.inbox(self._id), self._codec, block_ms=self._policy.block_ms
        )
        self._state = _State.RUNNING

    async def close(self) -> None:
        if self._state is not _State.RUNNING:
            self._state = _State.CLOSED
            return
        self._state = _State.CLOSING
        for subscription in list(self._subscriptions):
            await subscription.close()
        if self._appender is not None:
            await self._appender.stop()
        if self._inbox is not None:
            await self._inbox.close()
        if self._client is not None:
            await self._client.aclose()
        self._state = _State.CLOSED

    async def publish(self, message: Message) -> None:
        await self._append(message, reply_to=None)

    async def subscribe(
        self,
        pattern: str,
        handler: Handler,
        *,
        name: str,
        workers: int = 1,
        queue_size: int | None = None,
        overflow: Overflow = Overflow.BLOCK,
    ) -> RedisSubscription:
        return await self._attach(pattern, handler, name, workers, queue_size, overflow, False)

    async def serve(
        self,
        pattern: str,
        responder: Responder,
        *,
        name: str,
        workers: int = 1,
        queue_size: int | None = None,
    ) -> RedisSubscription:
        return await self._attach(
            pattern, responder, name, workers, queue_size, Overflow.BLOCK, True
        )

    async def request(self, message: Message, *, timeout_s: float) -> Message:
        inbox = self._running_inbox("request")
        future = inbox.expect(message.id)
        try:
            async with asyncio.timeout(timeout_s):
                await self._append(message, reply_to=inbox.key)
                return await future
        except TimeoutError:
            raise RequestTimeout(
                f"no reply to {message.type_tag()} {message.id} on {topic_of(message)} within "
                f"{timeout_s}s; is a responder serving that topic (bus.serve)?"
            ) from None
        finally:
            inbox.forget(message.id)

    async def drain(self, *, timeout_s: float = 10.0) -> None:
        unsettled: list[str] = []
        try:
            async with asyncio.timeout(timeout_s):
                while True:
                    unsettled = [s.name for s in self._subscriptions if not await s.settled()]
                    if not unsettled:
                        return
                    await asyncio.sleep(0.005)
        except TimeoutError:
            raise TimeoutError(
                f"the bus did not drain within {timeout_s}s; still busy: {unsettled}"
            ) from None

    async def _append(self, message: Message, *, reply_to: str | None) -> None:
        if self._appender is None or self._state not in (_State.RUNNING, _State.CLOSING):
            raise self._not_running("publish")
        topic = topic_of(message)
        fields = {
            FIELD_MESSAGE: self._codec.to_msgpack(message),
            FIELD_KEY: key_of(message).encode(),
        }
        if reply_to is not None:
            fields[FIELD_REPLY_TO] = reply_to.encode()
        await self._appender.append(self._layout.stream(topic), fields, self._trim(topic))

    def _trim(self, topic: str) -> dict[str, Any]:
        if self._max_len is not None:
            return {"maxlen": self._max_len, "approximate": True}
        oldest_ms = self._clock.now_ns() // NANOS_PER_MILLI - TOPICS[topic].retention_ms
        return {"minid": max(oldest_ms, 0), "approximate": True}

    async def _attach(
        self,
        pattern: str,
        consume: Consume,
        name: str,
        workers: int,
        queue_size: int | None,
        overflow: Overflow,
        replies: bool,
    ) -> RedisSubscription:
        if self._client is None or self._state is not _State.RUNNING:
            raise self._not_running("subscribe")
        size = self._default_queue_size if queue_size is None else queue_size
        spec = subscription_spec(
            pattern, name=name, workers=workers, queue_size=size, overflow=overflow
        )
        context = RedisContext(self._client, self._layout, self._codec, self._policy, self._clock)
        subscription = RedisSubscription(
            context,
            spec,
            consume,
            consumer=next(self._consumer_names),
            replies=replies,
            on_close=self._subscriptions.remove,
        )
        await subscription.start()
        self._subscriptions.append(subscription)
        return subscription

    def _running_inbox(self, action: str) -> ReplyInbox:
        if self._inbox is None or self._state is not _State.RUNNING:
            raise self._not_running(action)
        return self._inbox

    def _not_running(self, action: str) -> BusClosed:
        return BusClosed(
            f"cannot {action}: the Redis Streams bus is {self._state.value}; "
            "use 'async with bus:' or await bus.start() first"
        )


def _where(client: Redis) -> str:
    """host:port/db of a client, without credentials."""
    options = client.connection_pool.connection_kwargs
    where = options.get("path") or f"{options.get('host')}:{options.get('port')}"
    return f"{where}/{options.get('db', 0)}"
