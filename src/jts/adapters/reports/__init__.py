"""Self-contained HTML reports of backtests and optimizations.

``render_backtest_report(BacktestReportData(...))`` and
``render_optimization_report(OptimizationReportData(...))`` return one HTML document with
inline SVG charts and a small stylesheet: no scripts, web fonts, images or network access,
so the file can be archived, mailed or opened offline. ``write_report(path, html)`` saves
it. ``render_daily_report`` / ``DailyReportFiles`` draw and file the live account's daily
report (``DailyReportPublished``). The input structures are documented in
``jts.adapters.reports.data``; the figures come from
``jts.contexts.portfolio.domain.analytics``.
"""

from __future__ import annotations

from pathlib import Path

from jts.adapters.reports.backtest import render_backtest_report
from jts.adapters.reports.daily import DailyReportFiles, render_daily_report
from jts.adapters.reports.data import (
    BacktestReportData,
    OptimizationReportData,
    TimeSeries,
    Trial,
    WalkForwardWindow,
)
from jts.adapters.reports.optimization import parameter_grid, render_optimization_report

__all__ = [
    "BacktestReportData",
    "DailyReportFiles",
    "OptimizationReportData",
    "TimeSeries",
    "Trial",
    "WalkForwardWindow",
    "parameter_grid",
    "render_backtest_report",
    "render_daily_report",
    "render_optimization_report",
    "write_report",
]


def write_report(path: Path, html: str) -> Path:
    """Write ``html`` to ``path`` (UTF-8), creating parent folders; returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
