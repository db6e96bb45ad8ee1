"""A circuit breaker per broker: stop calling a venue that keeps failing, probe it later.

States: ``CLOSED`` (calls go through; consecutive transient failures are counted),
``OPEN`` (after ``failure_threshold`` of them: every call is refused at once with
``CircuitOpen`` until ``reset_timeout_s`` has passed), ``HALF_OPEN`` (one trial call is let
through; its success closes the circuit, its failure opens it again for another timeout).
Only ``TransientVenueError`` counts as a failure: a ``PermanentVenueError`` is the venue
answering, so it proves the venue is up. Time comes from the injected ``Clock``, so the same
breaker runs on a backtest's ``TestClock`` and live.

``BreakerRegistry`` keeps one breaker per broker name and answers the router's
``BrokerHealth`` port: a broker whose circuit is open is not healthy.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import TypeVar

from jts.shared_kernel.clock import NANOS_PER_SECOND, Clock
from jts.shared_kernel.errors import ConfigurationError, PermanentVenueError, TransientVenueError

T = TypeVar("T")


class CircuitState(StrEnum):
    CLOSED = "CLOSED"
    OPEN = "OPEN"
    HALF_OPEN = "HALF_OPEN"


class CircuitOpen(TransientVenueError):
    """The broker's circuit is open: the call was not made. Try again after ``retry_after_s``."""

    def __init__(self, broker: str, *, retry_after_s: float) -> None:
        super().__init__(
            f"circuit open after repeated failures; not calling for {retry_after_s:.3f}s",
            venue=broker,
            code="CIRCUIT_OPEN",
        )
        self.retry_after_s = retry_after_s


class CircuitBreaker:
    """Counts one broker's consecutive transient failures and refuses calls while open."""

    def __init__(
        self,
        name: str,
        *,
        clock: Clock,
        failure_threshold: int = 5,
        reset_timeout_s: float = 30.0,
    ) -> None:
        if failure_threshold < 1:
            raise ConfigurationError(
                f"circuit breaker {name}: failure_threshold is {failure_threshold}; use 1 or more"
            )
        if reset_timeout_s <= 0:
            raise ConfigurationError(
                f"circuit breaker {name}: reset_timeout_s is {reset_timeout_s}; use a positive "
                "number of seconds"
            )
        self.name = name
        self._clock = clock
        self._threshold = failure_threshold
        self._reset_ns = round(reset_timeout_s * NANOS_PER_SECOND)
        self._failures = 0
        self._opened_at_ns: int | None = None
        self._trial_running = False

    @property
    def state(self) -> CircuitState:
        if self._opened_at_ns is None:
            return CircuitState.CLOSED
        if self._clock.now_ns() - self._opened_at_ns >= self._reset_ns:
            return CircuitState.HALF_OPEN
        return CircuitState.OPEN

    @property
    def consecutive_failures(self) -> int:
        return self._failures

    def is_available(self) -> bool:
        """Whether a call would be let through now."""
        state = self.state
        return state is CircuitState.CLOSED or (
            state is CircuitState.HALF_OPEN and not self._trial_running
        )

    async def call(self, operation: Callable[[], Awaitable[T]]) -> T:
        """Run ``operation`` unless the circuit refuses; record how it went."""
        self._admit()
        try:
            result = await operation()
        except TransientVenueError:
            self._record_failure()
            raise
        except PermanentVenueError:
            self._record_success()
            raise
        except BaseException:
            self._trial_running = False  # no verdict (cancelled, a bug): let another trial run
            raise
        self._record_success()
        return result

    def _admit(self) -> None:
        state = self.state
        if state is CircuitState.CLOSED:
            return
        if state is CircuitState.HALF_OPEN and not self._trial_running:
            self._trial_running = True
            return
        raise CircuitOpen(self.name, retry_after_s=self._remaining_s())

    def _remaining_s(self) -> float:
        opened = self._opened_at_ns if self._opened_at_ns is not None else self._clock.now_ns()
        remaining_ns = max(opened + self._reset_ns - self._clock.now_ns(), 0)
        return remaining_ns / NANOS_PER_SECOND

    def _record_success(self) -> None:
        self._failures = 0
        self._opened_at_ns = None
        self._trial_running = False

    def _record_failure(self) -> None:
        self._failures += 1
        if self._trial_running or self._failures >= self._threshold:
            self._opened_at_ns = self._clock.now_ns()
        self._trial_running = False


class BreakerRegistry:
    """One ``CircuitBreaker`` per broker name, made on first use with shared settings.

    Implements the router's ``BrokerHealth`` port.
    """

    def __init__(
        self, *, clock: Clock, failure_threshold: int = 5, reset_timeout_s: float = 30.0
    ) -> None:
        self._clock = clock
        self._threshold = failure_threshold
        self._reset_timeout_s = reset_timeout_s
        self._breakers: dict[str, CircuitBreaker] = {}

    def for_broker(self, broker: str) -> CircuitBreaker:
        breaker = self._breakers.get(broker)
        if breaker is None:
            breaker = CircuitBreaker(
                broker,
                clock=self._clock,
                failure_threshold=self._threshold,
                reset_timeout_s=self._reset_timeout_s,
            )
            self._breakers[broker] = breaker
        return breaker

    def is_healthy(self, broker: str) -> bool:
        return self.for_broker(broker).is_available()
