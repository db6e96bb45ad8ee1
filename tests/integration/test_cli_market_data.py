"""``jts data fetch|compact|stats`` end to end in a temporary home; downloads are served
from recorded venue responses through ``httpx.MockTransport``."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from jts.bootstrap import market_data
from jts.entrypoints.cli.main import app

DATA = Path(__file__).resolve().parents[1] / "data"
runner = CliRunner()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.upper().startswith("JTS_") and not name.upper().startswith("JTS_TEST_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def jts(*args: str, home: Path) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"JTS_HOME": str(home)})
    return result.exit_code, result.stdout, result.stderr


def serve(handler: httpx.MockTransport, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(market_data, "HISTORY_TRANSPORT", handler)


def test_fetch_stores_binance_candles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def klines(request: httpx.Request) -> httpx.Response:
        assert request.url.host == "data-api.binance.vision"
        body = (DATA / "binance" / "klines_btcusdt_1m_page1.json").read_bytes()
        return httpx.Response(200, content=body)

    serve(httpx.MockTransport(klines), monkeypatch)
    home = tmp_path / "home"

    code, out, err = jts("data", "fetch", "-i", "BTCUSDT.BINANCE", "--from", "2024-05-03",
                         "--to", "2024-05-03", home=home)  # fmt: skip
    listing = jts("data", "list", home=home)[1]

    assert code == 0, err
    assert (
        "fetched 3 1m bars of BTCUSDT.BINANCE (2024-05-03T00:00:00Z .. 2024-05-03T00:02:00Z)" in out
    )
    assert "bars  BTCUSDT.BINANCE  1m         3" in listing


def test_fetch_without_network_explains_what_is_wrong(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 101] Network is unreachable", request=request)

    serve(httpx.MockTransport(offline), monkeypatch)

    code, _, err = jts("data", "fetch", "-i", "BTC-KRW.UPBIT", "--from", "2024-05-03",
                       "--to", "2024-05-03", home=tmp_path)  # fmt: skip

    assert code == 1
    assert "cannot reach api.upbit.com" in err
    assert "check the network connection" in err


def test_fetch_refuses_a_venue_without_public_candles(tmp_path: Path) -> None:
    code, _, err = jts("data", "fetch", "-i", "005930.KRX", "--from", "2024-05-03",
                       "--to", "2024-05-03", home=tmp_path)  # fmt: skip

    assert code == 1
    assert "BINANCE and UPBIT" in err


def test_compact_then_stats_show_both_tiers(tmp_path: Path) -> None:
    home = tmp_path / "home"
    code, _, err = jts("data", "generate", "-i", "BTCUSDT.BINANCE", "--from", "2024-03-04",
                       "--to", "2024-03-07", "--ticks", home=home)  # fmt: skip
    assert code == 0, err

    code, out, err = jts("data", "compact", "--hot-days", "0", home=home)
    assert code == 0, err
    assert "moved 5,764 bars" in out  # everything before today: 4 days of 1m and daily bars

    code, report, err = jts("data", "stats", home=home)
    assert code == 0, err
    assert "MB hot" in report
    minute_bars = next(line.split() for line in report.splitlines() if " 1m " in line)
    assert minute_bars[:6] == ["bars", "BTCUSDT.BINANCE", "1m", "0", "5,760", "4"]
    assert (home / "cold" / "bars" / "venue=BINANCE" / "symbol=BTCUSDT").is_dir()
    assert (home / "cold" / "ticks" / "venue=BINANCE" / "symbol=BTCUSDT").is_dir()

    code, listing, err = jts("data", "list", home=home)
    assert code == 0, err
    assert "(empty)" in listing  # `list` shows the hot store; `stats` shows both tiers


def test_stats_without_a_store_says_so(tmp_path: Path) -> None:
    code, _, err = jts("data", "stats", home=tmp_path / "empty")

    assert code == 1
    assert "no time-series store" in err
