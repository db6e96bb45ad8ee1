"""The brokers by name, each called with retries behind its own circuit breaker.

``VenueAccess.call(broker, operation)`` is the one way the OMS and reconciliation talk to a
venue: ``operation(gateway, attempt)`` is retried on transient errors with the configured
``RetryPolicy`` and refused at once while that broker's circuit is open (see ``retry`` and
``circuit_breaker``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar

from jts.contexts.trading.application.circuit_breaker import BreakerRegistry
from jts.contexts.trading.application.ports import BrokerGateway
from jts.contexts.trading.application.retry import (
    RandomSource,
    RetryPolicy,
    Sleep,
    call_with_retry,
)
from jts.messages.base import Event
from jts.messages.enums import Severity
from jts.messages.system import ErrorReported
from jts.shared_kernel.errors import ConfigurationError

T = TypeVar("T")
Publisher = Callable[[Event], Awaitable[None]]
"""Hands one event to the bus (``EventBus.publish``)."""


class VenueAccess:
    """Brokers by configured name, with retry and circuit-breaker protection."""

    def __init__(
        self,
        brokers: Mapping[str, BrokerGateway],
        *,
        breakers: BreakerRegistry,
        rng: RandomSource,
        retry: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._brokers = dict(brokers)
        self.breakers = breakers
        self._rng = rng
        self._retry = retry or RetryPolicy()
        self._sleep = sleep

    @property
    def names(self) -> list[str]:
        return list(self._brokers)

    def gateway(self, broker: str) -> BrokerGateway:
        try:
            return self._brokers[broker]
        except KeyError:
            raise ConfigurationError(
                f"broker {broker!r} is not configured (known: {sorted(self._brokers)}); "
                "add it to the broker settings or correct the order's broker"
            ) from None

    async def call(self, broker: str, operation: Callable[[BrokerGateway, int], Awaitable[T]]) -> T:
        """``operation(gateway, attempt)`` with retries; errors as in ``call_with_retry``."""
        gateway = self.gateway(broker)
        return await call_with_retry(
            lambda attempt: operation(gateway, attempt),
            policy=self._retry,
            breaker=self.breakers.for_broker(broker),
            sleep=self._sleep,
            rng=self._rng,
        )


def error_report(
    message: str,
    error_type: str,
    *,
    component: str,
    now_ns: int,
    severity: Severity = Severity.WARNING,
) -> ErrorReported:
    """An ``ErrorReported`` for operators: what went wrong and what happens next."""
    return ErrorReported(
        component=component,
        error_type=error_type,
        message=message,
        severity=severity,
        ts_event=now_ns,
        ts_init=now_ns,
    )
