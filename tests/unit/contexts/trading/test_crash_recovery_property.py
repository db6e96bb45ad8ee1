"""Property: whatever fails and wherever the process dies, recovery converges on the venue.

Hypothesis drives an OMS over the in-memory store and a scripted venue with random submits,
cancels, venue-side fills, transient failures and crashes -- at a venue call (before it or
after the venue acted) or right after any store transaction -- restarting a fresh OMS on the
same store after each crash. After a final reconciliation every order is at the venue at
most once, and the store agrees with the venue on every order's state and every fill.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import TypeVar

from hypothesis import given, settings
from hypothesis import strategies as st

from jts.adapters.sql.memory import InMemoryStore
from jts.contexts.trading.application.reconciliation import Reconciler
from jts.messages.enums import OrderStatus
from jts.messages.trading import CancelOrder
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.errors import TransientVenueError
from jts.shared_kernel.identifiers import ClientOrderId
from tests.unit.contexts.trading.fakes import (
    SAMSUNG,
    Harness,
    ScriptedVenue,
    SimulatedCrash,
    make_harness,
    order,
)

T = TypeVar("T")
S = OrderStatus
ORDERS = 6


class _CrashingRunner:
    """Runs store transactions inline and dies right after the ``crash_after``-th one."""

    def __init__(self) -> None:
        self.crash_after: int | None = None

    async def __call__(self, work: Callable[[], T]) -> T:
        result = work()
        if self.crash_after is not None:
            self.crash_after -= 1
            if self.crash_after <= 0:
                self.crash_after = None
                raise SimulatedCrash("crash after a store transaction")
        return result


_ids = st.integers(min_value=0, max_value=ORDERS - 1)
_operations = st.lists(
    st.one_of(
        st.tuples(st.just("submit"), _ids),
        st.tuples(st.just("cancel"), _ids),
        st.tuples(st.just("fill"), _ids),
        st.tuples(st.just("fail"), st.sampled_from(["submit", "cancel", "order_status"])),
        st.tuples(st.just("crash_before"), st.sampled_from(["submit", "cancel", "order_status"])),
        st.tuples(st.just("crash_after"), st.sampled_from(["submit", "cancel"])),
        st.tuples(st.just("crash_store"), st.integers(min_value=1, max_value=4)),
    ),
    max_size=30,
)


def _coid(index: int) -> ClientOrderId:
    return ClientOrderId(f"JTS-{index}")


async def _step(
    harness: Harness, runner: _CrashingRunner, operation: tuple[str, int | str]
) -> None:
    kind, arg = operation
    venue = harness.venue
    if kind == "submit":
        await harness.oms.submit(order(f"JTS-{arg}", quantity="10"))
    elif kind == "cancel":
        command = CancelOrder(client_order_id=_coid(int(arg)), instrument_id=SAMSUNG, ts_init=1)
        await harness.oms.cancel(command)
    elif kind == "fill":
        placed = await venue.report(_coid(int(arg)))
        if placed is not None and not placed.status.is_terminal:
            quantity = min(Decimal(3), placed.leaves_quantity)
            await venue.fill(_coid(int(arg)), str(quantity), "70000")
    elif kind == "fail":
        venue.fail(str(arg), TransientVenueError("flaky", venue="paper"))
    elif kind in ("crash_before", "crash_after"):
        setattr(venue, kind, str(arg))
    else:
        runner.crash_after = int(arg)


def _restart(harness: Harness, runner: _CrashingRunner) -> Harness:
    harness.oms.detach()
    harness.clock.advance_ns(60 * 10**9)  # let any open circuit half-open again
    return make_harness(store=harness.store, venues=harness.venues, clock=harness.clock, run=runner)


async def _survive(call: Awaitable[object]) -> bool:
    try:
        await call
    except SimulatedCrash:
        return False
    return True


@settings(max_examples=150, deadline=None)
@given(operations=_operations)
async def test_recovery_converges_on_the_venue_whatever_fails(
    operations: list[tuple[str, int | str]],
) -> None:
    runner = _CrashingRunner()
    clock = TestClock(10**9)
    harness = make_harness(store=InMemoryStore(), clock=clock, run=runner)
    for operation in operations:
        clock.advance_ns(10**6)
        if not await _survive(_step(harness, runner, operation)):
            harness = _restart(harness, runner)
            await _survive(Reconciler(harness.oms, clock=clock).reconcile_all())
    venue = harness.venue
    venue.crash_before = venue.crash_after = None
    runner.crash_after = None
    venue.clear_failures()  # the venue recovers for the final check
    harness = _restart(harness, runner)

    await Reconciler(harness.oms, clock=clock).reconcile_all()

    await _assert_agrees(harness, venue)


async def _assert_agrees(harness: Harness, venue: ScriptedVenue) -> None:
    assert len(venue.placements) == len(set(venue.placements)), "an order was placed twice"
    assert venue.duplicate_submits == [], "a submit was resent without asking the venue first"
    at_venue = {coid: await venue.report(coid) for coid in venue.placements}
    venue_fills = {(f.client_order_id, f.trade_id) for f in await venue.all_fills()}
    with harness.store.unit_of_work() as uow:
        for coid, placed in at_venue.items():
            assert placed is not None
            record = uow.orders.get(coid)
            assert record is not None, f"{coid} is at the venue but not in the store"
            assert record.status is placed.status, f"{coid}: {record.status} vs {placed.status}"
            assert record.filled_quantity == placed.filled_quantity
            assert record.venue_order_id == placed.venue_order_id
        stored_fills = {(f.client_order_id, f.trade_id) for f in uow.fills.list_since(0)}
        assert stored_fills == venue_fills
        for record in uow.orders.list_open():
            assert record.client_order_id in at_venue, f"{record} never reached the venue"
