"""The paper-trading half of ``jts demo``: every service in one process on the simulated
market that continues where the stored history ends, at an accelerated speed."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from jts.bootstrap.live import UpOptions, run_paper
from jts.bootstrap.settings import Settings
from jts.entrypoints.cli.demo_research import EXAMPLES

PAPER_STRATEGIES = ("volatility_breakout.jts", "donchian_breakout.jts", "golden_cross.jts")
ONE_DAY_PER_SECOND = 86_400.0
# The examples size positions at up to 30% of the paper account, above the live default cap.
DEMO_ORDER_CAP_KRW = Decimal(100_000_000)


def run_paper_trading(settings: Settings, console: Console, *, seconds: float, year: int) -> None:
    """Trade the example strategies on the synthetic live market for ``seconds``."""
    risk = settings.risk.model_copy(update={"max_order_notional_krw": DEMO_ORDER_CAP_KRW})
    options = UpOptions(
        strategies=tuple(EXAMPLES / name for name in PAPER_STRATEGIES),
        speed=ONE_DAY_PER_SECOND,
        start=datetime(year + 1, 1, 2, tzinfo=UTC),
    )
    summary_path = settings.home / "paper-summary.json"
    console.print(
        f"[bold]paper trading[/] {', '.join(PAPER_STRATEGIES)} for {seconds:.0f}s at "
        f"{ONE_DAY_PER_SECOND / 3600:.0f} market hours per second"
    )
    summary = run_paper(
        settings.model_copy(update={"risk": risk}),
        options,
        console=console,
        duration_s=seconds,
        summary_path=summary_path,
    )
    _print_summary(console, summary, summary_path)


def _print_summary(console: Console, summary: dict[str, Any], path: Path) -> None:
    table = Table(title="Paper trading summary")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_row("finished", str(summary["finished"]))
    table.add_row("market time", str(summary["clock"])[:16].replace("T", " ") + " UTC")
    currency = summary["base_currency"]
    table.add_row("equity", f"{Decimal(summary['equity']):,.0f} {currency}")
    for kind in ("realized", "unrealized", "fees"):
        table.add_row(f"{kind} P&L" if kind != "fees" else "fees", _money(summary["pnl"][kind]))
    for key in ("fills", "trades", "positions", "open_orders"):
        table.add_row(key.replace("_", " "), str(len(summary[key])))
    tripped = summary["risk"]["kill_switch"]
    table.add_row("kill switch", "tripped" if tripped else "armed")
    console.print(table)
    console.print(f"[bold]paper trading[/] summary written to {path}")


def _money(text: str) -> str:
    return f"{Decimal(text):,.0f}"
