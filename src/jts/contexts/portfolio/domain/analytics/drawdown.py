"""Drawdowns of an equity curve: depth and duration.

Drawdown at a point is ``equity / running_peak - 1`` (``<= 0``), where the running peak
includes the starting equity, so a loss in the first period counts. Depth and duration are
measured on the curve as given: on an intraday curve an intraday trough counts even if the
day closed higher. On a daily curve the depth equals quantstats' and empyrical's
``max_drawdown`` of the daily returns.

A drawdown episode starts at a peak and ends at the first later point whose equity is back
at or above that peak (the recovery); an episode still open at the end of the curve lasts
until the last point. Duration is wall-clock time from the peak to the recovery, in ns.
"""

from __future__ import annotations

import math

import msgspec
import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
Int64Array = npt.NDArray[np.int64]


class DrawdownStats(msgspec.Struct, frozen=True, kw_only=True):
    """The deepest drawdown and the longest one (they need not be the same episode).

    ``max_drawdown`` is ``<= 0`` (``-0.25`` is a 25% fall from the peak). ``recovery_ts_ns``
    is ``None`` while the deepest drawdown has not recovered by the end of the curve."""

    max_drawdown: float
    peak_ts_ns: int | None = None
    trough_ts_ns: int | None = None
    recovery_ts_ns: int | None = None
    longest_duration_ns: int = 0
    longest_start_ts_ns: int | None = None
    longest_end_ts_ns: int | None = None


def drawdown_series(equity: FloatArray) -> FloatArray:
    """``equity / running_peak - 1`` at every point (0 at new highs)."""
    if len(equity) == 0:
        return np.empty(0, dtype=np.float64)
    return equity / np.maximum.accumulate(equity) - 1.0


def max_drawdown(equity: FloatArray) -> float:
    """The deepest drawdown, ``<= 0``; NaN for an empty curve."""
    if len(equity) == 0:
        return math.nan
    return float(np.min(drawdown_series(equity)))


def drawdown_stats(ts_ns: Int64Array, equity: FloatArray) -> DrawdownStats:
    """Depth and timing of the deepest drawdown and the duration of the longest one."""
    if len(equity) == 0:
        return DrawdownStats(max_drawdown=math.nan)
    peaks = np.maximum.accumulate(equity)
    drawdowns = equity / peaks - 1.0
    trough = int(np.argmin(drawdowns))
    depth = float(drawdowns[trough])
    at_peak = np.flatnonzero(equity >= peaks)  # starts of episodes and recoveries
    longest = _longest_episode(ts_ns, at_peak)
    if depth == 0.0:
        return DrawdownStats(max_drawdown=0.0)
    peak = int(at_peak[np.searchsorted(at_peak, trough, side="right") - 1])
    later_highs = at_peak[at_peak > trough]
    return DrawdownStats(
        max_drawdown=depth,
        peak_ts_ns=int(ts_ns[peak]),
        trough_ts_ns=int(ts_ns[trough]),
        recovery_ts_ns=int(ts_ns[later_highs[0]]) if len(later_highs) else None,
        longest_duration_ns=longest[0],
        longest_start_ts_ns=longest[1],
        longest_end_ts_ns=longest[2],
    )


def _longest_episode(ts_ns: Int64Array, at_peak: Int64Array) -> tuple[int, int | None, int | None]:
    # Episodes lie between consecutive at-peak points more than one point apart, plus an
    # open episode from the last peak to the end of the curve.
    last = len(ts_ns) - 1
    ends = np.append(at_peak[1:], last)
    starts = at_peak
    underwater = ends - starts > 1
    underwater[-1] = ends[-1] > starts[-1]
    if not underwater.any():
        return 0, None, None
    durations = ts_ns[ends[underwater]] - ts_ns[starts[underwater]]
    best = int(np.argmax(durations))
    start = int(starts[underwater][best])
    end = int(ends[underwater][best])
    return int(durations[best]), int(ts_ns[start]), int(ts_ns[end])
