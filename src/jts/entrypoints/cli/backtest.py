"""``jts backtest FILE --data PATH``: run a strategy over historical bars.

Prints a summary (metrics and the last trades) by default, or with ``--json`` one stable
document::

    {"strategy", "parameters", "engine", "base_currency", "instruments", "start", "end",
     "bars", "initial_equity", "final_equity", "metrics", "trades", "positions", "notes"}

Money is written as exact decimal numbers, times as ISO 8601 UTC text, undefined metrics
as ``null``. Each trade has ``instrument, side, quantity, entry_time, entry_price,
exit_time, exit_price, fees, pnl, currency, exit_reason``. Bad input (a strategy error, a
data file with a bad row) prints ``error: ...`` naming the file and row, exit status 1.

Heavy modules load inside the command, so registering it costs ``jts`` nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from jts.entrypoints.cli.config import cli_settings
from jts.shared_kernel.errors import JtsError

if TYPE_CHECKING:
    from jts.bootstrap.backtest import BacktestRun

BACKTEST_ERROR_EXIT_CODE = 1
ENGINES = ("vectorized", "event")
LAST_TRADES = 10


def backtest(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="A strategy file: .jts, or .py (runs on the event engine).")
    ],
    data: Annotated[
        list[Path],
        typer.Option(
            "--data",
            help="Bars: CSV or Parquet (timestamp,open,high,low,close,volume), one file per "
            "instrument (named like bars.005930.KRX.csv), or a folder of them.",
        ),
    ],
    symbol: Annotated[
        str | None, typer.Option(help="Instrument a single data file holds (default: first).")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="First day, YYYY-MM-DD (exchange time).")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
    cash: Annotated[
        list[str] | None,
        typer.Option(help="Starting cash: N in the base currency, or CURRENCY=N (repeatable)."),
    ] = None,
    fees: Annotated[
        str, typer.Option(help="default (each venue's fees) or a flat rate in bps, e.g. 10.")
    ] = "default",
    slippage: Annotated[str | None, typer.Option(help="Slippage in bps, e.g. 5.")] = None,
    participation: Annotated[
        str | None, typer.Option(help="Largest share of a bar's volume to fill, e.g. 0.1.")
    ] = None,
    fx_rate: Annotated[
        str | None, typer.Option("--fx-rate", help="KRW per USDT for USDT instruments.")
    ] = None,
    fx: Annotated[
        Path | None, typer.Option("--fx", help="FX bars file: close is KRW per USDT.")
    ] = None,
    param: Annotated[
        list[str] | None, typer.Option(help="Override a parameter: NAME=VALUE (repeatable).")
    ] = None,
    engine: Annotated[str, typer.Option(help="vectorized or event.")] = "vectorized",
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    report: Annotated[Path | None, typer.Option(help="Write an HTML report to this path.")] = None,
) -> None:
    """Backtest FILE on the bars in --data; print metrics and trades."""
    from jts.bootstrap.backtest import BacktestOptions, backtest_files

    settings = cli_settings(ctx)
    if engine not in ENGINES:
        _fail(f"--engine {engine!r}: choose vectorized or event")
    options = BacktestOptions(
        strategy_path=file,
        data=tuple(data),
        symbol=symbol,
        start=_day(start, "--from"),
        end=_day(end, "--to"),
        cash=_cash(cash or []),
        fees_bps=None if fees == "default" else _number(fees, "--fees"),
        slippage_bps=_number(slippage, "--slippage") if slippage else None,
        participation=_number(participation, "--participation") if participation else None,
        fx_rate=_number(fx_rate, "--fx-rate") if fx_rate else None,
        fx_path=fx,
        params=_params(param or []),
        engine="event" if engine == "event" else "vectorized",
        report=report,
        calendar_cache=settings.home / "cache" / "calendars",
    )
    try:
        run = backtest_files(options)
    except (JtsError, ValueError) as e:
        _fail(str(e))
    if as_json:
        typer.echo(document_json(run))
    else:
        print_summary(run, last=LAST_TRADES)


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        _fail(f"{option} {text!r} is not a date; write YYYY-MM-DD")
    raise AssertionError("unreachable")


def _number(text: str, option: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        _fail(f"{option} {text!r} is not a number")
    if not value.is_finite() or value < 0:
        _fail(f"{option} {text}: give a number of 0 or more")
    return value


def _cash(items: list[str]) -> dict[str, Decimal]:
    cash: dict[str, Decimal] = {}
    for item in items:
        currency, _, amount = item.rpartition("=")
        cash[currency.strip().upper()] = _number(amount.strip(), "--cash")
    return cash


def _params(items: list[str]) -> dict[str, float]:
    params: dict[str, float] = {}
    for item in items:
        name, equals, value = item.partition("=")
        if not equals or not name.strip():
            _fail(f"--param {item!r}: write NAME=VALUE, e.g. fast=10")
        try:
            params[name.strip()] = float(value)
        except ValueError:
            _fail(f"--param {item!r}: {value!r} is not a number")
    return params


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(BACKTEST_ERROR_EXIT_CODE)


# --- output -----------------------------------------------------------------------------------

METRICS = (
    "total_return",
    "cagr",
    "volatility",
    "sharpe",
    "sortino",
    "calmar",
    "return_over_max_drawdown",
    "max_drawdown",
    "skewness",
    "kurtosis",
    "exposure",
    "turnover",
)
TRADE_METRICS = (
    "trade_count",
    "win_rate",
    "profit_factor",
    "expectancy",
    "average_win",
    "average_loss",
    "payoff_ratio",
    "largest_win",
    "largest_loss",
    "sqn",
)


def document(run: BacktestRun) -> dict[str, Any]:
    """The stable JSON document of a run (see the module docstring)."""
    result, metrics = run.result, run.metrics
    return {
        "strategy": result.strategy,
        "parameters": dict(result.parameters),
        "engine": result.engine,
        "base_currency": result.base_currency,
        "instruments": [str(spec.id) for spec in run.instruments],
        "start": _iso(int(result.equity_ts_ns[0])) if len(result.equity_ts_ns) else None,
        "end": _iso(int(result.equity_ts_ns[-1])) if len(result.equity_ts_ns) else None,
        "bars": result.bars,
        "initial_equity": result.initial_equity,
        "final_equity": result.final_equity,
        "metrics": metric_values(metrics),
        "trades": [_trade(trade) for trade in result.trades],
        "positions": [_position(p) for p in result.positions],
        "notes": list(result.notes),
    }


def metric_values(metrics: Any) -> dict[str, Any]:
    """Headline figures (fractions, not percent); NaN and infinities become ``null``."""
    values: dict[str, Any] = {name: _finite(getattr(metrics, name)) for name in METRICS}
    values["max_drawdown_duration_days"] = _finite(metrics.drawdown.longest_duration_ns / 86_400e9)
    for name in TRADE_METRICS:
        values[name] = _finite(getattr(metrics.trades, name))
    values["monthly_returns"] = {
        str(year): [_finite(v) if v is not None else None for v in months]
        for year, months in zip(metrics.monthly.years, metrics.monthly.months, strict=True)
    }
    return values


def _finite(value: float | int) -> float | int | None:
    import math

    if isinstance(value, int):
        return value
    return value if math.isfinite(value) else None


def _trade(trade: Any) -> dict[str, Any]:
    return {
        "instrument": str(trade.instrument_id),
        "side": str(trade.direction).lower(),
        "quantity": trade.quantity,
        "entry_time": _iso(trade.entry_ts_ns),
        "entry_price": trade.entry_price,
        "exit_time": _iso(trade.exit_ts_ns),
        "exit_price": trade.exit_price,
        "fees": trade.fees,
        "pnl": trade.pnl,
        "currency": trade.currency,
        "exit_reason": trade.exit_reason,
    }


def _position(position: Any) -> dict[str, Any]:
    return {
        "instrument": str(position.instrument_id),
        "quantity": position.quantity,
        "average_price": position.average_price,
        "last_price": position.last_price,
        "currency": position.currency,
    }


def _iso(ts_ns: int) -> str:
    from jts.shared_kernel.clock import ns_to_datetime

    return ns_to_datetime(ts_ns).isoformat().replace("+00:00", "Z")


def document_json(run: BacktestRun) -> str:
    """The document as JSON text, decimals written exactly as numbers."""
    import msgspec

    encoder = msgspec.json.Encoder(decimal_format="number")
    return msgspec.json.format(encoder.encode(document(run)).decode(), indent=2)


def print_summary(run: BacktestRun, *, last: int) -> None:
    """Metrics and the last trades as tables on the terminal."""
    from rich.console import Console
    from rich.table import Table

    result, doc = run.result, document(run)
    console = Console()
    head = Table(title=f"{result.strategy} ({result.engine} engine)", show_header=False)
    head.add_row("instruments", ", ".join(doc["instruments"]))
    head.add_row("period", f"{doc['start']} .. {doc['end']} ({result.bars} bars)")
    head.add_row("parameters", _shown(doc["parameters"]))
    head.add_row("initial equity", f"{result.initial_equity:,} {result.base_currency}")
    head.add_row("final equity", f"{result.final_equity:,.2f} {result.base_currency}")
    console.print(head)
    console.print(_metrics_table(doc["metrics"]))
    console.print(_trades_table(doc["trades"][-last:], len(doc["trades"])))
    for note in result.notes:
        console.print(f"note: {note}")
    if run.report_path is not None:
        console.print(f"report: {run.report_path}")


def _metrics_table(metrics: dict[str, Any]) -> Any:
    from rich.table import Table

    table = Table(title="metrics")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name in (*METRICS, "max_drawdown_duration_days", *TRADE_METRICS):
        value = metrics[name]
        table.add_row(name, "n/a" if value is None else f"{value:,.4g}")
    return table


def _trades_table(trades: list[dict[str, Any]], total: int) -> Any:
    from rich.table import Table

    table = Table(title=f"last {len(trades)} of {total} trades")
    for column in ("instrument", "entry", "exit", "quantity", "entry price", "exit price"):
        table.add_column(column)
    table.add_column("pnl", justify="right")
    table.add_column("exit reason")
    for t in trades:
        table.add_row(
            t["instrument"],
            t["entry_time"][:16],
            t["exit_time"][:16],
            str(t["quantity"]),
            str(t["entry_price"]),
            str(t["exit_price"]),
            f"{t['pnl']:,.2f} {t['currency']}",
            t["exit_reason"],
        )
    return table


def _shown(params: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v:g}" for k, v in params.items()) or "(none)"


if __name__ == "__main__":
    app = typer.Typer(add_completion=False)
    app.command()(backtest)
    app()
