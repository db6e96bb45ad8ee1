"""``ExactDecimal`` binding rules and row mapping, without a database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from jts.adapters.sql.rows import from_row, to_row
from jts.adapters.sql.tables import positions
from jts.adapters.sql.types import ExactDecimal
from jts.contexts.portfolio.domain.records import PositionRecord
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import AccountId, InstrumentId

SQLITE = sqlite.dialect()
POSTGRES = postgresql.dialect()


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        (Decimal("1.50"), "1.50"),
        (Decimal("1E+2"), "100"),
        (Decimal("1E-9"), "0.000000001"),
        (Decimal("-0.0"), "-0.0"),
    ],
)
def test_decimals_are_written_in_plain_notation(value: Decimal, stored: str) -> None:
    assert ExactDecimal().process_bind_param(value, SQLITE) == stored
    assert ExactDecimal().process_bind_param(value, POSTGRES) == Decimal(stored)


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_non_finite_decimals_are_refused(value: Decimal) -> None:
    with pytest.raises(DataError, match="finite"):
        ExactDecimal().process_bind_param(value, SQLITE)


def test_floats_are_refused_because_they_already_lost_digits() -> None:
    with pytest.raises(DataError, match="to_decimal"):
        ExactDecimal().process_bind_param(0.1, SQLITE)  # type: ignore[arg-type]


def test_results_come_back_as_decimals() -> None:
    assert ExactDecimal().process_result_value("0.10", SQLITE) == Decimal("0.10")
    assert ExactDecimal().process_result_value(None, SQLITE) is None


def test_rows_carry_text_ids_and_rebuild_the_record() -> None:
    record = PositionRecord(
        account_id=AccountId("a"),
        instrument_id=InstrumentId.parse("BTC-KRW.UPBIT"),
        quantity=Decimal("0.5"),
        average_price=Decimal("90000000"),
        currency="KRW",
        updated_ns=1,
    )

    row = to_row(record)

    assert row["instrument_id"] == "BTC-KRW.UPBIT"
    assert from_row(row, PositionRecord, positions) == record


def test_a_corrupt_row_names_its_table_and_key() -> None:
    row = {
        "account_id": "a",
        "instrument_id": "not-an-instrument",
        "quantity": Decimal(1),
        "average_price": Decimal(1),
        "realized_pnl": Decimal(0),
        "currency": "KRW",
        "updated_ns": 1,
    }

    with pytest.raises(DataError, match=r"stored row .* in table positions"):
        from_row(row, PositionRecord, positions)
