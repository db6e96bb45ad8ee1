"""What fills do to the account: fees, KRX sell tax by date, base-asset fees, reservations."""

from __future__ import annotations

from jts.messages.enums import OrderStatus
from jts.messages.trading import OrderCanceled
from jts.shared_kernel.identifiers import InstrumentId
from tests.unit.runtime.backtest.exchange.helpers import (
    BTC_KRW,
    BTC_USDT,
    BUY,
    CRYPTO_START,
    KODEX,
    MINUTE,
    SAMSUNG,
    SELL,
    D,
    Market,
    bar,
    market,
    order,
    quote,
    trade,
)
from tests.unit.shared_kernel.venues.calendars import kst


def sell_samsung_on(day_open: int, instrument: InstrumentId = SAMSUNG) -> Market:
    m = market(start_ns=day_open)
    m.exchange.core.account.holding(instrument).quantity = D(10)
    m.exchange.on_bar(bar(instrument, day_open, (70000, 70000, 70000, 70000)))
    m.at(day_open + MINUTE).exchange.submit(order(instrument, SELL, 10))
    m.exchange.on_bar(bar(instrument, day_open + MINUTE, (70000, 70000, 70000, 70000)))
    return m


def test_a_krx_sell_pays_commission_and_the_tax_of_its_settlement_date() -> None:
    in_2025 = sell_samsung_on(kst(2025, 12, 24, 9, 0)).fills()[0]  # settles 2025-12-26
    in_2026 = sell_samsung_on(kst(2025, 12, 29, 9, 0)).fills()[0]  # settles 2026-01-02

    assert (in_2025.commission, in_2025.tax) == (D(105), D(1050))  # rural 0.15%, STT 0%
    assert (in_2026.commission, in_2026.tax) == (D(105), D(1400))  # 0.05% STT + 0.15% rural


def test_krx_etf_sells_are_tax_free() -> None:
    (fill,) = sell_samsung_on(kst(2025, 12, 29, 9, 0), KODEX).fills()

    assert fill.tax == 0


def test_sell_proceeds_are_notional_less_commission_and_tax() -> None:
    m = sell_samsung_on(kst(2025, 12, 29, 9, 0))

    krw = {b.currency: b for b in m.exchange.balances()}["KRW"]
    assert krw.total == D(100_000_000) + D(700_000) - D(105) - D(1400)
    assert m.exchange.positions() == []


def test_a_binance_buy_pays_its_fee_in_the_base_asset() -> None:
    m = market()
    m.exchange.on_trade(trade(BTC_USDT, CRYPTO_START, 50_000))
    m.at(CRYPTO_START + 1).exchange.submit(order(BTC_USDT, BUY, "0.01"))

    m.exchange.on_trade(trade(BTC_USDT, CRYPTO_START + 2, 50_000))

    (fill,) = m.fills()
    assert (fill.commission, fill.commission_currency) == (D("0.00001"), "BTC")
    (position,) = m.exchange.positions()
    assert position.quantity == D("0.00999")
    usdt = {b.currency: b for b in m.exchange.balances()}["USDT"]
    assert (usdt.total, usdt.locked) == (D(100_000) - D(500), D(0))


def test_krw_and_usdt_instruments_share_one_account_in_their_own_currencies() -> None:
    m = market()
    m.exchange.on_quote(quote(BTC_KRW, CRYPTO_START, 99_999_000, 100_000_000))
    m.exchange.on_quote(quote(BTC_USDT, CRYPTO_START, "49999.99", 50_000))
    m.at(CRYPTO_START + 1)
    m.exchange.submit(order(BTC_KRW, BUY, "0.01"))
    m.exchange.submit(order(BTC_USDT, BUY, "0.01"))

    m.exchange.on_quote(quote(BTC_KRW, CRYPTO_START + 2, 99_999_000, 100_000_000))
    m.exchange.on_quote(quote(BTC_USDT, CRYPTO_START + 2, "49999.99", 50_000))

    balances = {b.currency: b.total for b in m.exchange.balances()}
    assert balances == {
        "KRW": D(100_000_000) - D(1_000_000) - D(500),  # Upbit: 0.05% in KRW
        "USDT": D(100_000) - D(500),
    }


def test_canceling_a_buy_releases_its_reservation() -> None:
    m = market()
    command = order(BTC_KRW, BUY, "0.01", limit=90_000_000)
    m.exchange.submit(command)
    locked = {b.currency: b for b in m.exchange.balances()}["KRW"].locked
    assert locked == D(900_000) + D(450)

    m.exchange.cancel(command.client_order_id)

    assert {b.currency: b for b in m.exchange.balances()}["KRW"].locked == 0


def test_a_buy_filled_below_its_limit_releases_the_difference() -> None:
    m = market()
    m.exchange.submit(order(BTC_KRW, BUY, "0.01", limit=101_000_000))

    m.exchange.on_quote(quote(BTC_KRW, CRYPTO_START + 1, 99_999_000, 100_000_000))

    krw = {b.currency: b for b in m.exchange.balances()}["KRW"]
    assert (krw.total, krw.locked) == (D(100_000_000) - D(1_000_000) - D(500), D(0))


def test_a_market_buy_the_account_cannot_pay_for_is_cut_then_canceled() -> None:
    m = market(balances={"KRW": D(1_100_000)})
    m.exchange.on_trade(trade(BTC_KRW, CRYPTO_START, 100_000_000))
    command = order(BTC_KRW, BUY, "0.01")  # reserved at 105,000,000 x 0.01 = 1,050,000
    m.at(CRYPTO_START + 1).exchange.submit(command)

    m.exchange.on_trade(trade(BTC_KRW, CRYPTO_START + 2, 120_000_000))

    (fill,) = m.fills()
    assert fill.last_qty * fill.last_price + fill.commission <= D(1_100_000)
    assert fill.last_qty < D("0.01")
    events = m.take()
    assert isinstance(events[-1], OrderCanceled)
    report = m.exchange.order(command.client_order_id)
    assert report is not None
    assert report.status is OrderStatus.CANCELED
    krw = {b.currency: b for b in m.exchange.balances()}["KRW"]
    assert krw.total >= 0
    assert krw.locked == 0


def test_a_position_averages_its_buys() -> None:
    m = market()
    m.exchange.on_trade(trade(BTC_KRW, CRYPTO_START, 100_000_000))
    for k, price in enumerate((100_000_000, 110_000_000)):
        m.at(CRYPTO_START + 2 * k + 1).exchange.submit(order(BTC_KRW, BUY, "0.01"))
        m.exchange.on_trade(trade(BTC_KRW, CRYPTO_START + 2 * k + 2, price))

    (position,) = m.exchange.positions()

    assert (position.quantity, position.average_price) == (D("0.02"), D(105_000_000))
