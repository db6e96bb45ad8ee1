"""Retries of transient venue errors: exponential backoff with jitter, behind a breaker.

``call_with_retry(operation, ...)`` calls ``operation(attempt)`` (attempt counts from 1)
through the broker's ``CircuitBreaker``. A ``TransientVenueError`` (a timeout included: a
call that outlives ``call_timeout_s`` becomes one) is retried after
``policy.delay_s(attempt, error)``; ``RateLimited`` waits at least the venue's
``retry_after_s``. ``PermanentVenueError`` and ``CircuitOpen`` are raised at once, and the
last transient error is raised when the attempts run out.

The attempt number is passed in so an operation can behave differently on a retry: the OMS
asks the venue whether it already has the order before it submits it again. Sleeping and
randomness are injected (``asyncio.sleep`` and a seeded ``random.Random`` live; a virtual
sleep in tests), so a backtest replays the same waits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

import msgspec

from jts.contexts.trading.application.circuit_breaker import CircuitBreaker, CircuitOpen
from jts.shared_kernel.errors import ConfigurationError, RateLimited, TransientVenueError

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]
"""Waits the given number of seconds (``asyncio.sleep`` live)."""


class RandomSource(Protocol):
    """Uniform numbers in [0, 1); ``random.Random(seed)`` satisfies it."""

    def random(self) -> float: ...


class RetryPolicy(msgspec.Struct, frozen=True, kw_only=True):
    """How often and how patiently to retry one venue call.

    Delay before retry ``n`` (n >= 1): ``min(max_delay_s, base_delay_s * multiplier**(n-1))``,
    reduced by up to ``jitter`` of itself at random so many clients do not retry in step.
    """

    max_attempts: int = 5
    base_delay_s: float = 0.2
    multiplier: float = 2.0
    max_delay_s: float = 10.0
    jitter: float = 0.2
    call_timeout_s: float | None = 10.0

    def __post_init__(self) -> None:
        problems = [
            f"max_attempts is {self.max_attempts}; use 1 or more" if self.max_attempts < 1 else "",
            f"base_delay_s is {self.base_delay_s}; use 0 or more" if self.base_delay_s < 0 else "",
            f"multiplier is {self.multiplier}; use 1 or more" if self.multiplier < 1 else "",
            f"max_delay_s {self.max_delay_s} is below base_delay_s {self.base_delay_s}"
            if self.max_delay_s < self.base_delay_s
            else "",
            f"jitter is {self.jitter}; use a fraction in [0, 1]"
            if not 0 <= self.jitter <= 1
            else "",
            f"call_timeout_s is {self.call_timeout_s}; use a positive number or None"
            if self.call_timeout_s is not None and self.call_timeout_s <= 0
            else "",
        ]
        found = [p for p in problems if p]
        if found:
            raise ConfigurationError("retry policy: " + "; ".join(found))

    def delay_s(self, attempt: int, error: TransientVenueError, rng: RandomSource) -> float:
        """Seconds to wait after failed attempt ``attempt`` before the next one."""
        backoff = min(self.max_delay_s, self.base_delay_s * self.multiplier ** (attempt - 1))
        delay = backoff * (1.0 - self.jitter * rng.random())
        if isinstance(error, RateLimited | CircuitOpen):
            delay = max(delay, error.retry_after_s)
        return delay


async def call_with_retry(
    operation: Callable[[int], Awaitable[T]],
    *,
    policy: RetryPolicy,
    breaker: CircuitBreaker,
    sleep: Sleep,
    rng: RandomSource,
) -> T:
    """The result of the first attempt that succeeds; see the module docstring for errors."""
    attempt = 1
    while True:
        try:
            return await breaker.call(_attempt(operation, attempt, policy, breaker.name))
        except CircuitOpen:
            raise
        except TransientVenueError as e:
            if attempt >= policy.max_attempts:
                raise
            await sleep(policy.delay_s(attempt, e, rng))
            attempt += 1


def _attempt(
    operation: Callable[[int], Awaitable[T]], attempt: int, policy: RetryPolicy, broker: str
) -> Callable[[], Awaitable[T]]:
    return lambda: _bounded(operation(attempt), policy, broker)


async def _bounded(call: Awaitable[T], policy: RetryPolicy, broker: str) -> T:
    if policy.call_timeout_s is None:
        return await call
    try:
        async with asyncio.timeout(policy.call_timeout_s):
            return await call
    except TimeoutError as e:
        raise TransientVenueError(
            f"no answer within {policy.call_timeout_s}s; outcome unknown", venue=broker
        ) from e
