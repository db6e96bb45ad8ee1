"""Fill rules on trade ticks, quotes and order book snapshots."""

from __future__ import annotations

from jts.messages.market_data import BookLevel, OrderBookSnapshot
from jts.runtime.backtest.exchange import ExchangeConfig
from jts.shared_kernel.venues.types import LiquiditySide
from tests.unit.runtime.backtest.exchange.helpers import (
    BTC_KRW,
    BUY,
    CRYPTO_START,
    SELL,
    D,
    Market,
    market,
    order,
    quote,
    trade,
)

T = CRYPTO_START
MAKER, TAKER = LiquiditySide.MAKER, LiquiditySide.TAKER


def seeded(**kwargs: object) -> Market:
    m = market(**kwargs)  # type: ignore[arg-type]
    m.exchange.on_trade(trade(BTC_KRW, T, 100_000_000))
    return m.at(T + 1)


def test_a_market_order_fills_at_the_next_trade_price() -> None:
    m = seeded()
    m.exchange.submit(order(BTC_KRW, BUY, "0.01"))

    m.exchange.on_trade(trade(BTC_KRW, T + 2, 100_001_000))

    assert [(f.last_price, f.liquidity_side) for f in m.fills()] == [(D(100_001_000), TAKER)]


def test_a_buy_limit_fills_at_its_limit_only_when_a_trade_prints_below_it() -> None:
    m = seeded()
    m.exchange.submit(order(BTC_KRW, BUY, "0.01", limit=99_000_000))

    m.exchange.on_trade(trade(BTC_KRW, T + 2, 99_000_000))
    assert m.fills() == []
    m.exchange.on_trade(trade(BTC_KRW, T + 3, 98_000_000))

    assert [(f.last_price, f.liquidity_side) for f in m.fills()] == [(D(99_000_000), MAKER)]


def test_a_sell_stop_fills_at_the_trade_that_reaches_it() -> None:
    m = seeded()
    m.exchange.core.account.holding(BTC_KRW).quantity = D(1)
    m.exchange.submit(order(BTC_KRW, SELL, "0.5", trigger=99_000_000))

    m.exchange.on_trade(trade(BTC_KRW, T + 2, 99_500_000))
    m.exchange.on_trade(trade(BTC_KRW, T + 3, 98_500_000))

    assert [(f.last_price, f.liquidity_side) for f in m.fills()] == [(D(98_500_000), TAKER)]


def test_trades_cap_fills_by_their_size_times_the_participation_rate() -> None:
    m = seeded(config=ExchangeConfig(participation_rate=D("0.5")))
    m.exchange.submit(order(BTC_KRW, BUY, "0.3"))

    m.exchange.on_trade(trade(BTC_KRW, T + 2, 100_000_000, size="0.2"))
    m.exchange.on_trade(trade(BTC_KRW, T + 3, 100_000_000, size="1"))

    assert [f.last_qty for f in m.fills()] == [D("0.1"), D("0.2")]


def test_quotes_fill_market_buys_at_the_ask_and_sells_at_the_bid() -> None:
    m = seeded()
    m.exchange.core.account.holding(BTC_KRW).quantity = D(1)
    m.exchange.submit(order(BTC_KRW, BUY, "0.01"))
    m.exchange.submit(order(BTC_KRW, SELL, "0.01"))

    m.exchange.on_quote(quote(BTC_KRW, T + 2, 99_999_000, 100_001_000))

    assert sorted((f.side, f.last_price) for f in m.fills()) == [
        (BUY, D(100_001_000)),
        (SELL, D(99_999_000)),
    ]


def test_a_marketable_limit_takes_the_ask_and_a_resting_one_makes_its_limit() -> None:
    m = seeded()
    marketable = order(BTC_KRW, BUY, "0.01", limit=100_005_000)
    resting = order(BTC_KRW, BUY, "0.01", limit=99_990_000)
    m.exchange.submit(marketable)
    m.exchange.submit(resting)

    m.exchange.on_quote(quote(BTC_KRW, T + 2, 99_999_000, 100_001_000))
    m.exchange.on_quote(quote(BTC_KRW, T + 3, 99_980_000, 99_990_000))

    assert [(f.client_order_id, f.last_price, f.liquidity_side) for f in m.fills()] == [
        (marketable.client_order_id, D(100_001_000), TAKER),
        (resting.client_order_id, D(99_990_000), MAKER),
    ]


def test_quotes_cap_fills_by_the_size_on_the_order_side() -> None:
    m = seeded(config=ExchangeConfig(participation_rate=D(1)))
    m.exchange.submit(order(BTC_KRW, BUY, "0.5"))

    m.exchange.on_quote(quote(BTC_KRW, T + 2, 99_999_000, 100_001_000, size="0.2"))

    assert [f.last_qty for f in m.fills()] == [D("0.2")]


def test_an_order_book_snapshot_trades_like_a_quote_of_its_best_levels() -> None:
    m = seeded()
    m.exchange.submit(order(BTC_KRW, BUY, "0.01"))
    snapshot = OrderBookSnapshot(
        instrument_id=BTC_KRW,
        bids=(BookLevel(D(99_999_000), D(1)), BookLevel(D(99_998_000), D(1))),
        asks=(BookLevel(D(100_002_000), D(1)), BookLevel(D(100_003_000), D(1))),
        ts_event=T + 2,
        ts_init=T + 2,
    )

    m.exchange.process(snapshot)

    assert [f.last_price for f in m.fills()] == [D(100_002_000)]
    assert m.exchange.last_price(BTC_KRW) == D(100_000_500)
