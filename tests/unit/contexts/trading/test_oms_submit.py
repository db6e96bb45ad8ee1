from decimal import Decimal

import pytest

from jts.contexts.trading.domain.records import OrderRecord
from jts.contexts.trading.domain.venue_reports import BrokerCapabilities
from jts.messages.enums import OrderStatus, OrderType
from jts.messages.system import ErrorReported
from jts.messages.trading import (
    OrderAccepted,
    OrderDenied,
    OrderFilled,
    OrderRejected,
    OrderSubmitted,
)
from jts.shared_kernel.errors import InsufficientFunds, RateLimited, TransientVenueError
from jts.shared_kernel.identifiers import KRX, InstrumentId
from tests.unit.contexts.trading.fakes import make_harness, order

S = OrderStatus


def _status(harness: object, client_order_id: str = "JTS-1") -> OrderStatus:
    record = harness.stored(client_order_id)  # type: ignore[attr-defined]
    assert isinstance(record, OrderRecord)
    return record.status


async def test_submit_persists_submitted_before_the_venue_sees_the_order() -> None:
    harness = make_harness()
    harness.venue.silent = True  # only submit's own answer tells the OMS
    seen_at_venue: list[OrderStatus] = []
    harness.venue.on_submit = lambda command: seen_at_venue.append(_status(harness))

    events = await harness.oms.submit(order())

    assert seen_at_venue == [S.SUBMITTED]
    assert [type(e) for e in events] == [OrderSubmitted, OrderAccepted]
    record = harness.stored("JTS-1")
    assert isinstance(record, OrderRecord)
    assert (record.status, record.broker, record.venue_order_id) == (S.ACCEPTED, "paper", "F1")


async def test_published_events_are_the_returned_ones_and_the_pushed_ack_is_not_doubled() -> None:
    harness = make_harness()

    events = await harness.oms.submit(order())

    # The venue pushed its acknowledgement during submit; the returned id repeats it.
    assert [type(e) for e in harness.published] == [OrderSubmitted, OrderAccepted]
    assert harness.published[0] is events[0]


async def test_the_same_client_order_id_twice_is_placed_once() -> None:
    harness = make_harness()
    await harness.oms.submit(order())

    again = await harness.oms.submit(order())

    assert again == []
    assert harness.venue.placements == ["JTS-1"]


async def test_permanent_venue_error_becomes_rejection_with_the_venues_reason() -> None:
    harness = make_harness()
    refusal = InsufficientFunds("주문가능금액을 초과", venue="paper", code="APBK0952")
    harness.venue.fail("submit", refusal)

    events = await harness.oms.submit(order())

    rejected = events[-1]
    assert isinstance(rejected, OrderRejected)
    assert (rejected.reason, rejected.code) == ("주문가능금액을 초과", "APBK0952")
    assert _status(harness) is S.REJECTED
    assert harness.venue.calls.count("submit") == 1


async def test_transient_errors_are_retried_with_backoff_then_accepted() -> None:
    harness = make_harness()
    harness.venue.silent = True
    harness.venue.fail("submit", TransientVenueError("502 bad gateway", venue="paper"), times=2)

    events = await harness.oms.submit(order())

    assert isinstance(events[-1], OrderAccepted)
    assert harness.sleep.slept == pytest.approx([0.09, 0.18])  # 0.1, 0.2 less 10% jitter
    assert harness.venue.placements == ["JTS-1"]


async def test_after_a_timeout_the_venue_is_asked_before_resubmitting() -> None:
    harness = make_harness()
    harness.venue.silent = True  # the user stream is down too
    harness.venue.lose_next_submit_answers = 1  # placed, but the answer never arrived

    events = await harness.oms.submit(order())

    assert harness.venue.calls == ["submit", "order_status"]
    assert harness.venue.placements == ["JTS-1"]
    assert harness.venue.duplicate_submits == []
    assert isinstance(events[-1], OrderAccepted)
    assert _status(harness) is S.ACCEPTED


async def test_rate_limited_waits_at_least_what_the_venue_asked() -> None:
    harness = make_harness()
    harness.venue.fail("submit", RateLimited("slow down", venue="paper", retry_after_s=1.5))

    await harness.oms.submit(order())

    assert harness.sleep.slept == [1.5]


async def test_exhausted_retries_leave_the_order_submitted_and_say_so() -> None:
    harness = make_harness()
    harness.venue.fail("submit", TransientVenueError("timeout", venue="paper"), times=1)
    harness.venue.fail("order_status", TransientVenueError("timeout", venue="paper"), times=5)

    events = await harness.oms.submit(order())

    assert _status(harness) is S.SUBMITTED
    problem = events[-1]
    assert isinstance(problem, ErrorReported)
    assert "stays SUBMITTED until reconciliation" in problem.message
    assert harness.venue.placements == []


async def test_no_broker_for_the_venue_denies_the_order_and_names_why() -> None:
    harness = make_harness()
    bitcoin = InstrumentId.parse("BTC-KRW.UPBIT")

    events = await harness.oms.submit(order(instrument=bitcoin, price="90000000"))

    denied = events[-1]
    assert isinstance(denied, OrderDenied)
    assert "paper: does not trade on UPBIT" in denied.reason
    assert _status(harness) is S.DENIED
    assert harness.venue.calls == []


async def test_router_fails_over_to_the_next_broker_when_a_circuit_is_open() -> None:
    cheap = BrokerCapabilities(venues=frozenset({KRX}), fee_bps=Decimal("1.5"))
    dear = BrokerCapabilities(venues=frozenset({KRX}), fee_bps=Decimal("15"))
    harness = make_harness("kis", "creon", capabilities={"kis": dear, "creon": cheap})
    creon = harness.venues["creon"]
    creon.fail("submit", TransientVenueError("down", venue="creon"), times=3)
    creon.fail("order_status", TransientVenueError("down", venue="creon"), times=3)
    await harness.oms.submit(order("JTS-1"))  # three failures open creon's circuit

    events = await harness.oms.submit(order("JTS-2"))

    submitted = events[0]
    assert isinstance(submitted, OrderSubmitted)
    assert submitted.broker == "kis"
    assert harness.venues["kis"].placements == ["JTS-2"]


async def test_fills_reported_during_submit_are_stored_once_and_the_late_ack_is_dropped() -> None:
    harness = make_harness()
    harness.venue.fill_on_submit_at = "70000"

    events = await harness.oms.submit(order())

    assert _status(harness) is S.FILLED
    assert [type(e) for e in harness.published] == [OrderSubmitted, OrderAccepted, OrderFilled]
    assert [type(e) for e in events] == [OrderSubmitted]  # submit's own ack was redundant


async def test_market_order_through_a_broker_without_market_orders_is_denied() -> None:
    limit_only = BrokerCapabilities(
        venues=frozenset({KRX}), order_types=frozenset({OrderType.LIMIT})
    )
    harness = make_harness(capabilities={"paper": limit_only})

    events = await harness.oms.submit(order(price=None))

    assert isinstance(events[-1], OrderDenied)
    assert "does not take MARKET orders" in events[-1].reason
