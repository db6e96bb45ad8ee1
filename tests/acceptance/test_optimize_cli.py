"""``jts optimize`` end to end: a strategy file and a bar file in, a stored run and a report out."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import make_url, text
from typer.testing import CliRunner

from jts.adapters.sql.engine import build_engine
from jts.adapters.sql.errors import StoreError
from jts.adapters.sql.optimization_runs import SqlOptimizationRunStore
from jts.bootstrap.database import open_database
from jts.bootstrap.settings import load_settings
from jts.bootstrap.stores import simulate, write_bars_file
from jts.entrypoints.cli.main import app
from jts.shared_kernel.timeframes import Timeframe
from tests.services import postgres_url

STRATEGY = """
strategy "sma_cross"
universe BTCUSDT.BINANCE
timeframe 1h
param fast = 10 range 5..20 step 5
param slow = 50 range 30..60 step 10
let f = sma(close, fast)
let s = sma(close, slow)
entry long when crosses_above(f, s)
exit long when crosses_below(f, s)
size percent_equity(50%)
"""


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("optimize")
    strategy = folder / "cross.jts"
    strategy.write_text(STRATEGY, encoding="utf-8")
    hourly = Timeframe.parse("1h")
    market = simulate(
        ["BTCUSDT.BINANCE"], date(2025, 1, 1), date(2025, 4, 1), seed=5, timeframe=hourly
    )[0]
    data = folder / "btc.csv"
    write_bars_file(market.bars, data)
    return strategy, data


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JTS_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, ["optimize", *args])


def run_json(*args: str) -> dict[str, Any]:
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.output + result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_grid_walk_forward_json_report_and_store(files: tuple[Path, Path], home: Path) -> None:
    strategy, data = files
    report = home / "out" / "optimize.html"
    args = ["--data", str(data), "--walk-forward", "train=30d,test=15d", "--jobs", "2"]
    document = run_json(str(strategy), *args, "--min-trades", "3", "--report", str(report))

    assert list(document)[:5] == ["strategy", "method", "objective", "constraints", "best"]
    assert (document["strategy"], document["method"], document["objective"]) == (
        "sma_cross",
        "grid",
        "sharpe",
    )
    assert len(document["trials"]) == 4 * 4
    scores = [t["score"] for t in document["trials"] if t["score"] is not None]
    assert document["best"]["score"] == max(scores)
    assert {t["trades"] for t in document["trials"]} != {0}
    assert all(
        t["violation"] is None or "min_trades 3" in t["violation"] for t in document["trials"]
    )
    windows = document["walk_forward"]
    assert len(windows) == 4  # 90 days: 30 to train, then four complete 15-day tests
    assert [w["test"]["start"][:10] for w in windows] == [
        "2025-01-31",
        "2025-02-15",
        "2025-03-02",
        "2025-03-17",
    ]
    assert all(set(w["parameters"]) == {"fast", "slow"} for w in windows)
    assert document["out_of_sample"]["metrics"]["trades"] >= 0
    assert 0.0 <= document["deflated_sharpe"]["probability"] <= 1.0
    assert 0.0 <= document["pbo"]["probability"] <= 1.0

    html = report.read_text(encoding="utf-8")
    assert "sma_cross" in html
    assert "<svg" in html

    with open_database(load_settings()) as database:
        store = SqlOptimizationRunStore(database.engine)
        stored = store.load_run(document["run_id"])
        trial_rows = store.trial_scores(document["run_id"])
    assert stored == {k: v for k, v in document.items() if k != "run_id"}
    assert [row[0] for row in trial_rows] == list(range(16))
    assert [row[1] for row in trial_rows] == [t["score"] for t in document["trials"]]


def test_seeded_tpe_repeats_with_any_jobs_and_prints_a_summary(
    files: tuple[Path, Path], home: Path
) -> None:
    strategy, data = files
    common = [str(strategy), "--data", str(data), "--method", "tpe", "--trials", "6"]
    first = run_json(*common, "--seed", "3", "--objective", "sortino")
    second = run_json(*common, "--seed", "3", "--objective", "sortino", "--jobs", "2")
    assert len(first["trials"]) == 6
    assert [t["parameters"] for t in first["trials"]] == [t["parameters"] for t in second["trials"]]
    assert first["best"] == second["best"]
    assert first["run_id"] != second["run_id"]

    result = invoke(*common, "--seed", "3")
    assert result.exit_code == 0, result.output + result.stderr
    assert "tpe search, objective sharpe, 6 trials" in result.stdout
    assert "stored as run " in result.stdout


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--objective", "profit"], "unknown objective 'profit'"),
        (["--method", "random"], "choose grid or tpe"),
        (["--walk-forward", "train=10"], "write train=N,test=M"),
        (["--walk-forward", "train=400d,test=30d"], "needs more data than the 2184 bars"),
        (["--symbol", "005930.KRX"], "not in sma_cross's universe"),
        (["--cash", "lots"], "--cash 'lots' is not a number"),
        (["--jobs", "0"], "give 1 or more worker processes"),
    ],
)
def test_bad_options_fail_with_a_clear_message(
    files: tuple[Path, Path], home: Path, extra: list[str], message: str
) -> None:
    strategy, data = files
    result = invoke(str(strategy), "--data", str(data), *extra)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_bad_data_and_bad_strategy_are_named(files: tuple[Path, Path], home: Path) -> None:
    strategy, data = files
    lines = data.read_text(encoding="utf-8").splitlines()
    fields = lines[5].split(",")
    fields[2], fields[3] = fields[3], fields[2]  # high below low
    broken = home / "broken.csv"
    broken.write_text("\n".join([*lines[:5], ",".join(fields), *lines[6:]]), encoding="utf-8")
    result = invoke(str(strategy), "--data", str(broken))
    assert result.exit_code == 1
    assert "row" in result.stderr

    bad = home / "bad.jts"
    bad.write_text(STRATEGY.replace("sma(close, fast)", "sma(close, fats)"), encoding="utf-8")
    result = invoke(str(bad), "--data", str(data))
    assert result.exit_code == 1
    assert "bad.jts:" in result.stderr
    assert "fats" in result.stderr


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    base_url = postgres_url()
    schema = f"optimize_{uuid.uuid4().hex[:12]}"
    admin = build_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    parsed = make_url(base_url)
    options = f"{parsed.query.get('options', '')} -csearch_path={schema}".strip()
    try:
        yield parsed.update_query_dict({"options": options}).render_as_string(False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_runs_are_stored_whole_in_postgresql_and_never_overwritten(
    postgres_schema_url: str,
) -> None:
    document = {
        "strategy": "s",
        "method": "grid",
        "objective": "sharpe",
        "best": {"parameters": {"fast": 5}, "score": 1.5},
        "trials": [
            {
                "parameters": {"fast": 5},
                "score": 1.5,
                "objective": 1.5,
                "trades": 4,
                "violation": None,
            },
            {
                "parameters": {"fast": 10},
                "score": None,
                "objective": 0.2,
                "trades": 1,
                "violation": "1 trades < min_trades 2",
            },
        ],
        "deflated_sharpe": None,
        "pbo": {"probability": 0.25},
    }
    with open_database(postgres_schema_url) as database:
        store = SqlOptimizationRunStore(database.engine)
        store.save_run("run-1", 123, document)
        assert store.load_run("run-1") == document
        assert store.trial_scores("run-1") == [(0, 1.5, 4), (1, None, 1)]
        assert store.load_run("missing") is None
        with pytest.raises(StoreError, match="already stored"):
            store.save_run("run-1", 124, {**document, "trials": []})
        assert len(store.trial_scores("run-1")) == 2
