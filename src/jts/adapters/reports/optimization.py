"""``render_optimization_report``: a parameter search as a self-contained HTML page.

Sections: a summary (objective, trials, the best parameters, and the deflated Sharpe ratio
and probability of backtest overfitting when given), the parameter heat map, the
walk-forward table, the stitched out-of-sample equity with its metrics, and the best trials.

The heat map shows two parameters (``heatmap_axes``, default the first two); each cell is
the best objective among the trials with that pair of values, whatever the other
parameters were. Cells no trial visited stay grey.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from jts.adapters.reports.backtest import drawdown_section, equity_section
from jts.adapters.reports.data import OptimizationReportData, ParameterValue, Trial
from jts.adapters.reports.formatting import count, escape, parameter_value, percent, ratio
from jts.adapters.reports.heatmap import (
    HeatGrid,
    finite_range,
    legend,
    render_heat_grid,
    sequential,
)
from jts.adapters.reports.page import document, section
from jts.adapters.reports.tables import metric_cards, metric_groups, walk_forward_table

MAX_TRIAL_ROWS = 20
_GRID_WIDTH = 880


def render_optimization_report(data: OptimizationReportData) -> str:
    """The report as a complete HTML document (deterministic for the same input)."""
    subtitle = f"Optimization · objective {data.objective} · {len(data.trials):,} trials"
    sections = [section("summary", "Summary", _summary(data))]
    axes = data.heatmap_axes or _default_axes(data.trials)
    if axes is not None:
        sections.append(_heatmap_section(data, axes))
    sections.append(
        section(
            "walk-forward",
            "Walk-forward: in sample vs out of sample",
            walk_forward_table(data.walk_forward, data.time_zone, ratio),
        )
    )
    if data.out_of_sample_equity is not None and len(data.out_of_sample_equity.values):
        oos, tz = data.out_of_sample_equity, data.time_zone
        sections.append(
            equity_section(oos, None, tz, section_id="oos-equity", title="Out-of-sample equity")
        )
        sections.append(
            drawdown_section(oos, tz, section_id="oos-drawdown", title="Out-of-sample drawdown")
        )
    if data.out_of_sample_metrics is not None:
        cards = metric_cards(metric_groups(data.out_of_sample_metrics))
        sections.append(section("oos-metrics", "Out-of-sample performance", cards))
    sections.append(section("trials", "Best trials", _best_trials(data.trials, data.objective)))
    return document(data.strategy, subtitle, sections)


def _summary(data: OptimizationReportData) -> str:
    rows: list[tuple[str, str, str]] = [
        ("objective", "Objective", data.objective),
        ("trial_count", "Trials", count(len(data.trials))),
    ]
    best = _ranked(data.trials)[:1]
    if best:
        rows.append(("best_objective", "Best objective", ratio(best[0].objective)))
        rows.append(("best_parameters", "Best parameters", _parameters(best[0].parameters)))
    if data.walk_forward:
        is_mean = _mean([w.in_sample_objective for w in data.walk_forward])
        oos_mean = _mean([w.out_of_sample_objective for w in data.walk_forward])
        rows.append(("mean_is_objective", "Mean IS objective", ratio(is_mean)))
        rows.append(("mean_oos_objective", "Mean OOS objective", ratio(oos_mean)))
    groups = [("Search", rows)]
    guards = _overfitting_rows(data)
    if guards:
        groups.append(("Overfitting guards", guards))
    notes = "".join(f'<p class="muted">{escape(note)}</p>' for note in data.notes)
    return metric_cards(groups) + notes


def _overfitting_rows(data: OptimizationReportData) -> list[tuple[str, str, str]]:
    rows = []
    if data.deflated_sharpe is not None:
        dsr = data.deflated_sharpe
        rows += [
            ("deflated_sharpe", "Deflated Sharpe (prob.)", percent(dsr.probability, 1, False)),
            ("expected_max_sharpe", "E[max Sharpe] per period", ratio(dsr.expected_max_sharpe)),
            ("dsr_trials", "Trials deflated for", count(dsr.n_trials)),
        ]
    if data.overfitting is not None:
        pbo = data.overfitting
        rows += [
            ("pbo", "PBO (CSCV)", percent(pbo.probability, 1, False)),
            ("pbo_loss", "P(OOS loss)", percent(pbo.probability_of_loss, 1, False)),
            ("pbo_splits", "CSCV splits", f"{count(pbo.n_combinations)} ({pbo.n_blocks} blocks)"),
        ]
    return rows


def _heatmap_section(data: OptimizationReportData, axes: tuple[str, str]) -> str:
    x_name, y_name = axes
    x_values, y_values, grid = parameter_grid(data.trials, x_name, y_name)
    low, high = finite_range(grid)
    colour = sequential(low, high)
    cell_width = int(max(18, min(64, _GRID_WIDTH // max(1, len(x_values)))))
    cell_height = 24 if len(y_values) <= 30 else 14
    x_labels = [parameter_value(v) for v in x_values]
    y_labels = [parameter_value(v) for v in y_values]
    heat = HeatGrid(
        chart_id="parameter-heatmap",
        label=f"{data.objective} by {x_name} and {y_name}",
        row_labels=y_labels,
        column_labels=x_labels,
        values=grid,
        colours=[colour] * len(x_values),
        cell_text=ratio,
        tooltip=lambda r, c, v: f"{x_name}={x_labels[c]}, {y_name}={y_labels[r]}: {ratio(v)}",
        show_text=cell_width >= 40,
        cell_width=cell_width,
        cell_height=cell_height,
        row_label_width=72,
    )
    caption = (
        f'<p class="muted">Columns: {escape(x_name)} · rows: {escape(y_name)} · colour: best '
        f"{escape(data.objective)} over the other parameters.</p>"
    )
    scale = legend("parameter-heatmap", colour, low, high, ratio)
    return section("parameter-map", "Parameter heat map", caption + render_heat_grid(heat) + scale)


def parameter_grid(
    trials: Sequence[Trial], x_name: str, y_name: str
) -> tuple[list[ParameterValue], list[ParameterValue], npt.NDArray[np.float64]]:
    """Distinct x values (ascending), y values (descending, top row first) and the best
    finite objective per cell (NaN where no trial has that pair)."""
    pairs = [
        (t.parameters[x_name], t.parameters[y_name], t.objective)
        for t in trials
        if x_name in t.parameters and y_name in t.parameters and math.isfinite(t.objective)
    ]
    x_values = _sorted_values({x for x, _, _ in pairs})
    y_values = _sorted_values({y for _, y, _ in pairs})[::-1]
    column = {value: i for i, value in enumerate(x_values)}
    row = {value: i for i, value in enumerate(y_values)}
    grid = np.full((len(y_values), len(x_values)), np.nan)
    for x, y, objective in pairs:
        current = grid[row[y], column[x]]
        if math.isnan(current) or objective > current:
            grid[row[y], column[x]] = objective
    return x_values, y_values, grid


def _sorted_values(values: set[ParameterValue]) -> list[ParameterValue]:
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return sorted(values, key=float)
    return sorted(values, key=str)


def _default_axes(trials: Sequence[Trial]) -> tuple[str, str] | None:
    names = list(trials[0].parameters) if trials else []
    return (names[0], names[1]) if len(names) >= 2 else None


def _ranked(trials: Sequence[Trial]) -> list[Trial]:
    finite = [t for t in trials if math.isfinite(t.objective)]
    return sorted(finite, key=lambda t: t.objective, reverse=True)


def _best_trials(trials: Sequence[Trial], objective: str) -> str:
    ranked = _ranked(trials)[:MAX_TRIAL_ROWS]
    if not ranked:
        return '<p class="muted">No trial produced a finite objective.</p>'
    rows = "".join(
        f"<tr><td>{i}</td><td>{escape(ratio(t.objective))}</td>"
        f"<td>{escape(_parameters(t.parameters))}</td></tr>"
        for i, t in enumerate(ranked, start=1)
    )
    head = (
        f'<thead><tr><th scope="col">Rank</th><th scope="col">{escape(objective)}</th>'
        '<th scope="col">Parameters</th></tr></thead>'
    )
    return f'<table class="trials">{head}<tbody>{rows}</tbody></table>'


def _parameters(parameters: Mapping[str, ParameterValue]) -> str:
    return ", ".join(f"{k}={parameter_value(v)}" for k, v in parameters.items())


def _mean(values: list[float]) -> float:
    finite = [v for v in values if math.isfinite(v)]
    return sum(finite) / len(finite) if finite else math.nan
