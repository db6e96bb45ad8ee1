"""Live bars and ticks reach the store in batches, idempotently."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jts.adapters.timeseries.memory import InMemoryTimeSeriesStore
from jts.contexts.market_data.application.recording import MarketDataRecorder
from jts.messages.market_data import Bar, TradeTick
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

SAMSUNG = InstrumentId.parse("005930.KRX")
BTC = InstrumentId.parse("BTCUSDT.BINANCE")
ONE_MINUTE = Timeframe.parse("1m")
MINUTE_NS = 60_000_000_000


def bar(instrument_id: InstrumentId, i: int, close: str = "70000") -> Bar:
    price = Decimal(close)
    return Bar(
        instrument_id=instrument_id,
        timeframe=ONE_MINUTE,
        ts_start=i * MINUTE_NS,
        ts_event=(i + 1) * MINUTE_NS,
        ts_init=0,
        open=price,
        high=price,
        low=price,
        close=price,
        volume=Decimal(10),
    )


def tick(i: int) -> TradeTick:
    return TradeTick(
        instrument_id=BTC, ts_event=i, ts_init=i, price=Decimal("65000.5"), size=Decimal("0.01")
    )


def test_nothing_is_written_until_the_batch_is_full() -> None:
    store = InMemoryTimeSeriesStore()
    recorder = MarketDataRecorder(store, batch_size=3)

    assert recorder.record(bar(SAMSUNG, 0)) == 0
    assert recorder.record(bar(BTC, 0)) == 0
    assert store.list_bars() == []
    assert recorder.record(bar(SAMSUNG, 1)) == 3

    assert recorder.pending == 0
    assert [s.count for s in store.list_bars()] == [2, 1]


def test_revised_bar_replaces_the_buffered_one_and_flush_orders_by_time() -> None:
    store = InMemoryTimeSeriesStore()
    recorder = MarketDataRecorder(store)

    recorder.record(bar(SAMSUNG, 2))
    recorder.record(bar(SAMSUNG, 1))
    recorder.record(bar(SAMSUNG, 2, close="70100"))
    written = recorder.flush()

    stored = store.read_bars(SAMSUNG, ONE_MINUTE).to_bars()
    assert written == 2
    assert [b.ts_start for b in stored] == [MINUTE_NS, 2 * MINUTE_NS]
    assert stored[1].close == Decimal(70100)


def test_ticks_are_recorded_with_a_tick_store_and_refused_without() -> None:
    store = InMemoryTimeSeriesStore()
    recorder = MarketDataRecorder(store, store, batch_size=2)

    recorder.record(tick(5))
    assert recorder.record(tick(5)) == 2

    assert [t.sequence for t in store.read_ticks(BTC).to_ticks()] == [0, 1]
    with pytest.raises(ValueError, match="no tick store"):
        MarketDataRecorder(store).record(tick(1))
