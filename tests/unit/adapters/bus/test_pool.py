from __future__ import annotations

import asyncio
import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jts.adapters.bus.pool import WorkerPool
from jts.messages.bus import Overflow
from tests.unit.adapters.bus.helpers import wait_until


class Collect:
    """A ``process`` callable that records items, optionally held by a gate."""

    def __init__(self, gate: asyncio.Event | None = None) -> None:
        self.items: list[tuple[int, int]] = []
        self.started: list[tuple[int, int]] = []
        self._gate = gate

    async def __call__(self, item: tuple[int, int]) -> None:
        self.started.append(item)
        if self._gate is not None:
            await self._gate.wait()
        await asyncio.sleep(0)
        self.items.append(item)


def make_pool(
    process: Collect, *, workers: int = 1, queue_size: int = 4, overflow: Overflow = Overflow.BLOCK
) -> tuple[WorkerPool[tuple[int, int]], list[tuple[int, int]]]:
    dropped: list[tuple[int, int]] = []
    pool: WorkerPool[tuple[int, int]] = WorkerPool(
        process,
        workers=workers,
        queue_size=queue_size,
        overflow=overflow,
        label="test",
        on_drop=dropped.append,
    )
    pool.start()
    return pool, dropped


@settings(max_examples=30, deadline=None)
@given(keys=st.lists(st.integers(min_value=0, max_value=6), max_size=40))
def test_items_with_one_key_are_processed_in_arrival_order(keys: list[int]) -> None:
    async def scenario() -> list[tuple[int, int]]:
        collect = Collect()
        pool, _ = make_pool(collect, workers=3, queue_size=2)
        for sequence, key in enumerate(keys):
            await pool.put((key, sequence), key)
        await pool.join()
        await pool.stop(grace_s=0)
        return collect.items

    processed = asyncio.run(scenario())

    assert sorted(processed, key=lambda item: item[1]) == [(k, s) for s, k in enumerate(keys)]
    for key in set(keys):
        assert [s for k, s in processed if k == key] == [s for s, k in enumerate(keys) if k == key]


async def test_full_queue_makes_put_wait_until_a_worker_takes_an_item() -> None:
    gate = asyncio.Event()
    pool, _ = make_pool(Collect(gate), queue_size=1)
    await pool.put((0, 0), 0)  # taken by the worker, held at the gate
    await wait_until(lambda: pool.queued == 0)
    await pool.put((0, 1), 0)  # fills the queue

    blocked = asyncio.create_task(pool.put((0, 2), 0))
    await asyncio.sleep(0.01)
    waited = not blocked.done()
    gate.set()
    await blocked
    await pool.join()
    await pool.stop(grace_s=0)

    assert waited
    assert pool.idle


async def test_drop_oldest_discards_the_oldest_queued_item_and_reports_it() -> None:
    gate = asyncio.Event()
    collect = Collect(gate)
    pool, dropped = make_pool(collect, queue_size=2, overflow=Overflow.DROP_OLDEST)
    await pool.put((0, 0), 0)
    await wait_until(lambda: collect.started == [(0, 0)])

    for sequence in range(1, 6):
        await pool.put((0, sequence), 0)
    gate.set()
    await pool.join()
    await pool.stop(grace_s=0)

    assert dropped == [(0, 1), (0, 2), (0, 3)]
    assert pool.dropped == 3
    assert collect.items == [(0, 0), (0, 4), (0, 5)]


async def test_stopping_releases_a_producer_waiting_for_space() -> None:
    pool, _ = make_pool(Collect(asyncio.Event()), queue_size=1)
    await pool.put((0, 0), 0)
    await wait_until(lambda: pool.queued == 0)
    await pool.put((0, 1), 0)
    blocked = asyncio.create_task(pool.put((0, 2), 0))
    await asyncio.sleep(0.01)

    await pool.stop(grace_s=0.01)
    await asyncio.wait_for(blocked, timeout=1)

    assert blocked.done()


async def test_an_exception_escaping_process_is_logged_and_the_worker_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    seen: list[int] = []

    async def process(item: int) -> None:
        if item == 1:
            raise RuntimeError("boom")
        seen.append(item)

    pool: WorkerPool[int] = WorkerPool(
        process, workers=1, queue_size=4, overflow=Overflow.BLOCK, label="fragile"
    )
    pool.start()

    with caplog.at_level(logging.ERROR):
        for item in range(3):
            await pool.put(item, 0)
        await pool.join()
    await pool.stop(grace_s=0)

    assert seen == [0, 2]
    assert any(record.exc_info for record in caplog.records)


async def test_stop_gives_up_on_a_stuck_item_after_the_grace_period() -> None:
    collect = Collect(asyncio.Event())  # never set: the item never finishes
    pool, _ = make_pool(collect)
    await pool.put((0, 0), 0)

    await asyncio.wait_for(pool.stop(grace_s=0.05), timeout=2)

    assert collect.items == []
    assert collect.started == [(0, 0)]


async def test_a_cancelled_producer_does_not_take_the_room_of_the_next_one() -> None:
    gate = asyncio.Event()
    collect = Collect(gate)
    pool, _ = make_pool(collect, queue_size=1)
    await pool.put((0, 0), 0)
    await wait_until(lambda: collect.started == [(0, 0)])
    await pool.put((0, 1), 0)
    cancelled = asyncio.create_task(pool.put((0, 2), 0))
    patient = asyncio.create_task(pool.put((0, 3), 0))
    await asyncio.sleep(0.01)

    cancelled.cancel()
    gate.set()
    await asyncio.wait_for(patient, timeout=1)
    await pool.join()
    await pool.stop(grace_s=0)

    assert collect.items == [(0, 0), (0, 1), (0, 3)]
    assert pool.idle
