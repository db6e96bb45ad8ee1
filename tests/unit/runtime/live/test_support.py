"""Clocks, the bar recorder, lane checkpoints and the summary document."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from jts.adapters.timeseries.memory import InMemoryTimeSeriesStore
from jts.messages.enums import Direction
from jts.messages.strategy import EntrySignalRaised, Sizing, SizingKind
from jts.runtime.live.checkpoint import FileCheckpoint, NodeState, series_name
from jts.runtime.live.clocks import MarketClock, ScaledClock
from jts.runtime.live.lanes import LaneState
from jts.runtime.live.recorder import BarRecorder
from jts.runtime.live.slots import ProgramSlot
from jts.runtime.live.summary import summary, write_summary
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.identifiers import ClientOrderId, StrategyId
from jts.shared_kernel.timeframes import Timeframe
from tests.unit.runtime.live.harness import BTC, ETH, bars, build, program


def test_the_market_clock_follows_events_forward_only() -> None:
    clock = MarketClock()
    clock.follow(100)
    clock.follow(50)
    assert clock.now_ns() == 100


def test_the_scaled_clock_runs_speed_times_its_base_from_the_origin() -> None:
    base = TestClock(1_000)
    clock = ScaledClock(base, speed=60, origin_ns=5_000)
    base.advance_ns(10)
    assert clock.now_ns() == 5_600
    with pytest.raises(ValueError, match="must be positive"):
        ScaledClock(base, speed=0)


def test_the_recorder_batches_bars_and_reads_history_before_a_time() -> None:
    store = InMemoryTimeSeriesStore()
    recorder = BarRecorder(store, batch=3)
    minute = Timeframe(60)
    recorded = bars([1.0, 2.0, 3.0, 4.0, 5.0]).to_bars()
    for bar in recorded[:4]:
        recorder.record(bar)
    assert len(store.read_bars(BTC, minute)) == 3  # one batch written, one bar pending
    recorder.flush()
    history = recorder.history({(BTC, minute): recorded[-1].ts_start}, limit=3)
    assert [float(b.close) for b in history] == [2.0, 3.0, 4.0]
    before_third = recorder.history(
        {(BTC, minute): recorded[2].ts_start, (ETH, minute): 0}, limit=9
    )
    assert [float(b.close) for b in before_third] == [1.0, 2.0]


def test_a_file_checkpoint_round_trips_the_node_state(tmp_path: Path) -> None:
    signal = EntrySignalRaised(
        strategy_id=StrategyId("s"),
        instrument_id=BTC,
        direction=Direction.LONG,
        reference_price=Decimal(100),
        sizing=Sizing(kind=SizingKind.QUANTITY, value=Decimal(1)),
        ts_event=1,
        ts_init=1,
    )
    state = LaneState(
        strategy_id=StrategyId("s"),
        instrument_id=BTC,
        stop=ClientOrderId("C-1"),
        stop_loss=Decimal("95.5"),
        signal=signal,
    )
    checkpoint = FileCheckpoint(tmp_path / "state.json")
    assert checkpoint.load() == NodeState()
    saved = NodeState(lanes=[state], traded_until={series_name((BTC, Timeframe(60))): 42})
    checkpoint.save(saved)
    assert checkpoint.load() == saved
    assert saved.resume_points([(BTC, Timeframe(60)), (ETH, Timeframe(60))]) == {
        (BTC, Timeframe(60)): 42
    }
    checkpoint.path.write_text("{not json", "utf-8")
    with pytest.raises(ValueError, match="delete it"):
        checkpoint.load()


async def test_the_summary_holds_positions_orders_fills_trades_and_risk(tmp_path: Path) -> None:
    compiled = program(
        "entry long when crosses_above(sma(close, 2), sma(close, 4))\n"
        "exit long when crosses_below(sma(close, 2), sma(close, 4))",
    )
    clock = MarketClock()
    slot = ProgramSlot(compiled, strategy_id=StrategyId("test"), instrument=BTC, clock=clock)
    closes = [100.0, 99.0, 98.0, 97.0, 99.0, 102.0, 104.0, 101.0, 97.0, 95.0, 99.0, 103.0, 104.0]
    node = build([bars([c * 1_000_000 for c in closes])], [slot], clock=clock)
    await node.run()

    path = write_summary(node, tmp_path / "out" / "summary.json")
    document = json.loads(path.read_text("utf-8"))
    assert document == json.loads(json.dumps(summary(node)))
    assert document["finished"] == "feed ended"
    assert document["counts"]["bars"] == len(closes)
    assert document["counts"]["fills"] == len(document["fills"]) == 3
    assert [t["exit_reason"] for t in document["trades"]] == ["exit"]
    assert document["trades"][0]["entry_time"].endswith("Z")
    (position,) = document["positions"]
    assert position["instrument"] == "BTC-KRW.UPBIT"
    assert position["quantity"] == "0.1"
    assert document["open_orders"] == []
    assert document["risk"]["kill_switch"] is False
    assert Decimal(document["equity"]) == node.tracker.equity()
    assert document["strategies"] == [
        {"id": "test", "instruments": ["BTC-KRW.UPBIT"], "stopped": []}
    ]
