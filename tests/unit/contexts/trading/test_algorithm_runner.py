"""Algorithms driven through the OMS: children are ordinary stored orders with a parent."""

from decimal import Decimal

import pytest

from jts.contexts.trading.application.algorithms.iceberg import Iceberg
from jts.contexts.trading.application.algorithms.runner import AlgorithmRunner, fan_out
from jts.contexts.trading.application.algorithms.twap import twap
from jts.messages.base import Event
from jts.messages.enums import OrderStatus
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import ClientOrderId, StrategyId
from tests.unit.contexts.trading.algo_helpers import SECOND, parent
from tests.unit.contexts.trading.fakes import Harness, make_harness


def _wire(harness: Harness) -> AlgorithmRunner:
    runner = AlgorithmRunner(harness.oms, clock=harness.clock)
    published = harness.published

    async def record(event: Event) -> None:
        published.append(event)

    harness.oms._publish = fan_out(record, runner.on_event)
    return runner


def _children(harness: Harness) -> list[tuple[str, Decimal, OrderStatus]]:
    with harness.store.unit_of_work() as uow:
        return [
            (o.client_order_id, o.quantity, o.status)
            for o in uow.orders.list_by_strategy(StrategyId("algo"))
            if o.parent_order_id == "P1"
        ]


async def test_twap_children_go_through_the_oms_on_the_clock() -> None:
    harness = make_harness()
    harness.venue.fill_on_submit_at = "70000"
    runner = _wire(harness)
    start = harness.clock.now_ns()
    await runner.start(twap(parent("30"), start_ns=start, end_ns=start + 30 * SECOND, slices=3))

    while runner.active:
        wakeup = runner.next_wakeup_ns
        assert wakeup is not None
        harness.clock.set_ns(wakeup)
        await runner.on_timer()

    assert _children(harness) == [
        ("P1-1", Decimal(10), OrderStatus.FILLED),
        ("P1-2", Decimal(10), OrderStatus.FILLED),
        ("P1-3", Decimal(10), OrderStatus.FILLED),
    ]
    assert harness.venue.placements == ["P1-1", "P1-2", "P1-3"]


async def test_iceberg_refills_when_the_venue_fills_the_visible_child() -> None:
    harness = make_harness()
    runner = _wire(harness)
    await runner.start(Iceberg(parent("25", limit="70000"), display_quantity=Decimal(10)))

    for expected_child in ("P1-1", "P1-2", "P1-3"):
        child = await harness.venue.report(ClientOrderId(expected_child))
        assert child is not None
        await harness.venue.fill(child.client_order_id, str(child.quantity), "70000")  # type: ignore[arg-type]

    assert [q for _, q, _ in _children(harness)] == [Decimal(10), Decimal(10), Decimal(5)]
    assert runner.active == []


async def test_canceling_a_parent_cancels_its_working_child_at_the_venue() -> None:
    harness = make_harness()
    runner = _wire(harness)
    await runner.start(Iceberg(parent("25", limit="70000"), display_quantity=Decimal(10)))

    await runner.cancel(ClientOrderId("P1"))

    assert _children(harness) == [("P1-1", Decimal(10), OrderStatus.CANCELED)]
    assert runner.active == []


async def test_one_algorithm_per_parent() -> None:
    harness = make_harness()
    runner = _wire(harness)
    await runner.start(Iceberg(parent("25", limit="70000"), display_quantity=Decimal(10)))

    with pytest.raises(DataError, match="already running"):
        await runner.start(Iceberg(parent("25", limit="70000"), display_quantity=Decimal(10)))
