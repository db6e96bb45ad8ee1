"""The documented intrabar rules (``window``): what a bar fills, at what price, in what order."""

from __future__ import annotations

from decimal import Decimal

from jts.messages.enums import OrderStatus
from jts.messages.trading import OrderAccepted, OrderFilled
from jts.runtime.backtest.exchange import ExchangeConfig, FixedLatency
from jts.shared_kernel.venues.types import LiquiditySide
from tests.unit.runtime.backtest.exchange.helpers import (
    BUY,
    KRX_OPEN,
    MINUTE,
    SAMSUNG,
    SELL,
    D,
    Market,
    bar,
    market,
    order,
)

T1 = KRX_OPEN + MINUTE  # the first bar closes, the strategy submits
T2 = KRX_OPEN + 2 * MINUTE


def krx_market(**kwargs: object) -> Market:
    m = market(start_ns=KRX_OPEN, **kwargs)  # type: ignore[arg-type]
    m.exchange.on_bar(bar(SAMSUNG, KRX_OPEN, (70000, 70500, 69500, 70000)))
    m.at(T1)
    return m


def fills_of(m: Market) -> list[tuple[Decimal, Decimal, LiquiditySide]]:
    return [(f.last_qty, f.last_price, f.liquidity_side) for f in m.fills()]


def test_a_market_order_fills_at_the_next_bar_open() -> None:
    m = krx_market()
    m.exchange.submit(order(SAMSUNG, BUY, 10))

    m.exchange.on_bar(bar(SAMSUNG, T1, (70200, 70800, 70100, 70500)))

    assert fills_of(m) == [(D(10), D(70200), LiquiditySide.TAKER)]


def test_an_order_never_fills_on_the_bar_it_was_submitted_after() -> None:
    m = market(start_ns=KRX_OPEN)
    m.at(KRX_OPEN + 1)  # submitted inside the first bar, which closes later
    m.exchange.submit(order(SAMSUNG, BUY, 10, limit=70000))

    m.exchange.on_bar(bar(SAMSUNG, KRX_OPEN, (70000, 70500, 69500, 70000)))
    assert m.fills() == []
    m.exchange.on_bar(bar(SAMSUNG, T1, (70100, 70500, 69500, 70000)))

    assert fills_of(m) == [(D(10), D(70000), LiquiditySide.MAKER)]


def test_latency_pushes_the_fill_to_the_bar_after_the_arrival() -> None:
    m = krx_market(config=ExchangeConfig(latency=FixedLatency(submit_ns=1)))
    m.exchange.submit(order(SAMSUNG, BUY, 10))

    m.exchange.on_bar(bar(SAMSUNG, T1, (70200, 70800, 70100, 70500)))
    assert m.fills() == []
    m.exchange.on_bar(bar(SAMSUNG, T2, (70300, 70800, 70100, 70500)))

    assert fills_of(m) == [(D(10), D(70300), LiquiditySide.TAKER)]


def test_a_buy_limit_touched_but_not_traded_through_does_not_fill() -> None:
    m = krx_market()
    m.exchange.submit(order(SAMSUNG, BUY, 10, limit=69900))

    m.exchange.on_bar(bar(SAMSUNG, T1, (70200, 70800, 69900, 70500)))

    assert m.fills() == []
    assert len(m.exchange.open_orders()) == 1


def test_a_buy_limit_traded_through_fills_at_the_limit_as_maker() -> None:
    m = krx_market()
    m.exchange.submit(order(SAMSUNG, BUY, 10, limit=69900))

    m.exchange.on_bar(bar(SAMSUNG, T1, (70200, 70800, 69800, 70500)))

    assert fills_of(m) == [(D(10), D(69900), LiquiditySide.MAKER)]


def test_a_buy_limit_the_bar_opens_below_fills_at_the_open() -> None:
    m = krx_market()
    m.exchange.submit(order(SAMSUNG, BUY, 10, limit=69900))

    m.exchange.on_bar(bar(SAMSUNG, T1, (69500, 69700, 69400, 69600)))

    assert fills_of(m) == [(D(10), D(69500), LiquiditySide.TAKER)]


def test_a_sell_limit_mirrors_the_buy_rules() -> None:
    m = krx_market()
    m.exchange.core.account.holding(SAMSUNG).quantity = D(30)
    touched = order(SAMSUNG, SELL, 10, limit=70800)
    through = order(SAMSUNG, SELL, 10, limit=70700)
    m.exchange.submit(touched)
    m.exchange.submit(through)

    m.exchange.on_bar(bar(SAMSUNG, T1, (70200, 70800, 70100, 70500)))
    gap = order(SAMSUNG, SELL, 10, limit=70000)
    m.at(T2).exchange.submit(gap)
    m.exchange.on_bar(bar(SAMSUNG, T2, (70900, 71000, 70600, 70700)))

    by_order = {f.client_order_id: (f.last_price, f.liquidity_side) for f in m.fills()}
    assert by_order[through.client_order_id] == (D(70700), LiquiditySide.MAKER)
    assert by_order[gap.client_order_id] == (D(70900), LiquiditySide.TAKER)
    assert by_order[touched.client_order_id] == (D(70900), LiquiditySide.TAKER)


def test_a_buy_stop_triggers_on_the_high_and_fills_at_the_trigger_or_the_open() -> None:
    m = krx_market()
    inside = order(SAMSUNG, BUY, 5, trigger=70600)
    gapped = order(SAMSUNG, BUY, 5, trigger=70100)
    m.exchange.submit(inside)
    m.exchange.submit(gapped)

    m.exchange.on_bar(bar(SAMSUNG, T1, (70200, 70600, 70100, 70500)))

    prices = {f.client_order_id: f.last_price for f in m.fills()}
    assert prices == {inside.client_order_id: D(70600), gapped.client_order_id: D(70200)}


def test_a_sell_stop_triggers_on_the_low_and_fills_at_the_trigger_or_the_open() -> None:
    m = krx_market()
    m.exchange.core.account.holding(SAMSUNG).quantity = D(10)
    inside = order(SAMSUNG, SELL, 5, trigger=69800)
    gapped = order(SAMSUNG, SELL, 5, trigger=70500)
    untouched = order(SAMSUNG, SELL, 5, trigger=69000)
    m.exchange.core.account.holding(SAMSUNG).quantity = D(15)
    for command in (inside, gapped, untouched):
        m.exchange.submit(command)

    m.exchange.on_bar(bar(SAMSUNG, T1, (70200, 70300, 69800, 70000)))

    prices = {f.client_order_id: f.last_price for f in m.fills()}
    assert prices == {inside.client_order_id: D(69800), gapped.client_order_id: D(70200)}


def test_a_triggered_stop_limit_works_as_a_limit_from_the_next_bar() -> None:
    m = krx_market()
    command = order(SAMSUNG, BUY, 5, trigger=70500, limit=70400)
    m.exchange.submit(command)

    m.exchange.on_bar(bar(SAMSUNG, T1, (70200, 70600, 70100, 70500)))  # triggers; low < limit
    assert m.fills() == []
    m.exchange.on_bar(bar(SAMSUNG, T2, (70500, 70600, 70300, 70500)))

    assert fills_of(m) == [(D(5), D(70400), LiquiditySide.MAKER)]


def test_stop_loss_before_take_profit_when_one_bar_reaches_both() -> None:
    m = krx_market()
    m.exchange.core.account.holding(SAMSUNG).quantity = D(10)
    take_profit = order(SAMSUNG, SELL, 10, limit=70700, reduce_only=True)
    stop_loss = order(SAMSUNG, SELL, 10, trigger=69600, reduce_only=True)
    m.exchange.submit(take_profit)
    m.exchange.submit(stop_loss)

    m.exchange.on_bar(bar(SAMSUNG, T1, (70000, 70900, 69500, 70000)))

    assert [(f.client_order_id, f.last_price) for f in m.fills()] == [
        (stop_loss.client_order_id, D(69600))
    ]
    report = m.exchange.order(take_profit.client_order_id)
    assert report is not None
    assert report.status is OrderStatus.CANCELED


def test_better_prices_fill_first_then_earlier_orders() -> None:
    m = krx_market(config=ExchangeConfig(participation_rate=D("0.01")))  # 10 shares a bar
    early = order(SAMSUNG, BUY, 6, limit=69900)
    late = order(SAMSUNG, BUY, 6, limit=69900)
    better = order(SAMSUNG, BUY, 6, limit=70000)
    for command in (early, late, better):
        m.exchange.submit(command)

    m.exchange.on_bar(bar(SAMSUNG, T1, (70200, 70300, 69800, 70000), volume=1_000))

    assert [(f.client_order_id, f.last_qty) for f in m.fills()] == [
        (better.client_order_id, D(6)),
        (early.client_order_id, D(4)),
    ]


def test_participation_caps_fills_and_the_rest_keeps_working() -> None:
    m = krx_market(config=ExchangeConfig(participation_rate=D("0.1")))
    command = order(SAMSUNG, BUY, 25)
    m.exchange.submit(command)

    for k in range(3):
        m.exchange.on_bar(
            bar(SAMSUNG, T1 + k * MINUTE, (70000 + 100 * k, 70500, 69900, 70000), volume=100)
        )

    assert [(f.last_qty, f.last_price) for f in m.fills()] == [
        (D(10), D(70000)),
        (D(10), D(70100)),
        (D(5), D(70200)),
    ]
    report = m.exchange.order(command.client_order_id)
    assert report is not None
    assert report.status is OrderStatus.FILLED
    assert report.average_fill_price == (D(700000) + D(701000) + D(351000)) / 25


def test_a_bar_without_volume_fills_nothing_under_a_participation_cap() -> None:
    m = krx_market(config=ExchangeConfig(participation_rate=D("0.5")))
    m.exchange.submit(order(SAMSUNG, BUY, 1))

    m.exchange.on_bar(bar(SAMSUNG, T1, (70000, 70000, 70000, 70000), volume=0))

    assert m.fills() == []


def test_acceptance_comes_before_the_fill_and_both_carry_the_venue_order_id() -> None:
    m = krx_market()
    command = order(SAMSUNG, BUY, 1)
    venue_order_id = m.exchange.submit(command)

    m.exchange.on_bar(bar(SAMSUNG, T1, (70000, 70000, 70000, 70000)))

    accepted, filled = m.take()
    assert isinstance(accepted, OrderAccepted)
    assert isinstance(filled, OrderFilled)
    assert accepted.venue_order_id == filled.venue_order_id == venue_order_id
    assert filled.ts_event == T1 + MINUTE
