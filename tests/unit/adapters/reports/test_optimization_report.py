"""Optimization report rendering: parameter heat map, walk-forward table, guards."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from jts.adapters.reports import (
    OptimizationReportData,
    Trial,
    parameter_grid,
    render_optimization_report,
)
from jts.adapters.reports.formatting import percent, ratio
from tests.unit.adapters.reports.html_checks import outline
from tests.unit.adapters.reports.samples import simulated_optimization


def test_parameter_grid_keeps_the_best_objective_per_cell() -> None:
    trials = [
        Trial({"fast": 10, "slow": 50, "rsi": 30}, 0.5),
        Trial({"fast": 10, "slow": 50, "rsi": 70}, 0.9),  # same cell, better
        Trial({"fast": 5, "slow": 60, "rsi": 30}, -0.2),
        Trial({"fast": 5, "slow": 50, "rsi": 30}, math.nan),  # undefined: not drawn
    ]

    x_values, y_values, grid = parameter_grid(trials, "fast", "slow")

    assert x_values == [5, 10]
    assert y_values == [60, 50]  # top row first: highest value
    np.testing.assert_array_equal(grid, [[-0.2, np.nan], [np.nan, 0.9]])


def test_string_parameters_sort_by_name() -> None:
    trials = [Trial({"order": "market", "ttl": 2}, 1.0), Trial({"order": "limit", "ttl": 1}, 2.0)]

    x_values, _, _ = parameter_grid(trials, "order", "ttl")

    assert x_values == ["limit", "market"]


def test_report_has_the_heat_map_walk_forward_and_guards() -> None:
    data = simulated_optimization()
    _, _, grid = parameter_grid(data.trials, "fast", "slow")

    page = outline(render_optimization_report(data))

    assert {"parameter-heatmap", "oos-equity-chart", "oos-drawdown-chart"} <= page.ids
    assert page.classes["heat-cell"] == int(np.isfinite(grid).sum()) == 80
    walk_forward_rows = "".join(page.text).count("fast=")
    assert walk_forward_rows >= len(data.walk_forward)
    assert data.deflated_sharpe is not None
    assert data.overfitting is not None
    assert page.metrics["deflated_sharpe"] == percent(data.deflated_sharpe.probability, 1, False)
    assert page.metrics["pbo"] == percent(data.overfitting.probability, 1, False)
    best = max(t.objective for t in data.trials if math.isfinite(t.objective))
    assert page.metrics["best_objective"] == ratio(best)


def test_names_are_escaped_and_output_is_deterministic() -> None:
    data = replace(
        simulated_optimization(strategy="<img src=x onerror=alert(1)>"),
        objective='sharpe"><script>',
        notes=("<b>careful</b>",),
    )

    first = render_optimization_report(data)

    page = outline(first)
    assert page.tags["img"] == page.tags["script"] == page.tags["b"] == 0
    assert first == render_optimization_report(data)


def test_a_single_parameter_search_has_no_heat_map() -> None:
    data = replace(
        simulated_optimization(),
        trials=[Trial({"fast": f}, f / 10) for f in range(5, 30, 5)],
        walk_forward=(),
        out_of_sample_equity=None,
        out_of_sample_metrics=None,
        deflated_sharpe=None,
        overfitting=None,
    )

    page = outline(render_optimization_report(data))

    assert "parameter-heatmap" not in page.ids
    assert "No walk-forward windows." in page.text
    assert page.metrics["best_parameters"] == "fast=25"


def test_a_search_without_trials_still_renders() -> None:
    data = OptimizationReportData(strategy="empty", objective="sharpe", trials=[])

    page = outline(render_optimization_report(data))

    assert page.metrics["trial_count"] == "0"
    assert "No trial produced a finite objective." in page.text
