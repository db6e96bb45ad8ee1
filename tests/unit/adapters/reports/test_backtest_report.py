"""Backtest report rendering: content, escaping, determinism and self-containment."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from jts.adapters.reports import (
    BacktestReportData,
    TimeSeries,
    render_backtest_report,
    write_report,
)
from jts.adapters.reports.formatting import percent, ratio
from jts.contexts.portfolio.domain.analytics import KRX_DAILY, analyze_performance
from tests.unit.adapters.reports.html_checks import outline
from tests.unit.adapters.reports.samples import simulated_backtest

HOSTILE = '<script>alert("x")</script> & "quotes" \'single\''


def test_report_holds_every_chart_and_the_metrics() -> None:
    data = simulated_backtest(n_days=120)

    page = outline(render_backtest_report(data))

    assert {"equity-chart", "drawdown-chart", "monthly-heatmap", "price-chart"} <= page.ids
    for chart in ("equity-chart", "drawdown-chart", "price-chart"):
        assert page.path_lengths[chart] > 2_000  # real curves, not empty paths
    assert page.metrics["sharpe"] == ratio(data.metrics.sharpe)
    assert page.metrics["max_drawdown"] == percent(data.metrics.max_drawdown)
    assert page.metrics["trade_count"] == str(len(data.trades))
    assert page.metrics["beta"] == ratio(data.metrics.benchmark.beta)  # type: ignore[union-attr]


def test_monthly_heat_map_has_one_cell_per_month_with_data_and_per_year() -> None:
    data = simulated_backtest(n_days=120)
    monthly = data.metrics.monthly
    filled = sum(v is not None for row in monthly.months for v in row)

    page = outline(render_backtest_report(data))

    assert page.classes["heat-cell"] == filled + len(monthly.years)
    assert page.classes["heat-empty"] == 12 * len(monthly.years) - filled


def test_every_trade_is_marked_at_entry_and_exit() -> None:
    data = simulated_backtest(n_days=120)
    long_trades = sum(t.direction.value == "LONG" for t in data.trades)
    short_trades = len(data.trades) - long_trades

    page = outline(render_backtest_report(data))

    assert page.classes["marker"] == 2 * len(data.trades)
    # a long trade buys to open and sells to close; a short trade the other way round
    assert page.class_attributes["marker buy"] == long_trades + short_trades
    assert page.class_attributes["marker sell"] == long_trades + short_trades
    assert short_trades > 0


def test_hostile_names_are_escaped_everywhere() -> None:
    data = simulated_backtest(n_days=40, strategy=HOSTILE)
    data = replace(
        data,
        parameters={"<b>fast</b>": "<i>20</i>"},
        benchmark=TimeSeries(HOSTILE, data.equity.ts_ns, data.equity.values * 1.1),
    )

    html = render_backtest_report(data)

    page = outline(html)
    assert page.tags["script"] == 0
    assert page.tags["b"] == 0
    assert "&lt;i&gt;20&lt;/i&gt;" in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;" in html
    assert HOSTILE in "".join(page.text)  # shown to the reader exactly as written


def test_rendering_is_deterministic() -> None:
    first = render_backtest_report(simulated_backtest(n_days=60))
    second = render_backtest_report(simulated_backtest(n_days=60))

    assert first == second


def test_the_page_needs_nothing_from_the_network() -> None:
    html = render_backtest_report(simulated_backtest(n_days=60))

    page = outline(html)
    assert page.tags["script"] == page.tags["link"] == page.tags["img"] == 0
    assert "@import" not in html
    assert "url(" not in html
    assert set(re.findall(r"https?://[^\"' ]+", html)) == {"http://www.w3.org/2000/svg"}


def test_long_curves_are_thinned_to_a_few_thousand_points() -> None:
    data = simulated_backtest(n_days=300)  # 117,000 minute points

    page = outline(render_backtest_report(data))

    assert page.path_lengths["equity-chart"] < 2_100 * 16 * 2  # two lines, ~16 bytes a point


def test_without_price_or_trades_the_report_still_renders() -> None:
    ts = np.arange(10, dtype=np.int64) * 86_400 * 10**9
    equity = 1_000.0 * 1.01 ** np.arange(10)
    data = BacktestReportData(
        strategy="flat",
        parameters={},
        equity=TimeSeries("Equity", ts, equity),
        metrics=analyze_performance(ts, equity, conventions=KRX_DAILY),
    )

    html = render_backtest_report(data)

    page = outline(html)
    assert "price-chart" not in page.ids
    assert "No closed trades." in page.text
    assert page.metrics["trade_count"] == "0"


def test_write_report_creates_folders(tmp_path: Path) -> None:
    target = write_report(tmp_path / "runs" / "r1" / "report.html", "<!DOCTYPE html>")

    assert target.read_text(encoding="utf-8") == "<!DOCTYPE html>"


@pytest.mark.parametrize("points", [0, 1])
def test_empty_and_single_point_curves_render_without_figures(points: int) -> None:
    ts = np.arange(points, dtype=np.int64) * 86_400 * 10**9
    equity = np.full(points, 100.0)
    data = BacktestReportData(
        strategy="new account",
        parameters={},
        equity=TimeSeries("Equity", ts, equity),
        metrics=analyze_performance(ts, equity, conventions=KRX_DAILY),
    )

    page = outline(render_backtest_report(data))

    assert {"equity-chart", "drawdown-chart"} <= page.ids
    assert page.metrics["sharpe"] == "–"
    assert "No returns yet." in page.text
