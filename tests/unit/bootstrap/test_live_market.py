"""The live synthetic market carries on from the stored bars the strategies warm up on."""

from __future__ import annotations

from datetime import date

import numpy as np

from jts.adapters.marketsim.simulator import MarketSimulator
from jts.adapters.timeseries.memory import InMemoryTimeSeriesStore
from jts.bootstrap.live_market import stored_closes
from jts.shared_kernel.identifiers import InstrumentId

SAMSUNG = InstrumentId.parse("005930.KRX")
NAVER = InstrumentId.parse("035420.KRX")


def test_stored_closes_are_the_last_one_minute_closes_before_the_start() -> None:
    (market,) = MarketSimulator().generate([SAMSUNG], date(2025, 3, 3), date(2025, 3, 7), seed=1)
    store = InMemoryTimeSeriesStore()
    store.append_bars(market.minute_bars)
    bars = market.minute_bars
    before = int(bars.ts_event[len(bars) // 2]) + 1

    closes = stored_closes(store, [SAMSUNG, NAVER], before_ns=before)

    last = int(np.searchsorted(bars.ts_start, before)) - 1
    assert closes == {SAMSUNG: float(bars.close[last])}  # NAVER: nothing stored, no price
    assert closes[SAMSUNG] != float(bars.close[-1])
