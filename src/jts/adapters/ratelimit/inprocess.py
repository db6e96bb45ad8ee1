"""The in-process rate limiter: one event loop's exact count of every limit.

A reservation is a synchronous step between two awaits, so checking every window and taking
from all of them is atomic on the event loop. Not thread-safe: give each event loop its own
limiter, and use the Redis limiter when several processes share a key.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from jts.adapters.ratelimit.feedback import Feedback, block_duration_s
from jts.adapters.ratelimit.lanes import LaneScheduler, Margins
from jts.adapters.ratelimit.limits import Cost, Priority, RateLimitPolicy, Scope
from jts.adapters.ratelimit.plan import DEFAULT_SHARED_SCOPES, Charge, Plan, Planner
from jts.adapters.ratelimit.port import Reservation, Sleep
from jts.adapters.ratelimit.windows import Window, new_window
from jts.shared_kernel.clock import NANOS_PER_SECOND, Clock

_NOTHING: frozenset[str] = frozenset()


@dataclass(slots=True)
class Strikes:
    """Consecutive 429s and 418s of one key, and when the latest block began."""

    limited: int = 0
    banned: int = 0
    block_started_ns: int | None = None

    def register(self, feedback: Feedback, observed_ns: int, now: int) -> int:
        """Count a rate-limit response; returns the strike number that sets its backoff."""
        fresh = self.block_started_ns is None or observed_ns >= self.block_started_ns
        if feedback.is_ban:
            if fresh or not self.banned:
                self.banned += 1
            strikes = self.banned
        else:
            if fresh or not self.limited:
                self.limited += 1
            strikes = self.limited
        self.block_started_ns = now
        return strikes

    def clear_if_after_block(self, observed_ns: int) -> None:
        if self.block_started_ns is None or observed_ns >= self.block_started_ns:
            self.limited = self.banned = 0


class InProcessRateLimiter:
    """``RateLimiter`` over in-memory windows; see ``jts.adapters.ratelimit.port``."""

    def __init__(
        self,
        policy: RateLimitPolicy,
        *,
        clock: Clock,
        sleep: Sleep = asyncio.sleep,
        starvation_guard_s: float = 2.0,
        shared_scopes: Mapping[Scope, str] = DEFAULT_SHARED_SCOPES,
    ) -> None:
        self._planner = Planner(policy, shared_scopes)
        self._clock = clock
        self._lanes = LaneScheduler(
            venue=policy.venue, clock=clock, sleep=sleep, starvation_guard_s=starvation_guard_s
        )
        self._windows: dict[str, Window] = {}
        self._plan_windows: dict[Plan, tuple[Window, ...]] = {}
        self._blocks: dict[str, int] = {}
        self._strikes: dict[str, Strikes] = {}
        self._last_now = 0

    @property
    def policy(self) -> RateLimitPolicy:
        return self._planner.policy

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
        now = self._now()
        observed = now if feedback.sent_at_ns is None else feedback.sent_at_ns
        for name, used in feedback.used.items():
            self._raise_used(key, name, used, now, observed)
        for name, remaining in feedback.remaining.items():
            limit = self.policy.limit(name)
            self._raise_used(key, name, limit.limit - remaining, now, observed)
        strikes = self._strikes.setdefault(key, Strikes())
        number = 0
        if feedback.is_rate_limited:
            number = strikes.register(feedback, observed, now)
        elif feedback.is_success:
            strikes.clear_if_after_block(observed)
        duration_s = block_duration_s(feedback, number, self.policy.backoff)
        if duration_s > 0:
            until = now + round(duration_s * NANOS_PER_SECOND)
            blocked = self._planner.charges(key, feedback.limits) or self._planner.all_charges(key)
            for charge in blocked:
                self._blocks[charge.state_id] = max(self._blocks.get(charge.state_id, 0), until)

    async def headroom(self, key: str) -> dict[str, float]:
        now = self._now()
        room: dict[str, float] = {}
        for charge in self._planner.all_charges(key):
            if self._blocks.get(charge.state_id, 0) > now:
                room[charge.limit.name] = 0.0
                continue
            window = self._windows.get(charge.state_id)
            used = 0.0 if window is None else window.used(now)
            room[charge.limit.name] = min(1.0, max(0.0, 1.0 - used / charge.limit.limit))
        return room

    def reserve_now(self, plan: Plan, margins: Margins = None) -> Reservation:
        """One atomic attempt: take every charge of ``plan`` or none (synchronous).

        ``margins`` are units per charge that must stay free after the grant (see ``lanes``).
        """
        now = self._now()
        windows = self._plan_windows.get(plan)
        if windows is None:
            windows = self._windows_of(plan)
        wait = 0
        blocking: list[str] | None = None
        for i, charge in enumerate(plan.charges):
            units = charge.weight if margins is None else charge.weight + margins[i]
            needed = windows[i].wait_ns(now, units)
            if self._blocks:
                needed = max(needed, self._blocked_for(charge.state_id, now))
            if needed:
                wait = max(wait, needed)
                blocking = [charge.state_id] if blocking is None else [*blocking, charge.state_id]
        if blocking is not None:
            return Reservation(wait, frozenset(blocking), now)
        for window, charge in zip(windows, plan.charges, strict=True):
            window.commit(now, charge.weight)
        return Reservation(0, _NOTHING, now)

    async def _reserve(self, plan: Plan, margins: Margins) -> Reservation:
        return self.reserve_now(plan, margins)

    def _now(self) -> int:
        # Windows need time that never runs backwards; a wall clock stepped back by NTP
        # is held at the latest reading until it catches up.
        now = self._clock.now_ns()
        if now < self._last_now:
            return self._last_now
        self._last_now = now
        return now

    def _windows_of(self, plan: Plan) -> tuple[Window, ...]:
        windows = tuple(self._window(charge) for charge in plan.charges)
        if len(self._plan_windows) < 65_536:
            self._plan_windows[plan] = windows
        return windows

    def _window(self, charge: Charge) -> Window:
        window = self._windows.get(charge.state_id)
        if window is None:
            window = self._windows[charge.state_id] = new_window(charge.limit)
        return window

    def _blocked_for(self, state_id: str, now: int) -> int:
        until = self._blocks.get(state_id)
        if until is None:
            return 0
        if until <= now:
            del self._blocks[state_id]
            return 0
        return until - now

    def _raise_used(self, key: str, name: str, used: int, now: int, observed: int) -> None:
        (charge,) = self._planner.charges(key, (name,))
        self._window(charge).raise_used(now, used, observed)
