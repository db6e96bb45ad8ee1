"""Trading fees as data: maker/taker rates, the asset a fee is charged in, and its rounding."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

import msgspec

from jts.shared_kernel.numbers import ONE, ZERO, Rounding, round_to_step
from jts.shared_kernel.venues.types import LiquiditySide, OrderSide


class FeeAsset(StrEnum):
    """Which asset a fee is taken from."""

    QUOTE = "QUOTE"  # the quote currency on both sides (KRX and Upbit: KRW)
    RECEIVED = "RECEIVED"  # what the trade delivers: base asset on buys, quote on sells (Binance)


class Fee(msgspec.Struct, frozen=True):
    """A fee ``amount`` (never negative) in ``currency`` (``KRW``, ``USDT``, ``BTC`` ...)."""

    amount: Decimal
    currency: str


class FeeSchedule(msgspec.Struct, frozen=True, kw_only=True):
    """Maker and taker rates as fractions (0.0005 = 0.05%), applied to the traded value.

    ``floor_step`` floors the fee onto a grid, e.g. ``1`` for brokers that drop the fraction
    of a won; ``None`` keeps the exact product.
    """

    maker_rate: Decimal
    taker_rate: Decimal
    fee_asset: FeeAsset = FeeAsset.QUOTE
    floor_step: Decimal | None = None

    def __post_init__(self) -> None:
        for what, rate in (("maker_rate", self.maker_rate), ("taker_rate", self.taker_rate)):
            if not ZERO <= rate < ONE:
                raise ValueError(f"fee {what} {rate} must be a fraction in [0, 1), e.g. 0.001")
        if self.floor_step is not None and self.floor_step <= ZERO:
            raise ValueError(f"fee floor_step {self.floor_step} must be positive or None")

    def rate(self, liquidity: LiquiditySide) -> Decimal:
        return self.maker_rate if liquidity is LiquiditySide.MAKER else self.taker_rate

    def fee(
        self,
        *,
        side: OrderSide,
        price: Decimal,
        quantity: Decimal,
        liquidity: LiquiditySide,
        base_asset: str,
        quote_currency: str,
    ) -> Fee:
        """The fee for one fill of ``quantity`` at ``price``."""
        rate = self.rate(liquidity)
        if self.fee_asset is FeeAsset.RECEIVED and side is OrderSide.BUY:
            return Fee(self._floor(quantity * rate), base_asset)
        return Fee(self._floor(price * quantity * rate), quote_currency)

    def _floor(self, amount: Decimal) -> Decimal:
        if self.floor_step is None:
            return amount
        return round_to_step(amount, self.floor_step, Rounding.DOWN)
