from decimal import Decimal

import pytest

from jts.contexts.trading.application.algorithms.iceberg import Iceberg
from jts.messages.trading import CancelOrder
from jts.shared_kernel.errors import DataError
from tests.unit.contexts.trading.algo_helpers import canceled, filled, parent, submits
from tests.unit.contexts.trading.fakes import FixedRandom


def test_one_visible_child_at_a_time_refilled_after_a_full_fill() -> None:
    iceberg = Iceberg(parent("25", limit="70000"), display_quantity=Decimal(10))

    first = submits(iceberg.start(0))
    assert [c.quantity for c in first] == [Decimal(10)]
    assert iceberg.on_event(filled(first[0], Decimal(4)), 1) == []  # partial: keep showing it

    second = submits(iceberg.on_event(filled(first[0], Decimal(6)), 2))
    third = submits(iceberg.on_event(filled(second[0]), 3))

    assert [c.quantity for c in second + third] == [Decimal(10), Decimal(5)]
    assert [c.limit_price for c in second + third] == [Decimal(70000)] * 2
    iceberg.on_event(filled(third[0]), 4)
    assert iceberg.done


def test_a_visible_child_closed_by_the_venue_stops_the_iceberg() -> None:
    iceberg = Iceberg(parent("25", limit="70000"), display_quantity=Decimal(10))
    first = submits(iceberg.start(0))[0]

    assert iceberg.on_event(canceled(first), 1) == []

    assert iceberg.done
    assert iceberg.book.filled == 0


def test_cancel_cancels_the_visible_child() -> None:
    iceberg = Iceberg(parent("25", limit="70000"), display_quantity=Decimal(10))
    first = submits(iceberg.start(0))[0]

    commands = iceberg.cancel(5)

    expected = [(CancelOrder, first.client_order_id)]
    assert [(type(c), c.client_order_id) for c in commands] == expected


@pytest.mark.parametrize(("draw", "expected"), [(0.0, 8), (0.5, 10), (0.999, 11)])
def test_display_variance_moves_the_visible_size_within_bounds(draw: float, expected: int) -> None:
    iceberg = Iceberg(
        parent("100", limit="70000"),
        display_quantity=Decimal(10),
        variance=0.2,
        rng=FixedRandom(draw),
    )

    assert submits(iceberg.start(0))[0].quantity == expected


def test_an_iceberg_needs_a_limit_and_whole_lots() -> None:
    with pytest.raises(DataError, match="needs a limit price"):
        Iceberg(parent("100"), display_quantity=Decimal(10))
    with pytest.raises(DataError, match="whole number of lots of 10"):
        Iceberg(parent("100", limit="1", lot="10"), display_quantity=Decimal(15))
