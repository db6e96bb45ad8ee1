"""Thin a long series for drawing while keeping its extremes.

The points are cut into equal buckets; each bucket keeps its lowest and its highest point
(in time order), and the first and last points are always kept. A line through what is
left has the same envelope as the full series, so a one-minute drawdown spike still shows
on a ten-year chart. At most ``max_points`` points remain.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

DEFAULT_MAX_POINTS = 2_000


def extreme_indices(
    values: npt.NDArray[np.float64], max_points: int = DEFAULT_MAX_POINTS
) -> npt.NDArray[np.int64]:
    """Sorted indices of the points to keep; all of them when there are few enough."""
    n = len(values)
    if n <= max_points:
        return np.arange(n, dtype=np.int64)
    buckets = max(1, (max_points - 2) // 2)
    size = -(-n // buckets)  # ceiling division
    padded = np.full(buckets * size, np.nan)
    padded[:n] = values
    grid = padded.reshape(buckets, size)
    filled = ~np.all(np.isnan(grid), axis=1)
    grid = grid[filled]
    offsets = np.flatnonzero(filled) * size
    lows = offsets + np.nanargmin(grid, axis=1)
    highs = offsets + np.nanargmax(grid, axis=1)
    kept = np.concatenate(([0], lows, highs, [n - 1])).astype(np.int64)
    return np.unique(kept)
