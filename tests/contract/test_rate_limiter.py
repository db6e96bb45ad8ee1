"""The RateLimiter contract: the in-process and the Redis limiter behave identically.

Both run on one ``TestClock`` (Redis on client time) with a sleep that advances it, so every
wait is exact and nothing waits for real. Redis counts whole microseconds and adds one of
margin to sliding windows and GCRA spacing, so waits are compared to the microsecond.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redis.asyncio import Redis

from jts.adapters.ratelimit.audit import breaches
from jts.adapters.ratelimit.feedback import Feedback
from jts.adapters.ratelimit.inprocess import InProcessRateLimiter
from jts.adapters.ratelimit.limits import (
    Algorithm,
    Backoff,
    Cost,
    Priority,
    RateLimit,
    RateLimitPolicy,
    RequestCost,
    Scope,
)
from jts.adapters.ratelimit.port import RateLimiter, Sleep
from jts.adapters.ratelimit.redis_backend import RedisRateLimiter, TimeSource
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.errors import RateLimited
from tests.services import redis_url

S = 1_000_000_000
MS = 1_000_000
T0 = 1_767_225_600 * S  # 2026-01-01T00:00:00Z, aligned to the minute

POLICY = RateLimitPolicy(
    venue="TEST",
    limits=(
        RateLimit("s", 5, 1.0, Algorithm.SLIDING_LOG),
        RateLimit("f", 4, 60.0, Algorithm.FIXED_WINDOW),
        RateLimit("g", 10, 1.0, Algorithm.GCRA, burst=2),
        RateLimit("ip", 6, 1.0, Algorithm.SLIDING_LOG, Scope.IP),
        RateLimit("r", 10, 60.0, Algorithm.FIXED_WINDOW),
    ),
    requests={"order": RequestCost((Cost("r"),), Priority.ORDER)},
    backoff=Backoff(base_429_s=1.0, cap_429_s=3.0, base_418_s=10.0, cap_418_s=25.0),
    order_reserve=0.2,
)


def secs(seconds: float) -> object:
    return pytest.approx(seconds, abs=2e-6)


@dataclass
class Harness:
    limiter: RateLimiter
    clock: TestClock

    def advance(self, seconds: float) -> None:
        self.clock.advance_ns(round(seconds * S))

    async def fill(self, key: str, name: str, count: int) -> None:
        for _ in range(count):
            assert await self.limiter.try_acquire(key, (Cost(name),)) == 0.0


def clock_sleep(clock: TestClock) -> Sleep:
    async def sleep(seconds: float) -> None:
        clock.advance_ns(round(seconds * S))
        await asyncio.sleep(0)

    return sleep


@pytest.fixture(params=["inprocess", pytest.param("redis", marks=pytest.mark.redis)])
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    clock = TestClock(T0)
    if request.param == "inprocess":
        yield Harness(InProcessRateLimiter(POLICY, clock=clock, sleep=clock_sleep(clock)), clock)
        return
    redis = Redis.from_url(redis_url())
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    limiter = RedisRateLimiter(
        POLICY,
        redis,
        clock=clock,
        sleep=clock_sleep(clock),
        key_prefix=prefix,
        time_source=TimeSource.CLIENT,
    )
    try:
        yield Harness(limiter, clock)
    finally:
        keys = [key async for key in redis.scan_iter(match=limiter.key_pattern)]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()


@pytest.mark.parametrize(
    ("name", "count", "wait_s"),
    [("s", 5, 1.0), ("f", 4, 60.0), ("g", 2, 0.1), ("ip", 6, 1.0)],
)
async def test_admits_up_to_the_limit_then_says_how_long_to_wait(
    harness: Harness, name: str, count: int, wait_s: float
) -> None:
    await harness.fill("k", name, count)

    assert await harness.limiter.try_acquire("k", (Cost(name),)) == secs(wait_s)


async def test_sliding_log_frees_units_as_they_age_out(harness: Harness) -> None:
    await harness.fill("k", "s", 3)
    harness.advance(0.4)
    await harness.fill("k", "s", 2)

    wait = await harness.limiter.try_acquire("k", (Cost("s", 3),))
    assert wait == secs(0.6)
    harness.advance(wait)
    assert await harness.limiter.try_acquire("k", (Cost("s", 3),)) == 0.0


async def test_request_is_admitted_on_all_its_limits_or_on_none(harness: Harness) -> None:
    await harness.fill("k", "f", 4)

    wait = await harness.limiter.try_acquire("k", (Cost("s", 2), Cost("f")))

    assert wait == secs(60.0)
    assert (await harness.limiter.headroom("k"))["s"] == 1.0


async def test_weights_consume_several_units(harness: Harness) -> None:
    assert await harness.limiter.try_acquire("k", (Cost("s", 4), Cost("g", 2))) == 0.0

    assert await harness.limiter.try_acquire("k", (Cost("s", 2),)) == secs(1.0)
    assert await harness.limiter.try_acquire("k", (Cost("g"),)) == secs(0.1)
    room = await harness.limiter.headroom("k")
    assert room["s"] == secs(0.2)
    assert room["g"] == secs(0.8)


async def test_acquire_waits_exactly_until_there_is_room(harness: Harness) -> None:
    await harness.fill("k", "s", 5)

    admitted_at = await harness.limiter.acquire("k", (Cost("s"),), Priority.ORDER)

    assert admitted_at == harness.clock.now_ns()
    assert admitted_at - (T0 + S) in range(0, 1001)  # Redis adds a microsecond of margin


async def test_acquire_refuses_to_wait_past_max_wait(harness: Harness) -> None:
    await harness.fill("k", "f", 4)

    with pytest.raises(RateLimited) as raised:
        await harness.limiter.acquire("k", (Cost("f"),), max_wait_s=5.0)

    assert raised.value.retry_after_s == secs(60.0)
    assert raised.value.venue == "TEST"
    assert harness.clock.now_ns() == T0


async def test_ip_scope_is_shared_between_keys_other_scopes_are_not(harness: Harness) -> None:
    await harness.fill("alice", "ip", 6)
    await harness.fill("alice", "s", 5)

    assert await harness.limiter.try_acquire("bob", (Cost("ip"),)) == secs(1.0)
    assert await harness.limiter.try_acquire("bob", (Cost("s"),)) == 0.0


async def test_used_feedback_raises_the_count_but_never_lowers_it(harness: Harness) -> None:
    await harness.fill("k", "f", 2)

    await harness.limiter.feedback("k", Feedback(used={"f": 1}, sent_at_ns=T0))
    assert (await harness.limiter.headroom("k"))["f"] == 0.5
    await harness.limiter.feedback("k", Feedback(used={"f": 3}, sent_at_ns=T0))
    assert (await harness.limiter.headroom("k"))["f"] == 0.25


async def test_fixed_window_count_from_an_earlier_window_is_ignored(harness: Harness) -> None:
    harness.advance(60.5)

    await harness.limiter.feedback("k", Feedback(used={"f": 4}, sent_at_ns=T0 + 59 * S))

    assert (await harness.limiter.headroom("k"))["f"] == 1.0


async def test_remaining_feedback_and_sliding_sync(harness: Harness) -> None:
    await harness.limiter.feedback("k", Feedback(remaining={"s": 1, "g": 8}))

    assert await harness.limiter.try_acquire("k", (Cost("s"),)) == 0.0
    assert await harness.limiter.try_acquire("k", (Cost("s"),)) == secs(1.0)
    assert await harness.limiter.try_acquire("k", (Cost("g"),)) == secs(0.1)


async def test_retry_after_blocks_only_the_named_limits(harness: Harness) -> None:
    await harness.limiter.feedback("k", Feedback(status=503, retry_after_s=2.5, limits=("s",)))

    assert await harness.limiter.try_acquire("k", (Cost("s"), Cost("g"))) == secs(2.5)
    assert await harness.limiter.try_acquire("k", (Cost("g"),)) == 0.0
    assert (await harness.limiter.headroom("k"))["s"] == 0.0
    harness.advance(2.5)
    assert await harness.limiter.try_acquire("k", (Cost("s"),)) == 0.0


async def test_429_without_limits_blocks_every_limit_of_the_key(harness: Harness) -> None:
    await harness.limiter.feedback("k", Feedback(status=429))

    room = await harness.limiter.headroom("k")

    assert room == {"s": 0.0, "f": 0.0, "g": 0.0, "ip": 0.0, "r": 0.0}
    assert await harness.limiter.try_acquire("other", (Cost("s"),)) == 0.0
    assert await harness.limiter.try_acquire("other", (Cost("ip"),)) == secs(1.0)


async def test_429_escalates_only_for_requests_sent_after_the_block(harness: Harness) -> None:
    limiter = harness.limiter
    await limiter.feedback("k", Feedback(status=429, sent_at_ns=T0))
    harness.advance(0.5)
    await limiter.feedback("k", Feedback(status=429, sent_at_ns=T0 - 1))  # was in flight
    assert await limiter.try_acquire("k", (Cost("s"),)) == secs(1.0)
    harness.advance(1.0)
    sent = await limiter.acquire("k", (Cost("s"),))

    await limiter.feedback("k", Feedback(status=429, sent_at_ns=sent))
    assert await limiter.try_acquire("k", (Cost("g"),)) == secs(2.0)
    harness.advance(2.0)
    await limiter.feedback("k", Feedback(status=429, sent_at_ns=harness.clock.now_ns()))
    assert await limiter.try_acquire("k", (Cost("g"),)) == secs(3.0)  # capped


async def test_success_after_the_block_resets_the_strikes(harness: Harness) -> None:
    limiter = harness.limiter
    await limiter.feedback("k", Feedback(status=429))
    harness.advance(1.0)
    await limiter.feedback("k", Feedback(status=429))
    harness.advance(2.0)

    await limiter.feedback("k", Feedback(status=200, sent_at_ns=T0))  # sent before: no reset
    await limiter.feedback("k", Feedback(status=429))
    assert await limiter.try_acquire("k", (Cost("g"),)) == secs(3.0)
    harness.advance(3.0)
    await limiter.feedback("k", Feedback(status=200))
    await limiter.feedback("k", Feedback(status=429))
    assert await limiter.try_acquire("k", (Cost("g"),)) == secs(1.0)


async def test_418_bans_with_its_own_escalating_backoff(harness: Harness) -> None:
    limiter = harness.limiter
    await limiter.feedback("k", Feedback(status=418, retry_after_s=4.0))
    assert await limiter.try_acquire("k", (Cost("s"),)) == secs(10.0)
    harness.advance(10.0)

    await limiter.feedback("k", Feedback(status=418))
    assert await limiter.try_acquire("k", (Cost("s"),)) == secs(20.0)
    harness.advance(20.0)
    await limiter.feedback("k", Feedback(status=418, retry_after_s=30.0))
    assert await limiter.try_acquire("k", (Cost("s"),)) == secs(30.0)
    harness.advance(30.0)
    await limiter.feedback("k", Feedback(status=418))
    assert await limiter.try_acquire("k", (Cost("s"),)) == secs(25.0)


async def test_headroom_is_the_free_fraction_of_each_window(harness: Harness) -> None:
    await harness.fill("k", "s", 1)
    await harness.fill("k", "f", 3)
    await harness.fill("k", "g", 1)

    room = await harness.limiter.headroom("k")

    assert room == pytest.approx({"s": 0.8, "f": 0.25, "g": 0.9, "ip": 1.0, "r": 1.0})
    assert harness.limiter.policy is POLICY


async def test_other_lanes_leave_the_order_reserve_free(harness: Harness) -> None:
    limiter = harness.limiter
    for _ in range(8):
        assert await limiter.try_acquire("k", (Cost("r"),), Priority.QUOTE) == 0.0

    assert await limiter.try_acquire("k", (Cost("r"),), Priority.HISTORY) == secs(60.0)
    assert await limiter.try_acquire("k", (Cost("r"),), Priority.ORDER) == 0.0
    assert await limiter.acquire("k", (Cost("r"),), Priority.CANCEL, max_wait_s=0) == T0
    assert await limiter.try_acquire("k", (Cost("r"),), Priority.ORDER) == secs(60.0)


async def test_unknown_limits_and_oversized_weights_fail_clearly(harness: Harness) -> None:
    with pytest.raises(ValueError, match="no rate limit 'nope'"):
        await harness.limiter.try_acquire("k", (Cost("nope"),))
    with pytest.raises(ValueError, match="weight 3 exceeds"):
        await harness.limiter.acquire("k", (Cost("g", 3),))
    with pytest.raises(ValueError, match="contain no ':'"):
        await harness.limiter.acquire("a:b", (Cost("s"),))


_REQUEST = st.lists(
    st.tuples(st.sampled_from(["s", "f", "g", "ip", "r"]), st.integers(1, 2)),
    min_size=1,
    max_size=3,
    unique_by=lambda cost: cost[0],
)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    arrivals=st.lists(
        st.tuples(
            st.integers(0, 700 * MS),
            _REQUEST,
            st.sampled_from(["a", "b"]),
            st.booleans(),
            st.sampled_from([Priority.ORDER, Priority.QUOTE]),
        ),
        max_size=40,
    )
)
async def test_no_limit_is_ever_exceeded_for_any_arrival_pattern(
    harness: Harness, arrivals: list[tuple[int, list[tuple[str, int]], str, bool, Priority]]
) -> None:
    """Each arrival tries once, or (``persist``) waits as told and tries again.

    Quotes leave the order reserve of ``r`` free; orders may use it.
    """
    run = uuid.uuid4().hex[:8]
    grants: dict[tuple[str, str], list[tuple[int, int]]] = {}

    for gap, request, who, persist, lane in arrivals:
        harness.clock.advance_ns(gap)
        key = f"{who}{run}"
        costs = tuple(Cost(name, weight) for name, weight in request)
        wait = await harness.limiter.try_acquire(key, costs, lane)
        while wait and persist:
            harness.advance(wait)
            wait = await harness.limiter.try_acquire(key, costs, lane)
        if wait == 0.0:
            for name, weight in request:
                owner = "shared" if name == "ip" else key
                grants.setdefault((owner, name), []).append((harness.clock.now_ns(), weight))

    for (_, name), log in grants.items():
        assert breaches(log, POLICY.limit(name)) == 0
