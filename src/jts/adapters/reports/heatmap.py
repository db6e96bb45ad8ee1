"""Heat maps as inline SVG: a labelled grid of coloured cells with a colour legend.

Monthly returns use a diverging scale around zero (red losses, green gains, each column
group scaled to its own largest magnitude); the parameter map uses a sequential scale from
the worst to the best objective. Cells without data are drawn hatched-grey, not coloured.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from jts.adapters.reports.formatting import escape

FloatArray = npt.NDArray[np.float64]
Colour = Callable[[float], str]
_LOSS, _NEUTRAL, _GAIN = (200, 62, 50), (246, 246, 244), (30, 145, 84)
_LOW, _HIGH = (239, 243, 250), (29, 78, 153)


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> str:
    r, g, bl = (round(x + (y - x) * t) for x, y in zip(a, b, strict=True))
    return f"#{r:02x}{g:02x}{bl:02x}"


def diverging(max_abs: float) -> Colour:
    """Red below zero, green above, ``max_abs`` at full strength."""

    def colour(value: float) -> str:
        t = 0.0 if max_abs <= 0 else max(-1.0, min(1.0, value / max_abs))
        return _mix(_NEUTRAL, _GAIN, t) if t >= 0 else _mix(_NEUTRAL, _LOSS, -t)

    return colour


def sequential(low: float, high: float) -> Colour:
    """Light for ``low``, deep blue for ``high``."""

    def colour(value: float) -> str:
        t = 1.0 if high <= low else max(0.0, min(1.0, (value - low) / (high - low)))
        return _mix(_LOW, _HIGH, t)

    return colour


def _is_dark(colour: str) -> bool:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b < 140


@dataclass(frozen=True)
class HeatGrid:
    """What to draw: ``values[row, column]`` (NaN: no data) with labels and formatting."""

    chart_id: str
    label: str
    row_labels: Sequence[str]
    column_labels: Sequence[str]
    values: FloatArray
    colours: Sequence[Colour]  # one per column
    cell_text: Callable[[float], str]
    tooltip: Callable[[int, int, float], str]
    show_text: bool = True
    cell_width: int = 64
    cell_height: int = 26
    row_label_width: int = 64


def render_heat_grid(grid: HeatGrid) -> str:
    """The grid as one ``<svg>`` element."""
    rows, columns = grid.values.shape
    header = 24
    width = grid.row_label_width + columns * grid.cell_width + 4
    height = header + rows * grid.cell_height + 4
    parts = [
        f'<svg id="{escape(grid.chart_id)}" class="heatmap" viewBox="0 0 {width} {height}" '
        f'width="{width}" role="img" aria-label="{escape(grid.label)}" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for column, text in enumerate(grid.column_labels):
        x = grid.row_label_width + (column + 0.5) * grid.cell_width
        parts.append(f'<text class="col-label" x="{x:.1f}" y="16">{escape(text)}</text>')
    for row in range(rows):
        y = header + row * grid.cell_height
        parts.append(
            f'<text class="row-label" x="{grid.row_label_width - 8}" '
            f'y="{y + grid.cell_height / 2 + 4:.1f}">{escape(grid.row_labels[row])}</text>'
        )
        for column in range(columns):
            parts.append(_cell(grid, row, column, y))
    parts.append("</svg>")
    return "".join(parts)


def _cell(grid: HeatGrid, row: int, column: int, y: float) -> str:
    value = float(grid.values[row, column])
    x = grid.row_label_width + column * grid.cell_width
    box = (
        f'x="{x + 1}" y="{y + 1:.0f}" width="{grid.cell_width - 2}" height="{grid.cell_height - 2}"'
    )
    if math.isnan(value):
        return f'<rect class="heat-empty" {box} rx="3"/>'
    fill = grid.colours[column](value)
    tip = escape(grid.tooltip(row, column, value))
    cell = f'<rect class="heat-cell" {box} rx="3" fill="{fill}"><title>{tip}</title></rect>'
    if not grid.show_text:
        return cell
    ink = "light" if _is_dark(fill) else "dark"
    text_x = x + grid.cell_width / 2
    text_y = y + grid.cell_height / 2 + 4
    return (
        f'{cell}<text class="cell-text {ink}" x="{text_x:.1f}" y="{text_y:.1f}">'
        f"{escape(grid.cell_text(value))}</text>"
    )


def legend(
    chart_id: str, colour: Colour, low: float, high: float, fmt: Callable[[float], str]
) -> str:
    """A small horizontal colour bar from ``low`` to ``high``."""
    steps = 24
    shades = (colour(low + (high - low) * k / (steps - 1)) for k in range(steps))
    swatches = "".join(
        f'<rect x="{8 * k}" y="0" width="8" height="10" fill="{shade}"/>'
        for k, shade in enumerate(shades)
    )
    return (
        f'<div class="legend" id="{escape(chart_id)}-legend"><span>{escape(fmt(low))}</span>'
        f'<svg viewBox="0 0 {8 * steps} 10" width="{8 * steps}" height="10" '
        f'xmlns="http://www.w3.org/2000/svg">{swatches}</svg>'
        f"<span>{escape(fmt(high))}</span></div>"
    )


def finite_range(values: FloatArray) -> tuple[float, float]:
    """``(min, max)`` of the finite values; ``(0, 0)`` when there are none."""
    finite = values[np.isfinite(values)]
    if len(finite) == 0:
        return 0.0, 0.0
    return float(finite.min()), float(finite.max())
