"""Rate limiting: utilization under saturation, window breaches, and acquire overhead.

Saturation runs every venue's real policy on the virtual-time loop (hours of venue time in
seconds): several tasks per lane flood one endpoint, and the grants are audited against every
limit (``jts.adapters.ratelimit.audit``). Utilization is units granted over the allowance on
the limit the flood binds, over a whole number of windows. A short real-time run does the
same on the wall clock with scaled-down limits. Overhead is the wall time of one uncontended
``acquire``: in-process, and on Redis (``JTS_BENCH_REDIS_URL``, default the test server).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from benchmarks.harness import Figure
from jts.adapters.brokers.binance import constants as binance
from jts.adapters.brokers.creon import constants as creon
from jts.adapters.brokers.kis import constants as kis
from jts.adapters.brokers.upbit import constants as upbit
from jts.adapters.clock import LiveClock
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
from jts.adapters.ratelimit.port import RateLimiter
from jts.adapters.ratelimit.virtual_time import VirtualTime, run_virtual

S = 1_000_000_000
T0 = 1_767_225_600 * S  # 2026-01-01T00:00:00Z: aligned to every fixed window
REDIS_URL = os.environ.get("JTS_BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")

Grant = tuple[int, tuple[Cost, ...]]


@dataclass(frozen=True)
class Scenario:
    """Flood ``endpoints`` of ``policy`` for ``windows`` windows of the first ``binds`` limit.

    Utilization is reported for each limit in ``binds`` (the ones the flood saturates).
    """

    label: str
    policy: RateLimitPolicy
    endpoints: tuple[str, ...]
    binds: tuple[str, ...]
    windows: int
    tasks_per_endpoint: int = 3


_BINANCE_MIX = (
    "POST /api/v3/order",
    "GET /api/v3/depth",
    "GET /api/v3/klines",
    "GET /api/v3/account",
)
SCENARIOS = (
    Scenario("kis_real", kis.REAL_POLICY,
             (f"POST {kis.ORDER_CASH_PATH}", f"GET {kis.PRICE_PATH}", f"GET {kis.BALANCE_PATH}"),
             ("rest",), 60),
    Scenario("kis_paper", kis.PAPER_POLICY, (f"GET {kis.BALANCE_PATH}",), ("rest",), 60),
    Scenario("kis_token", kis.REAL_POLICY, (f"POST {kis.TOKEN_PATH}",), ("token",), 30),
    Scenario("creon_quotes", creon.RATE_LIMIT_POLICY, (creon.STOCK_MST, creon.STOCK_CHART),
             ("quote",), 20),
    Scenario("creon_trade", creon.RATE_LIMIT_POLICY,
             (creon.NEW_ORDER, creon.CANCEL_ORDER, creon.BALANCE), ("trade",), 20),
    Scenario("binance_mixed_lanes", binance.RATE_LIMIT_POLICY, _BINANCE_MIX,
             ("REQUEST_WEIGHT", "ORDERS_10S"), 10),
    Scenario("binance_orders_1d", binance.RATE_LIMIT_POLICY, ("POST /api/v3/order",),
             ("ORDERS_1D",), 1),
    Scenario("upbit_orders", upbit.RATE_LIMIT_POLICY, ("POST /v1/orders",), ("order",), 60),
    Scenario("upbit_exchange", upbit.RATE_LIMIT_POLICY,
             ("GET /v1/accounts", "DELETE /v1/order"), ("default",), 60),
    Scenario("upbit_quotation", upbit.RATE_LIMIT_POLICY,
             ("GET /v1/ticker", "GET /v1/orderbook", "GET /v1/candles/minutes/{unit}"),
             ("ticker", "orderbook", "candle"), 60),
    Scenario("upbit_cancel_all", upbit.RATE_LIMIT_POLICY, ("DELETE /v1/orders/open",),
             ("order-cancel-all",), 30),
)  # fmt: skip


async def _flood(
    limiter: RateLimiter,
    clock: VirtualTime | LiveClock,
    cost: RequestCost,
    until_ns: int,
    grants: list[Grant],
) -> None:
    while clock.now_ns() < until_ns:
        at = await limiter.acquire("acct", cost.costs, cost.priority)
        grants.append((at, cost.costs))


def _audit(policy: RateLimitPolicy, grants: list[Grant]) -> dict[str, list[tuple[int, int]]]:
    logs: dict[str, list[tuple[int, int]]] = {lim.name: [] for lim in policy.limits}
    for at, costs in grants:
        for name, weight in costs:
            logs[name].append((at, weight))
    return logs


def _saturate(scenario: Scenario) -> tuple[dict[str, float], int]:
    """(utilization of each bound limit, breaches over every limit) on virtual time."""
    policy = scenario.policy
    until = T0 + scenario.windows * policy.limit(scenario.binds[0]).window_ns
    clock = VirtualTime(T0)
    grants: list[Grant] = []

    async def main() -> None:
        limiter = InProcessRateLimiter(policy, clock=clock)
        floods = [
            _flood(limiter, clock, policy.request(endpoint), until, grants)
            for endpoint in scenario.endpoints
            for _ in range(scenario.tasks_per_endpoint)
        ]
        await asyncio.gather(*floods)

    run_virtual(main(), clock)
    logs = _audit(policy, grants)
    total_breaches = sum(breaches(logs[lim.name], lim) for lim in policy.limits)
    ratios = {
        name: utilization(logs[name], policy.limit(name), T0, until) for name in scenario.binds
    }
    return ratios, total_breaches


REALTIME_POLICY = RateLimitPolicy(
    venue="REALTIME",
    limits=(
        RateLimit("sliding_log", 50, 0.25, Algorithm.SLIDING_LOG),
        RateLimit("fixed_window", 50, 0.25, Algorithm.FIXED_WINDOW),
        RateLimit("gcra_pacing_20_per_s", 20, 1.0, Algorithm.GCRA),
        RateLimit("gcra_burst4_200_per_s", 200, 1.0, Algorithm.GCRA, burst=4),
    ),
)


def _realtime(seconds: float = 3.0) -> Iterator[tuple[str, float, int]]:
    """Flood each algorithm on the wall clock; utilization over whole windows inside the run."""
    clock = LiveClock()
    grants: list[Grant] = []

    async def main() -> tuple[int, int]:
        limiter = InProcessRateLimiter(REALTIME_POLICY, clock=clock)
        start = clock.now_ns()
        until = start + round(seconds * S)
        await asyncio.gather(
            *(
                _flood(
                    limiter, clock, RequestCost((Cost(lim.name),), Priority.QUOTE), until, grants
                )
                for lim in REALTIME_POLICY.limits
                for _ in range(3)
            )
        )
        return start, until

    start, until = asyncio.run(main())
    logs = _audit(REALTIME_POLICY, grants)
    for limit in REALTIME_POLICY.limits:
        log = logs[limit.name]
        first = -(-start // limit.window_ns) * limit.window_ns
        if limit.algorithm is not Algorithm.FIXED_WINDOW:
            first = min(at for at, _ in log)
        whole = (until - first) // limit.window_ns * limit.window_ns
        full_bucket = limit.burst - 1 if limit.algorithm is Algorithm.GCRA else 0
        ratio = utilization(log, limit, first, first + whole, extra=full_bucket)
        yield limit.name, ratio, breaches(log, limit)


async def _best_per_call_us(
    limiter: RateLimiter, costs: tuple[Cost, ...], calls: int, repeats: int
) -> float:
    """Fastest of ``repeats`` timed batches of ``calls`` acquires (the machine is shared)."""
    for _ in range(min(calls, 1000)):  # warm caches and scripts
        await limiter.acquire("acct", costs)
    best = float("inf")
    for _ in range(repeats):
        began = time.perf_counter()
        for _ in range(calls):
            await limiter.acquire("acct", costs)
        best = min(best, (time.perf_counter() - began) / calls * 1e6)
    return best


def _overhead_us(limiter: RateLimiter, costs: tuple[Cost, ...]) -> float:
    return asyncio.run(_best_per_call_us(limiter, costs, calls=20_000, repeats=5))


def _unbounded(policy: RateLimitPolicy) -> RateLimitPolicy:
    """``policy`` with limits no benchmark loop can reach, to time the uncontended path."""
    return policy.with_limits(
        RateLimit(lim.name, 10**12, lim.window_s, lim.algorithm, lim.scope, burst=10**12)
        for lim in policy.limits
    )


def _redis_overhead_us(calls: int) -> Iterator[tuple[str, float]]:
    from redis.asyncio import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    from jts.adapters.ratelimit.redis_backend import RedisRateLimiter

    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    for label, policy, costs in _OVERHEAD_CASES:

        async def one(policy: RateLimitPolicy = policy, costs: tuple[Cost, ...] = costs) -> float:
            redis = Redis.from_url(REDIS_URL)
            limiter = RedisRateLimiter(policy, redis, clock=LiveClock(), key_prefix=prefix)
            try:
                return await _best_per_call_us(limiter, costs, calls=calls, repeats=3)
            finally:
                keys = [k async for k in redis.scan_iter(match=limiter.key_pattern)]
                if keys:
                    await redis.delete(*keys)
                await redis.aclose()

        try:
            yield label, asyncio.run(one())
        except (RedisConnectionError, OSError) as e:
            print(
                f"bench_ratelimit: Redis at {REDIS_URL} unreachable ({e}); skipped", file=sys.stderr
            )
            return


_ONE = RateLimitPolicy("ONE", (RateLimit("rest", 20, 1.0, Algorithm.GCRA),))
_OVERHEAD_CASES = (
    ("one_limit", _unbounded(_ONE), (Cost("rest"),)),
    (
        "binance_order_4_windows",
        _unbounded(binance.RATE_LIMIT_POLICY),
        binance.RATE_LIMIT_POLICY.request("POST /api/v3/order").costs,
    ),
)


def run() -> Iterable[Figure]:
    for scenario in SCENARIOS:
        ratios, broken = _saturate(scenario)
        for name, ratio in ratios.items():
            yield Figure(
                f"ratelimit.saturation.{scenario.label}.{name}.utilization", ratio * 100, "%"
            )
        yield Figure(f"ratelimit.saturation.{scenario.label}.breaches", broken, "windows", False)
    for name, ratio, broken in _realtime():
        yield Figure(f"ratelimit.realtime.{name}.utilization", ratio * 100, "%")
        yield Figure(f"ratelimit.realtime.{name}.breaches", broken, "windows", False)
    for label, policy, costs in _OVERHEAD_CASES:
        limiter = InProcessRateLimiter(policy, clock=LiveClock())
        yield Figure(f"ratelimit.acquire.inprocess.{label}", _overhead_us(limiter, costs),
                     "us", False)  # fmt: skip
    for label, micros in _redis_overhead_us(1000):
        yield Figure(f"ratelimit.acquire.redis.{label}", micros, "us", False)
