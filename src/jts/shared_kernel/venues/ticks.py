"""Tick tables: price bands, each with its own tick, and moving prices onto that grid.

A table is a list of bands ``[lower, next lower)`` with a tick each; the last band is open
ended. Every band boundary must lie on the grid of the band below it and of its own band,
so rounding a price with the tick of the band it falls in always lands on a valid price
(rounding 1,999.6 up with tick 1 gives 2,000, which is valid in the 5-won band above).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from decimal import Decimal

import msgspec

from jts.shared_kernel.errors import DataError
from jts.shared_kernel.numbers import ZERO, Rounding, round_to_step, to_decimal


class TickTable(msgspec.Struct, frozen=True):
    """Bands of ``[lowers[i], lowers[i + 1])`` priced in steps of ``ticks[i]``."""

    name: str
    lowers: tuple[Decimal, ...]
    ticks: tuple[Decimal, ...]

    def __post_init__(self) -> None:
        if not self.lowers or len(self.lowers) != len(self.ticks):
            raise ValueError(f"tick table {self.name!r} needs one tick per band lower bound")
        if self.lowers[0] != ZERO:
            raise ValueError(f"tick table {self.name!r} must start at price 0")
        for i, (lower, tick) in enumerate(zip(self.lowers, self.ticks, strict=True)):
            if tick <= ZERO:
                raise ValueError(f"tick table {self.name!r}: tick {tick} must be positive")
            if i and lower <= self.lowers[i - 1]:
                raise ValueError(f"tick table {self.name!r}: bands must increase at {lower}")
            if i and (lower % tick or lower % self.ticks[i - 1]):
                raise ValueError(
                    f"tick table {self.name!r}: boundary {lower} must be a multiple of the "
                    f"ticks on both sides ({self.ticks[i - 1]} and {tick})"
                )

    @classmethod
    def from_bands(
        cls, name: str, bands: Iterable[tuple[Decimal | int | str, Decimal | int | str]]
    ) -> TickTable:
        """Build from ``(lower bound, tick)`` pairs, lowest band first."""
        pairs = [(to_decimal(lo, what="band lower"), to_decimal(t, what="tick")) for lo, t in bands]
        return cls(name, tuple(lo for lo, _ in pairs), tuple(t for _, t in pairs))

    @classmethod
    def uniform(cls, name: str, tick: Decimal) -> TickTable:
        """One tick for every price (Binance ``tickSize``, Upbit BTC market)."""
        return cls(name, (ZERO,), (tick,))

    def tick_at(self, price: Decimal) -> Decimal:
        """The tick of the band ``price`` falls in."""
        if price <= ZERO:
            raise DataError(f"price {price} must be positive to look up its tick ({self.name})")
        return self.ticks[bisect_right(self.lowers, price) - 1]

    def tick_below(self, price: Decimal) -> Decimal:
        """The tick just below ``price``: the step to the next lower valid price."""
        if price <= ZERO:
            raise DataError(f"price {price} must be positive to look up its tick ({self.name})")
        return self.ticks[max(bisect_left(self.lowers, price) - 1, 0)]

    def is_on_grid(self, price: Decimal) -> bool:
        return price > ZERO and price % self.tick_at(price) == ZERO

    def round_price(self, price: Decimal, rounding: Rounding = Rounding.NEAREST) -> Decimal:
        """``price`` moved onto the grid: DOWN for buys, UP for sells, or NEAREST."""
        result = round_to_step(price, self.tick_at(price), rounding)
        if result <= ZERO:
            raise DataError(
                f"price {price} rounds to {result} on the {self.name} grid; the lowest valid "
                f"price is {self.ticks[0]}"
            )
        return result

    def shift(self, price: Decimal, ticks: int) -> Decimal:
        """The valid price ``ticks`` steps above (positive) or below (negative) ``price``."""
        if not self.is_on_grid(price):
            raise DataError(f"price {price} is not on the {self.name} grid; round it first")
        for _ in range(abs(ticks)):
            price = price + self.tick_at(price) if ticks > 0 else price - self.tick_below(price)
            if price <= ZERO:
                raise DataError(f"{ticks} ticks below takes the price under zero ({self.name})")
        return price
