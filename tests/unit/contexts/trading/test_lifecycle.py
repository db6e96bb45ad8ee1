from decimal import Decimal
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jts.contexts.trading.domain.lifecycle import TRANSITIONS, apply, can_transition
from jts.contexts.trading.domain.records import OrderRecord
from jts.messages.enums import OrderSide, OrderStatus
from jts.messages.trading import (
    OrderAccepted,
    OrderCanceled,
    OrderCancelRejected,
    OrderDenied,
    OrderEvent,
    OrderExpired,
    OrderFilled,
    OrderModified,
    OrderPendingCancel,
    OrderPendingModify,
    OrderRejected,
    OrderSubmitted,
)
from jts.shared_kernel.errors import InvalidOrderTransition
from jts.shared_kernel.identifiers import ClientOrderId, StrategyId, TradeId, VenueOrderId
from tests.unit.messages.samples import SAMSUNG, sample_order

S = OrderStatus
ID = ClientOrderId("JTS-1")
_trade_ids = iter(range(10**9))


def _common() -> dict[str, Any]:
    return {"client_order_id": ID, "instrument_id": SAMSUNG, "ts_event": 5, "ts_init": 5}


def fill(qty: str, price: str = "70000") -> OrderFilled:
    return OrderFilled(
        **_common(),
        venue_order_id=VenueOrderId("V1"),
        trade_id=TradeId(f"T{next(_trade_ids)}"),
        strategy_id=StrategyId("golden_cross"),
        side=OrderSide.BUY,
        last_qty=Decimal(qty),
        last_price=Decimal(price),
    )


def new_order(quantity: str = "10") -> OrderRecord:
    return OrderRecord.from_command(sample_order(quantity=Decimal(quantity)), created_ns=1)


def run(record: OrderRecord, *events: OrderEvent) -> OrderRecord:
    for event in events:
        record = apply(record, event)
    return record


SUBMIT = OrderSubmitted(**_common(), strategy_id=StrategyId("golden_cross"), broker="paper")
ACCEPT = OrderAccepted(**_common(), venue_order_id=VenueOrderId("V1"))
PENDING_CANCEL = OrderPendingCancel(**_common())
PENDING_MODIFY = OrderPendingModify(**_common())
CANCELED = OrderCanceled(**_common())
EXPIRED = OrderExpired(**_common())


def test_happy_path_submit_accept_partial_then_full_fill() -> None:
    order = run(new_order(), SUBMIT, ACCEPT, fill("4", "70000"))
    assert (order.status, order.filled_quantity) == (S.PARTIALLY_FILLED, Decimal(4))

    order = apply(order, fill("6", "70100"))

    assert order.status is S.FILLED
    assert order.average_fill_price == Decimal("70060")
    assert order.venue_order_id == "V1"
    assert order.broker == "paper"
    assert order.updated_ns == 5


def test_denied_and_rejected_keep_the_reason() -> None:
    denied = apply(new_order(), OrderDenied(**_common(), reason="notional too big", rule="max"))
    rejected = run(new_order(), SUBMIT, OrderRejected(**_common(), reason="APBK0918 closed"))

    assert (denied.status, denied.reason) == (S.DENIED, "notional too big")
    assert (rejected.status, rejected.reason) == (S.REJECTED, "APBK0918 closed")


@pytest.mark.parametrize("terminal", [S.DENIED, S.REJECTED, S.FILLED, S.CANCELED, S.EXPIRED])
@pytest.mark.parametrize("event", [SUBMIT, ACCEPT, PENDING_CANCEL, CANCELED, EXPIRED])
def test_terminal_states_accept_nothing(terminal: OrderStatus, event: OrderEvent) -> None:
    order = msgspec.structs.replace(new_order(), status=terminal)

    with pytest.raises(InvalidOrderTransition, match=f"is {terminal}"):
        apply(order, event)


def test_late_acknowledgement_is_refused_after_terminal_but_kept_while_pending() -> None:
    canceled = run(new_order(), SUBMIT, CANCELED)
    with pytest.raises(InvalidOrderTransition):
        apply(canceled, ACCEPT)

    pending = run(new_order(), SUBMIT, PENDING_CANCEL, ACCEPT)
    assert (pending.status, pending.venue_order_id) == (S.PENDING_CANCEL, "V1")


def test_fill_during_pending_cancel_stays_pending_until_complete() -> None:
    order = run(new_order(), SUBMIT, ACCEPT, PENDING_CANCEL, fill("3"))
    assert order.status is S.PENDING_CANCEL
    assert order.filled_quantity == Decimal(3)

    assert apply(order, CANCELED).status is S.CANCELED
    assert apply(order, fill("7")).status is S.FILLED


def test_cancel_rejected_returns_to_working_state() -> None:
    rejected = OrderCancelRejected(**_common(), reason="too late")

    assert run(new_order(), SUBMIT, ACCEPT, PENDING_CANCEL, rejected).status is S.ACCEPTED
    partial = run(new_order(), SUBMIT, ACCEPT, fill("2"), PENDING_CANCEL, rejected)
    assert partial.status is S.PARTIALLY_FILLED
    with pytest.raises(InvalidOrderTransition, match="no pending request"):
        run(new_order(), SUBMIT, ACCEPT, rejected)


def test_modify_changes_terms_and_cannot_go_below_filled() -> None:
    modified = OrderModified(**_common(), quantity=Decimal(8), limit_price=Decimal(69900))
    order = run(new_order(), SUBMIT, ACCEPT, fill("3"), PENDING_MODIFY, modified)

    assert (order.status, order.quantity, order.limit_price) == (
        S.PARTIALLY_FILLED,
        Decimal(8),
        Decimal(69900),
    )
    too_small = OrderModified(**_common(), quantity=Decimal(2))
    with pytest.raises(InvalidOrderTransition, match="below the 3 already filled"):
        run(new_order(), SUBMIT, ACCEPT, fill("3"), PENDING_MODIFY, too_small)


def test_overfill_is_refused() -> None:
    with pytest.raises(InvalidOrderTransition, match="more than the order quantity 10"):
        run(new_order(), SUBMIT, ACCEPT, fill("8"), fill("3"))


def test_event_for_another_order_is_refused() -> None:
    other = msgspec.structs.replace(CANCELED, client_order_id=ClientOrderId("JTS-2"))
    with pytest.raises(InvalidOrderTransition, match="applied to order JTS-1"):
        apply(run(new_order(), SUBMIT), other)


def test_table_covers_every_status_and_terminals_are_dead_ends() -> None:
    assert set(TRANSITIONS) == set(OrderStatus)
    for status in OrderStatus:
        assert (not TRANSITIONS[status]) == status.is_terminal
    assert can_transition(S.INITIALIZED, S.SUBMITTED)
    assert not can_transition(S.INITIALIZED, S.FILLED)


@given(st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=20))
def test_filled_quantity_never_exceeds_order_quantity(lots: list[int]) -> None:
    order = run(new_order("100"), SUBMIT, ACCEPT)

    for lot in lots:
        try:
            order = apply(order, fill(str(lot)))
        except InvalidOrderTransition:
            break

    assert order.filled_quantity <= order.quantity
    assert (order.status is S.FILLED) == (order.filled_quantity == order.quantity)
