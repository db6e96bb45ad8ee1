"""``PriceLevels``: best price first, time priority within a price, reach thresholds."""

from __future__ import annotations

from decimal import Decimal

from jts.messages.enums import OrderType, TimeInForce
from jts.runtime.backtest.exchange.book import InstrumentBook, PriceLevels
from jts.runtime.backtest.exchange.orders import SimOrder
from jts.shared_kernel.identifiers import ClientOrderId, StrategyId, VenueOrderId
from jts.shared_kernel.venues.types import OrderSide
from tests.unit.runtime.backtest.exchange.helpers import BTC_KRW, D


def sim(name: str, *, side: OrderSide = OrderSide.BUY, limit: int | None = 100) -> SimOrder:
    return SimOrder(
        client_order_id=ClientOrderId(name),
        venue_order_id=VenueOrderId(name),
        strategy_id=StrategyId("s"),
        instrument_id=BTC_KRW,
        side=side,
        order_type=OrderType.LIMIT if limit is not None else OrderType.MARKET,
        quantity=D(1),
        limit_price=None if limit is None else D(limit),
        trigger_price=None,
        time_in_force=TimeInForce.GTC,
        expire_ns=None,
        reduce_only=False,
        created_ns=0,
        arrival_ns=0,
    )


def names(orders: object) -> list[str]:
    return [o.client_order_id for o in orders]  # type: ignore[attr-defined]


def filled_bids() -> PriceLevels:
    bids = PriceLevels(descending=True)
    for name, price in (("a", 100), ("b", 102), ("c", 100), ("d", 101)):
        bids.add(sim(name), Decimal(price))
    return bids


def test_bids_come_highest_first_then_in_arrival_order() -> None:
    bids = filled_bids()

    assert names(bids.orders()) == ["b", "d", "a", "c"]
    assert bids.best() == 102


def test_bids_reached_strictly_and_at_the_touch() -> None:
    bids = filled_bids()

    assert names(bids.reached(Decimal(101), inclusive=False)) == ["b"]
    assert names(bids.reached(Decimal(101), inclusive=True)) == ["b", "d"]
    assert names(bids.reached(Decimal(102), inclusive=False)) == []
    assert names(bids.reached(Decimal(50), inclusive=False)) == ["b", "d", "a", "c"]


def test_asks_come_lowest_first_and_are_reached_from_below() -> None:
    asks = PriceLevels(descending=False)
    for name, price in (("a", 100), ("b", 98), ("c", 99)):
        asks.add(sim(name, side=OrderSide.SELL), Decimal(price))

    assert names(asks.reached(Decimal(99), inclusive=False)) == ["b"]
    assert names(asks.reached(Decimal(99), inclusive=True)) == ["b", "c"]
    assert asks.best() == 98


def test_removing_the_last_order_of_a_price_removes_the_price() -> None:
    bids = PriceLevels(descending=True)
    only = sim("a")
    bids.add(only, Decimal(100))

    bids.remove(only, Decimal(100))

    assert (bids.best(), bids.size, bids.orders()) == (None, 0, [])


def test_a_book_puts_each_order_where_it_waits_and_takes_it_back() -> None:
    book = InstrumentBook()
    limit, market = sim("l"), sim("m", limit=None)

    book.add(limit)
    book.add(market)

    assert (book.size, names(book.buy_limits.orders()), names(book.market)) == (2, ["l"], ["m"])
    assert limit.in_book
    assert market.in_book
    book.take(limit)
    assert (book.size, limit.in_book, book.buy_limits.size) == (1, False, 0)
