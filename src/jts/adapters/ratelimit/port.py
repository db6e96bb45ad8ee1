"""The rate limiter port, implemented in-process and on Redis.

Every request to a venue first calls ``acquire(key, costs, priority)`` with the costs from the
venue's ``RateLimitPolicy``; the call returns once every limit the request charges has room,
having reserved it (all or none). ``key`` is the credential the limits are counted for (an API
key id, an account), never the secret itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import NamedTuple, Protocol

from jts.adapters.ratelimit.feedback import Feedback
from jts.adapters.ratelimit.limits import Cost, Priority, RateLimitPolicy

Sleep = Callable[[float], Awaitable[None]]
"""Waits the given number of seconds (``asyncio.sleep``, or a virtual-time sleep in tests)."""


class Reservation(NamedTuple):
    """A backend's answer to one reservation attempt.

    ``wait_ns`` is 0 when the request was admitted at ``at_ns`` (on the backend's time base);
    otherwise nothing was taken and ``blocking`` names the limit states that are short.
    """

    wait_ns: int
    blocking: frozenset[str]
    at_ns: int


class RateLimiter(Protocol):
    """Admits requests to one venue without ever exceeding its limits."""

    @property
    def policy(self) -> RateLimitPolicy: ...

    async def acquire(
        self,
        key: str,
        costs: Sequence[Cost],
        priority: Priority = Priority.QUOTE,
        *,
        max_wait_s: float | None = None,
    ) -> int:
        """Wait until every cost fits, take it, and return the admission time (UNIX ns).

        Higher lanes go first when they compete for a limit; a waiter older than the
        starvation guard goes before everyone. Raises ``RateLimited`` instead of waiting
        past ``max_wait_s``. The returned time is on the limiter's time base: pass it as
        ``Feedback.sent_at_ns``.
        """
        ...

    async def try_acquire(
        self, key: str, costs: Sequence[Cost], priority: Priority = Priority.QUOTE
    ) -> float:
        """Take the costs now if they fit (returns 0.0), else seconds to wait (nothing taken)."""
        ...

    async def feedback(self, key: str, feedback: Feedback) -> None:
        """Apply what the venue reported: used counts, Retry-After, 429/418 blocks."""
        ...

    async def headroom(self, key: str) -> dict[str, float]:
        """Fraction of each limit's window still free for ``key`` (0.0 while blocked)."""
        ...
