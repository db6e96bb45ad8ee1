"""``jts demo`` runs end to end on embedded defaults and leaves real data behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jts.bootstrap.database import database_revision, head_revision
from jts.bootstrap.settings import load_settings
from jts.bootstrap.stores import open_timeseries
from jts.entrypoints.cli.main import app
from jts.shared_kernel.timeframes import Timeframe


@pytest.mark.slow
def test_demo_fills_stores_researches_and_paper_trades(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JTS_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)

    result = CliRunner().invoke(app, ["demo", "--seed", "3", "--paper-seconds", "3"])

    assert result.exit_code == 0, result.output + result.stderr
    assert "Simulated markets" in result.output
    for instrument in ("005930.KRX", "BTC-KRW.UPBIT", "BTCUSDT.BINANCE"):
        assert instrument in result.output
    settings = load_settings()
    assert database_revision(settings) == head_revision()
    with open_timeseries(settings, read_only=True) as store:
        stored = {(s.instrument_id.venue, s.timeframe): s.count for s in store.list_bars()}
    assert stored[("KRX", Timeframe(60))] > 90_000  # ~242 sessions x 390 minutes
    assert stored[("UPBIT", Timeframe(60))] == (365 + 366 + 365) * 1440  # 2023-2025
    assert "Backtest of golden_cross" in result.output
    assert "grid of 190 parameter sets" in result.output
    reports = tmp_path / "home" / "reports"
    for name in ("golden_cross.backtest.html", "golden_cross.optimize.html"):
        html = (reports / name).read_text(encoding="utf-8")
        assert "<svg" in html
        assert "golden_cross" in html
    assert "Paper trading summary" in result.output
    summary = json.loads((tmp_path / "home" / "paper-summary.json").read_text(encoding="utf-8"))
    assert summary["finished"] == "duration elapsed"
    assert {s["id"] for s in summary["strategies"]} >= {"golden_cross", "donchian_breakout"}
