"""Exporting and restoring the exchange's state: a restored exchange carries on exactly."""

from __future__ import annotations

import pytest

from jts.runtime.backtest.exchange import ExchangeConfig, FixedLatency
from jts.runtime.backtest.exchange.memory_store import InMemoryAccountStore
from jts.runtime.backtest.exchange.state import (
    decode_fill,
    export_all,
    export_changes,
    restore,
)
from jts.shared_kernel.errors import DataError
from tests.unit.runtime.backtest.exchange.helpers import (
    BTC_KRW,
    BUY,
    CRYPTO_START,
    KRX_OPEN,
    MINUTE,
    SAMSUNG,
    SELL,
    D,
    Market,
    bar,
    market,
    order,
    trade,
)

T = CRYPTO_START
CONFIG = ExchangeConfig(participation_rate=D("0.5"), latency=FixedLatency(1, 5, 3))


def first_half(m: Market) -> None:
    m.exchange.on_trade(trade(BTC_KRW, T, 100_000_000))
    m.exchange.core.account.holding(BTC_KRW).quantity = D(1)
    m.at(T + 1)
    m.exchange.submit(order(BTC_KRW, BUY, "0.3", limit=99_000_000, client_order_id="resting"))
    m.exchange.submit(order(BTC_KRW, SELL, "0.2", trigger=98_000_000, client_order_id="stop"))
    m.exchange.submit(order(BTC_KRW, BUY, "0.1", client_order_id="market"))
    m.exchange.on_trade(trade(BTC_KRW, T + 2, 98_500_000, size="0.2"))  # partial fills
    m.at(T + 3)
    m.exchange.submit(order(BTC_KRW, BUY, "0.1", limit=98_000_000, client_order_id="in-flight"))
    m.exchange.cancel("resting")  # type: ignore[arg-type]


def second_half(m: Market) -> list[tuple[str, str]]:
    m.exchange.on_trade(trade(BTC_KRW, T + 4, 98_800_000, size="1"))
    m.exchange.on_trade(trade(BTC_KRW, T + 10, 97_000_000, size="1"))
    m.at(T + 20).exchange.advance_time(T + 20)
    return [(type(e).__name__, e.client_order_id) for e in m.take()]


def test_a_restored_exchange_continues_like_the_original() -> None:
    original = market(config=CONFIG)
    first_half(original)
    original.exchange.track_changes()
    documents, _ = export_all(original.exchange.core)
    original.take()

    copy = market(config=CONFIG)
    copy.clock.set_ns(original.clock.now_ns())
    restore(copy.exchange.core, documents)

    assert second_half(copy) == second_half(original)
    assert copy.exchange.balances() == original.exchange.balances()
    assert copy.exchange.positions() == original.exchange.positions()
    assert copy.exchange.open_orders() == original.exchange.open_orders()


def test_saved_changes_rebuild_the_same_account() -> None:
    store = InMemoryAccountStore()
    m = market(config=CONFIG)
    m.exchange.track_changes()
    store.save("a", *export_all(m.exchange.core))
    for step in (first_half, second_half):
        step(m)
        store.save("a", *export_changes(m.exchange.core))

    copy = market(config=CONFIG)
    copy.clock.set_ns(m.clock.now_ns())
    restore(copy.exchange.core, store.load("a"))

    assert copy.exchange.balances() == m.exchange.balances()
    assert copy.exchange.positions() == m.exchange.positions()
    assert [copy.exchange.order(c) for c in m.exchange.core.orders] == [
        m.exchange.order(c) for c in m.exchange.core.orders
    ]
    fills = [decode_fill(p) for p in store.fills_since("a", 0)]
    assert len(fills) == m.exchange.core.trade_number == 4
    for client_order_id, sim_order in m.exchange.core.orders.items():
        filled = sum((f.last_qty for f in fills if f.client_order_id == client_order_id), D(0))
        assert filled == sim_order.filled


def test_nothing_changed_exports_nothing() -> None:
    m = market()
    m.exchange.track_changes()
    export_all(m.exchange.core)

    m.exchange.on_trade(trade(BTC_KRW, T, 100_000_000))

    assert export_changes(m.exchange.core) == ({}, [])


def test_a_krx_band_survives_a_restore() -> None:
    m = market(start_ns=KRX_OPEN)
    m.exchange.on_bar(bar(SAMSUNG, KRX_OPEN, (70000, 70000, 70000, 70000)))
    day2 = KRX_OPEN + 86_400 * 1_000_000_000
    m.exchange.on_bar(bar(SAMSUNG, day2, (70000, 70000, 70000, 70000)))
    documents, _ = export_all(m.exchange.core)

    copy = market(start_ns=day2 + MINUTE)
    restore(copy.exchange.core, documents)

    band = copy.exchange.core.listings[SAMSUNG].band
    assert band is not None
    assert (band.lower, band.upper) == (D(49000), D(91000))


def test_a_corrupt_document_fails_loudly_naming_it() -> None:
    m = market()

    with pytest.raises(DataError, match="order/x"):
        restore(m.exchange.core, {("order", "x"): '{"client_order_id": 5}'})
