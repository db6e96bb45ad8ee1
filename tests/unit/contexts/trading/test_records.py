from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest

from jts.contexts.trading.domain.records import FillRecord, OrderRecord
from jts.messages.enums import OrderSide, OrderStatus, OrderType, TimeInForce
from jts.messages.trading import OrderFilled, SubmitOrder
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import (
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TradeId,
    VenueOrderId,
)

SAMSUNG = InstrumentId.parse("005930.KRX")


def submit(**changes: object) -> SubmitOrder:
    command = SubmitOrder(
        ts_init=5,
        client_order_id=ClientOrderId("O-1"),
        instrument_id=SAMSUNG,
        strategy_id=StrategyId("s"),
        side=OrderSide.BUY,
        order_type=OrderType.LIMIT,
        quantity=Decimal("10"),
        limit_price=Decimal("71500"),
        time_in_force=TimeInForce.DAY,
        broker="kis",
        parent_order_id=ClientOrderId("O-0"),
    )
    return msgspec.structs.replace(command, **changes)


def test_a_record_from_a_command_starts_initialized_at_version_one() -> None:
    record = OrderRecord.from_command(submit(), created_ns=42)

    assert (record.status, record.version, record.filled_quantity) == (
        OrderStatus.INITIALIZED,
        1,
        Decimal(0),
    )
    assert (record.created_ns, record.updated_ns) == (42, 42)
    assert (record.limit_price, record.time_in_force, record.broker) == (
        Decimal("71500"),
        TimeInForce.DAY,
        "kis",
    )
    assert record.parent_order_id == "O-0"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quantity": Decimal("0")}, "quantity is 0"),
        ({"quantity": Decimal("NaN")}, "quantity is NaN"),
        ({"filled_quantity": Decimal("11")}, "filled quantity 11"),
        ({"filled_quantity": Decimal("-1")}, "filled quantity -1"),
        ({"version": 0}, "versions start at 1"),
        ({"limit_price": Decimal("0")}, "limit price is 0"),
        ({"average_fill_price": Decimal("sNaN")}, "average fill price is sNaN"),
    ],
)
def test_an_impossible_order_record_is_refused(changes: dict[str, object], message: str) -> None:
    record = OrderRecord.from_command(submit(), created_ns=1)

    with pytest.raises(DataError, match=message):
        msgspec.structs.replace(record, **changes)


def filled(**changes: object) -> OrderFilled:
    event = OrderFilled(
        ts_init=9,
        ts_event=8,
        client_order_id=ClientOrderId("O-1"),
        instrument_id=SAMSUNG,
        venue_order_id=VenueOrderId("V-1"),
        trade_id=TradeId("T-1"),
        strategy_id=StrategyId("s"),
        side=OrderSide.SELL,
        last_qty=Decimal("3"),
        last_price=Decimal("71600"),
        commission=Decimal("10.74"),
        tax=Decimal("386.64"),
    )
    return msgspec.structs.replace(event, **changes)


def test_a_fill_record_mirrors_its_event() -> None:
    event = filled()

    record = FillRecord.from_event(event)

    for field in msgspec.structs.fields(FillRecord):
        assert getattr(record, field.name) == getattr(event, field.name), field.name


def test_a_replay_received_later_is_the_same_execution() -> None:
    record = FillRecord.from_event(filled())

    assert record.same_execution(FillRecord.from_event(filled(ts_init=999)))
    assert not record.same_execution(FillRecord.from_event(filled(last_price=Decimal("71700"))))


def test_a_fill_record_with_a_non_positive_quantity_is_refused() -> None:
    record = FillRecord.from_event(filled())

    with pytest.raises(DataError, match="must both be positive"):
        msgspec.structs.replace(record, last_qty=Decimal("0"))


def test_a_fill_record_with_an_infinite_commission_is_refused() -> None:
    record = FillRecord.from_event(filled())

    with pytest.raises(DataError, match="must be finite"):
        msgspec.structs.replace(record, commission=Decimal("Infinity"))
