"""Entry sizing in ``Decimal``: the reference the kernel's float sizing is checked against.

The event-driven engine can size with the same functions to fill alike. Formulas (package
docstring, "Sizing"), evaluated left to right in the default ``Decimal`` context:

- ``quantity(n)``: ``n``;
- ``percent_equity(f)``: ``(E * f) / (P * fx)``;
- ``kelly(k, max=c)``: ``(E * s) / (P * fx)`` with ``s = kelly_share(...)``;
- ``risk(r, stop=d)``: ``(E * r) / (d * fx)``;

then rounded down to the lot and cut with ``affordable_quantity`` to what the free quote
cash reserves at the order's reserve price.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from jts.runtime.backtest.exchange.listing import Listing
from jts.runtime.backtest.exchange.reservations import affordable_quantity
from jts.shared_kernel.numbers import ONE, ZERO
from jts.shared_kernel.venues import rules
from jts.shared_kernel.venues.types import OrderSide


@dataclass
class TradeTally:
    """Closed round trips so far, pnl in the base currency (kelly's inputs)."""

    trades: int = 0
    wins: int = 0
    losses: int = 0
    won: Decimal = ZERO
    lost: Decimal = ZERO  # absolute

    def add(self, pnl: Decimal) -> None:
        self.trades += 1
        if pnl > ZERO:
            self.wins += 1
            self.won += pnl
        elif pnl < ZERO:
            self.losses += 1
            self.lost -= pnl


def kelly_share(tally: TradeTally, fraction: Decimal, cap: Decimal) -> Decimal:
    """``cap`` until a win and a loss closed, then ``min(cap, k * (W - (1 - W) / R))`` with
    ``W`` the win rate over all closed trades and ``R`` the mean win over the mean loss."""
    if tally.wins == 0 or tally.losses == 0:
        return cap
    rate = Decimal(tally.wins) / Decimal(tally.trades)
    payoff = (tally.won / Decimal(tally.wins)) / (tally.lost / Decimal(tally.losses))
    return min(cap, fraction * (rate - (ONE - rate) / payoff))


@dataclass(frozen=True)
class SizingInputs:
    """The program's sizing form and its values at the signal bar."""

    form: str
    value: Decimal
    cap: Decimal | None = None
    distance: Decimal | None = None


def asked_quantity(
    inputs: SizingInputs, *, equity: Decimal, price: Decimal, fx: Decimal, tally: TradeTally
) -> Decimal:
    """The quantity the sizing form asks for, before lots and cash (may be zero)."""
    if inputs.form == "quantity":
        return inputs.value
    if inputs.form == "percent_equity":
        return (equity * inputs.value) / (price * fx)
    if inputs.form == "kelly":
        assert inputs.cap is not None
        share = kelly_share(tally, inputs.value, inputs.cap)
        return (equity * share) / (price * fx) if share > ZERO else ZERO
    assert inputs.distance is not None
    return (equity * inputs.value) / (inputs.distance * fx)


def sized_quantity(
    listing: Listing, asked: Decimal, *, reserve_price: Decimal, free_cash: Decimal
) -> Decimal:
    """``asked`` in whole lots, cut to what ``free_cash`` reserves at ``reserve_price``."""
    instrument = listing.instrument
    quantity = rules.round_quantity(instrument, asked) if asked > ZERO else ZERO
    if quantity <= ZERO:
        return ZERO
    fee_of = _reserve_fee(listing, reserve_price)
    return affordable_quantity(
        listing, quantity=quantity, price=reserve_price, budget=free_cash, fee_of=fee_of
    )


def _reserve_fee(listing: Listing, price: Decimal) -> Callable[[Decimal], Decimal]:
    instrument, liquidity = listing.instrument, listing.reserve_liquidity

    def fee_of(quantity: Decimal) -> Decimal:
        return rules.fee(instrument, OrderSide.BUY, price, quantity, liquidity).amount

    return fee_of
