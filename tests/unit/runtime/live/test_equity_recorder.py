"""Equity snapshots: batched to the store, one point per time, read back after a restart."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from jts.adapters.timeseries.memory import InMemoryTimeSeriesStore
from jts.contexts.portfolio.domain.equity_curve import EquityCurve
from jts.runtime.live.checkpoint import MemoryCheckpoint
from jts.runtime.live.clocks import MarketClock
from jts.runtime.live.equity_recorder import EquityRecorder, curve_id_of
from jts.runtime.live.slots import ProgramSlot
from jts.shared_kernel.identifiers import StrategyId
from tests.unit.runtime.live.daily_fx_harness import build_reporting
from tests.unit.runtime.live.harness import BTC, MINUTE, START, Stores, bars, program

CURVE = "live.paper"


class CountingStore(InMemoryTimeSeriesStore):
    """The in-memory store, counting the appends it is asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.appends = 0

    def append_equity(self, curve: EquityCurve) -> None:
        self.appends += 1
        super().append_equity(curve)


def test_points_reach_the_store_in_batches_not_one_by_one() -> None:
    store = CountingStore()
    recorder = EquityRecorder(store, curve_id=CURVE, batch=3)
    for i in range(7):
        recorder.record(START + i * MINUTE, Decimal(1_000 + i))

    assert store.appends == 2
    assert len(store.read_equity(CURVE)) == 6
    recorder.flush()
    assert store.appends == 3
    stored = [v for _, v in store.read_equity(CURVE).points()]
    assert stored == [Decimal(1_000 + i) for i in range(7)]


def test_bars_closing_together_make_one_point_with_the_last_equity() -> None:
    store = InMemoryTimeSeriesStore()
    recorder = EquityRecorder(store, curve_id=CURVE)
    recorder.record(START, Decimal(100))
    recorder.record(START + MINUTE, Decimal(101))
    recorder.record(START + MINUTE, Decimal(102))  # a second instrument's bar, same close
    recorder.record(START, Decimal(99))  # out of order: ignored
    recorder.flush()

    expected = [(START, Decimal(100)), (START + MINUTE, Decimal(102))]
    assert store.read_equity(CURVE).points() == expected
    assert recorder.equity.tolist() == [100.0, 102.0]


def test_a_point_replaced_after_a_flush_is_replaced_in_the_store() -> None:
    store = InMemoryTimeSeriesStore()
    recorder = EquityRecorder(store, curve_id=CURVE)
    recorder.record(START, Decimal(100))
    recorder.flush()
    recorder.record(START, Decimal(105))
    recorder.flush()

    assert store.read_equity(CURVE).points() == [(START, Decimal(105))]


def test_equity_is_stored_to_a_ten_thousandth() -> None:
    store = InMemoryTimeSeriesStore()
    recorder = EquityRecorder(store, curve_id=CURVE)
    recorder.record(START, Decimal("100.123456789"))
    recorder.flush()

    assert store.read_equity(CURVE).points() == [(START, Decimal("100.1235"))]


def test_a_restarted_recorder_continues_the_stored_curve() -> None:
    store = InMemoryTimeSeriesStore()
    first = EquityRecorder(store, curve_id=CURVE)
    for i in range(3):
        first.record(START + i * MINUTE, Decimal(100 + i))
    first.flush()

    second = EquityRecorder(store, curve_id=CURVE)
    assert second.load() == 3
    second.record(START + 2 * MINUTE, Decimal(7))  # a resumed replay repeating a stored bar
    second.record(START + 3 * MINUTE, Decimal(103))
    second.flush()

    assert second.ts.tolist() == [START + i * MINUTE for i in range(4)]
    assert [v for _, v in store.read_equity(CURVE).points()] == [Decimal(100 + i) for i in range(4)]
    assert second.value_at(START + 2 * MINUTE + 1) == 102.0
    assert second.value_at(START - 1) is None


def test_the_columns_grow_past_their_first_capacity() -> None:
    recorder = EquityRecorder(InMemoryTimeSeriesStore(), curve_id=CURVE, batch=10_000)
    for i in range(3_000):
        recorder.record(START + i, Decimal(i + 1))

    assert len(recorder) == 3_000
    assert np.array_equal(recorder.equity, np.arange(1, 3_001, dtype=np.float64))


RULES = """entry long when close > sma(close, 3)
exit long when close < sma(close, 3)"""


async def test_the_node_stores_its_equity_at_every_bar_and_a_restart_carries_on() -> None:
    closes = [100_000_000 + 300_000 * ((i * 7) % 11 - 5) for i in range(60)]
    series = bars(closes, BTC)
    compiled = program(RULES, size="quantity(0.1)")
    stores, checkpoint = Stores(), MemoryCheckpoint()
    curve_id = curve_id_of("paper")
    equities = []
    for cut in (30, 60):
        clock = MarketClock()
        slots = [ProgramSlot(compiled, strategy_id=StrategyId("t"), instrument=BTC, clock=clock)]
        node = build_reporting(
            [series.take(slice(0, cut))], slots, clock=clock, stores=stores, checkpoint=checkpoint
        )
        await node.run()
        equities.append(node.tracker.equity())

    stored = stores.timeseries.read_equity(curve_id)
    assert stored.ts.tolist() == [START + (i + 1) * MINUTE for i in range(60)]
    assert stored.points()[29][1] == equities[0]
    assert stored.points()[-1][1] == equities[1]
    assert node.reports is not None
    assert node.reports.equity is not None
    assert node.reports.equity.loaded == 30
    assert len(node.tracker.fills) > 2
