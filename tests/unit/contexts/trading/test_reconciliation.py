"""Recovery after a crash at each point of the write-ahead flows, and periodic reconciliation.

Each test builds the store as a crash would have left it and the venue as it is now, then
runs reconciliation and checks the store, the venue's placements and the published events.
"""

import asyncio
from decimal import Decimal

import msgspec
import pytest

from jts.adapters.sql.errors import StoreError
from jts.contexts.trading.application.oms import OmsConfig
from jts.contexts.trading.application.reconciliation import Reconciler, compare_positions
from jts.contexts.trading.domain.records import OrderRecord
from jts.contexts.trading.domain.venue_reports import PositionReport
from jts.messages.enums import OrderStatus, Severity
from jts.messages.system import ErrorReported
from jts.messages.trading import (
    ModifyOrder,
    OrderAccepted,
    OrderCanceled,
    OrderDenied,
    OrderExpired,
    OrderFilled,
    OrderModified,
    OrderModifyRejected,
    OrderSubmitted,
    SubmitOrder,
)
from jts.shared_kernel.errors import TransientVenueError
from jts.shared_kernel.identifiers import ClientOrderId, InstrumentId, VenueOrderId
from tests.fakes.broker import FakeBroker
from tests.unit.contexts.trading.fakes import HYNIX, SAMSUNG, Harness, make_harness, order

S = OrderStatus
ID = ClientOrderId("JTS-1")


def _put(harness: Harness, command: SubmitOrder, status: OrderStatus, **changes: object) -> None:
    record = OrderRecord.from_command(command, created_ns=harness.clock.now_ns())
    record = msgspec.structs.replace(record, status=status, **changes)
    with harness.store.unit_of_work() as uow:
        uow.orders.add(record)
        uow.commit()


async def _place_at_venue_only(harness: Harness, command: SubmitOrder) -> VenueOrderId:
    """The venue got the order but JTS died before storing its answer."""
    harness.venue.silent = True
    venue_order_id = await harness.venue.submit(command)
    harness.venue.silent = False
    return venue_order_id


def _record(harness: Harness, client_order_id: str = "JTS-1") -> OrderRecord:
    record = harness.stored(client_order_id)
    assert isinstance(record, OrderRecord)
    return record


async def _reconcile(harness: Harness, **kwargs: object) -> None:
    await Reconciler(harness.oms, clock=harness.clock, **kwargs).reconcile_all()  # type: ignore[arg-type]


async def test_order_recorded_but_never_routed_is_routed_and_placed_once() -> None:
    harness = make_harness()
    _put(harness, order(), S.INITIALIZED)

    await _reconcile(harness)

    assert harness.venue.placements == [ID]
    assert _record(harness).status is S.ACCEPTED


async def test_submitted_order_unknown_at_the_venue_is_resubmitted_with_the_same_id() -> None:
    harness = make_harness()
    _put(harness, order(), S.SUBMITTED, broker="paper")

    await _reconcile(harness)

    assert harness.venue.calls[:2] == ["fills_since", "order_status"]
    assert harness.venue.placements == [ID]
    assert _record(harness).status is S.ACCEPTED


async def test_submitted_order_the_venue_already_has_is_adopted_not_resent() -> None:
    harness = make_harness()
    _put(harness, order(), S.SUBMITTED, broker="paper")
    venue_order_id = await _place_at_venue_only(harness, order())

    await _reconcile(harness)

    assert harness.venue.placements == [ID]
    assert harness.venue.calls.count("submit") == 1
    record = _record(harness)
    assert (record.status, record.venue_order_id) == (S.ACCEPTED, venue_order_id)
    assert any(isinstance(e, OrderAccepted) for e in harness.published)


async def test_fills_missed_while_down_are_recovered_before_the_status() -> None:
    harness = make_harness()
    _put(harness, order(), S.SUBMITTED, broker="paper")
    await _place_at_venue_only(harness, order())
    harness.venue.silent = True
    await harness.venue.fill(ID, "3", "70000")
    await harness.venue.fill(ID, "7", "70200")
    harness.venue.silent = False

    await _reconcile(harness)

    record = _record(harness)
    assert (record.status, record.filled_quantity) == (S.FILLED, Decimal(10))
    assert record.average_fill_price == Decimal(70140)
    assert sum(isinstance(e, OrderFilled) for e in harness.published) == 2
    with harness.store.unit_of_work() as uow:
        assert len(uow.fills.list_for_order(ID)) == 2


async def test_partial_fill_then_cancel_while_down_ends_canceled_with_the_fill_counted() -> None:
    harness = make_harness()
    await harness.oms.submit(order())
    harness.venue.silent = True
    await harness.venue.fill(ID, "4", "70000")
    await harness.venue.inner.cancel(ID, None)
    harness.venue.silent = False

    await _reconcile(harness)

    record = _record(harness)
    assert (record.status, record.filled_quantity) == (S.CANCELED, Decimal(4))
    kinds = [type(e) for e in harness.published[2:]]
    assert kinds == [OrderFilled, OrderCanceled]


async def test_interrupted_cancel_is_sent_again() -> None:
    harness = make_harness()
    await harness.oms.submit(order())
    with harness.store.unit_of_work() as uow:  # crashed right after persisting PENDING_CANCEL
        record = uow.orders.get(ID)
        assert record is not None
        uow.orders.update(msgspec.structs.replace(record, status=S.PENDING_CANCEL))
        uow.commit()

    await _reconcile(harness)

    assert harness.venue.calls.count("cancel") == 1
    assert _record(harness).status is S.CANCELED


async def test_pending_cancel_of_an_order_the_venue_never_got_ends_canceled() -> None:
    harness = make_harness()
    _put(harness, order(), S.PENDING_CANCEL, broker="paper")

    await _reconcile(harness)

    assert _record(harness).status is S.CANCELED
    assert harness.venue.placements == []


async def test_interrupted_modify_is_decided_by_the_venues_terms() -> None:
    harness = make_harness()
    await harness.oms.submit(order("JTS-1"))
    await harness.oms.submit(order("JTS-2"))
    change = ModifyOrder(
        client_order_id=ClientOrderId("JTS-2"),
        instrument_id=SAMSUNG,
        limit_price=Decimal(69000),
        ts_init=2,
    )
    await harness.venue.behind_jts_back(lambda venue: venue.modify(change, None))  # it happened
    with harness.store.unit_of_work() as uow:
        for key in ("JTS-1", "JTS-2"):
            record = uow.orders.get(ClientOrderId(key))
            assert record is not None
            uow.orders.update(msgspec.structs.replace(record, status=S.PENDING_MODIFY))
        uow.commit()

    await _reconcile(harness)

    assert (_record(harness, "JTS-1").status, _record(harness, "JTS-1").limit_price) == (
        S.ACCEPTED,
        Decimal(70000),
    )
    assert _record(harness, "JTS-2").limit_price == Decimal(69000)
    kinds = {type(e) for e in harness.published[-2:]}
    assert kinds == {OrderModifyRejected, OrderModified}


async def test_unplaced_orders_older_than_the_limit_are_closed_not_resubmitted() -> None:
    harness = make_harness(config=OmsConfig(resubmit_max_age_s=60))
    _put(harness, order("JTS-1"), S.SUBMITTED, broker="paper")
    _put(harness, order("JTS-2", broker="paper"), S.INITIALIZED)
    harness.clock.advance_ns(61 * 10**9)

    await _reconcile(harness)

    assert harness.venue.placements == []
    assert _record(harness, "JTS-1").status is S.EXPIRED
    assert _record(harness, "JTS-2").status is S.DENIED
    assert {type(e) for e in harness.published} >= {OrderExpired, OrderDenied, ErrorReported}


async def test_venue_order_not_placed_by_jts_is_reported_and_left_alone() -> None:
    harness = make_harness()
    manual = order("MANUAL-7")  # placed by hand in the broker's HTS
    await harness.venue.behind_jts_back(lambda venue: venue.submit(manual))

    reports = await Reconciler(harness.oms, clock=harness.clock).reconcile_all()

    assert [o.client_order_id for o in reports[0].foreign_orders] == ["MANUAL-7"]
    problem = harness.published[-1]
    assert isinstance(problem, ErrorReported)
    assert problem.error_type == "ForeignOrders"
    assert harness.venue.calls.count("cancel") == 0


class _Book:
    def __init__(self, positions: dict[InstrumentId, Decimal]) -> None:
        self.positions = positions

    def expected_positions(self, broker: str) -> dict[InstrumentId, Decimal]:
        return self.positions


async def test_position_mismatch_is_reported_as_critical() -> None:
    harness = make_harness()
    harness.venue.fill_on_submit_at = "70000"
    await harness.oms.submit(order())
    manual = order("MANUAL-1", instrument=HYNIX, quantity="3")

    async def buy_by_hand(venue: FakeBroker) -> None:
        await venue.submit(manual)
        await venue.fill(manual.client_order_id, Decimal(3), Decimal(100000))

    await harness.venue.behind_jts_back(buy_by_hand)
    book = _Book({SAMSUNG: Decimal(10)})

    reports = await Reconciler(harness.oms, clock=harness.clock, positions=book).reconcile_all()

    mismatches = reports[0].position_mismatches
    assert [(m.instrument_id, m.expected, m.venue) for m in mismatches] == [
        (HYNIX, Decimal(0), Decimal(3))
    ]
    problem = harness.published[-1]
    assert isinstance(problem, ErrorReported)
    assert (problem.error_type, problem.severity) == ("PositionMismatch", Severity.CRITICAL)


async def test_unreachable_broker_is_reported_and_the_others_still_reconciled() -> None:
    harness = make_harness("kis", "creon")
    _put(harness, order("JTS-1", broker="creon"), S.SUBMITTED, broker="creon")
    harness.venues["kis"].fail("fills_since", TransientVenueError("down", venue="kis"), times=3)
    _put(harness, order("JTS-0", broker="kis"), S.SUBMITTED, broker="kis")

    reports = await Reconciler(harness.oms, clock=harness.clock).reconcile_all()

    assert reports[0].failed is not None
    assert reports[1].failed is None
    assert harness.venues["creon"].placements == [ID]


async def test_a_second_run_changes_nothing_and_publishes_nothing() -> None:
    harness = make_harness()
    _put(harness, order(), S.SUBMITTED, broker="paper")
    reconciler = Reconciler(harness.oms, clock=harness.clock)
    await reconciler.reconcile_all()
    published = len(harness.published)

    await reconciler.reconcile_all()

    assert len(harness.published) == published
    assert harness.venue.placements == [ID]


async def test_every_store_change_is_published() -> None:
    harness = make_harness()
    _put(harness, order(), S.INITIALIZED)

    await _reconcile(harness)

    assert [type(e) for e in harness.published] == [OrderSubmitted, OrderAccepted]


def test_compare_positions_lists_each_difference_once() -> None:
    held = [
        PositionReport(instrument_id=SAMSUNG, quantity=Decimal(5), average_price=Decimal(1)),
        PositionReport(instrument_id=HYNIX, quantity=Decimal(2), average_price=Decimal(1)),
    ]

    mismatches = compare_positions({SAMSUNG: Decimal(5), HYNIX: Decimal(1)}, held)

    assert [(m.instrument_id, m.expected, m.venue) for m in mismatches] == [
        (HYNIX, Decimal(1), Decimal(2))
    ]


async def test_an_order_closed_in_the_store_but_working_at_the_venue_is_canceled_there() -> None:
    harness = make_harness()
    _put(harness, order(), S.PENDING_CANCEL, broker="paper")
    await _reconcile(harness)  # the venue does not know it: canceled in the store
    late = order()  # ...then the delayed original request reaches the venue

    await harness.venue.behind_jts_back(lambda venue: venue.submit(late))
    reports = await Reconciler(harness.oms, clock=harness.clock).reconcile_all()

    assert [r.client_order_id for r in reports[0].closed_but_working] == [ID]
    report = await harness.venue.report(ID)
    assert report is not None
    assert report.status is S.CANCELED
    problem = harness.published[-1]
    assert isinstance(problem, ErrorReported)
    assert (problem.error_type, problem.severity) == ("ClosedOrderWorking", Severity.CRITICAL)


async def test_a_store_failure_during_periodic_reconciliation_is_reported_and_retried() -> None:
    harness = make_harness()
    reconciler = Reconciler(harness.oms, clock=harness.clock)
    runs = 0

    async def failing_reconcile_all() -> list[object]:
        nonlocal runs
        runs += 1
        if runs == 1:
            raise StoreError("database is locked")
        raise asyncio.CancelledError  # stop the loop after the second run

    reconciler.reconcile_all = failing_reconcile_all  # type: ignore[method-assign,assignment]

    with pytest.raises(asyncio.CancelledError):
        await reconciler.run_every(5.0, sleep=harness.sleep)

    assert runs == 2
    assert harness.sleep.slept == [5.0, 5.0]
    problem = harness.published[-1]
    assert isinstance(problem, ErrorReported)
    assert "database is locked" in problem.message
