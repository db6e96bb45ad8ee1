import msgspec

from jts.contexts.trading.domain.lifecycle import apply
from jts.contexts.trading.domain.records import OrderRecord
from jts.messages.enums import OrderStatus
from jts.messages.trading import OrderCanceled, OrderExpired, OrderSubmitted
from jts.shared_kernel.identifiers import StrategyId, VenueOrderId
from tests.unit.contexts.trading.fakes import order

COMMAND = order()


def _submitted() -> OrderRecord:
    record = OrderRecord.from_command(COMMAND, created_ns=1)
    event = OrderSubmitted(
        client_order_id=COMMAND.client_order_id,
        instrument_id=COMMAND.instrument_id,
        ts_event=2,
        ts_init=2,
        strategy_id=StrategyId("s"),
        broker="paper",
    )
    return apply(record, event)


def test_a_cancel_confirmed_before_the_ack_still_records_the_venue_order_id() -> None:
    canceled = OrderCanceled(
        client_order_id=COMMAND.client_order_id,
        instrument_id=COMMAND.instrument_id,
        ts_event=3,
        ts_init=3,
        venue_order_id=VenueOrderId("V7"),
    )

    record = apply(_submitted(), canceled)

    assert (record.status, record.venue_order_id) == (OrderStatus.CANCELED, "V7")


def test_an_expiry_keeps_the_venue_order_id_already_known() -> None:
    accepted = msgspec.structs.replace(
        _submitted(), status=OrderStatus.ACCEPTED, venue_order_id=VenueOrderId("V1")
    )
    expired = OrderExpired(
        client_order_id=COMMAND.client_order_id,
        instrument_id=COMMAND.instrument_id,
        ts_event=3,
        ts_init=3,
        venue_order_id=VenueOrderId("V8"),
    )

    assert apply(accepted, expired).venue_order_id == "V1"
