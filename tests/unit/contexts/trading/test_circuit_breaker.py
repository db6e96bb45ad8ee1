import asyncio

import pytest

from jts.contexts.trading.application.circuit_breaker import (
    BreakerRegistry,
    CircuitBreaker,
    CircuitOpen,
    CircuitState,
)
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.errors import ConfigurationError, InvalidOrder, TransientVenueError

SECOND = 10**9


async def _ok() -> str:
    return "ok"


async def _down() -> str:
    raise TransientVenueError("connection reset", venue="kis")


async def _refused() -> str:
    raise InvalidOrder("tick size", venue="kis")


def _state(breaker: CircuitBreaker) -> CircuitState:
    return breaker.state  # read through a call so type narrowing does not carry over


async def _fail(breaker: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        with pytest.raises(TransientVenueError):
            await breaker.call(_down)


async def test_opens_after_the_threshold_of_consecutive_transient_failures() -> None:
    breaker = CircuitBreaker("kis", clock=TestClock(), failure_threshold=3, reset_timeout_s=10)

    await _fail(breaker, 3)

    assert breaker.state is CircuitState.OPEN
    with pytest.raises(CircuitOpen) as refused:
        await breaker.call(_ok)
    assert refused.value.retry_after_s == 10
    assert refused.value.venue == "kis"


async def test_a_success_resets_the_count() -> None:
    breaker = CircuitBreaker("kis", clock=TestClock(), failure_threshold=3)

    await _fail(breaker, 2)
    await breaker.call(_ok)
    await _fail(breaker, 2)

    assert breaker.state is CircuitState.CLOSED
    assert breaker.consecutive_failures == 2


async def test_permanent_errors_prove_the_venue_is_up() -> None:
    breaker = CircuitBreaker("kis", clock=TestClock(), failure_threshold=2)
    await _fail(breaker, 1)

    with pytest.raises(InvalidOrder):
        await breaker.call(_refused)

    assert breaker.consecutive_failures == 0


async def test_half_open_lets_one_trial_through_and_its_success_closes() -> None:
    clock = TestClock()
    breaker = CircuitBreaker("kis", clock=clock, failure_threshold=1, reset_timeout_s=5)
    await _fail(breaker, 1)
    clock.advance_ns(5 * SECOND)
    assert _state(breaker) is CircuitState.HALF_OPEN
    assert breaker.is_available()

    assert await breaker.call(_ok) == "ok"

    assert _state(breaker) is CircuitState.CLOSED


async def test_a_failed_trial_opens_the_circuit_for_another_timeout() -> None:
    clock = TestClock()
    breaker = CircuitBreaker("kis", clock=clock, failure_threshold=3, reset_timeout_s=5)
    await _fail(breaker, 3)
    clock.advance_ns(5 * SECOND)

    await _fail(breaker, 1)

    assert breaker.state is CircuitState.OPEN
    clock.advance_ns(4 * SECOND)
    assert breaker.state is CircuitState.OPEN


async def test_only_one_trial_runs_at_a_time() -> None:
    clock = TestClock()
    breaker = CircuitBreaker("kis", clock=clock, failure_threshold=1, reset_timeout_s=1)
    await _fail(breaker, 1)
    clock.advance_ns(SECOND)
    second_call: list[BaseException] = []

    async def trial() -> str:
        try:
            await breaker.call(_ok)
        except CircuitOpen as e:
            second_call.append(e)
        return "trial"

    assert await breaker.call(trial) == "trial"

    assert len(second_call) == 1
    assert breaker.state is CircuitState.CLOSED


async def test_a_cancelled_trial_frees_the_slot_for_another() -> None:
    clock = TestClock()
    breaker = CircuitBreaker("kis", clock=clock, failure_threshold=1, reset_timeout_s=1)
    await _fail(breaker, 1)
    clock.advance_ns(SECOND)

    async def interrupted() -> str:
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await breaker.call(interrupted)

    assert breaker.is_available()


def test_bad_settings_are_refused_with_the_fix() -> None:
    with pytest.raises(ConfigurationError, match="failure_threshold is 0; use 1 or more"):
        CircuitBreaker("kis", clock=TestClock(), failure_threshold=0)
    with pytest.raises(ConfigurationError, match="reset_timeout_s is -1"):
        CircuitBreaker("kis", clock=TestClock(), reset_timeout_s=-1)


async def test_registry_reports_health_per_broker() -> None:
    registry = BreakerRegistry(clock=TestClock(), failure_threshold=1)

    await _fail(registry.for_broker("kis"), 1)

    assert registry.is_healthy("kis") is False
    assert registry.is_healthy("creon") is True
    assert registry.for_broker("kis") is registry.for_broker("kis")
