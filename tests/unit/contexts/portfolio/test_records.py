from __future__ import annotations

from decimal import Decimal

import pytest

from jts.contexts.portfolio.domain.records import PositionRecord
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import AccountId, InstrumentId


def position(**fields: object) -> PositionRecord:
    values: dict[str, object] = {
        "account_id": AccountId("a"),
        "instrument_id": InstrumentId.parse("005930.KRX"),
        "quantity": Decimal("-5"),
        "average_price": Decimal("71500"),
        "currency": "KRW",
        "updated_ns": 1,
    }
    values.update(fields)
    return PositionRecord(**values)  # type: ignore[arg-type]


def test_a_short_or_flat_position_is_valid() -> None:
    assert position().quantity == Decimal("-5")
    assert position(quantity=Decimal("0")).realized_pnl == Decimal("0")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"quantity": Decimal("NaN")}, "quantity is NaN"),
        ({"average_price": Decimal("-1")}, "must not be negative"),
        ({"realized_pnl": Decimal("Infinity")}, "realized P&L is Infinity"),
        ({"currency": ""}, "currency is empty"),
    ],
)
def test_an_impossible_position_is_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(DataError, match=message):
        position(**fields)
