"""The Redis rate limiter: processes sharing an API key never exceed its limits together.

Every reservation is one EVALSHA of ``redis_scripts.RESERVE``, which checks every limit a
request charges and takes all or none. Keys live under one hash tag per venue,
``{<prefix>:<venue>}``, so a Redis Cluster keeps them on one slot.

Time source. ``TimeSource.SERVER`` (the default) reads Redis ``TIME`` inside the script:
every process then judges windows by one clock, so skew between hosts cannot let two
processes each believe a window has room. ``TimeSource.CLIENT`` sends the injected clock's
time instead; it is for a single process on virtual time (tests, simulations), since hosts
with skewed clocks would disagree about when grants expire. Use one source per prefix. The
admission time ``acquire`` returns is on the same base, so feeding it back as
``Feedback.sent_at_ns`` attributes venue counts to the right window.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from typing import Any

from redis.asyncio import Redis

from jts.adapters.ratelimit import redis_scripts
from jts.adapters.ratelimit.feedback import Feedback
from jts.adapters.ratelimit.lanes import LaneScheduler, Margins
from jts.adapters.ratelimit.limits import Algorithm, Cost, Priority, RateLimitPolicy, Scope
from jts.adapters.ratelimit.plan import DEFAULT_SHARED_SCOPES, Charge, Plan, Planner
from jts.adapters.ratelimit.port import Reservation, Sleep
from jts.shared_kernel.clock import NANOS_PER_MICRO, Clock

_NOTHING: frozenset[str] = frozenset()


class TimeSource(Enum):
    SERVER = "server"
    CLIENT = "client"


def _limit_args(charge: Charge, weight: int, margin: int = 0) -> list[Any]:
    """The seven script arguments of one limit (see ``redis_scripts``), in microseconds.

    Redis counts in whole microseconds; a request admitted at microsecond ``f`` really left
    somewhere in ``[f, f+1)``. Sliding windows and GCRA spacing therefore get one extra
    microsecond, so the guarantee holds on any finer clock; fixed windows need none because
    their boundaries fall on whole microseconds.
    """
    limit = charge.limit
    window_us = -(-limit.window_ns // NANOS_PER_MICRO)
    if limit.algorithm is Algorithm.GCRA:
        emission_us = -(-window_us // limit.limit) + 1
        return ["G", limit.limit, window_us, emission_us, emission_us * limit.burst, weight, margin]
    if limit.algorithm is Algorithm.SLIDING_LOG:
        return ["S", limit.limit, window_us + 1, 0, 0, weight, margin]
    align_us = limit.align_ns // NANOS_PER_MICRO
    return ["F", limit.limit, window_us, align_us, 0, weight, margin]


class RedisRateLimiter:
    """``RateLimiter`` whose windows live in Redis; see ``jts.adapters.ratelimit.port``."""

    def __init__(
        self,
        policy: RateLimitPolicy,
        redis: Redis,
        *,
        clock: Clock,
        sleep: Sleep = asyncio.sleep,
        starvation_guard_s: float = 2.0,
        shared_scopes: Mapping[Scope, str] = DEFAULT_SHARED_SCOPES,
        key_prefix: str = "jts:rl",
        time_source: TimeSource = TimeSource.SERVER,
    ) -> None:
        if not key_prefix or any(c in key_prefix for c in "{}"):
            raise ValueError(f"key_prefix {key_prefix!r} must be non-empty without braces")
        self._planner = Planner(policy, shared_scopes)
        self._clock = clock
        self._time_source = time_source
        self._lanes = LaneScheduler(
            venue=policy.venue, clock=clock, sleep=sleep, starvation_guard_s=starvation_guard_s
        )
        self._base = f"{{{key_prefix}:{policy.venue}}}"
        self._blocks_key = f"{self._base}:blocks"
        self._reserve_script = redis.register_script(redis_scripts.RESERVE)
        self._feedback_script = redis.register_script(redis_scripts.FEEDBACK)
        self._headroom_script = redis.register_script(redis_scripts.HEADROOM)
        self._encoded: dict[Plan, tuple[list[str], list[Any]]] = {}

    @property
    def policy(self) -> RateLimitPolicy:
        return self._planner.policy

    @property
    def key_pattern(self) -> str:
        """A ``SCAN MATCH`` pattern covering every key this limiter writes."""
        return f"{self._base}:*"

    async def acquire(
        self,
        key: str,
        costs: Sequence[Cost],
        priority: Priority = Priority.QUOTE,
        *,
        max_wait_s: float | None = None,
    ) -> int:
        plan = self._planner.plan(key, costs)
        return await self._lanes.acquire(plan, priority, max_wait_s, self._reserve)

    async def try_acquire(
        self, key: str, costs: Sequence[Cost], priority: Priority = Priority.QUOTE
    ) -> float:
        plan = self._planner.plan(key, costs)
        return await self._lanes.try_acquire(plan, priority, self._reserve)

    async def feedback(self, key: str, feedback: Feedback) -> None:
        policy = self.policy
        counts = dict(feedback.used)
        for name, remaining in feedback.remaining.items():
            counts[name] = max(counts.get(name, 0), policy.limit(name).limit - remaining)
        syncs = [(c, counts[c.limit.name]) for c in self._planner.charges(key, list(counts))]
        kind, base_s, cap_s = self._block_kind(feedback)
        args: list[Any] = [self._now_arg(), len(syncs)]
        for charge, used in syncs:
            args.extend(_limit_args(charge, max(0, used)))
        observed = "" if feedback.sent_at_ns is None else feedback.sent_at_ns // NANOS_PER_MICRO
        retry_us = math.ceil((feedback.retry_after_s or 0.0) * 1_000_000)
        args.extend([observed, key, kind, retry_us, base_s * 1_000_000, cap_s * 1_000_000])
        blocked = self._planner.charges(key, feedback.limits) or self._planner.all_charges(key)
        args.extend(c.state_id for c in blocked)
        await self._feedback_script(keys=self._keys(c for c, _ in syncs), args=args)

    async def headroom(self, key: str) -> dict[str, float]:
        charges = self._planner.all_charges(key)
        args: list[Any] = [self._now_arg(), len(charges)]
        for charge in charges:
            args.extend(_limit_args(charge, 0))
        args.extend(c.state_id for c in charges)
        reply = await self._headroom_script(keys=self._keys(charges), args=args)
        room: dict[str, float] = {}
        for i, charge in enumerate(charges):
            used, blocked = int(reply[1 + 2 * i]), int(reply[2 + 2 * i])
            limit = charge.limit
            if limit.algorithm is Algorithm.GCRA:
                emission_us = int(_limit_args(charge, 0)[3])
                units = used / emission_us
            else:
                units = float(used)
            room[limit.name] = 0.0 if blocked else min(1.0, max(0.0, 1.0 - units / limit.limit))
        return room

    async def _reserve(self, plan: Plan, margins: Margins) -> Reservation:
        if margins is not None:
            keys, args = self._encode(plan, margins)
        else:
            encoded = self._encoded.get(plan)
            if encoded is None:
                encoded = self._encode(plan, None)
                if len(self._encoded) < 65_536:
                    self._encoded[plan] = encoded
            keys, args = encoded
        reply = await self._reserve_script(keys=keys, args=[self._now_arg(), *args])
        wait_us, at_us = int(reply[0]), int(reply[1])
        if wait_us == 0:
            return Reservation(0, _NOTHING, at_us * NANOS_PER_MICRO)
        blocking = frozenset(plan.charges[int(i) - 1].state_id for i in reply[2:])
        return Reservation(wait_us * NANOS_PER_MICRO, blocking, at_us * NANOS_PER_MICRO)

    def _encode(self, plan: Plan, margins: Margins) -> tuple[list[str], list[Any]]:
        args: list[Any] = [len(plan.charges)]
        for i, charge in enumerate(plan.charges):
            args.extend(_limit_args(charge, charge.weight, 0 if margins is None else margins[i]))
        args.extend(c.state_id for c in plan.charges)
        return self._keys(plan.charges), args

    def _keys(self, charges: Iterable[Charge]) -> list[str]:
        keys = [self._blocks_key]
        for charge in charges:
            keys.extend((f"{self._base}:s:{charge.state_id}", f"{self._base}:l:{charge.state_id}"))
        return keys

    def _now_arg(self) -> int | str:
        if self._time_source is TimeSource.SERVER:
            return ""
        return self._clock.now_ns() // NANOS_PER_MICRO

    def _block_kind(self, feedback: Feedback) -> tuple[str, float, float]:
        backoff = self.policy.backoff
        if feedback.is_ban:
            return "ban", backoff.base_418_s, backoff.cap_418_s
        if feedback.is_rate_limited:
            return "limited", backoff.base_429_s, backoff.cap_429_s
        return ("success" if feedback.is_success else "other"), 0.0, 0.0
