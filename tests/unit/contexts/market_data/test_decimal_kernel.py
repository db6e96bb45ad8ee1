"""The compiled decimal column converter agrees with the exact per-value conversion."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jts.contexts.market_data.domain.decimal_kernel import column_units
from jts.contexts.market_data.domain.units import text_units
from jts.shared_kernel.errors import DataError

decimals = st.decimals(
    min_value=Decimal("-99999999.99999999"),
    max_value=Decimal("99999999.99999999"),
    places=8,
    allow_nan=False,
    allow_infinity=False,
)


def written(value: Decimal, style: int) -> str:
    """The same number the ways venues write it: fixed 8 decimals, minimal, or padded."""
    fixed = f"{value:.8f}"
    if style == 0:
        return fixed
    trimmed = fixed.rstrip("0").rstrip(".") if "." in fixed else fixed
    return trimmed if style == 1 else trimmed + ("0" if "." in trimmed else ".00")


@given(st.lists(st.tuples(decimals, st.integers(0, 2)), min_size=1, max_size=40))
def test_compiled_conversion_equals_exact_conversion(values: list[tuple[Decimal, int]]) -> None:
    texts = [written(value, style) for value, style in values]

    units, first_bad = column_units(texts, 8)

    assert first_bad == -1
    assert units.tolist() == [text_units(text, 8) for text in texts]


@pytest.mark.parametrize(
    ("texts", "bad"),
    [
        (["1.5", "1.000000001"], 1),
        (["abc"], 0),
        (["1.5", ""], 1),
        (["2", "-"], 1),
        (["1.2.3"], 0),
        (["1e-5"], 0),
        (["9999999999999.0"], 0),  # 13 + 8 digits do not fit int64 units
        (["٣.5"], 0),
    ],
)
def test_values_it_cannot_take_are_reported_by_position(texts: list[str], bad: int) -> None:
    assert column_units(texts, 8)[1] == bad


def test_exact_path_names_what_the_compiled_path_refused() -> None:
    with pytest.raises(DataError, match="more than 8 decimals"):
        text_units("1.000000001", 8)
