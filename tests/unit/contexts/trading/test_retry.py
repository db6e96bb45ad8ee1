import asyncio

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jts.contexts.trading.application.circuit_breaker import CircuitBreaker, CircuitOpen
from jts.contexts.trading.application.retry import RetryPolicy, call_with_retry
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.errors import (
    ConfigurationError,
    InvalidOrder,
    RateLimited,
    TransientVenueError,
)
from tests.unit.contexts.trading.fakes import FixedRandom, NoSleep


class _Flaky:
    """Fails with the given errors in turn, then answers with the attempt number."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.attempts: list[int] = []

    async def __call__(self, attempt: int) -> int:
        self.attempts.append(attempt)
        if self.errors:
            raise self.errors.pop(0)
        return attempt


def _breaker(threshold: int = 100) -> CircuitBreaker:
    return CircuitBreaker("kis", clock=TestClock(), failure_threshold=threshold)


async def _run(operation: _Flaky, policy: RetryPolicy, sleep: NoSleep, **kw: object) -> int:
    return await call_with_retry(
        operation,
        policy=policy,
        breaker=kw.get("breaker") or _breaker(),  # type: ignore[arg-type]
        sleep=sleep,
        rng=FixedRandom(0.0),
    )


def _timeout() -> TransientVenueError:
    return TransientVenueError("timeout", venue="kis")


async def test_transient_errors_are_retried_with_exponential_backoff() -> None:
    sleep = NoSleep()
    operation = _Flaky(_timeout(), _timeout(), _timeout())
    policy = RetryPolicy(max_attempts=5, base_delay_s=0.5, multiplier=2, max_delay_s=1.5)

    assert await _run(operation, policy, sleep) == 4

    assert operation.attempts == [1, 2, 3, 4]
    assert sleep.slept == [0.5, 1.0, 1.5]  # capped at max_delay_s


async def test_permanent_errors_are_not_retried() -> None:
    sleep = NoSleep()
    operation = _Flaky(InvalidOrder("bad tick", venue="kis"))

    with pytest.raises(InvalidOrder):
        await _run(operation, RetryPolicy(), sleep)

    assert operation.attempts == [1]
    assert sleep.slept == []


async def test_the_last_transient_error_is_raised_when_attempts_run_out() -> None:
    last = TransientVenueError("still down", venue="kis")
    operation = _Flaky(_timeout(), last)

    with pytest.raises(TransientVenueError) as raised:
        await _run(operation, RetryPolicy(max_attempts=2), NoSleep())

    assert raised.value is last


async def test_rate_limited_waits_for_retry_after() -> None:
    sleep = NoSleep()
    operation = _Flaky(RateLimited("EGW00201", venue="kis", retry_after_s=3.0))

    await _run(operation, RetryPolicy(base_delay_s=0.1), sleep)

    assert sleep.slept == [3.0]


async def test_an_open_circuit_stops_retrying_at_once() -> None:
    breaker = _breaker(threshold=2)
    operation = _Flaky(_timeout(), _timeout(), _timeout())

    with pytest.raises(CircuitOpen):
        await _run(operation, RetryPolicy(max_attempts=5), NoSleep(), breaker=breaker)

    assert operation.attempts == [1, 2]


async def test_a_call_that_outlives_the_timeout_becomes_a_transient_error() -> None:
    attempts: list[int] = []

    async def hangs_once(attempt: int) -> int:
        attempts.append(attempt)
        if attempt == 1:
            await asyncio.sleep(10)
        return attempt

    policy = RetryPolicy(call_timeout_s=0.01, max_attempts=2)
    result = await call_with_retry(
        hangs_once, policy=policy, breaker=_breaker(), sleep=NoSleep(), rng=FixedRandom()
    )

    assert (result, attempts) == (2, [1, 2])


@given(
    attempt=st.integers(min_value=1, max_value=30),
    draw=st.floats(min_value=0, max_value=0.999999),
    jitter=st.floats(min_value=0, max_value=1),
)
def test_delay_stays_within_the_jitter_band_below_the_cap(
    attempt: int, draw: float, jitter: float
) -> None:
    policy = RetryPolicy(base_delay_s=0.2, multiplier=2, max_delay_s=10, jitter=jitter)

    delay = policy.delay_s(attempt, _timeout(), FixedRandom(draw))

    backoff = min(10.0, 0.2 * 2 ** (attempt - 1))
    assert backoff * (1 - jitter) - 1e-12 <= delay <= backoff


def test_bad_policy_names_every_problem() -> None:
    with pytest.raises(ConfigurationError) as raised:
        RetryPolicy(max_attempts=0, jitter=2, call_timeout_s=0)

    message = str(raised.value)
    assert "max_attempts is 0; use 1 or more" in message
    assert "jitter is 2" in message
    assert "call_timeout_s is 0" in message
