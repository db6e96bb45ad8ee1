"""Inline SVG time charts: axes, grid, lines, filled areas and trade markers.

A ``TimeChart`` maps UNIX-ns time to x and values to y inside a fixed ``viewBox`` (the page
scales it to its width). Long series are thinned by ``downsample.extreme_indices`` before
they become path data; coordinates are rounded to 0.1 px, so the output is deterministic
and small (about 14 bytes per point).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from jts.adapters.reports.downsample import DEFAULT_MAX_POINTS, extreme_indices
from jts.adapters.reports.formatting import escape
from jts.adapters.reports.ticks import time_ticks, value_ticks

FloatArray = npt.NDArray[np.float64]
Int64Array = npt.NDArray[np.int64]
WIDTH = 960
_LEFT, _RIGHT, _TOP, _BOTTOM = 76, 16, 14, 30
Side = Literal["buy", "sell"]


@dataclass(frozen=True)
class Marker:
    """A trade mark on a price chart: an up triangle for a buy, a down one for a sell."""

    ts_ns: int
    price: float
    side: Side
    tooltip: str


def path_data(xs: FloatArray, ys: FloatArray) -> str:
    """``M x y L x y ...`` for the points, 0.1 px precision."""
    if len(xs) == 0:
        return ""
    coordinates = [f"{x:.1f} {y:.1f}" for x, y in zip(xs.tolist(), ys.tolist(), strict=True)]
    return "M" + "L".join(coordinates)


@dataclass
class TimeChart:
    """One chart over a time range; add lines, areas and markers, then ``render``."""

    chart_id: str
    label: str
    start_ns: int
    end_ns: int
    low: float
    high: float
    time_zone: str
    value_format: Callable[[float], str]
    height: int = 300
    _layers: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.high <= self.low:  # a flat series still needs a visible band
            pad = abs(self.high) * 0.01 or 1.0
            self.low, self.high = self.low - pad, self.high + pad
        if self.end_ns <= self.start_ns:
            self.end_ns = self.start_ns + 1

    def x(self, ts_ns: Int64Array) -> FloatArray:
        span = WIDTH - _LEFT - _RIGHT
        offset = (ts_ns - self.start_ns).astype(np.float64)
        scaled: FloatArray = _LEFT + offset / (self.end_ns - self.start_ns) * span
        return scaled

    def y(self, values: FloatArray) -> FloatArray:
        span = self.height - _TOP - _BOTTOM
        scaled: FloatArray = _TOP + (self.high - values) / (self.high - self.low) * span
        return scaled

    def line(self, ts_ns: Int64Array, values: FloatArray, css_class: str) -> None:
        keep = extreme_indices(values, DEFAULT_MAX_POINTS)
        data = path_data(self.x(ts_ns[keep]), self.y(values[keep]))
        self._layers.append(f'<path class="line {css_class}" d="{data}"/>')

    def area(self, ts_ns: Int64Array, values: FloatArray, css_class: str) -> None:
        """Fill between the series and zero (drawdowns)."""
        keep = extreme_indices(values, DEFAULT_MAX_POINTS)
        xs, ys = self.x(ts_ns[keep]), self.y(values[keep])
        if len(xs) == 0:
            return
        zero = float(self.y(np.array([0.0]))[0])
        outline = path_data(xs, ys)
        data = f"{outline}L{xs[-1]:.1f} {zero:.1f}L{xs[0]:.1f} {zero:.1f}Z"
        self._layers.append(f'<path class="area {css_class}" d="{data}"/>')

    def markers(self, marks: list[Marker]) -> None:
        if not marks:
            return
        xs = self.x(np.array([m.ts_ns for m in marks], dtype=np.int64))
        ys = self.y(np.array([m.price for m in marks], dtype=np.float64))
        shapes = []
        for mark, x, y in zip(marks, xs.tolist(), ys.tolist(), strict=True):
            if mark.side == "buy":  # tip touches the price from below
                d = f"M{x:.1f} {y + 2:.1f}l5 9h-10Z"
            else:
                d = f"M{x:.1f} {y - 2:.1f}l5 -9h-10Z"
            shapes.append(
                f'<path class="marker {mark.side}" d="{d}"><title>{escape(mark.tooltip)}</title>'
                "</path>"
            )
        self._layers.append(f'<g class="markers">{"".join(shapes)}</g>')

    def render(self) -> str:
        return (
            f'<svg id="{escape(self.chart_id)}" class="chart" viewBox="0 0 {WIDTH} '
            f'{self.height}" role="img" aria-label="{escape(self.label)}" '
            'xmlns="http://www.w3.org/2000/svg">'
            f"{self._axes()}{''.join(self._layers)}</svg>"
        )

    def _axes(self) -> str:
        parts = ['<g class="axes">']
        bottom = self.height - _BOTTOM
        for value in value_ticks(self.low, self.high):
            y = float(self.y(np.array([value]))[0])
            parts.append(
                f'<line class="grid" x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{y:.1f}" '
                f'y2="{y:.1f}"/><text class="tick y" x="{_LEFT - 6}" y="{y + 4:.1f}">'
                f"{escape(self.value_format(value))}</text>"
            )
        for ts, text in time_ticks(self.start_ns, self.end_ns, self.time_zone):
            x = float(self.x(np.array([ts], dtype=np.int64))[0])
            parts.append(
                f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{_TOP}" y2="{bottom}"/>'
                f'<text class="tick x" x="{x:.1f}" y="{bottom + 18}">{escape(text)}</text>'
            )
        parts.append(
            f'<rect class="frame" x="{_LEFT}" y="{_TOP}" width="{WIDTH - _LEFT - _RIGHT}" '
            f'height="{bottom - _TOP}"/></g>'
        )
        return "".join(parts)
