"""The order management system: write-ahead submit, cancel and modify, and venue reports.

Write-ahead rule: every state change is committed before the action it announces, so a
crash at any point leaves a store that recovery (``reconcile_order``) can finish from.

Submit (``client_order_id`` is generated once by the caller and is the venue's idempotency
key; a repeated command with a stored id is a no-op):

1. commit the order as ``INITIALIZED`` (the intent);
2. route it (``SmartOrderRouter``); no route -> commit ``OrderDenied``;
3. commit ``OrderSubmitted(broker)`` -- from here on the venue may know the order;
4. ``broker.submit``, retried on transient errors behind the broker's circuit breaker; before
   each retry the venue is asked (``order_status``) whether it already has the order, and a
   known order is adopted instead of being sent again;
5. commit ``OrderAccepted(venue_order_id)``, or ``OrderRejected`` with the venue's reason on a
   permanent error. If the outcome stays unknown (retries exhausted, circuit open) the order
   is left ``SUBMITTED`` and an ``ErrorReported`` says so; reconciliation resolves it.

Cancel commits ``OrderPendingCancel`` before calling the venue; modify commits
``OrderPendingModify``. The venue's confirmations arrive as events through
``on_venue_event`` (the handler registered with each broker), which stores them idempotently.
Commands for one order run one at a time (a per-order lock); venue reports never wait for
that lock, because a broker may report fills while ``submit`` is still running.

Failover: the router skips brokers whose circuit is open. An order that may have reached a
broker is never moved to another one: it could then be working at two venues.

Every method returns the events it stored, in order, and publishes each one after it was
committed (at-least-once to the bus needs an outbox, which the runtime's bus adapter owns).
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from jts.contexts.trading.application.locks import KeyedLocks
from jts.contexts.trading.application.order_ledger import OrderLedger
from jts.contexts.trading.application.ports import BrokerGateway
from jts.contexts.trading.application.router import SmartOrderRouter
from jts.contexts.trading.application.venues import Publisher, VenueAccess, error_report
from jts.contexts.trading.domain.commands import (
    cancel_refusal,
    command_from_record,
    modify_refusal,
    venue_reason,
)
from jts.contexts.trading.domain.event_fields import event_ids
from jts.contexts.trading.domain.records import OrderRecord
from jts.contexts.trading.domain.repair import RepairAction, RepairContext, plan_repair
from jts.contexts.trading.domain.routing import ROUTING_RULE, NoRoute
from jts.contexts.trading.domain.venue_reports import OrderReport
from jts.messages.base import Event
from jts.messages.enums import OrderStatus
from jts.messages.system import ErrorReported
from jts.messages.trading import (
    CancelOrder,
    ModifyOrder,
    OrderAccepted,
    OrderCanceled,
    OrderCancelRejected,
    OrderDenied,
    OrderEvent,
    OrderModifyRejected,
    OrderPendingCancel,
    OrderPendingModify,
    OrderRejected,
    OrderSubmitted,
    SubmitOrder,
)
from jts.shared_kernel.clock import NANOS_PER_SECOND, Clock
from jts.shared_kernel.errors import (
    ConfigurationError,
    DataError,
    InvalidOrderTransition,
    PermanentVenueError,
    TransientVenueError,
    VenueError,
)
from jts.shared_kernel.identifiers import ClientOrderId, VenueOrderId

S = OrderStatus
COMPONENT = "trading.oms"


class OmsConfig(msgspec.Struct, frozen=True, kw_only=True):
    """OMS settings."""

    resubmit_max_age_s: float | None = None  # unplaced orders older than this are not resent


class OrderManager:
    """Places, cancels and modifies orders write-ahead; stores what venues report."""

    def __init__(
        self,
        *,
        ledger: OrderLedger,
        venues: VenueAccess,
        router: SmartOrderRouter,
        clock: Clock,
        publish: Publisher | None = None,
        config: OmsConfig | None = None,
    ) -> None:
        missing = sorted(set(router.brokers) - set(venues.names))
        if missing:
            raise ConfigurationError(
                f"the router knows brokers {missing} that have no gateway; configure them or "
                "remove them from the routing table"
            )
        self.ledger = ledger
        self.venues = venues
        self._router = router
        self._clock = clock
        self._publish = publish
        self._config = config or OmsConfig()
        self._locks: KeyedLocks[ClientOrderId] = KeyedLocks()

    def attach(self) -> None:
        """Register ``on_venue_event`` as every broker's execution-report handler."""
        for name in self.venues.names:
            self.venues.gateway(name).set_event_handler(self.on_venue_event)

    def detach(self) -> None:
        for name in self.venues.names:
            self.venues.gateway(name).set_event_handler(None)

    # -- commands ---------------------------------------------------------------------------

    async def submit(self, command: SubmitOrder) -> list[Event]:
        """Place a new order (see the module docstring); ``[]`` if the id is already stored."""
        async with self._locks.hold(command.client_order_id):
            record = OrderRecord.from_command(command, created_ns=self._clock.now_ns())
            if not await self.ledger.add(record):
                return []
            return await self._route_and_place(command)

    async def cancel(self, command: CancelOrder) -> list[Event]:
        """Cancel an order's remaining quantity; the venue's ``OrderCanceled`` confirms it."""
        async with self._locks.hold(command.client_order_id):
            record = await self.ledger.get(command.client_order_id)
            refusal = cancel_refusal(record)
            if refusal is not None or record is None:
                return await self.emit([self._cancel_rejected(command, refusal or "")])
            if record.status is S.PENDING_CANCEL:
                return []  # already asked; recovery re-sends it if it was lost
            if record.status is S.INITIALIZED:
                canceled = OrderCanceled(**event_ids(record, self._clock.now_ns()))
                await self.ledger.commit_events(record.client_order_id, [canceled])
                return await self.emit([canceled])
            pending = OrderPendingCancel(**event_ids(record, self._clock.now_ns()))
            try:
                record = await self.ledger.commit_events(record.client_order_id, [pending])
            except InvalidOrderTransition:  # a venue report closed it since it was read
                current = await self.ledger.get(command.client_order_id)
                reason = cancel_refusal(current) or "the order changed meanwhile; retry"
                return await self.emit([self._cancel_rejected(command, reason)])
            return await self.emit([pending]) + await self._send_cancel(record)

    async def modify(self, command: ModifyOrder) -> list[Event]:
        """Change a working order's terms; the venue's ``OrderModified`` confirms them."""
        async with self._locks.hold(command.client_order_id):
            record = await self.ledger.get(command.client_order_id)
            can_modify = (
                record is not None
                and record.broker is not None
                and self.venues.gateway(record.broker).capabilities.modify
            )
            refusal = modify_refusal(record, broker_can_modify=can_modify)
            if refusal is not None or record is None:
                rejected = OrderModifyRejected(
                    **event_ids(command, self._now()), reason=refusal or ""
                )
                return await self.emit([rejected])
            pending = OrderPendingModify(**event_ids(record, self._now()))
            try:
                record = await self.ledger.commit_events(record.client_order_id, [pending])
            except InvalidOrderTransition:  # a venue report closed it since it was read
                reason = "the order closed meanwhile; nothing to modify"
                refused = OrderModifyRejected(**event_ids(command, self._now()), reason=reason)
                return await self.emit([refused])
            return await self.emit([pending]) + await self._send_modify(record, command)

    async def _send_modify(self, record: OrderRecord, command: ModifyOrder) -> list[Event]:
        venue_order_id = record.venue_order_id
        try:
            await self.venues.call(
                _broker_of(record), lambda broker, _: broker.modify(command, venue_order_id)
            )
        except PermanentVenueError as e:
            refused = OrderModifyRejected(**event_ids(record, self._now()), reason=venue_reason(e))
            return await self.record_venue_events([refused])
        except TransientVenueError as e:
            return await self.emit([self._in_doubt(record, e, "PENDING_MODIFY")])
        return []

    # -- venue reports ----------------------------------------------------------------------

    async def on_venue_event(self, event: OrderEvent) -> None:
        """The handler given to brokers: store and publish one execution report."""
        await self.record_venue_events([event])

    async def record_venue_events(self, events: Sequence[OrderEvent]) -> list[Event]:
        """Store one order's reports idempotently; returns what changed and any problems."""
        if not events:
            return []
        try:
            recording = await self.ledger.record_venue_events(events)
        except DataError as e:
            return await self.emit([self.problem(str(e), "VenueContradiction")])
        out: list[Event] = list(recording.applied)
        out += [self.problem(text, "VenueContradiction") for text in recording.problems]
        if recording.unknown_order:
            out.append(
                self.problem(
                    f"{type(events[0]).__name__} for order {events[0].client_order_id}, which "
                    "is not in the store (placed outside JTS?); not applied",
                    "UnknownOrder",
                )
            )
        return await self.emit(out)

    # -- recovery ---------------------------------------------------------------------------

    async def reconcile_order(self, client_order_id: ClientOrderId) -> list[Event]:
        """Bring one open order in line with its venue, then finish what was interrupted.

        Runs under the order's lock, so the venue is asked about the order as it stands.
        An order not yet routed is routed and placed now.
        """
        async with self._locks.hold(client_order_id):
            record = await self.ledger.get(client_order_id)
            if record is None or record.status.is_terminal:
                return []
            if record.broker is None:
                return await self._route_and_place(command_from_record(record, self._now()))
            venue_order_id = record.venue_order_id
            try:
                report = await self.venues.call(
                    record.broker,
                    lambda broker, _: broker.order_status(client_order_id, venue_order_id),
                )
            except VenueError as e:
                return await self.emit([self._in_doubt(record, e, str(record.status))])
            return await self._repair(record, report)

    async def _repair(self, record: OrderRecord, report: OrderReport | None) -> list[Event]:
        repair = plan_repair(record, report, self._repair_context(record))
        out = await self.record_venue_events(repair.events)
        if repair.discrepancy is not None:
            out += await self.emit([self.problem(repair.discrepancy, "Discrepancy")])
        current = await self.ledger.get(record.client_order_id)
        if current is None:
            return out
        if repair.action is RepairAction.RESUBMIT:
            out += await self._resubmit(current)
        elif repair.action is RepairAction.RECANCEL:
            out += await self._send_cancel(current)
        return out

    async def _resubmit(self, record: OrderRecord) -> list[Event]:
        command = command_from_record(record, self._now())
        if record.status is S.INITIALIZED:  # never handed over: route it (a pin still holds)
            return await self._route_and_place(command)
        return await self._hand_over(record, command)

    # -- the submit flow --------------------------------------------------------------------

    async def _route_and_place(self, command: SubmitOrder) -> list[Event]:
        decision = await self._router.route(command)
        if isinstance(decision, NoRoute):
            denied = OrderDenied(
                **event_ids(command, self._now()),
                reason=decision.describe(command),
                rule=ROUTING_RULE,
            )
            await self.ledger.commit_events(command.client_order_id, [denied])
            return await self.emit([denied])
        return await self._place(command, decision.broker)

    async def _place(self, command: SubmitOrder, broker: str) -> list[Event]:
        submitted = OrderSubmitted(
            **event_ids(command, self._now()), strategy_id=command.strategy_id, broker=broker
        )
        record = await self.ledger.commit_events(command.client_order_id, [submitted])
        head = await self.emit([submitted])
        if command.broker != broker:
            command = msgspec.structs.replace(command, broker=broker)
        return head + await self._hand_over(record, command)

    async def _hand_over(self, record: OrderRecord, command: SubmitOrder) -> list[Event]:
        async def attempt(broker: BrokerGateway, number: int) -> VenueOrderId | OrderReport:
            if number > 1:  # the last attempt may have reached the venue: ask before resending
                report = await broker.order_status(command.client_order_id)
                if report is not None:
                    return report
            return await broker.submit(command)

        try:
            placed = await self.venues.call(_broker_of(record), attempt)
        except PermanentVenueError as e:
            rejected = OrderRejected(
                **event_ids(record, self._now()), reason=venue_reason(e), code=e.code
            )
            return await self.record_venue_events([rejected])
        except TransientVenueError as e:
            return await self.emit([self._in_doubt(record, e, "SUBMITTED")])
        if isinstance(placed, OrderReport):
            current = await self.ledger.get(record.client_order_id)
            return [] if current is None else await self._repair(current, placed)
        accepted = OrderAccepted(**event_ids(record, self._now()), venue_order_id=placed)
        return await self.record_venue_events([accepted])

    async def _send_cancel(self, record: OrderRecord) -> list[Event]:
        venue_order_id = record.venue_order_id
        try:
            await self.venues.call(
                _broker_of(record),
                lambda broker, _: broker.cancel(record.client_order_id, venue_order_id),
            )
        except PermanentVenueError as e:
            return await self._cancel_refused(record, e)
        except TransientVenueError as e:
            return await self.emit([self._in_doubt(record, e, "PENDING_CANCEL")])
        return []

    async def _cancel_refused(self, record: OrderRecord, error: PermanentVenueError) -> list[Event]:
        # Usually the order is already filled or canceled: ask the venue what it knows.
        venue_order_id = record.venue_order_id
        try:
            report = await self.venues.call(
                _broker_of(record),
                lambda broker, _: broker.order_status(record.client_order_id, venue_order_id),
            )
        except VenueError:
            refused = OrderCancelRejected(
                **event_ids(record, self._now()), reason=venue_reason(error)
            )
            return await self.record_venue_events([refused])
        current = await self.ledger.get(record.client_order_id) or record
        repair = plan_repair(current, report, self._repair_context(current))
        events = repair.events
        if repair.action is RepairAction.RECANCEL:  # still working, yet the cancel was refused
            reason = venue_reason(error)
            events = (OrderCancelRejected(**event_ids(record, self._now()), reason=reason),)
        out = await self.record_venue_events(events)
        if repair.discrepancy is not None:
            out += await self.emit([self.problem(repair.discrepancy, "Discrepancy")])
        return out

    # -- helpers ----------------------------------------------------------------------------

    def problem(self, message: str, error_type: str) -> ErrorReported:
        return error_report(message, error_type, component=COMPONENT, now_ns=self._now())

    def _in_doubt(self, record: OrderRecord, error: VenueError, state: str) -> ErrorReported:
        return self.problem(
            f"order {record.client_order_id}: {error}; the outcome at {record.broker} is "
            f"unknown, so the order stays {state} until reconciliation asks the venue",
            type(error).__name__,
        )

    def _cancel_rejected(self, command: CancelOrder, reason: str) -> OrderCancelRejected:
        return OrderCancelRejected(**event_ids(command, self._now()), reason=reason)

    def _repair_context(self, record: OrderRecord) -> RepairContext:
        return RepairContext(
            broker=record.broker or "", now_ns=self._now(), resubmit_max_age_ns=self._max_age_ns()
        )

    def _max_age_ns(self) -> int | None:
        age_s = self._config.resubmit_max_age_s
        return None if age_s is None else round(age_s * NANOS_PER_SECOND)

    def _now(self) -> int:
        return self._clock.now_ns()

    async def emit(self, events: list[Event]) -> list[Event]:
        """Publish ``events`` (already stored, or not state changes) and return them."""
        if self._publish is not None:
            for event in events:
                await self._publish(event)
        return events


def _broker_of(record: OrderRecord) -> str:
    if record.broker is None:  # only INITIALIZED orders lack one, and they never get here
        raise InvalidOrderTransition(f"order {record.client_order_id} has no broker yet")
    return record.broker
