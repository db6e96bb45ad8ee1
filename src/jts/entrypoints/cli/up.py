"""``jts up --paper``: every JTS service in one process, trading a paper account.

Runs the live synthetic market (or ``--replay`` files of bars), market data, the strategy
engine with the ``--strategy`` files, risk, the OMS, the paper broker, the portfolio and
console notifications on the in-process bus, with a terminal dashboard (``--no-dashboard``
prints notifications as lines instead). Ctrl-C stops cleanly; running again resumes from
the stores under ``home`` (orders reconciled, positions carried, strategies re-warmed, a
replay continuing after the last bar traded). ``--duration 5m`` stops after that much wall
time, a replay stops at the end of its data; ``--summary-json PATH`` writes the final
positions, orders, fills, trades, P&L and risk figures.
"""

from __future__ import annotations

import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from jts.entrypoints.cli.config import cli_settings
from jts.shared_kernel.errors import JtsError

UP_ERROR_EXIT_CODE = 1
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNIT_S = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(text: str) -> float:
    """``90``, ``30s``, ``5m``, ``2h``, ``1d`` -> seconds."""
    match = _DURATION.match(text)
    if match is None or float(match.group(1)) <= 0:
        raise ValueError(f"--duration {text!r}: write a positive amount like 90s, 5m or 2h")
    return float(match.group(1)) * _UNIT_S[match.group(2) or "s"]


def up(
    ctx: typer.Context,
    paper: Annotated[
        bool, typer.Option("--paper", help="Trade a paper account (required).")
    ] = False,
    strategy: Annotated[
        list[Path] | None,
        typer.Option(
            "--strategy",
            help=(
                "A strategy file: .jts, or .py defining NAME, UNIVERSE, TIMEFRAME and "
                "STRATEGY; repeat for more."
            ),
        ),
    ] = None,
    replay: Annotated[
        list[str] | None,
        typer.Option(
            "--replay",
            help="Bars to replay instead of the live synthetic market: a CSV/Parquet file "
            "named <name>.<SYMBOL>.<VENUE>.csv, or SYMBOL.VENUE=PATH; repeat for more.",
        ),
    ] = None,
    speed: Annotated[
        float | None,
        typer.Option(help="Times real time (replay default: as fast as possible; live: 1)."),
    ] = None,
    duration: Annotated[
        str | None, typer.Option(help="Stop after this wall time: 90s, 5m, 2h.")
    ] = None,
    summary_json: Annotated[
        Path | None, typer.Option("--summary-json", help="Write the final summary here.")
    ] = None,
    no_dashboard: Annotated[
        bool, typer.Option("--no-dashboard", help="Print notifications instead.")
    ] = False,
    start: Annotated[
        datetime | None,
        typer.Option(help="Live synthetic market: the market time to start at (UTC)."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Live synthetic market: same seed, same market.")] = 7,
    account: Annotated[str, typer.Option(help="The paper account's id.")] = "paper",
) -> None:
    """Run every service in one process on a paper account until stopped."""
    if not paper:
        _fail("jts up trades paper accounts only for now: add --paper")
    try:
        duration_s = None if duration is None else parse_duration(duration)
    except ValueError as e:
        _fail(str(e))
    options: dict[str, Any] = {
        "strategies": tuple(strategy or ()),
        "replay": tuple(replay or ()),
        "speed": speed,
        "start": None if start is None else start.astimezone(),
        "seed": seed,
        "account_id": account,
    }
    _run(ctx, options, duration_s=duration_s, summary_json=summary_json, no_dashboard=no_dashboard)


def _run(
    ctx: typer.Context,
    options: dict[str, Any],
    *,
    duration_s: float | None,
    summary_json: Path | None,
    no_dashboard: bool,
) -> None:
    # Imported here: the live wiring pulls in every adapter, which other commands never need.
    from jts.bootstrap.live import UpOptions, run_paper

    settings = cli_settings(ctx)
    console = Console(width=None if sys.stdout.isatty() else 120)
    try:
        document = run_paper(
            settings,
            UpOptions(**options),
            console=console,
            duration_s=duration_s,
            summary_path=summary_json,
            dashboard=not no_dashboard and sys.stdout.isatty(),
        )
    except (JtsError, ValueError) as e:
        _fail(str(e))
    _print_end(console, document, summary_json)


def _print_end(console: Console, document: dict[str, Any], path: Path | None) -> None:
    pnl = document["pnl"]
    console.print(
        f"[bold]stopped[/] ({document['finished']}) at {document['clock']}: equity "
        f"{document['equity']} {document['base_currency']}, realized {pnl['realized']}, "
        f"unrealized {pnl['unrealized']}, {document['counts']['fills']} fills, "
        f"{document['counts']['trades']} trades, {len(document['open_orders'])} open orders"
        + (", kill switch tripped" if document["risk"]["kill_switch"] else ""),
        highlight=False,
    )
    if path is not None:
        console.print(f"summary written to {path}", highlight=False)


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(UP_ERROR_EXIT_CODE)
