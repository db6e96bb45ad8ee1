"""Iceberg: show only ``display_quantity`` of a limit order at a time.

One child is working at any moment: ``display_quantity`` (optionally varied by up to
``variance`` of itself with an injected seeded random source, so the refills are harder to
spot), or what remains if less. When it fills completely the next one is sent; if the venue
closes it early (canceled, expired, rejected) the iceberg stops, because the market refused
the price. ``cancel`` stops it and cancels the visible child.
"""

from __future__ import annotations

from decimal import Decimal

from jts.contexts.trading.application.algorithms.children import ChildBook, ParentOrder
from jts.contexts.trading.application.retry import RandomSource
from jts.messages.trading import OrderEvent, OrderFilled, TradingCommand
from jts.shared_kernel.errors import DataError


class Iceberg:
    """Works a limit ``parent`` one visible slice at a time."""

    def __init__(
        self,
        parent: ParentOrder,
        *,
        display_quantity: Decimal,
        variance: float = 0.0,
        rng: RandomSource | None = None,
    ) -> None:
        where = f"iceberg {parent.client_order_id}"
        if parent.limit_price is None:
            raise DataError(f"{where}: an iceberg needs a limit price")
        if not (display_quantity > 0 and display_quantity % parent.lot_size == 0):
            raise DataError(
                f"{where}: display quantity {display_quantity} must be a positive whole "
                f"number of lots of {parent.lot_size}"
            )
        if not 0 <= variance < 1 or (variance > 0 and rng is None):
            raise DataError(f"{where}: variance {variance} needs 0 <= v < 1 and a random source")
        self.book = ChildBook(parent)
        self._display = display_quantity
        self._variance = variance
        self._rng = rng
        self._stopped = False

    @property
    def parent(self) -> ParentOrder:
        return self.book.parent

    @property
    def done(self) -> bool:
        filled = self.book.filled >= self.parent.quantity
        return filled or (self._stopped and not self.book.open_children)

    @property
    def next_wakeup_ns(self) -> int | None:
        return None  # driven by fills, not by time

    def start(self, now_ns: int) -> list[TradingCommand]:
        return self._refill(now_ns)

    def on_timer(self, now_ns: int) -> list[TradingCommand]:
        return []

    def on_event(self, event: OrderEvent, now_ns: int) -> list[TradingCommand]:
        if not self.book.apply(event) or self._stopped:
            return []
        if not isinstance(event, OrderFilled):
            self._stopped = True  # the venue closed the visible part: stop, keep the rest
            return []
        return self._refill(now_ns)

    def cancel(self, now_ns: int) -> list[TradingCommand]:
        self._stopped = True
        return list(self.book.cancel_open(now_ns))

    def _refill(self, now_ns: int) -> list[TradingCommand]:
        if self._stopped or self.book.open_children or self.book.remaining <= 0:
            return []
        quantity = min(self._visible_size(), self.book.remaining)
        return [self.book.new_child(quantity, now_ns)]

    def _visible_size(self) -> Decimal:
        if self._rng is None or self._variance == 0:
            return self._display
        factor = 1 + self._variance * (2 * self._rng.random() - 1)
        varied = self.book.lots(self._display * Decimal(repr(factor)))
        return max(varied, self.parent.lot_size)
