"""Reconciliation: make the store agree with each broker, at start and periodically.

For one broker, ``Reconciler.reconcile(broker)``:

1. fetches the executions since the oldest open order was created (less ``lookback_s`` for
   clock skew; on later runs, since the previous run) and stores the missing ones, order by
   order, through the OMS's idempotent venue-report path -- fills first, because a status
   report carries no trade ids;
2. asks the venue about every order the store holds open at that broker and repairs it
   (``OrderManager.reconcile_order``): adopts acknowledgements, closes what the venue closed,
   re-sends interrupted submits (same client order id) and cancels;
3. lists the venue's open orders that the store does not know (placed outside JTS), and
   cancels those the store holds closed (a delayed request that reached the venue after
   the order was given up, say): nothing JTS considers closed may keep trading;
4. compares the venue's positions with the ``PositionBook`` (the portfolio's view), when one
   is given. The OMS does not own positions, so mismatches are reported, not repaired.

Every change is an event the OMS stored and published; every finding that needs a person is
an ``ErrorReported``. ``reconcile_all()`` runs every broker, then places orders that were
recorded but never routed. A broker that cannot be reached is reported and skipped.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from decimal import Decimal

import msgspec

from jts.contexts.trading.application.oms import OrderManager
from jts.contexts.trading.application.ports import PositionBook
from jts.contexts.trading.application.retry import Sleep
from jts.contexts.trading.domain.records import OrderRecord
from jts.contexts.trading.domain.venue_reports import OrderReport, PositionReport
from jts.messages.base import Event
from jts.messages.enums import Severity
from jts.messages.trading import OrderFilled
from jts.shared_kernel.clock import NANOS_PER_SECOND, Clock
from jts.shared_kernel.errors import JtsError, VenueError
from jts.shared_kernel.identifiers import ClientOrderId, InstrumentId

COMPONENT = "trading.reconciliation"


class PositionMismatch(msgspec.Struct, frozen=True, kw_only=True):
    instrument_id: InstrumentId
    expected: Decimal  # what JTS books
    venue: Decimal  # what the broker holds


class ReconciliationReport(msgspec.Struct, frozen=True, kw_only=True):
    """What one run found and did at one broker."""

    broker: str
    orders_checked: int = 0
    fills_recovered: int = 0
    events: tuple[Event, ...] = ()
    foreign_orders: tuple[OrderReport, ...] = ()
    closed_but_working: tuple[OrderReport, ...] = ()
    position_mismatches: tuple[PositionMismatch, ...] = ()
    failed: str | None = None  # why the run stopped early (the broker could not be reached)


class Reconciler:
    """Compares the trading store with brokers and repairs the store through the OMS."""

    def __init__(
        self,
        oms: OrderManager,
        *,
        clock: Clock,
        positions: PositionBook | None = None,
        lookback_s: float = 300.0,
    ) -> None:
        self._oms = oms
        self._clock = clock
        self._positions = positions
        self._lookback_ns = round(lookback_s * NANOS_PER_SECOND)
        self._fills_cursor_ns: dict[str, int] = {}

    async def reconcile_all(self) -> list[ReconciliationReport]:
        """Every broker, then the orders recorded before they were routed."""
        reports = [await self.reconcile(name) for name in self._oms.venues.names]
        for record in await self._oms.ledger.list_open():
            if record.broker is None:
                await self._oms.reconcile_order(record.client_order_id)
        return reports

    async def reconcile(self, broker: str) -> ReconciliationReport:
        """One broker; see the module docstring. Venue failures end the run, reported."""
        started_ns = self._clock.now_ns()
        try:
            report = await self._reconcile(broker)
        except VenueError as e:
            message = f"reconciliation with {broker} stopped: {e}; it runs again next time"
            events = await self._problem(message, "ReconciliationFailed", Severity.WARNING)
            return ReconciliationReport(broker=broker, failed=str(e), events=tuple(events))
        self._fills_cursor_ns[broker] = started_ns
        return report

    async def run_every(self, interval_s: float, *, sleep: Sleep = asyncio.sleep) -> None:
        """Reconcile all brokers every ``interval_s`` seconds, forever (cancel to stop)."""
        while True:
            await sleep(interval_s)
            try:
                await self.reconcile_all()
            except JtsError as e:  # the store failed: say so and try again next time
                message = f"reconciliation failed: {e}; it runs again in {interval_s}s"
                await self._problem(message, type(e).__name__, Severity.WARNING)

    async def _reconcile(self, broker: str) -> ReconciliationReport:
        open_orders = [r for r in await self._oms.ledger.list_open() if r.broker == broker]
        events: list[Event] = []
        recovered = 0
        since = self._fills_since(broker, open_orders)
        if since is not None:
            fills = await self._oms.venues.call(broker, lambda b, _: b.fills_since(since))
            recovered, fill_events = await self._store_fills(fills)
            events += fill_events
        for record in open_orders:
            events += await self._oms.reconcile_order(record.client_order_id)
        foreign, stale = await self._unexpected_open_orders(broker)
        events += await self._report_foreign(broker, foreign)
        events += await self._cancel_stale(broker, stale)
        mismatches = await self._position_mismatches(broker)
        events += await self._report_mismatches(broker, mismatches)
        return ReconciliationReport(
            broker=broker,
            orders_checked=len(open_orders),
            fills_recovered=recovered,
            events=tuple(events),
            foreign_orders=tuple(foreign),
            closed_but_working=tuple(stale),
            position_mismatches=tuple(mismatches),
        )

    def _fills_since(self, broker: str, open_orders: list[OrderRecord]) -> int | None:
        if not open_orders:
            return None  # closed orders have all their fills: they closed through them
        oldest = min(record.created_ns for record in open_orders)
        since = max(oldest, self._fills_cursor_ns.get(broker, oldest))
        return max(since - self._lookback_ns, 0)

    async def _store_fills(self, fills: list[OrderFilled]) -> tuple[int, list[Event]]:
        by_order: dict[ClientOrderId, list[OrderFilled]] = defaultdict(list)
        for fill in sorted(fills, key=lambda f: f.ts_event):
            by_order[fill.client_order_id].append(fill)
        events: list[Event] = []
        for order_fills in by_order.values():
            events += await self._oms.record_venue_events(order_fills)
        recovered = sum(isinstance(event, OrderFilled) for event in events)
        return recovered, events

    async def _unexpected_open_orders(
        self, broker: str
    ) -> tuple[list[OrderReport], list[OrderReport]]:
        """Venue orders working that the store does not know, and those it holds closed."""
        venue_open = await self._oms.venues.call(broker, lambda b, _: b.open_orders())
        ledger = self._oms.ledger
        foreign, stale = [], []
        for report in venue_open:
            if report.client_order_id is not None:
                known = await ledger.get(report.client_order_id)
            else:
                known = await ledger.get_by_venue_order_id(report.venue_order_id, broker)
            if known is None:
                foreign.append(report)
            elif known.status.is_terminal:
                stale.append(report)
        return foreign, stale

    async def _cancel_stale(self, broker: str, stale: list[OrderReport]) -> list[Event]:
        events: list[Event] = []
        for report in stale:
            outcome = await self._cancel_at_venue(broker, report)
            message = (
                f"order {report.client_order_id or report.venue_order_id} is closed in the "
                f"store but still working at {broker}; {outcome}"
            )
            events += await self._problem(message, "ClosedOrderWorking", Severity.CRITICAL)
        return events

    async def _cancel_at_venue(self, broker: str, report: OrderReport) -> str:
        client_order_id = report.client_order_id
        if client_order_id is None:
            record = await self._oms.ledger.get_by_venue_order_id(report.venue_order_id, broker)
            if record is None:
                return "cancel it at the broker"
            client_order_id = record.client_order_id
        try:
            await self._oms.venues.call(
                broker, lambda b, _: b.cancel(client_order_id, report.venue_order_id)
            )
        except VenueError as e:
            return f"could not cancel it ({e}); cancel it at the broker"
        return "canceled it there"

    async def _report_foreign(self, broker: str, foreign: list[OrderReport]) -> list[Event]:
        if not foreign:
            return []
        listed = ", ".join(
            f"{o.venue_order_id} ({o.side} {o.leaves_quantity} {o.instrument_id})" for o in foreign
        )
        message = (
            f"{broker} has {len(foreign)} open order(s) JTS did not place: {listed}; "
            "they are left alone, cancel them at the broker if they are unwanted"
        )
        return await self._problem(message, "ForeignOrders", Severity.WARNING)

    async def _position_mismatches(self, broker: str) -> list[PositionMismatch]:
        if self._positions is None:
            return []
        held: list[PositionReport] = await self._oms.venues.call(broker, lambda b, _: b.positions())
        return compare_positions(self._positions.expected_positions(broker), held)

    async def _report_mismatches(
        self, broker: str, mismatches: list[PositionMismatch]
    ) -> list[Event]:
        if not mismatches:
            return []
        listed = ", ".join(
            f"{m.instrument_id}: JTS {m.expected}, {broker} {m.venue}" for m in mismatches
        )
        message = (
            f"positions differ from {broker}: {listed}; the broker's figures are the truth, "
            "check fills and corporate actions, then correct the portfolio"
        )
        return await self._problem(message, "PositionMismatch", Severity.CRITICAL)

    async def _problem(self, message: str, error_type: str, severity: Severity) -> list[Event]:
        report = msgspec.structs.replace(
            self._oms.problem(message, error_type), component=COMPONENT, severity=severity
        )
        return await self._oms.emit([report])


def compare_positions(
    expected: dict[InstrumentId, Decimal], held: list[PositionReport]
) -> list[PositionMismatch]:
    """Every instrument where JTS's quantity differs from the venue's, by instrument."""
    venue = {report.instrument_id: report.quantity for report in held}
    mismatches = [
        PositionMismatch(
            instrument_id=instrument,
            expected=expected.get(instrument, Decimal(0)),
            venue=venue.get(instrument, Decimal(0)),
        )
        for instrument in expected.keys() | venue.keys()
        if expected.get(instrument, Decimal(0)) != venue.get(instrument, Decimal(0))
    ]
    return sorted(mismatches, key=lambda m: str(m.instrument_id))
