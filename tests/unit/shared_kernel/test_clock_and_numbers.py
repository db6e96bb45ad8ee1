from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jts.shared_kernel.clock import TestClock, datetime_to_ns, ns_to_datetime
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.numbers import (
    Rounding,
    is_on_step,
    plain,
    round_to_lot,
    round_to_step,
    to_decimal,
)


def test_test_clock_moves_only_forward() -> None:
    clock = TestClock(100)

    assert clock.advance_ns(50) == 150
    clock.set_ns(200)
    assert clock.now_ns() == 200
    with pytest.raises(ValueError, match="cannot go back"):
        clock.set_ns(199)


@given(st.integers(min_value=0, max_value=4_000_000_000_000_000_000))
def test_ns_datetime_round_trip_to_the_microsecond(ts_ns: int) -> None:
    assert datetime_to_ns(ns_to_datetime(ts_ns)) == ts_ns // 1000 * 1000


def test_datetime_to_ns_respects_time_zone_and_refuses_naive() -> None:
    kst = timezone(timedelta(hours=9))
    assert datetime_to_ns(datetime(2026, 1, 2, 9, 0, tzinfo=kst)) == datetime_to_ns(
        datetime(2026, 1, 2, 0, 0, tzinfo=UTC)
    )
    with pytest.raises(ValueError, match="no time zone"):
        datetime_to_ns(datetime(2026, 1, 2))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("value", "step", "rounding", "expected"),
    [
        ("59050", "100", Rounding.DOWN, "59000"),
        ("59050", "100", Rounding.UP, "59100"),
        ("59050", "100", Rounding.NEAREST, "59000"),
        ("59150", "100", Rounding.NEAREST, "59200"),
        ("0.123456789", "0.00001", Rounding.DOWN, "0.12345"),
        ("-1.5", "1", Rounding.DOWN, "-2"),
    ],
)
def test_round_to_step(value: str, step: str, rounding: Rounding, expected: str) -> None:
    result = round_to_step(Decimal(value), Decimal(step), rounding)

    assert result == Decimal(expected)
    assert is_on_step(result, Decimal(step))


def test_round_to_lot_never_rounds_up() -> None:
    assert round_to_lot(Decimal("0.123999"), Decimal("0.001")) == Decimal("0.123")
    assert round_to_lot(Decimal("17"), Decimal("1")) == Decimal("17")


def test_to_decimal_is_exact_for_floats_and_refuses_nan() -> None:
    assert to_decimal(0.1) == Decimal("0.1")
    with pytest.raises(DataError, match="price is nan"):
        to_decimal(float("nan"), what="price")
    with pytest.raises(DataError, match="not a number"):
        to_decimal("abc")


def test_plain_writes_decimals_exactly_without_exponent_or_trailing_zeros() -> None:
    assert plain(Decimal("1E+8")) == "100000000"
    assert plain(Decimal("0.00100")) == "0.001"
    assert plain(Decimal("0E-16")) == "0"
    assert plain(Decimal("-0.0")) == "0"
