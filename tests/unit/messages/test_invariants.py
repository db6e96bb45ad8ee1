from decimal import Decimal

import pytest

from jts.messages.enums import OrderType, TimeInForce
from jts.messages.market_data import BookLevel, OrderBookSnapshot, QuoteTick
from jts.messages.trading import ModifyOrder
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import ClientOrderId
from tests.unit.messages.samples import SAMSUNG, sample_bar, sample_order


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"high": Decimal(69000)}, "do not contain"),
        ({"low": Decimal(70150)}, "do not contain"),
        ({"close": Decimal(0)}, "close is 0"),
        ({"volume": Decimal(-1)}, "volume is -1"),
        ({"ts_event": 0}, "not after"),
        ({"open": Decimal("NaN")}, "open is NaN"),
    ],
)
def test_corrupt_bars_fail_fast_and_say_what(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(DataError, match=message):
        sample_bar(**overrides)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"quantity": Decimal(0)}, "quantity is 0"),
        ({"limit_price": None}, "needs a limit price"),
        ({"order_type": OrderType.MARKET}, "takes no limit"),
        ({"order_type": OrderType.STOP_LIMIT}, "needs a trigger price"),
        ({"limit_price": Decimal(-5)}, "limit price is -5"),
        ({"time_in_force": TimeInForce.GTD}, "GTD"),
        ({"expire_time_ns": 5}, "GTD"),
    ],
)
def test_inconsistent_orders_are_refused(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(DataError, match=message):
        sample_order(**overrides)


def test_valid_orders_of_every_type_construct() -> None:
    sample_order(order_type=OrderType.MARKET, limit_price=None)
    sample_order(order_type=OrderType.STOP_MARKET, limit_price=None, trigger_price=Decimal(1))
    sample_order(order_type=OrderType.STOP_LIMIT, trigger_price=Decimal(69000))
    sample_order(time_in_force=TimeInForce.GTD, expire_time_ns=10)


def test_modify_must_change_something() -> None:
    with pytest.raises(DataError, match="changes nothing"):
        ModifyOrder(client_order_id=ClientOrderId("JTS-1"), instrument_id=SAMSUNG, ts_init=0)


def test_quote_mid_and_negative_sizes() -> None:
    quote = QuoteTick(
        instrument_id=SAMSUNG,
        bid_price=Decimal(70000),
        ask_price=Decimal(70100),
        bid_size=Decimal(5),
        ask_size=Decimal(7),
        ts_event=1,
        ts_init=1,
    )
    assert quote.mid_price == Decimal(70050)
    with pytest.raises(DataError, match="bid size is -1"):
        QuoteTick(
            instrument_id=SAMSUNG,
            bid_price=Decimal(1),
            ask_price=Decimal(2),
            bid_size=Decimal(-1),
            ask_size=Decimal(1),
            ts_event=1,
            ts_init=1,
        )


def test_order_book_sides_must_be_sorted_best_first() -> None:
    level = BookLevel
    book = OrderBookSnapshot(
        instrument_id=SAMSUNG,
        bids=(level(Decimal(100), Decimal(1)), level(Decimal(99), Decimal(2))),
        asks=(level(Decimal(101), Decimal(1)),),
        ts_event=1,
        ts_init=1,
    )
    assert book.best_bid == level(Decimal(100), Decimal(1))
    with pytest.raises(DataError, match="bids must be strictly descending"):
        OrderBookSnapshot(
            instrument_id=SAMSUNG,
            bids=(level(Decimal(99), Decimal(1)), level(Decimal(100), Decimal(1))),
            asks=(),
            ts_event=1,
            ts_init=1,
        )
