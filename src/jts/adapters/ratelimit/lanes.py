"""Priority lanes in front of a limiter backend, with a starvation guard.

Waiters are ranked: anyone who has waited longer than the starvation guard first (oldest
first), then by lane (orders and cancels, then real-time quotes, then history and account
queries), then by arrival. A request may try the backend only if no better-ranked waiter is
short on a limit state this request would also take; requests on unrelated limits (Creon's
quote window versus its order window, Binance quotes while orders wait on ``ORDERS_10S``)
never hold each other up.

A waiter that may try and is refused sleeps exactly until the backend says its costs fit; a
waiter that may not try parks until a better-ranked one leaves or changes what it is short
on, or until it is promoted by the starvation guard. Within one process this is exact;
across processes (Redis backend) the limits stay exact but lanes only order each process's
own requests.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from jts.adapters.ratelimit.limits import Priority
from jts.adapters.ratelimit.plan import Plan
from jts.adapters.ratelimit.port import Reservation, Sleep
from jts.shared_kernel.clock import NANOS_PER_SECOND, Clock
from jts.shared_kernel.errors import RateLimited

Reserve = Callable[[Plan], Awaitable[Reservation]]


@dataclass(eq=False, slots=True)
class _Waiter:
    priority: int
    state_ids: frozenset[str]
    since_ns: int
    seq: int
    blocking: frozenset[str]
    retry_at_ns: int = 0
    wake: asyncio.Future[None] | None = field(default=None)


class LaneScheduler:
    """Orders concurrent ``acquire`` calls of one limiter by lane."""

    def __init__(
        self, *, venue: str, clock: Clock, sleep: Sleep, starvation_guard_s: float
    ) -> None:
        if not starvation_guard_s > 0:
            raise ValueError(f"starvation_guard_s is {starvation_guard_s}; it must be > 0")
        self._venue = venue
        self._clock = clock
        self._sleep = sleep
        self._guard_ns = round(starvation_guard_s * NANOS_PER_SECOND)
        self._waiters: list[_Waiter] = []
        self._seq = itertools.count()

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    async def acquire(
        self, plan: Plan, priority: Priority, max_wait_s: float | None, reserve: Reserve
    ) -> int:
        first: Reservation | None = None
        if not self._waiters:  # fast path: nobody to yield to
            first = await reserve(plan)
            if first.wait_ns == 0:
                return first.at_ns
        now = self._clock.now_ns()
        deadline = None if max_wait_s is None else now + round(max_wait_s * NANOS_PER_SECOND)
        me = _Waiter(int(priority), plan.state_ids, now, next(self._seq), plan.state_ids)
        self._waiters.append(me)
        try:
            return await self._wait_turn(me, plan, deadline, reserve, first)
        finally:
            self._waiters.remove(me)
            self._dispatch(self._clock.now_ns())

    async def try_acquire(self, plan: Plan, priority: Priority, reserve: Reserve) -> float:
        now = self._clock.now_ns()
        me = _Waiter(int(priority), plan.state_ids, now, next(self._seq), plan.state_ids)
        held_ns = self._held_for_ns(me, now)
        if held_ns:
            return held_ns / NANOS_PER_SECOND
        return (await reserve(plan)).wait_ns / NANOS_PER_SECOND

    async def _wait_turn(
        self,
        me: _Waiter,
        plan: Plan,
        deadline: int | None,
        reserve: Reserve,
        verdict: Reservation | None,
    ) -> int:
        while True:
            now = self._clock.now_ns()
            if verdict is None:
                held_ns = self._held_for_ns(me, now)
                if held_ns:
                    self._check_deadline(now, now + held_ns, deadline)
                    await self._park(me, now, deadline)
                    continue
                verdict = await reserve(plan)
                if verdict.wait_ns == 0:
                    return verdict.at_ns
                now = self._clock.now_ns()
            await self._back_off(me, verdict, now, deadline)
            verdict = None

    async def _back_off(
        self, me: _Waiter, verdict: Reservation, now: int, deadline: int | None
    ) -> None:
        self._check_deadline(now, now + verdict.wait_ns, deadline)
        if verdict.blocking != me.blocking:
            me.blocking = verdict.blocking
            self._dispatch(now)
        me.retry_at_ns = now + verdict.wait_ns
        await self._sleep(verdict.wait_ns / NANOS_PER_SECOND)

    def _rank(self, waiter: _Waiter, now: int) -> tuple[int, int]:
        if now - waiter.since_ns >= self._guard_ns:
            return (0, waiter.seq)
        return (1 + waiter.priority, waiter.seq)

    def _held_for_ns(self, me: _Waiter, now: int) -> int:
        """0 if ``me`` may try now, else a positive estimate of how long it is held back."""
        my_rank = self._rank(me, now)
        held = 0
        for other in self._waiters:
            if other is me or not (other.blocking & me.state_ids):
                continue
            if self._rank(other, now) < my_rank:
                held = max(held, other.retry_at_ns - now, 1)
        return held

    async def _park(self, me: _Waiter, now: int, deadline: int | None) -> None:
        timeout_ns = None
        if now - me.since_ns < self._guard_ns:
            timeout_ns = me.since_ns + self._guard_ns - now
        if deadline is not None:
            timeout_ns = deadline - now if timeout_ns is None else min(timeout_ns, deadline - now)
        wake = asyncio.get_running_loop().create_future()
        me.wake = wake
        try:
            if timeout_ns is None:
                await wake
            else:
                await self._first_of(wake, timeout_ns)
        finally:
            me.wake = None

    async def _first_of(self, wake: asyncio.Future[None], timeout_ns: int) -> None:
        timer = asyncio.ensure_future(self._sleep(timeout_ns / NANOS_PER_SECOND))
        try:
            await asyncio.wait((wake, timer), return_when=asyncio.FIRST_COMPLETED)
        finally:
            timer.cancel()

    def _dispatch(self, now: int) -> None:
        for waiter in self._waiters:
            wake = waiter.wake
            if wake is not None and not wake.done() and not self._held_for_ns(waiter, now):
                wake.set_result(None)

    def _check_deadline(self, now: int, ready_at: int, deadline: int | None) -> None:
        if deadline is not None and ready_at > deadline:
            raise RateLimited(
                f"rate limit would hold this request {(ready_at - now) / NANOS_PER_SECOND:.3f}s, "
                "longer than its max_wait_s",
                venue=self._venue,
                retry_after_s=(ready_at - now) / NANOS_PER_SECOND,
            )
