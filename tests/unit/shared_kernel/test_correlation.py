import asyncio
import uuid

import pytest

from jts.shared_kernel.correlation import correlated, current_correlation_id, new_correlation_id


def test_no_correlation_id_outside_any_message() -> None:
    assert current_correlation_id() is None


def test_correlated_sets_the_id_inside_the_block_and_restores_it_after() -> None:
    chain = uuid.uuid4()

    with correlated(chain) as inside:
        seen = current_correlation_id()

    assert inside == chain
    assert seen == chain
    assert current_correlation_id() is None


def test_nested_blocks_use_the_inner_id_then_return_to_the_outer() -> None:
    outer, inner = uuid.uuid4(), uuid.uuid4()

    with correlated(outer):
        with correlated(inner):
            during_inner = current_correlation_id()
        after_inner = current_correlation_id()

    assert during_inner == inner
    assert after_inner == outer


def test_id_is_restored_when_the_block_raises() -> None:
    with pytest.raises(RuntimeError), correlated(uuid.uuid4()):
        raise RuntimeError("handler failed")

    assert current_correlation_id() is None


def test_text_instead_of_a_uuid_is_refused_with_a_hint() -> None:
    with pytest.raises(TypeError, match=r"uuid\.UUID\(text\)"), correlated("abc"):  # type: ignore[arg-type]
        pass


def test_new_correlation_ids_are_distinct() -> None:
    assert len({new_correlation_id() for _ in range(100)}) == 100


async def test_each_task_sees_only_its_own_id() -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    seen: dict[str, list[uuid.UUID | None]] = {"first": [], "second": [], "bystander": []}

    async def handle(name: str, chain: uuid.UUID) -> None:
        with correlated(chain):
            seen[name].append(current_correlation_id())
            await asyncio.sleep(0)  # let the other tasks run in between
            seen[name].append(current_correlation_id())

    async def bystander() -> None:
        await asyncio.sleep(0)
        seen["bystander"].append(current_correlation_id())

    await asyncio.gather(handle("first", first), handle("second", second), bystander())

    assert seen == {"first": [first, first], "second": [second, second], "bystander": [None]}


async def test_task_started_inside_a_block_inherits_the_id() -> None:
    chain = uuid.uuid4()

    async def child() -> uuid.UUID | None:
        await asyncio.sleep(0)
        return current_correlation_id()

    with correlated(chain):
        task = asyncio.create_task(child())
    inherited = await task

    assert inherited == chain
    assert current_correlation_id() is None
