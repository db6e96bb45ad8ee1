"""Position sizing: how many units a signal's ``Sizing`` asks for, before lot rounding.

Units of the inputs: ``equity`` in the base currency (KRW), ``price`` and ``stop_distance``
in the instrument's quote currency, ``fx_rate`` the value of one quote unit in the base
currency (1 for KRW instruments). The forms, as the strategy language writes them:

- ``quantity(N)``: ``N`` units;
- ``percent_equity(P)``: ``equity * P / (price * fx_rate)``;
- ``kelly(F, max=C)``: ``equity * min(C, F * K) / (price * fx_rate)``, where ``K`` is the
  full Kelly fraction of the strategy's realized trades (a ``KellyEstimate``, such as
  ``kelly.TradeEdge``); while ``K`` is unknown the position takes the cap ``C``, and with
  no edge (``K <= 0``) nothing;
- ``risk(R, stop=D)``: ``equity * R / (D * fx_rate)``: losing ``D`` a unit costs ``R`` of
  equity.

Results are exact ``Decimal`` quotients (28 significant digits); ``round_quantity`` then
rounds down to the venue's lot.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from jts.messages.strategy import Sizing, SizingKind
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.numbers import ONE, ZERO


class KellyEstimate(Protocol):
    """The full Kelly fraction ``K = p - (1 - p) / b`` of a strategy's realized trades, or
    ``None`` while there are too few to say."""

    def full_kelly(self) -> Decimal | None: ...


def kelly_weight(fraction: Decimal, cap: Decimal, full_kelly: Decimal | None) -> Decimal:
    """The share of equity a ``kelly(fraction, max=cap)`` position takes, never negative:
    the cap while the edge is unknown."""
    if full_kelly is None:
        return cap
    return max(min(cap, fraction * full_kelly), ZERO)


def target_quantity(
    sizing: Sizing,
    *,
    equity: Decimal,
    price: Decimal,
    fx_rate: Decimal = ONE,
    kelly: KellyEstimate | None = None,
) -> Decimal:
    """Units the sizing asks for (not yet rounded to the lot); zero when equity is gone."""
    if price <= ZERO or fx_rate <= ZERO:
        raise DataError(f"sizing needs a positive price and FX rate, got {price} and {fx_rate}")
    kind = sizing.kind
    if kind is SizingKind.QUANTITY:
        return sizing.value
    if equity <= ZERO:
        return ZERO
    if kind is SizingKind.PERCENT_EQUITY:
        return equity * sizing.value / (price * fx_rate)
    if kind is SizingKind.KELLY:
        cap = sizing.cap if sizing.cap is not None else ONE
        estimate = None if kelly is None else kelly.full_kelly()
        return equity * kelly_weight(sizing.value, cap, estimate) / (price * fx_rate)
    distance = sizing.stop_distance
    if distance is None or distance <= ZERO:
        raise DataError(f"risk sizing needs a positive stop distance, got {distance}")
    return equity * sizing.value / (distance * fx_rate)
