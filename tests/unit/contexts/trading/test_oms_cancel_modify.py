from decimal import Decimal

from jts.contexts.trading.application.reconciliation import Reconciler
from jts.contexts.trading.domain.records import OrderRecord
from jts.contexts.trading.domain.venue_reports import BrokerCapabilities
from jts.messages.enums import OrderStatus
from jts.messages.system import ErrorReported
from jts.messages.trading import (
    CancelOrder,
    ModifyOrder,
    OrderCanceled,
    OrderCancelRejected,
    OrderFilled,
    OrderModified,
    OrderModifyRejected,
    OrderPendingCancel,
    OrderPendingModify,
)
from jts.shared_kernel.errors import InvalidOrder, TransientVenueError
from jts.shared_kernel.identifiers import KRX, ClientOrderId
from tests.unit.contexts.trading.fakes import SAMSUNG, Harness, make_harness, order

S = OrderStatus
ID = ClientOrderId("JTS-1")


def _cancel(client_order_id: str = "JTS-1") -> CancelOrder:
    return CancelOrder(
        client_order_id=ClientOrderId(client_order_id), instrument_id=SAMSUNG, ts_init=2
    )


def _record(harness: Harness, client_order_id: str = "JTS-1") -> OrderRecord:
    record = harness.stored(client_order_id)
    assert isinstance(record, OrderRecord)
    return record


async def test_cancel_persists_pending_cancel_before_calling_the_venue() -> None:
    harness = make_harness()
    await harness.oms.submit(order())
    states_at_venue: list[OrderStatus] = []
    cancel = harness.venue.cancel

    async def observing_cancel(*args: object) -> None:
        states_at_venue.append(_record(harness).status)
        await cancel(*args)  # type: ignore[arg-type]

    harness.venue.cancel = observing_cancel  # type: ignore[method-assign,assignment]

    events = await harness.oms.cancel(_cancel())

    assert states_at_venue == [S.PENDING_CANCEL]
    assert [type(e) for e in events] == [OrderPendingCancel]
    assert _record(harness).status is S.CANCELED  # the venue's confirmation arrived
    assert isinstance(harness.published[-1], OrderCanceled)


async def test_cancel_of_a_filled_order_is_rejected_without_calling_the_venue() -> None:
    harness = make_harness()
    harness.venue.fill_on_submit_at = "70000"
    await harness.oms.submit(order())

    events = await harness.oms.cancel(_cancel())

    assert isinstance(events[0], OrderCancelRejected)
    assert events[0].reason == "order is already FILLED"
    assert "cancel" not in harness.venue.calls


async def test_cancel_of_an_unknown_order_is_rejected() -> None:
    harness = make_harness()

    events = await harness.oms.cancel(_cancel("nope"))

    assert isinstance(events[0], OrderCancelRejected)
    assert events[0].reason == "unknown order"


async def test_cancel_refused_because_the_order_filled_meanwhile_takes_the_venues_state() -> None:
    harness = make_harness()
    await harness.oms.submit(order())
    harness.venue.silent = True  # the fill report is lost on the way
    await harness.venue.fill(ID, "10", "70000")
    harness.venue.silent = False

    await harness.oms.cancel(_cancel())

    # The venue says FILLED but no fill reached us: the cancel stays pending and the missing
    # execution is flagged, never invented; reconciliation then fetches the fill.
    assert _record(harness).status is S.PENDING_CANCEL
    assert isinstance(harness.published[-1], ErrorReported)
    assert "10 filled, the store has 0" in harness.published[-1].message

    await Reconciler(harness.oms, clock=harness.clock).reconcile("paper")

    assert _record(harness).status is S.FILLED


async def test_cancel_that_times_out_stays_pending_and_reconciliation_resends_it() -> None:
    harness = make_harness()
    await harness.oms.submit(order())
    harness.venue.fail("cancel", TransientVenueError("timeout", venue="paper"), times=3)

    events = await harness.oms.cancel(_cancel())

    assert _record(harness).status is S.PENDING_CANCEL
    assert isinstance(events[-1], ErrorReported)
    assert harness.breakers.is_healthy("paper") is False  # three timeouts opened the circuit
    harness.clock.advance_ns(31 * 10**9)

    await harness.oms.reconcile_order(ID)

    assert _record(harness).status is S.CANCELED


async def test_repeated_cancel_while_pending_is_a_no_op() -> None:
    harness = make_harness()
    await harness.oms.submit(order())
    harness.venue.fail("cancel", TransientVenueError("timeout", venue="paper"), times=3)
    await harness.oms.cancel(_cancel())

    assert await harness.oms.cancel(_cancel()) == []


async def test_modify_persists_pending_modify_and_applies_the_venues_confirmation() -> None:
    harness = make_harness()
    await harness.oms.submit(order())
    command = ModifyOrder(
        client_order_id=ID, instrument_id=SAMSUNG, limit_price=Decimal(69900), ts_init=3
    )

    events = await harness.oms.modify(command)

    assert [type(e) for e in events] == [OrderPendingModify]
    assert isinstance(harness.published[-1], OrderModified)
    record = _record(harness)
    assert (record.status, record.limit_price) == (S.ACCEPTED, Decimal(69900))


async def test_modify_refused_by_the_venue_keeps_the_old_terms() -> None:
    harness = make_harness()
    await harness.oms.submit(order())
    harness.venue.fail("modify", InvalidOrder("price outside the daily band", venue="paper"))
    command = ModifyOrder(
        client_order_id=ID, instrument_id=SAMSUNG, limit_price=Decimal(1), ts_init=3
    )

    events = await harness.oms.modify(command)

    rejected = events[-1]
    assert isinstance(rejected, OrderModifyRejected)
    assert rejected.reason == "price outside the daily band"
    record = _record(harness)
    assert (record.status, record.limit_price) == (S.ACCEPTED, Decimal(70000))


async def test_modify_at_a_broker_that_cannot_modify_is_refused_up_front() -> None:
    fixed = BrokerCapabilities(venues=frozenset({KRX}), modify=False)
    harness = make_harness(capabilities={"paper": fixed})
    await harness.oms.submit(order())
    command = ModifyOrder(client_order_id=ID, instrument_id=SAMSUNG, quantity=Decimal(5), ts_init=3)

    events = await harness.oms.modify(command)

    assert isinstance(events[0], OrderModifyRejected)
    assert "cannot modify orders" in events[0].reason
    assert "modify" not in harness.venue.calls


async def test_partial_fills_from_the_venue_accumulate_and_replays_are_ignored() -> None:
    harness = make_harness()
    await harness.oms.submit(order())
    first = await harness.venue.fill(ID, "4", "70000")

    await harness.oms.on_venue_event(first)  # the venue replays it after a reconnect
    await harness.venue.fill(ID, "6", "70100")

    record = _record(harness)
    assert (record.status, record.filled_quantity) == (S.FILLED, Decimal(10))
    assert record.average_fill_price == Decimal(70060)
    assert sum(isinstance(e, OrderFilled) for e in harness.published) == 2


async def test_a_cancel_racing_a_fill_that_closed_the_order_is_rejected_not_raised() -> None:
    harness = make_harness()
    await harness.oms.submit(order())
    stale = _record(harness)  # what the cancel reads...
    await harness.venue.fill(ID, "10", "70000")  # ...while a report closes the order
    reads = [stale]
    read = harness.oms.ledger.get

    async def stale_first(client_order_id: ClientOrderId) -> OrderRecord | None:
        return reads.pop() if reads else await read(client_order_id)

    harness.oms.ledger.get = stale_first  # type: ignore[method-assign]

    events = await harness.oms.cancel(_cancel())

    assert isinstance(events[0], OrderCancelRejected)
    assert events[0].reason == "order is already FILLED"
    assert "cancel" not in harness.venue.calls
