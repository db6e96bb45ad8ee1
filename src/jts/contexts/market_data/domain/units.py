"""Exact scaled-integer units from what venues send: decimal text and JSON numbers.

``text_units("0.00100000", 8) == 100000``. Venue parsers call these once per price and
size, so they stay small: string slicing and one ``int()``; no ``Decimal`` unless the
number arrives as one. Anything that is not a plain decimal (``NaN``, ``1e-5``, ``""``),
or has more significant decimals than the scale holds, is a ``DataError``: corrupt data
must not be rounded into the system.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from jts.shared_kernel.errors import DataError

_FIRST = frozenset("+-0123456789")


def text_units(text: str, scale: int) -> int:
    """The units of a decimal string at ``scale`` decimals, exactly."""
    if scale and len(text) > scale + 1 and text[-scale - 1] == ".":
        digits = text.replace(".", "", 1)  # the common case: exactly ``scale`` decimals
        if digits.isdigit() and digits.isascii():
            return int(digits)
    whole, _, fraction = text.partition(".")
    if len(fraction) > scale:
        fraction = fraction.rstrip("0")
        if len(fraction) > scale:
            raise DataError(f"{text!r} has more than {scale} decimals")
    digits = whole + fraction
    if not digits or not digits[-1].isdigit() or digits[0] not in _FIRST or "_" in digits:
        raise DataError(f"{text!r} is not a decimal number")
    try:
        return int(digits + "0" * (scale - len(fraction)))
    except ValueError:
        raise DataError(f"{text!r} is not a decimal number") from None


def decimal_units(value: Decimal, scale: int) -> int:
    """The units of a ``Decimal`` at ``scale`` decimals, exactly."""
    try:
        scaled = value.scaleb(scale)
        units = int(scaled)
    except (ValueError, OverflowError, InvalidOperation):
        raise DataError(f"{value} is not a finite number") from None
    if scaled != units:
        raise DataError(f"{value} has more than {scale} decimals")
    return units
