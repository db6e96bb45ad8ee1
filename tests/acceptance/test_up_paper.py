"""``jts up --paper`` as a user runs it: a replay to the end with a summary, Ctrl-C, a
``--duration`` stop and restarts that pick up where the last run stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jts.bootstrap.stores import simulate, write_bars_file
from jts.entrypoints.cli.up import parse_duration

STRATEGY = """strategy "btc_cross"
universe BTC-KRW.UPBIT
timeframe 1h

param fast = 5
param slow = 20

let f = sma(close, fast)
let s = sma(close, slow)

entry long when crosses_above(f, s)
exit long when crosses_below(f, s)

stop_loss 3%
take_profit 6%
size percent_equity(8%)
order limit(close * 0.999) ttl 2 bar
"""
JTS = str(Path(sys.executable).with_name("jts"))
HOURS = 24 * 45


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A strategy file and 45 days of simulated hourly BTC-KRW bars."""
    from jts.adapters.marketsim.resample import resample_bars
    from jts.shared_kernel.timeframes import Timeframe

    folder = tmp_path_factory.mktemp("market")
    (simulated,) = simulate(["BTC-KRW.UPBIT"], date(2025, 3, 1), date(2025, 4, 14), seed=11)
    hourly = resample_bars(simulated.minute_bars, Timeframe.parse("1h"), simulated.sessions)
    assert len(hourly) == HOURS
    bars = folder / "bars.BTC-KRW.UPBIT.csv"
    write_bars_file(hourly, bars)
    strategy = folder / "btc_cross.jts"
    strategy.write_text(STRATEGY, "utf-8")
    return strategy, bars


def up(home: Path, market: tuple[Path, Path], *extra: str) -> subprocess.Popen[str]:
    strategy, bars = market
    command = [JTS, "up", "--paper", "--strategy", str(strategy), "--replay", str(bars)]
    command += ["--summary-json", str(home / "summary.json"), "--no-dashboard", *extra]
    env = {**os.environ, "JTS_HOME": str(home)}
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(process: subprocess.Popen[str], home: Path) -> dict[str, Any]:
    out, err = process.communicate(timeout=240)
    assert process.returncode == 0, out + err
    assert "stopped (" in out
    document: dict[str, Any] = json.loads((home / "summary.json").read_text("utf-8"))
    return document


def trades(document: dict[str, Any]) -> list[dict[str, str]]:
    return [{k: v for k, v in t.items() if k != "exit_reason"} for t in document["trades"]]


@pytest.mark.slow
def test_a_replay_runs_to_its_end_and_writes_the_summary(
    tmp_path: Path, market: tuple[Path, Path]
) -> None:
    document = finish(up(tmp_path, market), tmp_path)

    assert document["finished"] == "feed ended"
    assert document["counts"]["bars"] == HOURS
    assert document["clock"] == "2025-04-15T00:00:00Z"
    assert document["counts"]["trades"] >= 3
    assert document["counts"]["fills"] == len(document["fills"])
    assert {f["reason"] for f in document["fills"]} <= {"entry", "exit", "stop_loss", "take_profit"}
    assert document["strategies"] == [
        {"id": "btc_cross", "instruments": ["BTC-KRW.UPBIT"], "stopped": []}
    ]
    assert document["risk"]["kill_switch"] is False
    equity = sum(float(t["pnl"]) for t in document["trades"]) + 100_000_000
    held = sum(float(p["unrealized_pnl"]) for p in document["positions"])
    assert float(document["equity"]) == pytest.approx(equity + held, abs=1)
    assert (tmp_path / "jts.sqlite3").is_file()
    assert (tmp_path / "timeseries.duckdb").is_file()
    performance = document["performance"]
    assert performance["curve"]["points"] == HOURS
    assert performance["curve"]["id"] == "live.paper"
    figures = performance["figures"]
    assert {"total_return", "sharpe", "max_drawdown", "volatility", "win_rate"} <= set(figures)
    assert float(figures["total_return"]) == pytest.approx(
        float(document["equity"]) / 100_000_000 - 1, abs=1e-6
    )
    assert int(figures["trades"]) == document["counts"]["trades"]


def test_a_replay_writes_one_daily_report_per_weekday_at_the_krx_close(
    tmp_path: Path, market: tuple[Path, Path]
) -> None:
    document = finish(up(tmp_path, market), tmp_path)

    first = date(2025, 3, 1)  # the replay runs from Saturday 1 March to 15 April 09:00 KST
    days = [first + timedelta(days=n) for n in range(45)]
    weekdays = [d.isoformat() for d in days if d.weekday() < 5]  # crypto only: every weekday
    reported = document["performance"]["daily_reports"]
    assert [r["day"] for r in reported] == weekdays
    files = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert files == [f"daily-paper-{day}.html" for day in weekdays]
    page = (tmp_path / "reports" / files[0]).read_text("utf-8")
    assert "Daily report 2025-03-03: paper" in page

    again = finish(up(tmp_path, market), tmp_path)  # everything traded: nothing new to report
    assert again["performance"]["daily_reports"] == []
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == files


@pytest.mark.slow
def test_stops_and_restarts_end_where_one_uninterrupted_run_does(
    tmp_path: Path, market: tuple[Path, Path]
) -> None:
    whole = finish(up(tmp_path / "whole", market), tmp_path / "whole")
    home = tmp_path / "restarted"
    paced = ("--speed", str(3600 * HOURS / 8))  # the whole replay would take 8 s

    interrupted = up(home, market, *paced)
    assert interrupted.stdout is not None
    for line in interrupted.stdout:  # Ctrl-C once the first fill is printed
        if "Filled " in line:
            interrupted.send_signal(signal.SIGINT)
            break
    first = finish(interrupted, home)
    assert first["finished"] == "stop requested"
    assert 0 < first["counts"]["bars"] < HOURS

    second = finish(up(home, market, *paced, "--duration", "2s"), home)
    assert second["finished"] == "duration elapsed"
    assert second["counts"]["skipped_bars"] == first["counts"]["bars"]
    assert second["counts"]["warmup_bars"] == first["counts"]["bars"]
    done = first["counts"]["bars"] + second["counts"]["bars"]
    assert done < HOURS

    last = finish(up(home, market), home)
    assert last["finished"] == "feed ended"
    assert last["counts"]["skipped_bars"] == done
    assert last["counts"]["bars"] == HOURS - done
    for run in (second, last):
        assert run["reconciliation"][0]["failed"] is None
    assert trades(last) == trades(whole)
    assert last["positions"] == whole["positions"]
    assert last["equity"] == whole["equity"]
    assert last["cash"] == whole["cash"]


def test_up_needs_paper_and_says_so(tmp_path: Path) -> None:
    result = subprocess.run(
        [JTS, "up"], env={**os.environ, "JTS_HOME": str(tmp_path)}, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "add --paper" in result.stderr


def test_a_missing_strategy_file_is_named(tmp_path: Path) -> None:
    result = subprocess.run(
        [JTS, "up", "--paper", "--strategy", str(tmp_path / "nope.jts"), "--no-dashboard"],
        env={**os.environ, "JTS_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "cannot read strategy" in result.stderr
    assert "nope.jts" in result.stderr


@pytest.mark.parametrize(
    ("text", "seconds"), [("90", 90.0), ("30s", 30.0), ("5m", 300.0), ("2h", 7200.0)]
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


def test_a_bad_duration_says_how_to_write_one() -> None:
    with pytest.raises(ValueError, match="like 90s, 5m or 2h"):
        parse_duration("soon")


@pytest.mark.postgres
@pytest.mark.slow
def test_on_postgresql_a_restart_trades_as_the_backtest_engine(
    tmp_path: Path, market: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import make_url, text
    from typer.testing import CliRunner

    from jts.adapters.sql.engine import build_engine
    from jts.bootstrap.stores import read_bars_file
    from jts.contexts.risk.domain.limits import RiskLimits
    from jts.contexts.strategy.domain.language import compile_strategy
    from jts.entrypoints.cli.main import app
    from jts.runtime.backtest.engine import EngineConfig, EventDrivenBacktest
    from jts.runtime.live.summary import trade_document
    from jts.shared_kernel.identifiers import InstrumentId
    from jts.shared_kernel.timeframes import Timeframe
    from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar
    from jts.shared_kernel.venues.catalog import default_registry
    from tests.services import postgres_url

    base_url = postgres_url()
    schema = f"live_{uuid.uuid4().hex[:12]}"
    admin = build_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    parsed = make_url(base_url)
    url = parsed.update_query_dict({"options": f"-csearch_path={schema}"})
    monkeypatch.setenv("JTS_DATABASE__URL", url.render_as_string(False))
    monkeypatch.setenv("JTS_HOME", str(tmp_path / "home"))
    strategy, bars = market
    series = read_bars_file(bars, InstrumentId.parse("BTC-KRW.UPBIT"), Timeframe.parse("1h"))
    first_part = tmp_path / "part" / bars.name
    first_part.parent.mkdir()
    write_bars_file(series.take(slice(0, 400)), first_part)
    summary = tmp_path / "summary.json"
    try:
        for replayed in (first_part, bars):  # the second run resumes after the 400th bar
            arguments = ["up", "--paper", "--strategy", str(strategy), "--no-dashboard"]
            arguments += ["--replay", str(replayed), "--summary-json", str(summary)]
            result = CliRunner().invoke(app, arguments)
            assert result.exit_code == 0, result.output + result.stderr
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    document = json.loads(summary.read_text("utf-8"))
    assert document["counts"]["skipped_bars"] == 400
    assert document["counts"]["bars"] == HOURS - 400
    compiled = compile_strategy(STRATEGY, "btc_cross.jts")
    engine = EventDrivenBacktest(
        instruments=default_registry(),
        calendars={"24/7": AlwaysOpenCalendar()},
        config=EngineConfig(
            cash={"KRW": Decimal(100_000_000)},  # the settings' defaults, as jts up runs them
            limits=RiskLimits(max_order_notional=Decimal(10_000_000), max_open_orders=50),
        ),
    )
    expected = engine.run_program(compiled, [series])
    assert expected.trades
    assert trades(document) == [
        {k: v for k, v in trade_document(t).items() if k != "exit_reason"} for t in expected.trades
    ]
    assert Decimal(document["equity"]) == expected.final_equity
