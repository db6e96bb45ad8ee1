"""The event bus port: publish/subscribe over topics, request/reply, and their errors.

Topics and ordering keys come from the registry in ``jts.messages.topics``: a publisher
hands over a message and the bus finds where it goes. Delivery rules every implementation
keeps (``tests/contract/test_event_bus.py`` holds them to it):

- **Patterns.** ``subscribe("market-data.*", ...)`` takes every topic the pattern matches
  (``*`` spans dots); a pattern that matches no registered topic is refused.
- **Names.** A subscription's ``name`` is its consumer group: subscriptions sharing a name
  (in one process or several) compete for messages, each message going to one of them;
  subscriptions with different names each get every message.
- **Bounded queues.** Every subscription buffers at most ``queue_size`` messages per worker.
  With ``Overflow.BLOCK`` (the default) a full queue holds the producer back: in-process,
  ``publish`` waits; on a broker, the consumer stops reading and the stream holds the rest.
  With ``Overflow.DROP_OLDEST`` the oldest queued message is discarded and counted instead,
  for lossy consumers such as a quote display.
- **Per-key ordering.** Messages with the same ``key_of`` reach a subscription in publish
  order; ``workers`` > 1 handles different keys concurrently, sharded by key.
- **Isolation.** A handler that raises is logged and counted; other subscriptions and the
  same subscription's later messages carry on.
- **Correlation.** Each handler runs with its message's correlation id current
  (``jts.shared_kernel.correlation``), so its log lines and derived messages carry it.
- **Request/reply.** ``request`` publishes a message on its topic and waits for the first
  reply from a responder registered with ``serve``; the reply is matched to the request's
  ``id``. No reply in time raises ``RequestTimeout``; a responder that raises makes the
  request raise ``RequestFailed``. A request-type message published with ``publish`` still
  reaches responders; their reply is then discarded.

A handler must not ``publish`` to a topic it consumes with ``Overflow.BLOCK`` while its own
queue may be full: it would wait on itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum
from types import TracebackType
from typing import Protocol, Self

from jts.messages.base import Message
from jts.shared_kernel.errors import JtsError

Handler = Callable[[Message], Awaitable[None]]
"""Consumes one message; an exception is logged and counted, never propagated."""

Responder = Callable[[Message], Awaitable[Message]]
"""Answers one request; its return value is the reply."""


class Overflow(StrEnum):
    """What a subscription does when its queue is full."""

    BLOCK = "block"  # hold the producer back; nothing is lost
    DROP_OLDEST = "drop_oldest"  # discard the oldest queued message and count it


class BusError(JtsError):
    """The bus could not do what was asked."""


class BusClosed(BusError):
    """The bus is not running: it was never started or it has been closed."""


class RequestTimeout(BusError, TimeoutError):
    """No responder replied to a request in time."""


class RequestFailed(BusError):
    """The responder raised (or returned something other than a message)."""


class Subscription(Protocol):
    """A live subscription: what it receives, what it has done, and how to stop it."""

    @property
    def name(self) -> str:
        """The consumer group this subscription belongs to."""
        ...

    @property
    def pattern(self) -> str: ...

    @property
    def topics(self) -> tuple[str, ...]:
        """The registered topics ``pattern`` matched, sorted."""
        ...

    @property
    def handled(self) -> int:
        """Messages whose handler returned normally."""
        ...

    @property
    def failed(self) -> int:
        """Handler calls that raised."""
        ...

    @property
    def dropped(self) -> int:
        """Messages discarded by ``Overflow.DROP_OLDEST``."""
        ...

    @property
    def queued(self) -> int:
        """Messages received and waiting for a worker right now."""
        ...

    async def close(self) -> None:
        """Stop receiving; messages already queued are handled first."""
        ...


class EventBus(Protocol):
    """Publish/subscribe and request/reply over the registry's topics.

    Use as ``async with bus:`` or call ``start()`` and ``close()``; publishing or
    subscribing outside that raises ``BusClosed``.
    """

    async def start(self) -> None:
        """Connect to the backend (if any) and start accepting work."""
        ...

    async def close(self) -> None:
        """Stop accepting work, finish what is queued (bounded by a grace period), release
        every resource, and fail pending requests with ``BusClosed``."""
        ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def publish(self, message: Message) -> None:
        """Send ``message`` on ``topic_of(message)``; may wait while a queue is full."""
        ...

    async def subscribe(
        self,
        pattern: str,
        handler: Handler,
        *,
        name: str,
        workers: int = 1,
        queue_size: int | None = None,
        overflow: Overflow = Overflow.BLOCK,
    ) -> Subscription:
        """Deliver every message on a topic matching ``pattern`` to ``handler``.

        Messages published after this returns are delivered. ``queue_size`` defaults to the
        bus's configured size.
        """
        ...

    async def serve(
        self,
        pattern: str,
        responder: Responder,
        *,
        name: str,
        workers: int = 1,
        queue_size: int | None = None,
    ) -> Subscription:
        """Answer requests on topics matching ``pattern`` with ``responder``."""
        ...

    async def request(self, message: Message, *, timeout_s: float) -> Message:
        """Publish ``message`` and return the first reply to it."""
        ...

    async def drain(self, *, timeout_s: float = 10.0) -> None:
        """Wait until every message published so far has been handled by this bus's
        subscriptions (tests and orderly shutdown); ``TimeoutError`` after ``timeout_s``."""
        ...
