from decimal import Decimal

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from jts.contexts.trading.domain.lifecycle import apply
from jts.contexts.trading.domain.records import OrderRecord
from jts.contexts.trading.domain.repair import (
    RepairAction,
    RepairContext,
    plan_repair,
)
from jts.contexts.trading.domain.venue_reports import OrderReport
from jts.messages.enums import OrderStatus
from jts.messages.trading import (
    OrderAccepted,
    OrderCanceled,
    OrderExpired,
    OrderRejected,
    OrderSubmitted,
)
from jts.shared_kernel.identifiers import VenueOrderId
from tests.unit.contexts.trading.fakes import order

S = OrderStatus
CONTEXT = RepairContext(broker="paper", now_ns=100)


def _record(status: OrderStatus, *, venue_id: str | None = None, filled: str = "0") -> OrderRecord:
    record = OrderRecord.from_command(order(), created_ns=50)
    return msgspec.structs.replace(
        record,
        status=status,
        broker=None if status is S.INITIALIZED else "paper",
        venue_order_id=None if venue_id is None else VenueOrderId(venue_id),
        filled_quantity=Decimal(filled),
        average_fill_price=Decimal(70000) if Decimal(filled) > 0 else None,
    )


def _report(status: OrderStatus, *, filled: str = "0", quantity: str = "10") -> OrderReport:
    command = order()
    return OrderReport(
        client_order_id=command.client_order_id,
        venue_order_id=VenueOrderId("V9"),
        instrument_id=command.instrument_id,
        side=command.side,
        order_type=command.order_type,
        quantity=Decimal(quantity),
        filled_quantity=Decimal(filled),
        limit_price=command.limit_price,
        status=status,
        ts_last=90,
    )


def test_submitted_and_unknown_at_the_venue_is_resubmitted() -> None:
    repair = plan_repair(_record(S.SUBMITTED), None, CONTEXT)

    assert (repair.events, repair.action) == ((), RepairAction.RESUBMIT)


def test_initialized_and_known_at_the_venue_is_caught_up_through_submitted_and_accepted() -> None:
    repair = plan_repair(_record(S.INITIALIZED), _report(S.ACCEPTED), CONTEXT)

    assert [type(e) for e in repair.events] == [OrderSubmitted, OrderAccepted]
    assert repair.events[1].venue_order_id == "V9"  # type: ignore[attr-defined]
    assert repair.events[1].ts_event == 90


def test_venue_rejection_of_an_unacknowledged_order_becomes_rejected() -> None:
    repair = plan_repair(_record(S.SUBMITTED), _report(S.REJECTED), CONTEXT)

    assert [type(e) for e in repair.events] == [OrderRejected]


def test_rejection_after_acknowledgement_closes_the_order_as_canceled_and_says_so() -> None:
    repair = plan_repair(_record(S.ACCEPTED, venue_id="V9"), _report(S.REJECTED), CONTEXT)

    assert [type(e) for e in repair.events] == [OrderCanceled]
    assert repair.discrepancy is not None
    assert "after acknowledging it" in repair.discrepancy


def test_accepted_order_the_venue_forgot_expires_with_a_discrepancy() -> None:
    repair = plan_repair(_record(S.ACCEPTED, venue_id="V9"), None, CONTEXT)

    assert [type(e) for e in repair.events] == [OrderExpired]
    assert repair.discrepancy is not None
    assert "no longer knows it" in repair.discrepancy


def test_more_filled_at_the_venue_than_stored_is_a_discrepancy_not_a_fill() -> None:
    record = _record(S.ACCEPTED, venue_id="V9")

    repair = plan_repair(record, _report(S.FILLED, filled="10"), CONTEXT)

    assert repair.events == ()
    assert repair.discrepancy is not None
    assert "venue reports 10 filled, the store has 0" in repair.discrepancy


def test_closed_orders_need_no_repair() -> None:
    assert plan_repair(_record(S.CANCELED), _report(S.ACCEPTED), CONTEXT).events == ()


def test_canceled_at_the_venue_is_canceled_in_the_store() -> None:
    record = _record(S.PARTIALLY_FILLED, venue_id="V9", filled="3")

    repair = plan_repair(record, _report(S.CANCELED, filled="3"), CONTEXT)

    assert [type(e) for e in repair.events] == [OrderCanceled]
    assert repair.discrepancy is None


@given(
    stored=st.sampled_from([s for s in OrderStatus if not s.is_terminal]),
    venue=st.one_of(st.none(), st.sampled_from(list(OrderStatus))),
    has_venue_id=st.booleans(),
    filled=st.integers(min_value=0, max_value=9),
)
def test_every_planned_repair_is_legal_under_the_life_cycle_table(
    stored: OrderStatus, venue: OrderStatus | None, has_venue_id: bool, filled: int
) -> None:
    if stored is S.INITIALIZED or stored is S.SUBMITTED:
        has_venue_id, filled = False, 0
    if stored is S.ACCEPTED:
        filled = 0
    if stored is S.PARTIALLY_FILLED:
        filled = max(filled, 1)
    if stored in (S.ACCEPTED, S.PARTIALLY_FILLED):
        has_venue_id = True
    record = _record(stored, venue_id="V9" if has_venue_id else None, filled=str(filled))
    report = None if venue is None else _report(venue, filled=str(filled))

    repair = plan_repair(record, report, CONTEXT)

    for event in repair.events:
        record = apply(record, event)  # raises InvalidOrderTransition if the plan is illegal
    if repair.action is RepairAction.RESUBMIT:
        assert record.status in (S.INITIALIZED, S.SUBMITTED)
        assert record.venue_order_id is None
    if repair.action is RepairAction.RECANCEL:
        assert record.status is S.PENDING_CANCEL
