"""The in-process asyncio event bus: the default, for one process (``jts up``, backtests).

Publishing resolves the message's subscribers once per message type (cached until the
subscriptions change) and puts the message itself on each subscriber's bounded queue; no
copy, no envelope, no task per message. Subscriptions sharing a name compete: a message
goes to one of them, chosen by the hash of its ordering key, so one key always reaches the
same member and keeps its order. Nothing survives the process: for durability use the
Redis Streams bus.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

from jts.adapters.bus.pool import WorkerPool
from jts.adapters.bus.subscriptions import SubscriptionSpec, key_hash, subscription_spec
from jts.messages.base import Message
from jts.messages.bus import (
    BusClosed,
    Handler,
    Overflow,
    RequestFailed,
    RequestTimeout,
    Responder,
)
from jts.messages.topics import Route, route_of, topic_of
from jts.shared_kernel.correlation import CORRELATION_ID

logger = logging.getLogger(__name__)

_Consume = Callable[[Message], Awaitable[Message | None]]


class _State(enum.Enum):
    NEW = "not started"
    RUNNING = "running"
    CLOSING = "closing"
    CLOSED = "closed"


class LocalSubscription:
    """One subscriber of an ``InProcessEventBus`` (implements ``Subscription``)."""

    def __init__(
        self, bus: InProcessEventBus, spec: SubscriptionSpec, consume: _Consume, *, replies: bool
    ) -> None:
        self._bus = bus
        self._spec = spec
        self._consume = consume
        self._replies = replies
        self.handled = 0
        self.failed = 0
        self.pool: WorkerPool[Message] = WorkerPool(
            self._deliver,
            workers=spec.workers,
            queue_size=spec.queue_size,
            overflow=spec.overflow,
            label=spec.name,
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
    def workers(self) -> int:
        return self._spec.workers

    @property
    def dropped(self) -> int:
        return self.pool.dropped

    @property
    def queued(self) -> int:
        return self.pool.queued

    async def close(self) -> None:
        if self._bus.detach(self):
            await self.pool.stop(grace_s=self._bus.close_grace_s)

    async def _deliver(self, message: Message) -> None:
        # The ContextVar is set directly rather than through ``correlated()``: this runs
        # once per message per subscriber and the context manager costs a generator.
        token = CORRELATION_ID.set(message.correlation())
        try:
            reply = await self._consume(message)
        except Exception as e:
            self.failed += 1
            logger.exception(
                "bus subscriber %r failed on %s %s", self.name, message.type_tag(), message.id
            )
            if self._replies:
                self._bus.fail_request(message, f"responder {self.name!r} raised {e!r}")
        else:
            self.handled += 1
            if self._replies:
                self._bus.reply(message, reply, responder=self.name)
        finally:
            CORRELATION_ID.reset(token)


@dataclass(frozen=True, slots=True)
class _Target:
    """The members of one subscriber group that take a topic."""

    members: tuple[LocalSubscription, ...]
    needs_key: bool  # several members or several workers: route by key hash


@dataclass(slots=True)
class _Plan:
    """Where messages of one type go, for each topic the type can be published on."""

    route: Route
    fixed: tuple[_Target, ...] | None  # the same targets whatever the topic
    by_topic: dict[str, tuple[_Target, ...]] = field(default_factory=dict)


class InProcessEventBus:
    """An ``EventBus`` inside one asyncio event loop.

    ``queue_size`` is the default per-worker queue bound of a subscription;
    ``close_grace_s`` bounds how long ``close()`` waits for queued messages.
    """

    def __init__(self, *, queue_size: int = 10_000, close_grace_s: float = 5.0) -> None:
        if queue_size < 1:
            raise ValueError(f"InProcessEventBus queue_size is {queue_size}; use 1 or more")
        self._default_queue_size = queue_size
        self.close_grace_s = close_grace_s
        self._state = _State.NEW
        self._groups: dict[str, list[LocalSubscription]] = {}
        self._plans: dict[type[Message], _Plan] = {}
        self._replies: dict[uuid.UUID, asyncio.Future[Message]] = {}

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

    async def start(self) -> None:
        if self._state is not _State.NEW:
            raise BusClosed(f"InProcessEventBus is {self._state.value}; build a new bus instead")
        self._state = _State.RUNNING

    async def close(self) -> None:
        if self._state is not _State.RUNNING:
            self._state = _State.CLOSED
            return
        self._state = _State.CLOSING
        try:
            await self.drain(timeout_s=self.close_grace_s)
        except TimeoutError as e:
            logger.warning("InProcessEventBus closing with work left: %s", e)
        for subscription in self._subscriptions():
            await subscription.pool.stop(grace_s=0)
        self._groups.clear()
        self._plans.clear()
        for future in self._replies.values():
            if not future.done():
                future.set_exception(BusClosed("the bus closed before the reply arrived"))
        self._state = _State.CLOSED

    async def publish(self, message: Message) -> None:
        if self._state is not _State.RUNNING and self._state is not _State.CLOSING:
            raise self._not_running("publish")
        plan = self._plans.get(type(message))
        if plan is None:
            plan = self._plan_for(type(message))
        targets = plan.fixed
        if targets is None:
            targets = self._targets_on(plan, message)
        hashed = -1
        for target in targets:
            if target.needs_key:
                if hashed < 0:
                    hashed = key_hash(plan.route.key(message))
                members = target.members
                count = len(members)
                await members[hashed % count].pool.put(message, hashed // count)
            else:
                await target.members[0].pool.put(message, 0)

    async def subscribe(
        self,
        pattern: str,
        handler: Handler,
        *,
        name: str,
        workers: int = 1,
        queue_size: int | None = None,
        overflow: Overflow = Overflow.BLOCK,
    ) -> LocalSubscription:
        return self._attach(pattern, handler, name, workers, queue_size, overflow, replies=False)

    async def serve(
        self,
        pattern: str,
        responder: Responder,
        *,
        name: str,
        workers: int = 1,
        queue_size: int | None = None,
    ) -> LocalSubscription:
        return self._attach(
            pattern, responder, name, workers, queue_size, Overflow.BLOCK, replies=True
        )

    async def request(self, message: Message, *, timeout_s: float) -> Message:
        if self._state is not _State.RUNNING:
            raise self._not_running("request")
        if message.id in self._replies:
            raise ValueError(f"a request with id {message.id} is already waiting for a reply")
        future: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        self._replies[message.id] = future
        try:
            async with asyncio.timeout(timeout_s):
                await self.publish(message)
                return await future
        except TimeoutError:
            raise RequestTimeout(
                f"no reply to {message.type_tag()} {message.id} on "
                f"{topic_of(message)} within {timeout_s}s; is a responder serving that "
                "topic (bus.serve)?"
            ) from None
        finally:
            del self._replies[message.id]

    async def drain(self, *, timeout_s: float = 10.0) -> None:
        try:
            async with asyncio.timeout(timeout_s):
                while not all(s.pool.idle for s in self._subscriptions()):
                    for subscription in self._subscriptions():
                        await subscription.pool.join()
        except TimeoutError:
            busy = [s.name for s in self._subscriptions() if not s.pool.idle]
            raise TimeoutError(
                f"the bus did not drain within {timeout_s}s; still busy: {busy}"
            ) from None

    def reply(self, request: Message, reply: Message | None, *, responder: str) -> None:
        """Hand ``reply`` to whoever is waiting on ``request`` (nobody: it is dropped)."""
        future = self._replies.get(request.id)
        if future is None or future.done():
            return
        if isinstance(reply, Message):
            future.set_result(reply)
        else:
            future.set_exception(
                RequestFailed(
                    f"responder {responder!r} returned {type(reply).__name__}, not a Message, "
                    f"for {request.type_tag()} {request.id}"
                )
            )

    def fail_request(self, request: Message, reason: str) -> None:
        future = self._replies.get(request.id)
        if future is not None and not future.done():
            future.set_exception(RequestFailed(f"{request.type_tag()} {request.id}: {reason}"))

    def detach(self, subscription: LocalSubscription) -> bool:
        """Stop routing to ``subscription``; whether it was attached."""
        members = self._groups.get(subscription.name, [])
        if subscription not in members:
            return False
        members.remove(subscription)
        if not members:
            del self._groups[subscription.name]
        self._plans.clear()
        return True

    def _attach(
        self,
        pattern: str,
        consume: _Consume,
        name: str,
        workers: int,
        queue_size: int | None,
        overflow: Overflow,
        *,
        replies: bool,
    ) -> LocalSubscription:
        if self._state is not _State.RUNNING:
            raise self._not_running("subscribe")
        size = self._default_queue_size if queue_size is None else queue_size
        spec = subscription_spec(
            pattern, name=name, workers=workers, queue_size=size, overflow=overflow
        )
        subscription = LocalSubscription(self, spec, consume, replies=replies)
        subscription.pool.start()
        self._groups.setdefault(name, []).append(subscription)
        self._plans.clear()
        return subscription

    def _subscriptions(self) -> list[LocalSubscription]:
        return [s for members in self._groups.values() for s in members]

    def _plan_for(self, message_type: type[Message]) -> _Plan:
        route = route_of(message_type)
        plan = _Plan(route=route, fixed=None)
        for topic in route.topics:
            plan.by_topic[topic] = self._targets_for(topic)
        first = plan.by_topic[route.topics[0]]
        if isinstance(route.topic, str) or all(t == first for t in plan.by_topic.values()):
            plan.fixed = first
        self._plans[message_type] = plan
        return plan

    def _targets_on(self, plan: _Plan, message: Message) -> tuple[_Target, ...]:
        topic = plan.route.topic
        name = topic if isinstance(topic, str) else topic(message)
        targets = plan.by_topic.get(name)
        if targets is None:
            targets = plan.by_topic[name] = self._targets_for(name)
        return targets

    def _targets_for(self, topic: str) -> tuple[_Target, ...]:
        targets = []
        for members in self._groups.values():
            taking = tuple(m for m in members if topic in m.topics)
            if taking:
                needs_key = len(taking) > 1 or taking[0].workers > 1
                targets.append(_Target(taking, needs_key))
        return tuple(targets)

    def _not_running(self, action: str) -> BusClosed:
        return BusClosed(
            f"cannot {action}: the in-process bus is {self._state.value}; "
            "use 'async with bus:' or await bus.start() first"
        )
