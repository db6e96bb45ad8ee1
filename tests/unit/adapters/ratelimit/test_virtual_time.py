"""The virtual-time loop: timers fire in order, instantly, with the clock where they were due."""

from __future__ import annotations

import asyncio

import pytest

from jts.adapters.ratelimit.virtual_time import VirtualTime, VirtualTimeDeadlock, run_virtual

S = 1_000_000_000


def test_sleeps_advance_the_clock_exactly_and_in_order() -> None:
    time = VirtualTime(start_ns=5 * S)
    woke: list[tuple[str, int]] = []

    async def sleeper(name: str, seconds: float) -> None:
        await asyncio.sleep(seconds)
        woke.append((name, time.now_ns()))

    async def main() -> float:
        await asyncio.gather(sleeper("day", 86_400), sleeper("ms", 0.001), sleeper("s", 1))
        return asyncio.get_running_loop().time()

    loop_time = run_virtual(main(), time)

    assert woke == [("ms", 5 * S + S // 1000), ("s", 6 * S), ("day", 86_405 * S)]
    assert loop_time == 86_400.0


def test_timeouts_and_waits_use_virtual_time() -> None:
    time = VirtualTime()

    async def main() -> bool:
        never: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        try:
            await asyncio.wait_for(never, timeout=3600)
        except TimeoutError:
            return True
        return False

    assert run_virtual(main(), time) is True
    assert time.now_ns() == 3600 * S


def test_a_simulation_that_can_never_progress_raises_instead_of_hanging() -> None:
    async def main() -> None:
        await asyncio.get_running_loop().create_future()

    with pytest.raises(VirtualTimeDeadlock, match="never make progress"):
        run_virtual(main(), VirtualTime())
