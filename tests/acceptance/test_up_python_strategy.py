"""``jts up --paper --strategy examples/strategies/sma_cross.py``: a Python strategy file
trades a replay exactly as the event-driven backtest trades it on the same bars, and
``jts backtest`` runs the same file to the same trades."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jts.bootstrap.stores import read_bars_file, simulate, write_bars_file
from jts.bootstrap.strategy_files import PythonStrategyFile, load_strategy_file
from jts.contexts.risk.domain.limits import RiskLimits
from jts.entrypoints.cli.main import app
from jts.runtime.backtest.engine import EngineConfig, EventDrivenBacktest
from jts.runtime.live.summary import trade_document
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar
from jts.shared_kernel.venues.catalog import default_registry

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "strategies" / "sma_cross.py"
BTC = InstrumentId.parse("BTC-KRW.UPBIT")
HOUR = Timeframe.parse("1h")


@pytest.mark.slow
def test_a_python_strategy_file_trades_as_the_backtest_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jts.adapters.marketsim.resample import resample_bars

    (simulated,) = simulate(["BTC-KRW.UPBIT"], date(2025, 3, 1), date(2025, 4, 14), seed=11)
    bars = tmp_path / "bars.BTC-KRW.UPBIT.csv"
    write_bars_file(resample_bars(simulated.minute_bars, HOUR, simulated.sessions), bars)
    summary = tmp_path / "summary.json"
    monkeypatch.setenv("JTS_HOME", str(tmp_path / "home"))

    arguments = ["up", "--paper", "--strategy", str(EXAMPLE), "--replay", str(bars)]
    result = CliRunner().invoke(app, [*arguments, "--no-dashboard", "--summary-json", str(summary)])

    assert result.exit_code == 0, result.output
    document = json.loads(summary.read_text("utf-8"))
    assert document["strategies"] == [
        {"id": "sma_cross_py", "instruments": ["BTC-KRW.UPBIT"], "stopped": []}
    ]
    loaded = load_strategy_file(EXAMPLE)
    assert isinstance(loaded, PythonStrategyFile)
    engine = EventDrivenBacktest(
        instruments=default_registry(),
        calendars={"24/7": AlwaysOpenCalendar()},
        config=EngineConfig(
            cash={"KRW": Decimal(100_000_000)},  # the settings' defaults, as jts up runs them
            limits=RiskLimits(max_order_notional=Decimal(10_000_000), max_open_orders=50),
        ),
    )
    series = read_bars_file(bars, BTC, HOUR)
    expected = engine.run_strategies({BTC: loaded.make()}, [series], name=loaded.name)
    assert len(expected.trades) >= 3
    assert document["trades"] == [trade_document(t) for t in expected.trades]
    assert Decimal(document["equity"]) == expected.final_equity

    backtest = CliRunner().invoke(app, ["backtest", str(EXAMPLE), "--data", str(bars), "--json"])
    assert backtest.exit_code == 0, backtest.output
    tested = json.loads(backtest.stdout)
    assert tested["engine"] == "event"
    moments = [(t["entry_time"], t["exit_time"], t["exit_reason"]) for t in tested["trades"]]
    assert moments == [
        (t["entry_time"], t["exit_time"], t["exit_reason"]) for t in document["trades"]
    ]
    assert tested["final_equity"] == pytest.approx(
        float(document["equity"]), abs=1e-6
    )  # JSON float


def test_a_python_strategy_file_takes_no_parameters(tmp_path: Path) -> None:
    bars = tmp_path / "bars.BTC-KRW.UPBIT.csv"
    bars.write_text("unused", encoding="utf-8")

    result = CliRunner().invoke(
        app, ["backtest", str(EXAMPLE), "--data", str(bars), "--param", "fast=3"]
    )

    assert result.exit_code != 0
    assert "is a Python strategy, which takes no parameters" in result.output
