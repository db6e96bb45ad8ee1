"""Slippage: how much worse than the quoted price a market or triggered stop order fills.

Slippage applies to fills that take liquidity at a market price (market orders and
triggered stop-market orders); a limit order fills at its limit or better and never slips.
A model returns the raw slipped price; the exchange then keeps a bar fill inside the bar's
high/low and the KRX daily band, and rounds onto the tick grid *against* the order (buys
up, sells down), so the simulated price is always one the venue could have printed.

- ``NoSlippage``: the quoted price.
- ``FixedBpsSlippage(bps)``: ``price * (1 +/- bps / 10_000)``.
- ``VolumeShareSlippage(impact)``: zipline's quadratic impact,
  ``price * (1 +/- impact * share ** 2)`` where ``share = quantity / volume`` of the bar
  (or the trade's size, or the quote's size), capped at 1. No volume means ``share = 1``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from jts.shared_kernel.numbers import ONE, ZERO
from jts.shared_kernel.venues.types import OrderSide

_BPS = Decimal(10_000)


class SlippageModel(Protocol):
    """The raw price a taker fill of ``quantity`` gets when the market quotes ``price``."""

    def slipped_price(
        self, side: OrderSide, price: Decimal, quantity: Decimal, volume: Decimal
    ) -> Decimal: ...


class NoSlippage:
    """Fill at the quoted price."""

    def slipped_price(
        self, side: OrderSide, price: Decimal, quantity: Decimal, volume: Decimal
    ) -> Decimal:
        return price

    def __repr__(self) -> str:
        return "NoSlippage()"


class FixedBpsSlippage:
    """A fixed cost of ``bps`` basis points against the order."""

    __slots__ = ("_fraction", "bps")

    def __init__(self, bps: Decimal) -> None:
        if not ZERO <= bps < _BPS:
            raise ValueError(f"slippage of {bps} bps must lie in [0, 10000)")
        self.bps = bps
        self._fraction = bps / _BPS

    def slipped_price(
        self, side: OrderSide, price: Decimal, quantity: Decimal, volume: Decimal
    ) -> Decimal:
        if side is OrderSide.BUY:
            return price * (ONE + self._fraction)
        return price * (ONE - self._fraction)

    def __repr__(self) -> str:
        return f"FixedBpsSlippage({self.bps} bps)"


class VolumeShareSlippage:
    """Impact growing with the square of the order's share of the traded volume."""

    __slots__ = ("impact",)

    def __init__(self, impact: Decimal = Decimal("0.1")) -> None:
        if not ZERO <= impact < ONE:
            raise ValueError(f"volume-share impact {impact} must lie in [0, 1)")
        self.impact = impact

    def slipped_price(
        self, side: OrderSide, price: Decimal, quantity: Decimal, volume: Decimal
    ) -> Decimal:
        share = ONE if volume <= ZERO else min(quantity / volume, ONE)
        move = self.impact * share * share
        return price * (ONE + move) if side is OrderSide.BUY else price * (ONE - move)

    def __repr__(self) -> str:
        return f"VolumeShareSlippage(impact={self.impact})"
