"""``render_backtest_report``: one backtest as a self-contained HTML page.

Sections: the metrics cards, the parameters, the equity curve (with the benchmark rebased to
the starting equity), the drawdown curve, the monthly returns heat map, the price chart with
entries and exits marked, and the trade list. Times are shown in the exchange time zone of
the metrics' conventions.

Trades are marked on the price chart when their instrument id (``005930.KRX``) is the price
series' name; when no trade matches the name, every trade is marked (a one-instrument run
whose price series has a display name). At most ``MAX_MARKED_TRADES`` are marked, evenly
spread, so the chart stays readable.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from jts.adapters.reports.data import BacktestReportData, TimeSeries
from jts.adapters.reports.formatting import (
    compact,
    exact,
    local_time,
    parameter_value,
    percent,
)
from jts.adapters.reports.heatmap import HeatGrid, diverging, finite_range, legend, render_heat_grid
from jts.adapters.reports.page import document, key, section
from jts.adapters.reports.svg import Marker, Side, TimeChart
from jts.adapters.reports.tables import metric_cards, metric_groups, parameter_table, trade_table
from jts.contexts.portfolio.domain.analytics import ClosedTrade, MonthlyReturns, drawdown_series
from jts.messages.enums import Direction

MAX_MARKED_TRADES = 1_000
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def render_backtest_report(data: BacktestReportData) -> str:
    """The report as a complete HTML document (deterministic for the same input)."""
    report = data.metrics
    tz = report.conventions.time_zone
    subtitle = (
        f"Backtest · {local_time(report.start_ts_ns, tz, False)} → "
        f"{local_time(report.end_ts_ns, tz, False)} · {tz} · {report.periods:,} periods "
        f"({parameter_value(report.conventions.periods_per_year)} a year) · {data.currency}"
    )
    sections = [
        section("metrics", "Performance", metric_cards(metric_groups(report))),
        section("parameters", "Parameters", parameter_table(data.parameters)),
        equity_section(data.equity, data.benchmark, tz),
        drawdown_section(data.equity, tz),
        monthly_section(report.monthly),
    ]
    if data.price is not None:
        sections.append(price_section(data.price, data.trades, tz))
    sections.append(
        section("trades", "Trades", f'<div class="scroll">{trade_table(data.trades, tz)}</div>')
    )
    return document(data.strategy, subtitle, sections)


def equity_section(
    equity: TimeSeries,
    benchmark: TimeSeries | None,
    tz: str,
    *,
    section_id: str = "equity",
    title: str = "Equity",
) -> str:
    lines = [(equity.ts_ns, equity.values, "equity")]
    legend_items = [("equity", equity.name or "Equity")]
    if benchmark is not None and len(benchmark.values) and len(equity.values):
        rebased = benchmark.values / benchmark.values[0] * equity.values[0]
        lines.append((benchmark.ts_ns, rebased, "benchmark"))
        legend_items.append(("benchmark", f"{benchmark.name} (rebased)"))
    chart = _chart(f"{section_id}-chart", f"{title} curve", lines, tz)
    for ts, values, css in lines:
        chart.line(ts, values, css)
    return section(section_id, title, chart.render(), key(legend_items))


def drawdown_section(
    equity: TimeSeries, tz: str, *, section_id: str = "drawdown", title: str = "Drawdown"
) -> str:
    drawdowns = drawdown_series(equity.values)
    low = min(float(drawdowns.min()) * 1.05 if len(drawdowns) else -0.01, -1e-4)
    digits = 0 if low <= -0.05 else 1 if low <= -0.005 else 2
    chart = TimeChart(
        f"{section_id}-chart", f"{title} curve", *_span(equity.ts_ns), low, 0.0, tz,
        lambda v: percent(v, digits, signed=False), height=200,
    )  # fmt: skip
    chart.area(equity.ts_ns, drawdowns, "drawdown")
    return section(section_id, title, chart.render())


def monthly_section(monthly: MonthlyReturns) -> str:
    if not monthly.years:
        return section("monthly", "Monthly returns", '<p class="muted">No returns yet.</p>')
    table = np.column_stack((monthly.as_array(), np.array(monthly.yearly)))
    month_scale = diverging(_max_abs(table[:, :12]))
    year_scale = diverging(_max_abs(table[:, 12]))
    years = [str(y) for y in monthly.years]
    columns = [*MONTHS, "Year"]
    grid = HeatGrid(
        chart_id="monthly-heatmap",
        label="Monthly returns by year",
        row_labels=years,
        column_labels=columns,
        values=table,
        colours=[month_scale] * 12 + [year_scale],
        cell_text=lambda v: f"{v * 100:.1f}".replace("-", "−"),
        tooltip=lambda r, c, v: f"{years[r]} {columns[c]}: {percent(v)}",
    )
    low, high = -_max_abs(table[:, :12]), _max_abs(table[:, :12])
    scale = legend("monthly-heatmap", month_scale, low, high, lambda v: percent(v, 1))
    return section("monthly", "Monthly returns (%)", render_heat_grid(grid) + scale)


def price_section(price: TimeSeries, trades: Sequence[ClosedTrade], tz: str) -> str:
    marked = _marked_trades(price.name, trades)
    markers = [m for t in marked for m in _trade_markers(t, tz)]
    values = np.concatenate((price.values, [m.price for m in markers]))
    low, high = finite_range(values)
    pad = (high - low) * 0.04
    chart = TimeChart(
        "price-chart", f"{price.name} price with trades", *_span(price.ts_ns), low - pad,
        high + pad, tz, compact, height=320,
    )  # fmt: skip
    chart.line(price.ts_ns, price.values, "price")
    chart.markers(markers)
    legend_items = [("buy", "buy"), ("sell", "sell")]
    note = ""
    if len(marked) < len(trades):
        note = f'<p class="muted">{len(marked):,} of {len(trades):,} trades marked.</p>'
    title = f"{price.name} with trades"
    return section("price", title, chart.render() + note, key(legend_items))


def _marked_trades(name: str, trades: Sequence[ClosedTrade]) -> list[ClosedTrade]:
    matching = [t for t in trades if str(t.instrument_id) == name]
    chosen = matching or list(trades)
    if len(chosen) <= MAX_MARKED_TRADES:
        return chosen
    picks = np.linspace(0, len(chosen) - 1, MAX_MARKED_TRADES).round().astype(int)
    return [chosen[i] for i in np.unique(picks)]


def _trade_markers(trade: ClosedTrade, tz: str) -> tuple[Marker, Marker]:
    opening: Side = "buy" if trade.direction is Direction.LONG else "sell"
    closing: Side = "sell" if opening == "buy" else "buy"
    quantity = exact(trade.quantity)
    side = trade.direction.value.lower()
    entry_tip = (
        f"{opening.title()} {quantity} @ {exact(trade.entry_price)} · "
        f"{local_time(trade.entry_ts_ns, tz)} (open {side})"
    )
    exit_tip = (
        f"{closing.title()} {quantity} @ {exact(trade.exit_price)} · "
        f"{local_time(trade.exit_ts_ns, tz)} (close {side}, P&L {exact(trade.pnl)})"
    )
    return (
        Marker(trade.entry_ts_ns, float(trade.entry_price), opening, entry_tip),
        Marker(trade.exit_ts_ns, float(trade.exit_price), closing, exit_tip),
    )


def _chart(
    chart_id: str, label: str, lines: list[tuple[np.ndarray, np.ndarray, str]], tz: str
) -> TimeChart:
    all_ts = np.concatenate([ts for ts, _, _ in lines])
    low, high = finite_range(np.concatenate([values for _, values, _ in lines]))
    pad = (high - low) * 0.04
    start, end = _span(all_ts)
    return TimeChart(chart_id, label, start, end, low - pad, high + pad, tz, compact)


def _span(ts_ns: np.ndarray) -> tuple[int, int]:
    if len(ts_ns) == 0:
        return 0, 1
    return int(ts_ns.min()), int(ts_ns.max())


def _max_abs(values: np.ndarray) -> float:
    low, high = finite_range(values)
    return max(abs(low), abs(high))
