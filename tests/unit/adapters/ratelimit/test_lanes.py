"""Priority lanes: orders before quotes before history, with a starvation guard.

Runs on the virtual-time event loop: ``asyncio.sleep`` jumps the clock instead of waiting.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jts.adapters.ratelimit.audit import breaches, utilization
from jts.adapters.ratelimit.inprocess import InProcessRateLimiter
from jts.adapters.ratelimit.limits import (
    Algorithm,
    Cost,
    Priority,
    RateLimit,
    RateLimitPolicy,
    RequestCost,
)
from jts.adapters.ratelimit.virtual_time import VirtualTime, run_virtual
from jts.shared_kernel.errors import RateLimited

S = 1_000_000_000
T0 = 1_767_225_600 * S

POLICY = RateLimitPolicy(
    venue="TEST",
    limits=(
        RateLimit("trade", 2, 1.0),
        RateLimit("quote", 4, 1.0),
        RateLimit("paced", 10, 1.0, Algorithm.GCRA),
    ),
)
TRADE, QUOTE = (Cost("trade"),), (Cost("quote"),)


def _simulate(
    scenario: Callable[[InProcessRateLimiter, VirtualTime], Awaitable[None]],
    *,
    guard_s: float = 100.0,
) -> None:
    time = VirtualTime(T0)

    async def main() -> None:
        limiter = InProcessRateLimiter(POLICY, clock=time, starvation_guard_s=guard_s)
        await scenario(limiter, time)

    run_virtual(main(), time)


def test_lanes_serve_orders_then_quotes_then_history() -> None:
    order: list[str] = []

    async def scenario(limiter: InProcessRateLimiter, time: VirtualTime) -> None:
        await limiter.acquire("k", (Cost("trade", 2),))

        async def request(label: str, priority: Priority) -> None:
            await limiter.acquire("k", TRADE, priority)
            order.append(label)

        lanes = [("h1", Priority.HISTORY), ("q1", Priority.QUOTE), ("h2", Priority.ACCOUNT)]
        lanes += [("o1", Priority.ORDER), ("q2", Priority.QUOTE), ("c1", Priority.CANCEL)]
        await asyncio.gather(*(request(label, lane) for label, lane in lanes))

    _simulate(scenario)

    assert order == ["o1", "c1", "q1", "q2", "h1", "h2"]


def test_starvation_guard_serves_history_held_back_by_quotes() -> None:
    served_at: dict[float, int] = {}

    async def scenario(limiter: InProcessRateLimiter, time: VirtualTime) -> None:
        async def quote_flood() -> None:
            while time.now_ns() < T0 + 30 * S:
                await limiter.acquire("k", TRADE, Priority.QUOTE)

        async def history() -> None:
            await asyncio.sleep(0.5)
            served_at[guard] = await limiter.acquire("k", TRADE, Priority.HISTORY) - T0

        await asyncio.gather(*(quote_flood() for _ in range(4)), history())

    for guard in (3.0, 100.0):
        _simulate(scenario, guard_s=guard)

    assert 3.5 * S <= served_at[3.0] <= 4.5 * S  # promoted at 3.5 s, served within a window
    assert served_at[100.0] >= 30 * S  # without the guard it waited for the flood to end


def test_orders_are_never_held_back_by_promoted_requests() -> None:
    served: list[tuple[str, int]] = []

    async def scenario(limiter: InProcessRateLimiter, time: VirtualTime) -> None:
        await limiter.acquire("k", (Cost("trade", 2),))

        async def request(label: str, priority: Priority, delay: float) -> None:
            await asyncio.sleep(delay)
            served.append((label, await limiter.acquire("k", TRADE, priority) - T0))

        await asyncio.gather(
            request("history", Priority.HISTORY, 0.0),
            request("order", Priority.ORDER, 0.9),
            request("cancel", Priority.CANCEL, 0.95),
        )

    _simulate(scenario, guard_s=0.5)  # history is promoted long before the order arrives

    assert served == [("order", S), ("cancel", S), ("history", 2 * S)]


def test_requests_on_unrelated_limits_never_hold_each_other() -> None:
    admitted: dict[str, int] = {}

    async def scenario(limiter: InProcessRateLimiter, time: VirtualTime) -> None:
        await limiter.acquire("k", (Cost("trade", 2),))
        waiting_order = asyncio.create_task(limiter.acquire("k", TRADE, Priority.ORDER))
        await asyncio.sleep(0)
        admitted["quote"] = await limiter.acquire("k", QUOTE, Priority.HISTORY)
        admitted["order"] = await waiting_order

    _simulate(scenario)

    assert admitted == {"quote": T0, "order": T0 + S}


def test_small_low_lane_request_cannot_overtake_a_big_waiting_order() -> None:
    seen: dict[str, object] = {}

    async def scenario(limiter: InProcessRateLimiter, time: VirtualTime) -> None:
        await limiter.acquire("k", (Cost("quote", 2),))
        await asyncio.sleep(0.5)
        await limiter.acquire("k", (Cost("quote", 1),))
        big = asyncio.create_task(limiter.acquire("k", (Cost("quote", 3),), Priority.ORDER))
        await asyncio.sleep(0)
        seen["try"] = await limiter.try_acquire("k", QUOTE, Priority.QUOTE)
        seen["small"] = await limiter.acquire("k", QUOTE, Priority.QUOTE)
        seen["big"] = await big

    _simulate(scenario)

    assert seen["try"] == pytest.approx(0.5)
    assert seen["big"] == T0 + S  # the two units taken at T0 left
    assert seen["small"] == T0 + S + 500_000_000  # after the big one, when T0+0.5s left


def test_same_lane_is_first_come_first_served() -> None:
    order: list[int] = []

    async def scenario(limiter: InProcessRateLimiter, time: VirtualTime) -> None:
        await limiter.acquire("k", (Cost("trade", 2),))

        async def request(number: int) -> None:
            await asyncio.sleep(number * 0.001)
            await limiter.acquire("k", TRADE, Priority.QUOTE)
            order.append(number)

        await asyncio.gather(*(request(n) for n in range(7)))

    _simulate(scenario)

    assert order == list(range(7))


def test_cancelled_waiter_leaves_the_queue() -> None:
    result: dict[str, int] = {}

    async def scenario(limiter: InProcessRateLimiter, time: VirtualTime) -> None:
        await limiter.acquire("k", (Cost("trade", 2),))
        first = asyncio.create_task(limiter.acquire("k", TRADE, Priority.ORDER))
        await asyncio.sleep(0)
        second = asyncio.create_task(limiter.acquire("k", TRADE, Priority.HISTORY))
        await asyncio.sleep(0.1)
        first.cancel()
        result["second"] = await second
        result["waiting"] = limiter._lanes.waiting

    _simulate(scenario)

    assert result == {"second": T0 + S, "waiting": 0}


def test_max_wait_is_enforced_while_parked_behind_a_higher_lane() -> None:
    outcome: dict[str, object] = {}

    async def scenario(limiter: InProcessRateLimiter, time: VirtualTime) -> None:
        await limiter.acquire("k", (Cost("trade", 2),))
        order = asyncio.create_task(limiter.acquire("k", (Cost("trade", 2),), Priority.ORDER))
        await asyncio.sleep(0)
        try:
            await limiter.acquire("k", TRADE, Priority.HISTORY, max_wait_s=0.3)
        except RateLimited as e:
            outcome["raised_at"] = time.now_ns() - T0
            outcome["retry_after_s"] = e.retry_after_s
        outcome["order"] = await order

    _simulate(scenario)

    assert outcome["raised_at"] <= 300_000_000
    assert outcome["order"] == T0 + S


def test_lanes_keep_saturation_at_the_full_allowance() -> None:
    grants: list[tuple[int, int]] = []

    async def scenario(limiter: InProcessRateLimiter, time: VirtualTime) -> None:
        async def client(priority: Priority) -> None:
            while time.now_ns() < T0 + 20 * S:
                grants.append((await limiter.acquire("k", (Cost("paced"),), priority), 1))

        lanes = (Priority.ORDER, Priority.QUOTE, Priority.HISTORY)
        await asyncio.gather(*(client(lane) for lane in lanes for _ in range(3)))

    _simulate(scenario, guard_s=0.5)

    limit = POLICY.limit("paced")
    assert breaches(grants, limit) == 0
    assert utilization(grants, limit, T0, T0 + 20 * S) == 1.0


RESERVED = RateLimitPolicy(
    venue="TEST",
    limits=(RateLimit("weight", 100, 60.0, Algorithm.FIXED_WINDOW), RateLimit("orders", 5, 10.0)),
    requests={
        "order": RequestCost((Cost("weight"), Cost("orders")), Priority.ORDER),
        "depth": RequestCost((Cost("weight", 5),), Priority.QUOTE),
    },
    order_reserve=0.3,
)


def test_order_reserve_keeps_weight_for_orders_under_a_quote_flood() -> None:
    grants: list[tuple[int, str]] = []
    time = VirtualTime(T0)

    async def flood(limiter: InProcessRateLimiter, endpoint: str) -> None:
        cost = RESERVED.request(endpoint)
        while time.now_ns() < T0 + 60 * S:
            grants.append((await limiter.acquire("k", cost.costs, cost.priority), endpoint))

    async def main() -> None:
        limiter = InProcessRateLimiter(RESERVED, clock=time)
        await asyncio.gather(*(flood(limiter, e) for e in ("depth", "depth", "order", "order")))

    run_virtual(main(), time)

    in_minute = [endpoint for at, endpoint in grants if at < T0 + 60 * S]
    assert in_minute.count("order") == 30  # 5 per 10 s all minute long
    assert in_minute.count("depth") == 14  # 14 * 5 = 70: all but the 30 reserved
    assert RESERVED.reserved_units() == {"weight": 30, "orders": 2}


MIXED = RateLimitPolicy(
    venue="TEST",
    limits=(
        RateLimit("weight", 20, 1.0, Algorithm.FIXED_WINDOW),
        RateLimit("orders", 3, 2.0),
        RateLimit("paced", 10, 1.0, Algorithm.GCRA, burst=2),
    ),
    requests={
        "order": RequestCost((Cost("weight"), Cost("orders")), Priority.ORDER),
        "cancel": RequestCost((Cost("weight"),), Priority.CANCEL),
        "depth": RequestCost((Cost("weight", 5), Cost("paced")), Priority.QUOTE),
        "ticker": RequestCost((Cost("paced", 2),), Priority.QUOTE),
        "account": RequestCost((Cost("weight", 4),), Priority.ACCOUNT),
    },
    order_reserve=0.2,
)


@given(
    st.lists(
        st.tuples(st.integers(0, 1500), st.sampled_from(sorted(MIXED.requests)), st.integers(1, 4)),
        min_size=1,
        max_size=25,
    ),
    st.sampled_from([0.2, 1.0, 100.0]),
)
def test_concurrent_lanes_never_overrun_and_everyone_is_served(
    clients: list[tuple[int, str, int]], guard_s: float
) -> None:
    """Clients arrive at random times, each sending a few requests of one kind."""
    time = VirtualTime(T0)
    grants: list[tuple[int, str]] = []

    async def client(
        delay_ms: int, endpoint: str, count: int, limiter: InProcessRateLimiter
    ) -> None:
        await asyncio.sleep(delay_ms / 1000)
        cost = MIXED.request(endpoint)
        for _ in range(count):
            grants.append((await limiter.acquire("k", cost.costs, cost.priority), endpoint))

    async def main() -> None:
        limiter = InProcessRateLimiter(MIXED, clock=time, starvation_guard_s=guard_s)
        await asyncio.gather(*(client(*spec, limiter) for spec in clients))
        assert limiter._lanes.waiting == 0

    run_virtual(main(), time)

    assert len(grants) == sum(count for _, _, count in clients)
    for limit in MIXED.limits:
        log = [
            (at, cost.weight)
            for at, endpoint in grants
            for cost in MIXED.request(endpoint).costs
            if cost.limit == limit.name
        ]
        assert breaches(log, limit) == 0
