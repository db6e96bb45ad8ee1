"""``RiskLimits``: the basic pre-trade limits, and ``Denial``, why an order is refused.

Every limit is optional (``None``: not enforced). Later limits (exposure per instrument and
in total, daily loss, drawdown kill switch, VaR) join this struct with ``None`` defaults so
existing settings keep their meaning.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from jts.shared_kernel.errors import DataError
from jts.shared_kernel.numbers import ZERO


class RiskLimits(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Limits every new order is held to before it reaches a venue.

    - ``max_order_quantity``: units per order;
    - ``max_order_notional``: price times quantity per order, in the base currency;
    - ``max_open_orders``: working orders per strategy, this one included;
    - ``require_cash``: a buy needs free quote currency for its notional and fee;
    - ``allow_short``: whether a sell may exceed what is held (spot accounts: no).

    Orders that only reduce a position (exits, stops) are held to ``max_open_orders`` and
    ``allow_short`` only: a size limit must never trap a position.
    """

    max_order_quantity: Decimal | None = None
    max_order_notional: Decimal | None = None
    max_open_orders: int | None = None
    require_cash: bool = True
    allow_short: bool = False

    def __post_init__(self) -> None:
        for name in ("max_order_quantity", "max_order_notional"):
            value = getattr(self, name)
            if value is not None and (not value.is_finite() or value <= ZERO):
                raise DataError(f"risk limit {name} is {value}; it must be positive or None")
        if self.max_open_orders is not None and self.max_open_orders < 1:
            raise DataError(f"risk limit max_open_orders is {self.max_open_orders}; use 1 or more")


class Denial(msgspec.Struct, frozen=True, kw_only=True):
    """A refusal: the rule that refused, the figures it compared and a sentence saying so."""

    rule: str
    reason: str
    limit: Decimal | None = None
    value: Decimal | None = None
