"""``jts risk kill|release|status`` against a running ``jts up --paper``, from another
process, and its errors when there is nothing to switch."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from jts.bootstrap.stores import simulate, write_bars_file

STRATEGY = """strategy "btc_fast_cross"
universe BTC-KRW.UPBIT
timeframe 1h

let f = sma(close, 3)
let s = sma(close, 8)

entry long when crosses_above(f, s)
exit long when crosses_below(f, s)

size percent_equity(5%)
"""
JTS = str(Path(sys.executable).with_name("jts"))
HOURS = 24 * 30
REPLAY_S = 6.0


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from jts.adapters.marketsim.resample import resample_bars
    from jts.shared_kernel.timeframes import Timeframe

    folder = tmp_path_factory.mktemp("market")
    (simulated,) = simulate(["BTC-KRW.UPBIT"], date(2025, 3, 1), date(2025, 3, 30), seed=5)
    hourly = resample_bars(simulated.minute_bars, Timeframe.parse("1h"), simulated.sessions)
    bars = folder / "bars.BTC-KRW.UPBIT.csv"
    write_bars_file(hourly, bars)
    strategy = folder / "btc_fast_cross.jts"
    strategy.write_text(STRATEGY, "utf-8")
    return strategy, bars


def jts(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``jts ARGS`` in its own process."""
    env = {**os.environ, "JTS_HOME": str(home)}
    return subprocess.run([JTS, *args], env=env, capture_output=True, text=True, timeout=60)


def cli(home: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    """``jts ARGS`` in this test's process (no start-up to wait for; the node is elsewhere)."""
    from jts.entrypoints.cli.main import app

    monkeypatch.setenv("JTS_HOME", str(home))
    return CliRunner().invoke(app, list(args))


def entry_orders_created_after(home: Path, ts_ns: int) -> list[tuple[str, int]]:
    with sqlite3.connect(home / "jts.sqlite3") as connection:
        rows = connection.execute(
            "SELECT client_order_id, created_ns FROM orders WHERE side = 'BUY' AND created_ns > ?",
            (ts_ns,),
        ).fetchall()
    return [(str(c), int(t)) for c, t in rows]


@pytest.mark.slow
def test_a_kill_from_the_cli_halts_a_running_node(
    tmp_path: Path, market: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    strategy, bars = market
    command = [JTS, "up", "--paper", "--strategy", str(strategy), "--replay", str(bars)]
    command += ["--speed", str(3600 * HOURS / REPLAY_S), "--no-dashboard"]
    command += ["--summary-json", str(tmp_path / "summary.json")]
    env = {**os.environ, "JTS_HOME": str(tmp_path)}
    node = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert node.stdout is not None
    for line in node.stdout:  # kill once the node has traded
        if b"Filled " in line:
            break

    killed = cli(tmp_path, monkeypatch, "risk", "kill", "--reason", "test")
    out, err = node.communicate(timeout=60)

    assert killed.exit_code == 0, killed.output
    assert "kill switch of paper engaged (manual): test" in killed.stdout
    assert node.returncode == 0, (out + err).decode()
    document: dict[str, Any] = json.loads((tmp_path / "summary.json").read_text("utf-8"))
    assert document["finished"] == "feed ended"
    risk = document["risk"]
    assert risk["kill_switch"] is True
    assert risk["kill_reason"] == "test"
    state = risk["kill_switch_state"]
    assert (state["engaged"], state["source"], state["reason"]) == (True, "manual", "test")
    assert state["halted_at"] < document["clock"]  # it landed while bars were still coming
    assert document["counts"]["bars"] > 0
    assert entry_orders_created_after(tmp_path, state["halted_at_ns"]) == []
    assert [a for a in risk["alerts"] if a["rule"] == "kill_switch.manual"]
    status = cli(tmp_path, monkeypatch, "risk", "status", "--json")
    assert status.exit_code == 2  # engaged
    assert json.loads(status.stdout)["reason"] == "test"


def test_kill_release_and_status_on_a_stored_account(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jts.adapters.sql.engine import build_engine
    from jts.adapters.sql.migrations import upgrade
    from jts.adapters.sql.paper_accounts import SqlAccountStore

    engine = build_engine(f"sqlite:///{tmp_path / 'jts.sqlite3'}")
    upgrade(engine)
    SqlAccountStore(engine).save("desk1", {("cash", "KRW"): "{}"}, [])
    engine.dispose()

    def risk(*args: str) -> Result:
        return cli(tmp_path, monkeypatch, "risk", *args, "--account", "desk1")

    first = risk("kill", "--reason", "broker outage")
    second = risk("kill", "--reason", "again")
    status = risk("status")
    released = risk("release", "--reason", "all clear")
    after = risk("status", "--json")

    assert first.exit_code == 0, first.output
    assert "engaged (manual): broker outage" in first.stdout
    assert "already engaged (manual): broker outage" in second.stdout
    assert status.exit_code == 2
    assert "ENGAGED (manual)" in status.stdout
    assert "broker outage" in status.stdout
    assert released.exit_code == 0
    assert "released by" in released.stdout
    assert after.exit_code == 0
    document = json.loads(after.stdout)
    assert (document["engaged"], document["release_reason"]) == (False, "all clear")


def test_without_a_database_it_says_to_create_one(tmp_path: Path) -> None:
    result = jts(tmp_path, "risk", "kill", "--reason", "test")

    assert result.returncode == 1
    assert "jts db upgrade" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_account_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli(tmp_path, monkeypatch, "db", "upgrade").exit_code == 0

    result = cli(tmp_path, monkeypatch, "risk", "kill", "--account", "typo", "--reason", "x")

    assert result.exit_code == 1
    assert "no account 'typo'" in result.output
    assert "--account" in result.output
