"""HTML tables: the metrics cards, parameters, trades and walk-forward windows.

Each metric cell carries ``data-metric="<name>"`` so tools (and the rendering test) can find
a figure without parsing the layout.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from jts.adapters.reports.data import ParameterValue, WalkForwardWindow
from jts.adapters.reports.formatting import (
    count,
    duration,
    escape,
    exact,
    local_time,
    number,
    parameter_value,
    percent,
    ratio,
)
from jts.contexts.portfolio.domain.analytics import ClosedTrade, PerformanceReport

Row = tuple[str, str, str]  # (metric key, label, formatted value)
MAX_TRADE_ROWS = 500


def metric_groups(report: PerformanceReport) -> list[tuple[str, list[Row]]]:
    """The report's figures grouped into titled cards."""
    tz = report.conventions.time_zone
    dd, trades = report.drawdown, report.trades
    groups = [
        ("Returns", [
            ("total_return", "Total return", percent(report.total_return)),
            ("cagr", "CAGR", percent(report.cagr)),
            ("volatility", "Volatility (ann.)", percent(report.volatility, signed=False)),
            ("sharpe", "Sharpe", ratio(report.sharpe)),
            ("sortino", "Sortino", ratio(report.sortino)),
            ("calmar", "Calmar", ratio(report.calmar)),
            ("skewness", "Skewness", ratio(report.skewness)),
            ("kurtosis", "Kurtosis", ratio(report.kurtosis)),
        ]),
        ("Drawdown", [
            ("max_drawdown", "Max drawdown", percent(report.max_drawdown)),
            ("return_over_max_drawdown", "Return / max DD", ratio(report.return_over_max_drawdown)),
            ("drawdown_peak", "Peak", local_time(dd.peak_ts_ns, tz, with_time=False)),
            ("drawdown_trough", "Trough", local_time(dd.trough_ts_ns, tz, with_time=False)),
            ("drawdown_recovery", "Recovered", local_time(dd.recovery_ts_ns, tz, with_time=False)),
            ("longest_drawdown", "Longest drawdown", duration(dd.longest_duration_ns)),
        ]),
        ("Trades", [
            ("trade_count", "Trades", count(trades.trade_count)),
            ("win_rate", "Win rate", percent(trades.win_rate, signed=False)),
            ("profit_factor", "Profit factor", ratio(trades.profit_factor)),
            ("expectancy", "Expectancy", number(trades.expectancy)),
            ("average_win", "Average win", number(trades.average_win)),
            ("average_loss", "Average loss", number(trades.average_loss)),
            ("sqn", "SQN", ratio(trades.sqn)),
            ("exposure", "Exposure", percent(report.exposure, signed=False)),
            ("turnover", "Turnover (ann.)", ratio(report.turnover)),
            ("total_fees", "Fees", number(trades.total_fees)),
        ]),
    ]  # fmt: skip
    if report.benchmark is not None:
        groups.append(("Benchmark", [
            ("benchmark_return", "Benchmark return", percent(report.benchmark_total_return)),
            ("alpha", "Alpha (ann.)", percent(report.benchmark.alpha)),
            ("beta", "Beta", ratio(report.benchmark.beta)),
            ("correlation", "Correlation", ratio(report.benchmark.correlation)),
        ]))  # fmt: skip
    return groups


def metric_cards(groups: list[tuple[str, list[Row]]]) -> str:
    cards = []
    for title, rows in groups:
        body = "".join(
            f'<tr><th scope="row">{escape(label)}</th>'
            f'<td class="value" data-metric="{escape(key)}">{escape(value)}</td></tr>'
            for key, label, value in rows
        )
        cards.append(
            f'<div class="card"><h3>{escape(title)}</h3><table class="metrics">{body}</table></div>'
        )
    return f'<div class="cards">{"".join(cards)}</div>'


def parameter_table(parameters: Mapping[str, ParameterValue]) -> str:
    if not parameters:
        return '<p class="muted">No parameters.</p>'
    rows = "".join(
        f'<tr><th scope="row">{escape(name)}</th><td>{escape(parameter_value(value))}</td></tr>'
        for name, value in parameters.items()
    )
    return f'<table class="parameters">{rows}</table>'


def trade_table(trades: Sequence[ClosedTrade], time_zone: str) -> str:
    if not trades:
        return '<p class="muted">No closed trades.</p>'
    shown = trades[-MAX_TRADE_ROWS:]
    head = _header(["#", "Instrument", "Side", "Qty", "Entry", "Entry price", "Exit",
                    "Exit price", "Fees", "P&L", "Return"])  # fmt: skip
    offset = len(trades) - len(shown)
    rows = "".join(_trade_row(offset + i + 1, t, time_zone) for i, t in enumerate(shown))
    note = (
        f'<p class="muted">The last {len(shown):,} of {len(trades):,} trades.</p>' if offset else ""
    )
    return f'{note}<table class="trades">{head}<tbody>{rows}</tbody></table>'


def _trade_row(number_: int, trade: ClosedTrade, time_zone: str) -> str:
    pnl = float(trade.pnl)
    cells = [
        str(number_),
        str(trade.instrument_id),
        trade.direction.value.lower(),
        exact(trade.quantity),
        local_time(trade.entry_ts_ns, time_zone),
        exact(trade.entry_price),
        local_time(trade.exit_ts_ns, time_zone),
        exact(trade.exit_price),
        exact(trade.fees),
        exact(trade.pnl),
        percent(float(trade.return_on_entry)),
    ]
    tone = "gain" if pnl > 0 else "loss" if pnl < 0 else ""
    return f'<tr class="{tone}">' + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>"


def walk_forward_table(
    windows: Sequence[WalkForwardWindow], time_zone: str, objective_format: Callable[[float], str]
) -> str:
    if not windows:
        return '<p class="muted">No walk-forward windows.</p>'
    head = _header(["Window", "In sample", "Out of sample", "IS objective", "OOS objective",
                    "Parameters chosen"])  # fmt: skip
    rows = []
    for index, w in enumerate(windows, start=1):
        chosen = ", ".join(f"{k}={parameter_value(v)}" for k, v in w.parameters.items())
        cells = [
            str(index),
            f"{_day(w.in_sample_start_ns, time_zone)} → {_day(w.in_sample_end_ns, time_zone)}",
            f"{_day(w.out_of_sample_start_ns, time_zone)} → "
            f"{_day(w.out_of_sample_end_ns, time_zone)}",
            objective_format(w.in_sample_objective),
            objective_format(w.out_of_sample_objective),
            chosen,
        ]
        rows.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    return f'<table class="walk-forward">{head}<tbody>{"".join(rows)}</tbody></table>'


def _day(ts_ns: int, time_zone: str) -> str:
    return local_time(ts_ns, time_zone, with_time=False)


def _header(labels: list[str]) -> str:
    return (
        "<thead><tr>"
        + "".join(f'<th scope="col">{escape(x)}</th>' for x in labels)
        + ("</tr></thead>")
    )
