"""In-process specifics: clock steps back, expired blocks, zero-cost requests, plan caching."""

from __future__ import annotations

import pytest

from jts.adapters.ratelimit.feedback import Feedback
from jts.adapters.ratelimit.inprocess import InProcessRateLimiter
from jts.adapters.ratelimit.limits import (
    Algorithm,
    Cost,
    Priority,
    RateLimit,
    RateLimitPolicy,
    RequestCost,
    Scope,
)
from jts.adapters.ratelimit.plan import Planner
from jts.shared_kernel.clock import TestClock

S = 1_000_000_000
T0 = 1_767_225_600 * S

POLICY = RateLimitPolicy(
    venue="TEST",
    limits=(
        RateLimit("s", 2, 1.0),
        RateLimit("f", 2, 1.0, Algorithm.FIXED_WINDOW),
        RateLimit("ip", 3, 1.0, scope=Scope.IP),
    ),
)


class WallClock:
    """A wall clock that NTP can step backwards."""

    def __init__(self, now_ns: int) -> None:
        self.now = now_ns

    def now_ns(self) -> int:
        return self.now


async def test_a_clock_stepped_back_is_held_at_its_latest_reading() -> None:
    clock = WallClock(T0 + S)
    limiter = InProcessRateLimiter(POLICY, clock=clock)
    assert await limiter.try_acquire("k", (Cost("f", 2),)) == 0.0

    clock.now = T0
    assert await limiter.try_acquire("k", (Cost("f"),)) == 1.0  # judged at T0+1s, not T0
    assert await limiter.acquire("k", (Cost("s"),)) == T0 + S
    clock.now = T0 + 2 * S
    assert await limiter.try_acquire("k", (Cost("f"),)) == 0.0


async def test_expired_blocks_are_forgotten() -> None:
    clock = TestClock(T0)
    limiter = InProcessRateLimiter(POLICY, clock=clock)
    await limiter.feedback("k", Feedback(status=503, retry_after_s=1.0))

    clock.advance_ns(S)
    assert await limiter.try_acquire("k", (Cost("s"),)) == 0.0

    assert (await limiter.headroom("k"))["ip"] == 1.0


async def test_zero_weight_costs_are_admitted_without_touching_limits() -> None:
    limiter = InProcessRateLimiter(POLICY, clock=TestClock(T0))

    assert await limiter.acquire("k", (Cost("s", 0),)) == T0
    assert await limiter.try_acquire("k", ()) == 0.0
    assert (await limiter.headroom("k"))["s"] == 1.0


def test_planner_caches_and_merges_costs_and_resolves_scopes() -> None:
    planner = Planner(POLICY, {Scope.IP: "host-1"})

    plan = planner.plan("acct", (Cost("s"), Cost("ip", 2), Cost("s")))

    assert planner.plan("acct", [Cost("s"), Cost("ip", 2), Cost("s")]) is plan
    assert [(c.state_id, c.weight) for c in plan.charges] == [("acct:s", 2), ("host-1:ip", 2)]
    assert plan.reserve is None
    with pytest.raises(ValueError, match="shared identity 'a:b'"):
        Planner(POLICY, {Scope.IP: "a:b"})


def test_plan_reserve_is_capped_by_capacity() -> None:
    policy = RateLimitPolicy(
        venue="TEST",
        limits=(RateLimit("w", 10, 1.0), RateLimit("p", 20, 1.0, Algorithm.GCRA)),
        requests={"o": RequestCost((Cost("w", 9), Cost("p")), Priority.ORDER)},
        order_reserve=0.5,
    )

    plan = Planner(policy).plan("k", (Cost("w", 9), Cost("p")))

    assert plan.reserve == (1, 0)  # 5 wanted, 1 fits beside the weight; pacing has no room


def test_starvation_guard_must_be_positive() -> None:
    with pytest.raises(ValueError, match="starvation_guard_s is 0"):
        InProcessRateLimiter(POLICY, clock=TestClock(), starvation_guard_s=0)
