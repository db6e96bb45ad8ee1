"""The portfolio tracker: fills booked once, per-strategy books, marks, FX and equity."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jts.messages.enums import OrderSide
from jts.messages.market_data import QuoteTick, TradeTick
from jts.messages.trading import OrderFilled
from jts.runtime.live.portfolio_tracker import PortfolioTracker
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import (
    AccountId,
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TradeId,
    VenueOrderId,
)
from jts.shared_kernel.venues.catalog import default_registry

BTC = InstrumentId.parse("BTC-KRW.UPBIT")
BTC_USDT = InstrumentId.parse("BTCUSDT.BINANCE")
USDT_KRW = InstrumentId.parse("USDT-KRW.UPBIT")
D = Decimal


def fill(
    trade: str,
    side: OrderSide,
    qty: str,
    price: str,
    *,
    instrument: InstrumentId = BTC,
    strategy: str = "a",
    commission: str = "0",
    currency: str = "KRW",
    ts: int = 1,
) -> OrderFilled:
    return OrderFilled(
        client_order_id=ClientOrderId(f"C-{trade}"),
        instrument_id=instrument,
        venue_order_id=VenueOrderId(f"V-{trade}"),
        trade_id=TradeId(trade),
        strategy_id=StrategyId(strategy),
        side=side,
        last_qty=D(qty),
        last_price=D(price),
        commission=D(commission),
        commission_currency=currency,
        ts_event=ts,
        ts_init=ts,
    )


def tracker(**kwargs) -> PortfolioTracker:
    return PortfolioTracker(
        instruments=default_registry(),
        cash={"KRW": D(10_000_000), "USDT": D(1_000)},
        clock=TestClock(),
        account_id=AccountId("paper"),
        **kwargs,
    )


def test_a_fill_is_booked_once_in_the_account_and_its_strategy_book() -> None:
    book = tracker(fx_rates={"USDT": D(1400)})
    buy = fill("1", OrderSide.BUY, "0.1", "50000000", commission="2500")
    assert book.book(buy, "entry")
    assert not book.book(buy, "entry")  # the same trade id again: ignored

    assert book.account.cash("KRW") == D(10_000_000) - D(5_000_000) - D(2500)
    own = book.position(StrategyId("a"), BTC)
    assert own is not None
    assert own.quantity == D("0.1")
    assert book.position(StrategyId("b"), BTC) is None
    assert book.snapshot(StrategyId("b"), BTC) is None
    assert book.fees == D(2500)


def test_equity_marks_positions_and_converts_currencies() -> None:
    book = tracker(fx_rates={"USDT": D(1400)}, fx_instruments={USDT_KRW: "USDT"})
    book.book(fill("1", OrderSide.BUY, "0.1", "50000000"))
    book.book(fill("2", OrderSide.BUY, "0.01", "60000", instrument=BTC_USDT, currency="USDT"))
    # no marks yet: holdings at their average price
    assert book.equity() == D(10_000_000) + D(1_000) * 1400

    book.mark(TradeTick(instrument_id=BTC, price=D(60_000_000), size=D(1), ts_event=2, ts_init=2))
    book.mark(
        QuoteTick(
            instrument_id=BTC_USDT,
            bid_price=D(69_990),
            ask_price=D(70_010),
            bid_size=D(1),
            ask_size=D(1),
            ts_event=2,
            ts_init=2,
        )
    )
    book.mark(TradeTick(instrument_id=USDT_KRW, price=D(1500), size=D(1), ts_event=3, ts_init=3))
    usdt = D(1_000) - D(600) + D("0.01") * D(70_000)
    assert book.equity() == D(5_000_000) + D(6_000_000) + usdt * 1500
    realized, unrealized = book.pnl()
    assert realized == 0
    assert unrealized == D(1_000_000) + D(100) * 1500


def test_round_trips_carry_the_reason_of_the_closing_fill() -> None:
    book = tracker()
    book.book(fill("1", OrderSide.BUY, "0.1", "50000000"), "entry")
    book.book(fill("2", OrderSide.SELL, "0.1", "55000000", ts=2), "take_profit")
    (trade,) = book.trades
    assert trade.pnl == D(500_000)
    assert trade.exit_reason == "take_profit"
    assert book.positions() == []


def test_a_fill_in_a_currency_without_a_rate_is_refused_before_booking() -> None:
    book = tracker()
    usdt_fill = fill("1", OrderSide.BUY, "0.01", "60000", instrument=BTC_USDT, currency="USDT")
    with pytest.raises(DataError, match="no FX rate for USDT"):
        book.book(usdt_fill)
    assert book.fills == []
    assert book.account.cash("USDT") == D(1_000)
    book.set_rate("USDT", D(1400))
    assert book.book(usdt_fill)  # not marked as booked by the refusal
