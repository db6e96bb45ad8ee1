import msgspec
import pytest

from jts.contexts.trading.domain.records import OrderRecord
from jts.contexts.trading.domain.venue_events import Disposition, classify
from jts.messages.enums import OrderStatus
from jts.messages.trading import (
    OrderAccepted,
    OrderCanceled,
    OrderCancelRejected,
    OrderEvent,
    OrderExpired,
    OrderSubmitted,
)
from jts.shared_kernel.identifiers import StrategyId, VenueOrderId
from tests.unit.contexts.trading.fakes import order

S = OrderStatus
D = Disposition
IDS = {"client_order_id": order().client_order_id, "instrument_id": order().instrument_id}
TS = {"ts_event": 5, "ts_init": 5}
ACK = OrderAccepted(**IDS, **TS, venue_order_id=VenueOrderId("V1"))  # type: ignore[arg-type]
OTHER_ACK = OrderAccepted(**IDS, **TS, venue_order_id=VenueOrderId("V2"))  # type: ignore[arg-type]
CANCELED = OrderCanceled(**IDS, **TS)  # type: ignore[arg-type]
EXPIRED = OrderExpired(**IDS, **TS)  # type: ignore[arg-type]
CANCEL_REJECTED = OrderCancelRejected(**IDS, **TS, reason="too late")  # type: ignore[arg-type]
SUBMITTED = OrderSubmitted(**IDS, **TS, strategy_id=StrategyId("s"), broker="paper")  # type: ignore[arg-type]


def _record(status: OrderStatus, venue_id: str | None = "V1") -> OrderRecord:
    record = OrderRecord.from_command(order(), created_ns=1)
    return msgspec.structs.replace(
        record, status=status, venue_order_id=None if venue_id is None else VenueOrderId(venue_id)
    )


@pytest.mark.parametrize(
    ("status", "venue_id", "event", "expected"),
    [
        (S.SUBMITTED, None, ACK, D.APPLY),
        (S.ACCEPTED, "V1", ACK, D.REDUNDANT),
        (S.ACCEPTED, "V1", OTHER_ACK, D.APPLY),
        (S.FILLED, "V1", ACK, D.REDUNDANT),
        (S.PENDING_CANCEL, None, ACK, D.APPLY),
        (S.CANCELED, "V1", CANCELED, D.REDUNDANT),
        (S.ACCEPTED, "V1", CANCELED, D.APPLY),
        (S.FILLED, "V1", CANCELED, D.CONTRADICTS),
        (S.CANCELED, "V1", EXPIRED, D.CONTRADICTS),
        (S.FILLED, "V1", CANCEL_REJECTED, D.REDUNDANT),
        (S.INITIALIZED, None, SUBMITTED, D.APPLY),
        (S.ACCEPTED, "V1", SUBMITTED, D.REDUNDANT),
    ],
)
def test_classify(
    status: OrderStatus, venue_id: str | None, event: OrderEvent, expected: Disposition
) -> None:
    assert classify(_record(status, venue_id), event) is expected
