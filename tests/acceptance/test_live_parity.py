"""Parity: bars replayed through ``jts up --paper --replay`` trade exactly as the
event-driven backtest engine trades them.

Every example strategy runs on simulated bars of the instruments of its universe that the
built-in registry knows, at its own timeframe: once through the command line (the live
node: strategy engine, signals on the bus, risk, the OMS, the paper broker, the portfolio)
and once through ``EventDrivenBacktest`` with the same cash, limits, FX rate and exchange
settings. The summary's fills, round-trip trades, positions and final equity must equal the
backtest's to the last digit, and every case must trade, so the comparison is never vacuous.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jts.adapters.calendars import trading_calendar
from jts.bootstrap.stores import simulate, write_bars_file
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.risk.domain.limits import RiskLimits
from jts.contexts.strategy.domain.language import compile_strategy
from jts.entrypoints.cli.main import app
from jts.runtime.backtest.engine import EngineConfig, EventDrivenBacktest, FxSeries
from jts.runtime.backtest.results import BacktestResult
from jts.runtime.live.summary import iso, trade_document
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar
from jts.shared_kernel.venues.catalog import default_registry

EXAMPLES = Path(__file__).parents[2] / "examples" / "strategies"
REGISTRY = default_registry()
MAX_NOTIONAL = Decimal(1_000_000_000)
USDT_RATE = Decimal(1380)  # the rate jts up starts USDT at (bootstrap.live.DEFAULT_FX_RATES)
DEFAULTS = {
    # the defaults trade nothing on these bars; a faster, less strict RSI trades and stops
    "rsi_mean_reversion": {
        "param period = 14": "param period = 7",
        "oversold = 30": "oversold = 35",
    },
}


def _examples() -> list[str]:
    return sorted(path.stem for path in EXAMPLES.glob("*.jts"))


@cache
def _bars(instruments: tuple[str, ...], timeframe: str) -> tuple[BarSeries, ...]:
    frame = Timeframe.parse(timeframe)
    if frame.seconds >= 86_400:
        start, end = date(2023, 1, 2), date(2024, 12, 30)  # a 200-day trend filter warms up
    elif frame.seconds >= 3_600:
        start, end = date(2024, 1, 2), date(2024, 9, 30)
    else:
        start, end = date(2024, 3, 4), date(2024, 4, 30)
    markets = simulate(list(instruments), start, end, seed=7, timeframe=frame)
    return tuple(market.bars for market in markets)


def _backtest(compiled: Any, bars: list[BarSeries]) -> BacktestResult:
    cash = {"KRW": Decimal(100_000_000)}
    if any(REGISTRY.get(s.instrument_id).quote_currency == "USDT" for s in bars):
        cash["USDT"] = Decimal(100_000)
    calendars = {
        "XKRX": trading_calendar("XKRX", first_year=2023, last_year=2025),
        "24/7": AlwaysOpenCalendar(),
    }
    config = EngineConfig(
        cash=cash, limits=RiskLimits(max_order_notional=MAX_NOTIONAL, max_open_orders=50)
    )
    engine = EventDrivenBacktest(instruments=REGISTRY, calendars=calendars, config=config)
    return engine.run_program(compiled, bars, fx=[FxSeries("USDT", [0], [USDT_RATE])])


def _source(name: str) -> str:
    """The example's text, with other parameter defaults where it needs them to trade."""
    source = (EXAMPLES / f"{name}.jts").read_text("utf-8")
    for old, new in DEFAULTS.get(name, {}).items():
        assert old in source
        source = source.replace(old, new)
    return source


def _live(
    name: str, bars: list[BarSeries], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    monkeypatch.setenv("JTS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("JTS_RISK__MAX_ORDER_NOTIONAL_KRW", str(MAX_NOTIONAL))
    strategy = tmp_path / f"{name}.jts"
    strategy.write_text(_source(name), "utf-8")
    arguments = ["up", "--paper", "--strategy", str(strategy), "--no-dashboard"]
    for series in bars:
        path = tmp_path / f"bars.{series.instrument_id}.csv"
        write_bars_file(series, path)
        arguments += ["--replay", str(path)]
    summary = tmp_path / "summary.json"
    result = CliRunner().invoke(app, [*arguments, "--summary-json", str(summary)])
    assert result.exit_code == 0, result.output + result.stderr
    document: dict[str, Any] = json.loads(summary.read_text("utf-8"))
    return document


def _fill(fill: Any) -> tuple[str, ...]:
    return (
        iso(fill.ts_ns),
        str(fill.instrument_id),
        fill.side.value,
        format(fill.quantity.normalize(), "f"),
        format(fill.price.normalize(), "f"),
        format(fill.commission.normalize(), "f"),
        format(fill.tax.normalize(), "f"),
        fill.reason,
    )


def _summary_fill(fill: dict[str, str]) -> tuple[str, ...]:
    keys = ("time", "instrument", "side", "quantity", "price", "commission", "tax", "reason")
    return tuple(fill[key] for key in keys)


@pytest.mark.slow
@pytest.mark.parametrize("name", _examples())
def test_a_replay_through_jts_up_trades_as_the_backtest_engine(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled = compile_strategy(_source(name), f"{name}.jts")
    known = tuple(str(i) for i in compiled.program.universe if i in REGISTRY)
    bars = list(_bars(known, compiled.program.timeframe))

    backtest = _backtest(compiled, bars)
    live = _live(name, bars, tmp_path, monkeypatch)

    assert backtest.trades, f"{name} made no trade on these bars: the test would prove nothing"
    assert live["finished"] == "feed ended"
    assert [_summary_fill(f) for f in live["fills"]] == [_fill(f) for f in backtest.fills]
    assert live["trades"] == [trade_document(t) for t in backtest.trades]
    assert Decimal(live["equity"]) == backtest.final_equity
    held = {p["instrument"]: Decimal(p["quantity"]) for p in live["positions"]}
    assert held == {str(p.instrument_id): p.quantity for p in backtest.positions}
    assert {c: Decimal(v) for c, v in live["cash"].items()} == dict(backtest.balances)


def test_every_example_is_covered() -> None:
    assert len(_examples()) >= 6
