"""``jts data generate|list|export|import`` end to end in a temporary home."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from jts.entrypoints.cli.main import app

runner = CliRunner()
GENERATE = [
    "data",
    "generate",
    "-i",
    "005930.KRX",
    "-i",
    "BTCUSDT.BINANCE",
    "--from",
    "2024-03-04",
    "--to",
    "2024-03-05",
    "--seed",
    "7",
]


def jts(*args: str, home: Path) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"JTS_HOME": str(home)})
    return result.exit_code, result.stdout, result.stderr


def test_generate_list_export_import_round_trip(tmp_path: Path) -> None:
    home, other_home = tmp_path / "home", tmp_path / "other"
    exported, again = tmp_path / "samsung.csv", tmp_path / "again.csv"

    code, out, err = jts(*GENERATE, home=home)
    assert code == 0, err
    assert "005930.KRX 1m: 780 bars" in out  # two KRX sessions of 390 minutes
    assert "BTCUSDT.BINANCE 1m: 2,880 bars" in out
    assert f"wrote 3,664 rows to {home / 'timeseries.duckdb'}" in out  # + 2 + 2 daily bars

    code, listing, err = jts("data", "list", home=home)
    assert code == 0, err
    lines = [line.split() for line in listing.splitlines()[2:]]
    assert [line[:4] for line in lines] == [
        ["bars", "005930.KRX", "1m", "780"],
        ["bars", "005930.KRX", "1d", "2"],
        ["bars", "BTCUSDT.BINANCE", "1m", "2,880"],
        ["bars", "BTCUSDT.BINANCE", "1d", "2"],
    ]
    assert lines[0][4:] == ["2024-03-04T00:00:00Z", "2024-03-05T06:29:00Z"]  # 09:00-15:29 KST

    code, out, err = jts(
        "data",
        "export",
        "-i",
        "005930.KRX",
        "--from",
        "2024-03-05",
        "--to",
        "2024-03-05",
        "-o",
        str(exported),
        home=home,
    )
    assert code == 0, err
    assert "exported 390 1m bars of 005930.KRX" in out
    assert exported.read_text().splitlines()[0] == "timestamp,open,high,low,close,volume"

    code, out, err = jts("data", "import", str(exported), "-i", "005930.KRX", home=other_home)
    assert code == 0, err
    assert "imported 390 1m bars of 005930.KRX" in out
    code, _, err = jts("data", "export", "-i", "005930.KRX", "-o", str(again), home=other_home)
    assert code == 0, err
    assert again.read_text() == exported.read_text()


def test_generate_writes_files_instead_of_the_store(tmp_path: Path) -> None:
    code, out, err = jts(
        *GENERATE, "--ticks", "--out", str(tmp_path / "sim.parquet"), home=tmp_path
    )
    assert "005930.KRX 1m: 780 bars" in out

    assert code == 0, err
    assert sorted(path.name for path in tmp_path.glob("*.parquet")) == [
        "sim.005930.KRX.parquet",
        "sim.005930.KRX.ticks.parquet",
        "sim.BTCUSDT.BINANCE.parquet",
        "sim.BTCUSDT.BINANCE.ticks.parquet",
    ]
    assert not (tmp_path / ".jts").exists()
    assert jts("data", "list", home=tmp_path)[1].endswith(
        "empty (no data yet; try `jts data generate`)\n"
    )


def test_the_same_seed_generates_the_same_file(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"

    for path in (first, second):
        assert (
            jts(
                *GENERATE[:4],
                "--from",
                "2024-03-04",
                "--to",
                "2024-03-04",
                "--seed",
                "3",
                "-o",
                str(path),
                home=tmp_path,
            )[0]
            == 0
        )

    assert first.read_text() == second.read_text()


def test_bad_import_file_names_the_row(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "timestamp,open,high,low,close,volume\n"
        "2024-03-04T00:00:00Z,100,101,99,100,5\n"
        "2024-03-04T00:01:00Z,100,99,101,100,5\n"
    )

    code, _, err = jts("data", "import", str(bad), "-i", "BTCUSDT.BINANCE", home=tmp_path)

    assert code == 1
    assert f"error: {bad}: row 2 (line 3): high is below low" in err


def test_unknown_instrument_and_empty_export_fail_with_a_message(tmp_path: Path) -> None:
    code, _, err = jts(
        "data",
        "generate",
        "-i",
        "999999.KRX",
        "--from",
        "2024-03-04",
        "--to",
        "2024-03-04",
        home=tmp_path,
    )
    assert code == 1
    assert "no instrument spec for 999999.KRX" in err

    code, _, err = jts(
        "data", "export", "-i", "005930.KRX", "-o", str(tmp_path / "x.csv"), home=tmp_path
    )
    assert code == 1
    assert "no time-series store at" in err

    jts(*GENERATE, home=tmp_path)
    code, _, err = jts(
        "data",
        "export",
        "-i",
        "005930.KRX",
        "--from",
        "2025-01-01",
        "-o",
        str(tmp_path / "x.csv"),
        home=tmp_path,
    )
    assert code == 1
    assert "no 1m bars of 005930.KRX in that range" in err


def test_malformed_instrument_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = jts("data", "import", "x.csv", "-i", "005930", home=tmp_path)

    assert code == 2
    assert "Invalid value for --instrument" in err
