"""An asyncio event loop on virtual time, for simulating limiters without waiting.

When nothing is ready to run, the loop jumps its clock to the next timer instead of blocking,
so ``asyncio.sleep(60)`` returns at once with the clock 60 s later. ``VirtualTime`` is also a
``Clock`` (UNIX ns from ``start_ns``), so a limiter given ``clock=virtual, sleep=asyncio.sleep``
runs a day of saturation in seconds. Real I/O still works, but time jumps whenever the loop
would otherwise wait for it, so use it with in-process backends (or Redis on client time).
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Coroutine
from typing import Any, TypeVar

from jts.shared_kernel.clock import NANOS_PER_SECOND

T = TypeVar("T")


class VirtualTimeDeadlock(RuntimeError):
    """Raised instead of blocking forever when no timer, ready task or I/O remains."""


class VirtualTime:
    """The shared virtual clock: integer nanoseconds since ``start_ns``."""

    def __init__(self, start_ns: int = 0) -> None:
        self.start_ns = start_ns
        self.elapsed_ns = 0

    def now_ns(self) -> int:
        return self.start_ns + self.elapsed_ns

    def advance(self, seconds: float) -> None:
        self.elapsed_ns += max(1, round(seconds * NANOS_PER_SECOND))


class _VirtualSelector(selectors.DefaultSelector):
    def __init__(self, time: VirtualTime) -> None:
        super().__init__()
        self._time = time

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        ready: list[tuple[selectors.SelectorKey, int]] = super().select(0)
        if ready or timeout == 0:
            return ready
        if timeout is None:  # nothing scheduled: only real I/O can wake us
            if len(self.get_map()) <= 1:  # just the loop's own wake-up pipe
                raise VirtualTimeDeadlock(
                    "every task is waiting and nothing is scheduled: the simulation can never "
                    "make progress"
                )
            blocked: list[tuple[selectors.SelectorKey, int]] = super().select(None)
            return blocked
        self._time.advance(timeout)
        return []


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """``asyncio`` loop whose ``time()`` is ``VirtualTime`` and which never sleeps for timers."""

    def __init__(self, time: VirtualTime | None = None) -> None:
        self.virtual = time if time is not None else VirtualTime()
        super().__init__(_VirtualSelector(self.virtual))

    def time(self) -> float:
        return self.virtual.elapsed_ns / NANOS_PER_SECOND


def run_virtual(main: Coroutine[Any, Any, T], time: VirtualTime) -> T:
    """Run ``main`` to completion on a fresh ``VirtualTimeLoop`` over ``time``."""
    with asyncio.Runner(loop_factory=lambda: VirtualTimeLoop(time)) as runner:
        return runner.run(main)
