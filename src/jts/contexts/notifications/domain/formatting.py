"""How amounts, instruments and durations read in a notification.

KRW has no minor unit, so KRW amounts are rounded to the won with thousands separators
(``71,500``); other currencies and quantities keep the digits they came with
(``0.00150000``), also with separators.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import msgspec

from jts.shared_kernel.identifiers import InstrumentId

_WON_VENUES = frozenset({"KRX", "NXT"})
_QUOTE_SUFFIXES = ("USDT", "USDC", "FDUSD", "KRW", "BTC", "ETH")


class InstrumentLabel(msgspec.Struct, frozen=True, kw_only=True):
    """What a person calls an instrument and the currency its prices are quoted in."""

    name: str
    currency: str


Directory = Mapping[InstrumentId, InstrumentLabel]
"""Labels by instrument; built from the venue registry by the composition root."""


def amount(value: Decimal, currency: str | None) -> str:
    """``value`` for a person: KRW to the won, anything else with its own digits."""
    if currency == "KRW":
        return f"{value:,.0f}"
    return number(value)


def money(value: Decimal, currency: str | None) -> str:
    """An amount followed by its currency, when the currency is known."""
    text = amount(value, currency)
    return f"{text} {currency}" if currency else text


def number(value: Decimal) -> str:
    """A quantity or figure with thousands separators and the digits it came with."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:  # 1E+3 reads as 1,000
        value = value.quantize(Decimal(1))
    return f"{value:,}"


def currency_of(instrument_id: InstrumentId, directory: Directory) -> str | None:
    """The quote currency: from the directory, else guessed from the venue's symbol style."""
    label = directory.get(instrument_id)
    if label is not None:
        return label.currency
    if instrument_id.venue in _WON_VENUES:
        return "KRW"
    if "-" in instrument_id.symbol:  # Upbit style BTC-KRW: the quote comes last
        return instrument_id.symbol.rsplit("-", 1)[1]
    for suffix in _QUOTE_SUFFIXES:
        if instrument_id.symbol.endswith(suffix) and instrument_id.symbol != suffix:
            return suffix
    return None


def instrument(instrument_id: InstrumentId, directory: Directory) -> str:
    """``Samsung Electronics (005930.KRX)`` when the name is known, else ``005930.KRX``."""
    label = directory.get(instrument_id)
    return f"{label.name} ({instrument_id})" if label is not None else str(instrument_id)


def duration(nanos: int) -> str:
    """A duration such as ``45s``, ``2m05s`` or ``1h02m``."""
    seconds = max(nanos, 0) // 1_000_000_000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"
