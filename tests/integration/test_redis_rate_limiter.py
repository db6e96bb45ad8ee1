"""The Redis limiter against the real server, on Redis time, shared by several processes.

Each worker process runs its own limiter over one key prefix and reports the admission times
``acquire`` returned (Redis ``TIME``, one clock for all); the audit then checks that no
window, across all processes together, held more than its limit.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from jts.adapters.clock import LiveClock
from jts.adapters.ratelimit.audit import breaches
from jts.adapters.ratelimit.feedback import Feedback
from jts.adapters.ratelimit.limits import Algorithm, Cost, RateLimit, RateLimitPolicy
from jts.adapters.ratelimit.redis_backend import RedisRateLimiter
from tests.services import redis_url

pytestmark = pytest.mark.redis

POLICY = RateLimitPolicy(
    venue="ITEST",
    limits=(
        RateLimit("s", 20, 0.5, Algorithm.SLIDING_LOG),
        RateLimit("f", 25, 0.5, Algorithm.FIXED_WINDOW),
        RateLimit("g", 40, 1.0, Algorithm.GCRA),
    ),
)
REQUESTS = ((Cost("s"),), (Cost("f"),), (Cost("g"),), (Cost("s"), Cost("f", 2), Cost("g")))
ROOT = Path(__file__).resolve().parents[2]


async def _run_worker(url: str, prefix: str, seconds: float, tasks: int) -> list[list[object]]:
    redis = Redis.from_url(url)
    limiter = RedisRateLimiter(POLICY, redis, clock=LiveClock(), key_prefix=prefix)
    grants: list[list[object]] = []
    deadline = asyncio.get_running_loop().time() + seconds

    async def client(offset: int) -> None:
        turn = offset
        while asyncio.get_running_loop().time() < deadline:
            costs = REQUESTS[turn % len(REQUESTS)]
            at = await limiter.acquire("shared-key", costs)
            grants.append([at, [list(cost) for cost in costs]])
            turn += 1

    try:
        await asyncio.gather(*(client(i) for i in range(tasks)))
    finally:
        await redis.aclose()
    return grants


def worker_main() -> None:
    """Entry point of a worker process: run, then print the grants as JSON."""
    url, prefix, seconds, tasks = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    print(json.dumps(asyncio.run(_run_worker(url, prefix, seconds, tasks))))


@pytest.fixture
async def redis_prefix() -> AsyncIterator[tuple[str, str]]:
    url = redis_url()
    prefix = f"itest-{uuid.uuid4().hex[:12]}"
    yield url, prefix
    redis = Redis.from_url(url)
    keys = [key async for key in redis.scan_iter(match=f"{{{prefix}:ITEST}}:*")]
    if keys:
        await redis.delete(*keys)
    await redis.aclose()


def _audit(grant_lists: list[list[list[object]]]) -> dict[str, list[tuple[int, int]]]:
    by_limit: dict[str, list[tuple[int, int]]] = {lim.name: [] for lim in POLICY.limits}
    for grants in grant_lists:
        for at, costs in grants:
            for name, weight in costs:  # type: ignore[attr-defined]
                by_limit[name].append((int(at), int(weight)))  # type: ignore[call-overload]
    return by_limit


@pytest.mark.slow
async def test_processes_sharing_a_key_never_exceed_it_together(
    redis_prefix: tuple[str, str],
) -> None:
    url, prefix = redis_prefix
    code = "from tests.integration.test_redis_rate_limiter import worker_main; worker_main()"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    workers = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", code, url, prefix, "1.5", "3",
            cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(3)
    ]  # fmt: skip
    outputs = [await worker.communicate() for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0, 0], [err for _, err in outputs]
    grant_lists = [json.loads(out) for out, _ in outputs]
    assert all(grants for grants in grant_lists), "every process was admitted at least once"
    for name, log in _audit(grant_lists).items():
        assert log, f"nothing was granted on {name}"
        assert breaches(log, POLICY.limit(name)) == 0, name


async def test_clients_on_separate_connections_share_windows_and_blocks(
    redis_prefix: tuple[str, str],
) -> None:
    url, prefix = redis_prefix
    first, second = Redis.from_url(url), Redis.from_url(url)
    a = RedisRateLimiter(POLICY, first, clock=LiveClock(), key_prefix=prefix)
    b = RedisRateLimiter(POLICY, second, clock=LiveClock(), key_prefix=prefix)
    try:
        for _ in range(20):
            assert await a.try_acquire("k", (Cost("s"),)) == 0.0
        assert await b.try_acquire("k", (Cost("s"),)) > 0.0

        await a.feedback("k", Feedback(status=429, retry_after_s=30.0, limits=("g",)))
        assert 29.0 < await b.try_acquire("k", (Cost("g"),)) <= 30.0
        assert (await b.headroom("k"))["g"] == 0.0
    finally:
        await first.aclose()
        await second.aclose()


async def test_server_time_admissions_are_on_the_redis_clock(
    redis_prefix: tuple[str, str],
) -> None:
    url, prefix = redis_prefix
    redis = Redis.from_url(url)
    limiter = RedisRateLimiter(POLICY, redis, clock=LiveClock(), key_prefix=prefix)
    try:
        before_s, before_us = await redis.time()
        admitted = await limiter.acquire("k", (Cost("f"),))
        after_s, after_us = await redis.time()
        ttl_ms = await redis.pttl(f"{{{prefix}:ITEST}}:s:k:f")
    finally:
        await redis.aclose()

    assert (before_s * 10**6 + before_us) * 1000 <= admitted <= (after_s * 10**6 + after_us) * 1000
    assert 0 < ttl_ms <= 2000  # state expires by itself (2 windows + 1 s)
