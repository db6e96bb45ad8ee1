"""Reconciliation decisions for one order: compare the store with the venue, decide a repair.

``plan_repair(record, report, ...)`` is pure. It returns the events that bring the stored
order to what the venue reports (in an order the life-cycle table accepts), the follow-up
action the OMS must take, and a discrepancy when the two cannot be made to agree from the
information at hand. Fills are repaired before this runs (they carry trade ids; a status
report does not), so a report that shows more filled than the store knows is a discrepancy,
never an invented fill.

Why each case is safe after a crash at any point of the write-ahead submit/cancel flows:

- ``INITIALIZED``/``SUBMITTED`` and unknown at the venue: it was never placed (or the request
  was lost), so ``RESUBMIT`` with the *same* client order id; the venue's idempotency on that
  id makes a duplicate impossible even if the first request is still in flight.
- ``PENDING_CANCEL`` and still working at the venue: the cancel may never have been sent, so
  ``RECANCEL`` (cancels are idempotent too). Unknown at the venue: nothing is working, so the
  order is canceled.
- ``PENDING_MODIFY``: the requested terms are not stored, so the venue's terms decide: if they
  differ from the stored ones the modify happened (``OrderModified``), else it did not
  (``OrderModifyRejected``).
"""

from __future__ import annotations

from enum import Enum

import msgspec

from jts.contexts.trading.domain.event_fields import OrderEventIds, event_ids
from jts.contexts.trading.domain.lifecycle import apply
from jts.contexts.trading.domain.records import OrderRecord
from jts.contexts.trading.domain.venue_reports import OrderReport
from jts.messages.enums import OrderStatus
from jts.messages.trading import (
    OrderAccepted,
    OrderCanceled,
    OrderDenied,
    OrderEvent,
    OrderExpired,
    OrderModified,
    OrderModifyRejected,
    OrderRejected,
    OrderSubmitted,
)

S = OrderStatus
_VENUE_OPEN = frozenset({S.SUBMITTED, S.ACCEPTED, S.PARTIALLY_FILLED, S.PENDING_MODIFY})
RECOVERY_RULE = "trading.recovery.max_age"


class RepairAction(Enum):
    NONE = "none"
    RESUBMIT = "resubmit"  # hand the order to its broker again, same client order id
    RECANCEL = "recancel"  # send the cancel again


class Repair(msgspec.Struct, frozen=True, kw_only=True):
    events: tuple[OrderEvent, ...] = ()
    action: RepairAction = RepairAction.NONE
    discrepancy: str | None = None


class RepairContext(msgspec.Struct, frozen=True, kw_only=True):
    """What the decision needs besides the order and the report."""

    broker: str
    now_ns: int
    resubmit_max_age_ns: int | None = None  # older unplaced orders are closed, not resubmitted


def plan_repair(record: OrderRecord, report: OrderReport | None, context: RepairContext) -> Repair:
    """The events and follow-up that make ``record`` agree with the venue's ``report``."""
    if record.status.is_terminal:
        return Repair()
    if report is None:
        return _unknown_at_venue(record, context)
    prefix = _catch_up(record, report, context)
    after_prefix = record
    for event in prefix:
        after_prefix = apply(after_prefix, event)
    repair = _follow_venue_status(after_prefix, report, context)
    return msgspec.structs.replace(
        repair,
        events=prefix + repair.events,
        discrepancy=repair.discrepancy or _fill_gap(after_prefix, report),
    )


def _unknown_at_venue(record: OrderRecord, context: RepairContext) -> Repair:
    now = context.now_ns
    if record.status is S.PENDING_CANCEL:
        return Repair(events=(OrderCanceled(**event_ids(record, now)),))
    if record.venue_order_id is None and record.status in (S.INITIALIZED, S.SUBMITTED):
        age = now - record.created_ns
        limit = context.resubmit_max_age_ns
        if limit is None or age <= limit:
            return Repair(action=RepairAction.RESUBMIT)
        reason = f"not placed before a restart and {age} ns old, over the {limit} ns limit"
        if record.status is S.INITIALIZED:
            denied = OrderDenied(**event_ids(record, now), reason=reason, rule=RECOVERY_RULE)
            return Repair(events=(denied,))
        return Repair(events=(OrderExpired(**event_ids(record, now)),), discrepancy=reason)
    return Repair(
        events=(OrderExpired(**event_ids(record, now), venue_order_id=record.venue_order_id),),
        discrepancy=(
            f"order {record.client_order_id} is {record.status} in the store but "
            f"{context.broker} no longer knows it; closed as expired"
        ),
    )


def _catch_up(
    record: OrderRecord, report: OrderReport, context: RepairContext
) -> tuple[OrderEvent, ...]:
    events: list[OrderEvent] = []
    ts = _venue_ts(report, context)
    if record.status is S.INITIALIZED:
        events.append(
            OrderSubmitted(
                **event_ids(record, ts, context.now_ns),
                strategy_id=record.strategy_id,
                broker=context.broker,
            )
        )
    if record.venue_order_id is None and report.status is not S.REJECTED:
        accepted = OrderAccepted(
            **event_ids(record, ts, context.now_ns), venue_order_id=report.venue_order_id
        )
        events.append(accepted)
    return tuple(events)


def _follow_venue_status(
    record: OrderRecord, report: OrderReport, context: RepairContext
) -> Repair:
    ids = event_ids(record, _venue_ts(report, context), context.now_ns)
    venue_status = report.status
    if venue_status in _VENUE_OPEN:
        return _venue_still_working(record, report, ids)
    if venue_status is S.CANCELED:
        return Repair(events=(OrderCanceled(**ids, venue_order_id=report.venue_order_id),))
    if venue_status is S.EXPIRED:
        return Repair(events=(OrderExpired(**ids, venue_order_id=report.venue_order_id),))
    if venue_status is S.REJECTED:
        reason = f"{context.broker} reports the order rejected"
        if record.status is S.SUBMITTED:
            return Repair(events=(OrderRejected(**ids, reason=reason),))
        # Rejected after it was acknowledged (an exchange behind the broker refused it):
        # the table has no such move, so close it as canceled and say why.
        canceled = OrderCanceled(**ids, venue_order_id=report.venue_order_id)
        return Repair(
            events=(canceled,),
            discrepancy=f"order {record.client_order_id}: {reason} "
            f"after acknowledging it; closed as canceled",
        )
    return Repair()  # FILLED: reached through fills; PENDING_CANCEL: wait for the venue


def _venue_still_working(record: OrderRecord, report: OrderReport, ids: OrderEventIds) -> Repair:
    if record.status is S.PENDING_CANCEL:
        return Repair(action=RepairAction.RECANCEL)
    if record.status is not S.PENDING_MODIFY:
        return Repair()
    changed = report.quantity != record.quantity or (
        report.limit_price is not None and report.limit_price != record.limit_price
    )
    if changed:
        modified = OrderModified(
            **ids,
            venue_order_id=report.venue_order_id,
            quantity=report.quantity,
            limit_price=report.limit_price,
        )
        return Repair(events=(modified,))
    reason = "modify outcome unknown after a restart; the venue still shows the old terms"
    return Repair(events=(OrderModifyRejected(**ids, reason=reason),))


def _fill_gap(record: OrderRecord, report: OrderReport) -> str | None:
    if report.filled_quantity <= record.filled_quantity:
        return None
    return (
        f"order {record.client_order_id}: the venue reports {report.filled_quantity} filled, "
        f"the store has {record.filled_quantity}; executions are missing from the venue's "
        "fill history, positions may differ until they arrive"
    )


def _venue_ts(report: OrderReport, context: RepairContext) -> int:
    return report.ts_last if report.ts_last > 0 else context.now_ns
