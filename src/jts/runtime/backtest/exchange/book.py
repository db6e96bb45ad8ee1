"""Per-instrument books of resting orders, in price-time priority.

``PriceLevels`` keeps the prices of one side sorted and a FIFO queue per price, so the
matching pass looks only at the best prices the market reached: when the best resting price
was not reached, checking costs one comparison. ``InstrumentBook`` holds one instrument's
orders: market orders waiting for a price (FIFO), buy and sell limits, untriggered buy and
sell stops (by trigger, nearest first), good-till orders by expiry, and the IOC/FOK orders
that get exactly one chance on the next market data event.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right, insort
from collections import deque
from decimal import Decimal

from jts.messages.enums import TimeInForce
from jts.runtime.backtest.exchange.orders import SimOrder

_NOTHING: tuple[SimOrder, ...] = ()


class PriceLevels:
    """Orders by price, best first: highest first when ``descending`` (bids), else lowest.

    Within a price, orders keep the order they were added in, which is their time priority.
    """

    __slots__ = ("_descending", "_levels", "_prices", "size")

    def __init__(self, *, descending: bool) -> None:
        self._descending = descending
        self._prices: list[Decimal] = []  # ascending
        self._levels: dict[Decimal, list[SimOrder]] = {}
        self.size = 0

    def add(self, order: SimOrder, price: Decimal) -> None:
        level = self._levels.get(price)
        if level is None:
            insort(self._prices, price)
            level = self._levels[price] = []
        level.append(order)
        self.size += 1

    def remove(self, order: SimOrder, price: Decimal) -> None:
        level = self._levels[price]
        level.remove(order)
        self.size -= 1
        if not level:
            del self._levels[price]
            del self._prices[bisect_left(self._prices, price)]

    def best(self) -> Decimal | None:
        if not self._prices:
            return None
        return self._prices[-1] if self._descending else self._prices[0]

    def reached(
        self, threshold: Decimal, *, inclusive: bool
    ) -> tuple[SimOrder, ...] | list[SimOrder]:
        """Orders priced beyond ``threshold`` (or at it when ``inclusive``), best first.

        Beyond means above for a descending side and below for an ascending one: bids at or
        above a falling low, asks below a rising high, and so on.
        """
        prices = self._prices
        if not prices:
            return _NOTHING
        if self._descending:
            best = prices[-1]
            if best < threshold or (best == threshold and not inclusive):
                return _NOTHING
            start = bisect_left(prices, threshold) if inclusive else bisect_right(prices, threshold)
            chosen = reversed(prices[start:])
        else:
            best = prices[0]
            if best > threshold or (best == threshold and not inclusive):
                return _NOTHING
            end = bisect_right(prices, threshold) if inclusive else bisect_left(prices, threshold)
            chosen = iter(prices[:end])
        levels = self._levels
        return [order for price in chosen for order in levels[price]]

    def orders(self) -> list[SimOrder]:
        """Every order, best price first."""
        prices = reversed(self._prices) if self._descending else iter(self._prices)
        return [order for price in prices for order in self._levels[price]]


class InstrumentBook:
    """Every working order of one instrument, by where it waits."""

    __slots__ = (
        "buy_limits",
        "buy_stops",
        "expiries",
        "immediate",
        "market",
        "sell_limits",
        "sell_stops",
        "size",
    )

    def __init__(self) -> None:
        self.market: deque[SimOrder] = deque()
        self.buy_limits = PriceLevels(descending=True)
        self.sell_limits = PriceLevels(descending=False)
        self.buy_stops = PriceLevels(descending=False)  # lowest trigger fires first on a rise
        self.sell_stops = PriceLevels(descending=True)  # highest trigger fires first on a fall
        self.expiries: list[tuple[int, int, SimOrder]] = []
        self.immediate: list[SimOrder] = []
        self.size = 0

    def add(self, order: SimOrder) -> None:
        """Queue an arrived order where it waits; it must not be queued already."""
        self._place(order)
        self.size += 1
        if order.expire_ns is not None:
            heapq.heappush(self.expiries, (order.expire_ns, order.priority, order))
        if order.time_in_force in (TimeInForce.IOC, TimeInForce.FOK):
            self.immediate.append(order)

    def requeue(self, order: SimOrder) -> None:
        """Put back an order taken out with ``take`` (after a trigger or a modify)."""
        self._place(order)
        self.size += 1

    def take(self, order: SimOrder) -> None:
        """Take an order out of its queue (it stays in the expiry heap; stale entries are
        skipped when they come up)."""
        if order.is_stop:
            levels = self.buy_stops if order.is_buy else self.sell_stops
            levels.remove(order, order.trigger_price)  # type: ignore[arg-type]
        elif order.works_as_limit:
            levels = self.buy_limits if order.is_buy else self.sell_limits
            levels.remove(order, order.limit_price)  # type: ignore[arg-type]
        else:
            self.market.remove(order)
        self.size -= 1
        order.in_book = False

    def _place(self, order: SimOrder) -> None:
        order.in_book = True
        if order.is_stop:
            levels = self.buy_stops if order.is_buy else self.sell_stops
            levels.add(order, order.trigger_price)  # type: ignore[arg-type]
        elif order.works_as_limit:
            levels = self.buy_limits if order.is_buy else self.sell_limits
            levels.add(order, order.limit_price)  # type: ignore[arg-type]
        else:
            self.market.append(order)

    def next_expiry_ns(self) -> int | None:
        return self.expiries[0][0] if self.expiries else None
