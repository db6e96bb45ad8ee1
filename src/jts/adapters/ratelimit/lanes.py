"""Priority lanes in front of a limiter backend, with a starvation guard.

Waiters are ranked: orders and cancels first (by arrival), then any other request that has
waited longer than the starvation guard (by arrival), then real-time quotes, then history and
account queries. Orders wait only for the venue's limits; the policy's ``order_reserve`` keeps
a share of the limits they use free of the other lanes, so a quote flood cannot spend it. The
guard reorders only the other lanes: it bounds how long quotes can hold history back, while
an order flood holds both back for as long as it lasts. Two rules keep better-ranked waiters
ahead without idling limits:

- Held: a request may not even try while a better-ranked waiter is short on a limit state the
  request would also take. It parks until that waiter leaves or changes what it is short on,
  or until the starvation guard promotes it.
- Margin: on the limits a better-ranked waiter also needs but is not short on (a Binance order
  waiting for ``ORDERS_10S`` still needs request weight), a request is admitted only if it
  leaves the waiter's units free. Quotes keep using the weight; the order still finds it.
  Requests outside the order lane also leave the policy's ``order_reserve`` free, so orders
  arriving later still find room.

Requests on unrelated limits (Creon's quote window versus its order window) never affect each
other. Within one process this is exact; across processes (Redis backend) the limits stay
exact but lanes only order each process's own requests.
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

Margins = tuple[int, ...] | None
"""Units to leave free per charge of a plan (aligned with ``plan.charges``); None = none."""

Reserve = Callable[[Plan, Margins], Awaitable[Reservation]]
_NOTHING: frozenset[str] = frozenset()


@dataclass(eq=False, slots=True)
class _Waiter:
    priority: int
    plan: Plan
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
            first = await reserve(plan, self._lane_reserve(plan, priority))
            if first.wait_ns == 0:
                return first.at_ns
        me = self._new_waiter(plan, priority)
        deadline = None
        if max_wait_s is not None:
            deadline = me.since_ns + round(max_wait_s * NANOS_PER_SECOND)
        self._waiters.append(me)
        try:
            return await self._wait_turn(me, deadline, reserve, first)
        finally:
            self._waiters.remove(me)
            self._dispatch(self._clock.now_ns())

    async def try_acquire(self, plan: Plan, priority: Priority, reserve: Reserve) -> float:
        me = self._new_waiter(plan, priority)
        held_ns, _ = self._held(me, me.since_ns)
        if held_ns:
            return held_ns / NANOS_PER_SECOND
        verdict = await reserve(plan, self._margins(me, me.since_ns))
        return verdict.wait_ns / NANOS_PER_SECOND

    def _new_waiter(self, plan: Plan, priority: Priority) -> _Waiter:
        now = self._clock.now_ns()
        return _Waiter(int(priority), plan, now, next(self._seq), plan.state_ids)

    async def _wait_turn(
        self, me: _Waiter, deadline: int | None, reserve: Reserve, verdict: Reservation | None
    ) -> int:
        while True:
            now = self._clock.now_ns()
            if verdict is None:
                held_ns, held_on = self._held(me, now)
                if held_ns:
                    self._check_deadline(now, now + held_ns, deadline)
                    self._set_blocking(me, held_on, now)
                    await self._park(me, now, deadline)
                    continue
                verdict = await reserve(me.plan, self._margins(me, now))
                if verdict.wait_ns == 0:
                    return verdict.at_ns
                now = self._clock.now_ns()
            self._check_deadline(now, now + verdict.wait_ns, deadline)
            self._set_blocking(me, verdict.blocking, now)
            me.retry_at_ns = now + verdict.wait_ns
            await self._sleep(verdict.wait_ns / NANOS_PER_SECOND)
            verdict = None

    def _rank(self, waiter: _Waiter, now: int) -> tuple[int, int]:
        if waiter.priority == Priority.ORDER:
            return (0, waiter.seq)
        if now - waiter.since_ns >= self._guard_ns:
            return (1, waiter.seq)
        return (1 + waiter.priority, waiter.seq)

    def _ahead_of(self, me: _Waiter, now: int) -> list[_Waiter]:
        my_rank = self._rank(me, now)
        return [w for w in self._waiters if w is not me and self._rank(w, now) < my_rank]

    def _held(self, me: _Waiter, now: int) -> tuple[int, frozenset[str]]:
        """How long ``me`` is held back (0 = may try now) and on which of its limit states.

        The wait is an estimate (the holders' next retry), at least 1 ns when held.
        """
        held_ns, held_on = 0, _NOTHING
        for other in self._ahead_of(me, now):
            shared = other.blocking & me.plan.state_ids
            if shared:
                held_ns = max(held_ns, other.retry_at_ns - now, 1)
                held_on = held_on | shared
        return held_ns, held_on

    @staticmethod
    def _lane_reserve(plan: Plan, priority: Priority | int) -> Margins:
        return None if priority == Priority.ORDER else plan.reserve

    def _margins(self, me: _Waiter, now: int) -> Margins:
        """Units of each of ``me``'s limits to leave free: the lane reserve, or what
        better-ranked waiters not short on that limit will still need, if more."""
        base = self._lane_reserve(me.plan, me.priority)
        needed: dict[str, int] = {}
        for other in self._ahead_of(me, now):
            for charge in other.plan.charges:
                if charge.state_id in me.plan.state_ids and charge.state_id not in other.blocking:
                    needed[charge.state_id] = needed.get(charge.state_id, 0) + charge.weight
        if not needed:
            return base
        return tuple(
            min(
                max(needed.get(c.state_id, 0), 0 if base is None else base[i]),
                c.limit.capacity - c.weight,
            )
            for i, c in enumerate(me.plan.charges)
        )

    def _set_blocking(self, me: _Waiter, blocking: frozenset[str], now: int) -> None:
        if blocking != me.blocking:
            me.blocking = blocking
            self._dispatch(now)

    async def _park(self, me: _Waiter, now: int, deadline: int | None) -> None:
        timeout_ns = None
        if me.priority != Priority.ORDER and now - me.since_ns < self._guard_ns:
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
        """Wake parked waiters nobody holds back; narrow the rest to what they wait on.

        A parked waiter is short only on what its holders are short on, so it must not hold
        lower lanes back on its other limits. Best-ranked first, so narrowing propagates.
        """
        for waiter in sorted(self._waiters, key=lambda w: self._rank(w, now)):
            wake = waiter.wake
            if wake is None or wake.done():
                continue
            held_ns, held_on = self._held(waiter, now)
            if held_ns:
                waiter.blocking = held_on
            else:
                wake.set_result(None)

    def _check_deadline(self, now: int, ready_at: int, deadline: int | None) -> None:
        if deadline is not None and ready_at > deadline:
            raise RateLimited(
                f"rate limit would hold this request {(ready_at - now) / NANOS_PER_SECOND:.3f}s, "
                "longer than its max_wait_s",
                venue=self._venue,
                retry_after_s=(ready_at - now) / NANOS_PER_SECOND,
            )
