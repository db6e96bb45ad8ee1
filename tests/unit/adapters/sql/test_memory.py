"""What only the in-memory store does: its lock discipline."""

from __future__ import annotations

import threading

import pytest

from jts.adapters.sql.memory import InMemoryStore


def test_nesting_units_of_work_on_one_thread_raises_instead_of_deadlocking() -> None:
    store = InMemoryStore()

    with store.unit_of_work(), pytest.raises(RuntimeError, match="would deadlock"):
        store.unit_of_work().__enter__()

    with store.unit_of_work() as uow:  # the store is usable again afterwards
        assert uow.config.get("k") is None


def test_a_second_thread_waits_for_the_open_unit_of_work() -> None:
    store = InMemoryStore()
    order: list[str] = []
    opened = threading.Event()

    def other() -> None:
        opened.wait()
        with store.unit_of_work() as uow:
            order.append(f"other saw {uow.config.get('k') is not None}")

    thread = threading.Thread(target=other)
    thread.start()
    with store.unit_of_work() as uow:
        opened.set()
        thread.join(timeout=0.2)
        uow.config.set("k", "v", updated_ns=1, updated_by="t")
        uow.commit()
        order.append("first committed")
    thread.join(timeout=5)

    assert order == ["first committed", "other saw True"]


def test_a_repository_kept_past_its_block_refuses_to_write() -> None:
    store = InMemoryStore()
    with store.unit_of_work() as uow:
        config = uow.config

    with pytest.raises(RuntimeError, match="closed"):
        config.set("k", "v", updated_ns=1, updated_by="t")
