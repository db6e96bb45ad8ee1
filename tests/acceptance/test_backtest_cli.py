"""``jts backtest`` end to end: strategy and bar files in, a summary, JSON or a report out."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jts.bootstrap.stores import simulate, write_bars_file
from jts.entrypoints.cli.main import app
from jts.shared_kernel.timeframes import Timeframe

CROSS = """
strategy "sma_cross"
universe BTCUSDT.BINANCE
timeframe 1h
param fast = 10 range 5..20 step 5
param slow = 50 range 30..60 step 10
let f = sma(close, fast)
let s = sma(close, slow)
entry long when crosses_above(f, s)
exit long when crosses_below(f, s)
stop_loss 3%
size percent_equity(50%)
"""
GOLDEN = Path(__file__).parents[2] / "examples" / "strategies" / "golden_cross.jts"
HEADER = "timestamp,open,high,low,close,volume"
TRADE_FIELDS = {
    "instrument",
    "side",
    "quantity",
    "entry_time",
    "entry_price",
    "exit_time",
    "exit_price",
    "fees",
    "pnl",
    "currency",
    "exit_reason",
}
runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("backtest")
    strategy = folder / "cross.jts"
    strategy.write_text(CROSS, encoding="utf-8")
    minute = simulate(["BTCUSDT.BINANCE"], date(2025, 1, 1), date(2025, 1, 20), seed=5)[0]
    hourly = simulate(
        ["BTCUSDT.BINANCE"], date(2025, 1, 1), date(2025, 3, 1), seed=5, timeframe=Timeframe(3600)
    )[0]
    daily = simulate(
        ["005930.KRX", "000660.KRX"],
        date(2024, 1, 1),
        date(2025, 6, 30),
        seed=9,
        timeframe=Timeframe(86_400),
    )
    krx = folder / "krx"
    for market in daily:
        write_bars_file(market.bars, krx / f"bars.{market.instrument.id}.csv")
    write_bars_file(hourly.bars, folder / "btc_1h.csv")
    write_bars_file(minute.bars, folder / "btc_1m.parquet")
    return {
        "strategy": strategy,
        "hourly": folder / "btc_1h.csv",
        "minute": folder / "btc_1m.parquet",
        "krx": krx,
        "folder": folder,
    }


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JTS_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Any:
    return runner.invoke(app, ["backtest", *args], catch_exceptions=False)


def json_run(*args: str) -> dict[str, Any]:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_json_document_is_stable(files: dict[str, Path]) -> None:
    doc = json_run(str(files["strategy"]), "--data", str(files["hourly"]))

    assert list(doc) == [
        "strategy",
        "parameters",
        "engine",
        "base_currency",
        "instruments",
        "start",
        "end",
        "bars",
        "initial_equity",
        "final_equity",
        "metrics",
        "trades",
        "positions",
        "notes",
    ]
    assert doc["strategy"] == "sma_cross"
    assert doc["parameters"] == {"fast": 10.0, "slow": 50.0}
    assert (doc["engine"], doc["base_currency"], doc["instruments"]) == (
        "vectorized",
        "USDT",
        ["BTCUSDT.BINANCE"],
    )
    assert doc["trades"], "the cross should trade on two months of hourly bars"
    for trade in doc["trades"]:
        assert set(trade) == TRADE_FIELDS
        assert trade["side"] == "long"
        assert trade["entry_time"].endswith("Z")
        assert trade["entry_time"] <= trade["exit_time"]
    assert isinstance(doc["final_equity"], int | float)
    pnl = sum(t["pnl"] for t in doc["trades"])
    held = sum(p["quantity"] * p["last_price"] for p in doc["positions"])
    assert doc["metrics"]["trade_count"] == len(doc["trades"])
    assert abs(doc["initial_equity"] + pnl - doc["final_equity"]) <= held + 1e-6


def test_summary_shows_metrics_and_trades(files: dict[str, Path]) -> None:
    result = run(str(files["strategy"]), "--data", str(files["hourly"]))

    assert result.exit_code == 0, result.output
    assert "sma_cross" in result.output
    assert "sharpe" in result.output
    assert "max_drawdown" in result.output
    assert "trades" in result.output
    assert "BTCUSDT.BINANCE" in result.output


def test_report_is_written(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "report.html"

    result = run(str(files["strategy"]), "--data", str(files["hourly"]), "--report", str(out))

    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<svg" in html
    assert "sma_cross" in html


def test_finer_bars_are_rolled_up_to_the_program_timeframe(files: dict[str, Path]) -> None:
    minute = json_run(str(files["strategy"]), "--data", str(files["minute"]))

    assert minute["bars"] == 20 * 24


def test_a_folder_holds_one_file_per_instrument(files: dict[str, Path]) -> None:
    doc = json_run(
        str(GOLDEN), "--data", str(files["krx"]), "--param", "fast=10", "--param", "slow=30"
    )

    assert doc["instruments"] == ["005930.KRX", "000660.KRX"]
    assert {t["instrument"] for t in doc["trades"]} <= {"005930.KRX", "000660.KRX"}
    assert doc["parameters"] == {"fast": 10.0, "slow": 30.0}


def test_both_engines_agree(files: dict[str, Path]) -> None:
    args = (str(GOLDEN), "--data", str(files["krx"]), "--param", "fast=10", "--param", "slow=30")

    vectorized = json_run(*args)
    event = json_run(*args, "--engine", "event")

    assert event["engine"] == "event"
    assert event["trades"] == vectorized["trades"]
    assert event["final_equity"] == vectorized["final_equity"]


def test_dates_fees_and_cash_change_the_run(files: dict[str, Path]) -> None:
    base = (str(files["strategy"]), "--data", str(files["hourly"]))

    plain = json_run(*base)
    cut = json_run(*base, "--from", "2025-02-01", "--to", "2025-02-14")
    costly = json_run(*base, "--fees", "30", "--slippage", "5")
    small = json_run(*base, "--cash", "25000")

    assert cut["start"].startswith("2025-02-01")
    assert cut["end"] <= "2025-02-15T00:00:00Z"
    assert small["initial_equity"] == 25000
    first, dear = plain["trades"][0], costly["trades"][0]
    assert dear["entry_time"] == first["entry_time"]
    assert dear["entry_price"] > first["entry_price"]
    rate = dear["fees"] / (dear["quantity"] * (dear["entry_price"] + dear["exit_price"]))
    assert rate > 0.0029


def bad_file(folder: Path, rows: list[str]) -> Path:
    path = folder / "bad.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


GOOD = [
    "2025-01-01T00:00:00Z,100,101,99,100.5,10",
    "2025-01-01T01:00:00Z,100.5,102,100,101,10",
    "2025-01-01T02:00:00Z,101,103,100.5,102,10",
]


@pytest.mark.parametrize(
    ("row", "index", "words"),
    [
        ("2025-01-01T00:30:00Z,100,101,99,100,10", 4, "unsorted or duplicate"),
        ("2025-01-01T02:00:00Z,100,101,99,100,10", 4, "unsorted or duplicate"),
        ("2025-01-01T03:00:00Z,NaN,101,99,100,10", 4, "finite"),
        ("2025-01-01T03:00:00Z,100,98,99,100,10", 4, "high is below low"),
    ],
)
def test_bad_data_names_the_row(
    files: dict[str, Path], tmp_path: Path, row: str, index: int, words: str
) -> None:
    path = bad_file(tmp_path, [*GOOD, row])

    result = run(str(files["strategy"]), "--data", str(path))

    assert result.exit_code == 1
    assert f"row {index}" in result.output
    assert words in result.output
    assert str(path) in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--symbol", "ETHUSDT.BINANCE"), "not in sma_cross's universe"),
        (("--param", "speed=3"), "no parameter 'speed'"),
        (("--param", "fast"), "NAME=VALUE"),
        (("--fees", "cheap"), "not a number"),
        (("--from", "yesterday"), "YYYY-MM-DD"),
        (("--engine", "quantum"), "vectorized or event"),
    ],
)
def test_bad_options_say_what_to_do(
    files: dict[str, Path], args: tuple[str, ...], words: str
) -> None:
    result = run(str(files["strategy"]), "--data", str(files["hourly"]), *args)

    assert result.exit_code == 1
    assert words in result.output


def test_strategy_errors_print_their_diagnostics(files: dict[str, Path], tmp_path: Path) -> None:
    broken = tmp_path / "broken.jts"
    broken.write_text(CROSS.replace("sma(close, fast)", "sma(close, fats)"), encoding="utf-8")

    result = run(str(broken), "--data", str(files["hourly"]))

    assert result.exit_code == 1
    assert "broken.jts:" in result.output
    assert "fats" in result.output
