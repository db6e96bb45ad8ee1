"""The live account's daily report as a self-contained HTML page, and the files it goes to.

``render_daily_report(report, fills, trades)`` draws a ``DailyReportPublished`` (the day's
figures at the KRX close) with the day's fills and closed round trips: a summary card
(equity, P&L, realized, unrealized, fees, counts), per-strategy P&L, positions at the
close, risk figures, the trades and the fills. Every figure cell carries
``data-metric="<name>"`` as the backtest report's do. Times are KST.

``DailyReportFiles(folder)`` is the live node's ``DailyReportWriter``: it writes
``daily-<account>-<YYYY-MM-DD>.html`` into ``folder`` (``<JTS_HOME>/reports``), replacing a
file of the same day (a report re-made after a crash), and returns the path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from jts.adapters.reports.formatting import escape, exact, local_time, percent
from jts.adapters.reports.page import document, section
from jts.adapters.reports.tables import trade_table
from jts.contexts.portfolio.domain.analytics import ClosedTrade
from jts.messages.portfolio import DailyReportPublished
from jts.messages.trading import OrderFilled

TIME_ZONE = "Asia/Seoul"
MAX_FILL_ROWS = 500
_PERCENT_RISK = frozenset({"drawdown", "max_drawdown", "daily_loss"})


def render_daily_report(
    report: DailyReportPublished,
    fills: Sequence[OrderFilled],
    trades: Sequence[ClosedTrade],
) -> str:
    """The report as a complete HTML document (deterministic for the same input)."""
    currency = report.base_currency
    title = f"Daily report {report.day.isoformat()}: {report.account_id}"
    subtitle = (
        f"At the KRX close, {local_time(report.ts_event, TIME_ZONE)} KST; money in {currency}"
    )
    return document(
        title,
        subtitle,
        [
            section("summary", "The day", _figures(_summary_rows(report))),
            section("strategies", "P&L by strategy", _strategies(report.strategy_pnl)),
            section("positions", "Positions at the close", _positions(report)),
            section("risk", "Risk", _risk(report.risk)),
            section("trades", "Closed trades", trade_table(list(trades), TIME_ZONE)),
            section("fills", "Fills", _fills(fills)),
        ],
    )


class DailyReportFiles:
    """Writes each day's report to ``folder`` (see the module docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_of(self, report: DailyReportPublished) -> Path:
        return self.folder / f"daily-{report.account_id}-{report.day.isoformat()}.html"

    def write(
        self,
        report: DailyReportPublished,
        fills: Sequence[OrderFilled],
        trades: Sequence[ClosedTrade],
    ) -> str:
        path = self.path_of(report)
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_suffix(".html.tmp")
        staging.write_text(render_daily_report(report, fills, trades), encoding="utf-8")
        staging.replace(path)
        return str(path)


def _summary_rows(report: DailyReportPublished) -> list[tuple[str, str, str]]:
    return [
        ("start_equity", "Equity at the previous close", exact(report.start_equity)),
        ("end_equity", "Equity at the close", exact(report.end_equity)),
        ("pnl", "P&L of the day", exact(report.pnl)),
        ("day_return", "Return of the day", percent(float(report.day_return))),
        ("realized_pnl", "Realized", exact(report.realized_pnl)),
        ("unrealized_pnl", "Unrealized (open positions)", exact(report.unrealized_pnl)),
        ("fees", "Fees and taxes", exact(report.fees)),
        ("fills", "Fills", f"{report.fills:,}"),
        ("trades", "Trades closed", f"{report.trades:,}"),
    ]


def _figures(rows: Sequence[tuple[str, str, str]]) -> str:
    body = "".join(
        f'<tr><th>{escape(label)}</th><td class="value" data-metric="{escape(name)}">'
        f"{escape(value)}</td></tr>"
        for name, label, value in rows
    )
    return f'<table class="metrics">{body}</table>'


def _strategies(pnl: Mapping[str, Decimal]) -> str:
    if not pnl:
        return '<p class="muted">No strategy has traded.</p>'
    return _figures([(f"strategy:{name}", name, exact(pnl[name])) for name in sorted(pnl)])


def _risk(figures: Mapping[str, Decimal]) -> str:
    if not figures:
        return '<p class="muted">No risk figures yet.</p>'
    rows = [
        (name, name.replace("_", " "), percent(float(v)) if name in _PERCENT_RISK else exact(v))
        for name, v in figures.items()
    ]
    return _figures(rows)


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], css: str) -> str:
    header = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f'<table class="{css}"><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>'


def _positions(report: DailyReportPublished) -> str:
    if not report.positions:
        return '<p class="muted">Flat at the close.</p>'
    rows = [
        [
            str(p.instrument_id),
            exact(p.quantity),
            exact(p.average_price),
            exact(p.market_price),
            exact(p.unrealized_pnl),
            exact(p.realized_pnl),
            p.currency,
        ]
        for p in report.positions
    ]
    head = ["Instrument", "Qty", "Avg price", "Mark", "Unrealized", "Realized", "Currency"]
    return _table(head, rows, "trades")


def _fills(fills: Sequence[OrderFilled]) -> str:
    if not fills:
        return '<p class="muted">No fills.</p>'
    shown = fills[-MAX_FILL_ROWS:]
    note = (
        f'<p class="muted">The last {len(shown):,} of {len(fills):,} fills.</p>'
        if len(shown) < len(fills)
        else ""
    )
    rows = [
        [
            local_time(f.ts_event, TIME_ZONE),
            str(f.strategy_id),
            str(f.instrument_id),
            f.side.value,
            exact(f.last_qty),
            exact(f.last_price),
            exact(f.commission + f.tax),
        ]
        for f in shown
    ]
    head = ["Time", "Strategy", "Instrument", "Side", "Qty", "Price", "Fees"]
    return note + _table(head, rows, "trades")
