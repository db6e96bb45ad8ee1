"""Compiled per-trade surge detectors over struct-of-arrays state (one row per instrument).

``scan_trades`` walks a run of trades once; per trade it does constant work whatever the
size of the universe, so 3,000 instruments cost what 30 do. Two detectors live here:

- **Price velocity.** Time is cut into steps of ``step_ns``; each instrument keeps the log
  price at the end of its last ``horizon`` steps in a ring and an exponentially weighted
  variance of step returns. A trade's velocity is its log price minus the one ``horizon``
  steps back, in standard deviations of a ``horizon``-step move:
  ``z = (x - x_back) / sqrt(horizon * var)``. ``|z| >= threshold`` fires (then the
  instrument rests for ``cooldown_ns``) once ``warmup`` step returns are known.
- **New high.** ``window_high`` is the highest high of the instrument's completed look-back
  days (maintained by the caller from daily bars); a trade above it by ``margin`` fires,
  once per day.

Hits are written to the ``hit_*`` arrays (row of the trade, kind, score, two figures); the
return value is how many.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from jts.contexts.market_data.domain.fixed_point import Float64Array, Int64Array
from jts.contexts.market_data.domain.jit import kernel

VELOCITY, NEW_HIGH = 0, 1
_WINSOR_SD = 4.0
BoolArray = npt.NDArray[np.bool_]


@kernel
def _roll_steps(
    i: int, steps: int, ring: Float64Array, ring_pos: Int64Array, ring_len: Int64Array,
    last_x: Float64Array, var: Float64Array, var_n: Int64Array, alpha: float, warmup: int,
) -> None:  # fmt: skip
    """Close ``steps`` steps of instrument ``i`` at its last price. Only the first had
    trades; the quiet ones repeat the price and leave the variance alone, so a quiet spell
    does not make the next move look large."""
    horizon = ring.shape[1]
    for s in range(min(steps, horizon)):
        if s == 0 and ring_len[i] > 0:
            move = last_x[i] - ring[i, (ring_pos[i] - 1) % horizon]
            if var_n[i] >= warmup:  # a surge enters the variance capped, or it would mute
                cap = _WINSOR_SD * np.sqrt(var[i])  # the next one
                move = min(max(move, -cap), cap)
            weight = max(alpha, 1.0 / (var_n[i] + 1))  # a plain mean until 1/alpha returns
            var[i] = (1.0 - weight) * var[i] + weight * move * move
            var_n[i] += 1
        ring[i, ring_pos[i]] = last_x[i]
        ring_pos[i] = (ring_pos[i] + 1) % horizon
        if ring_len[i] < horizon:
            ring_len[i] += 1


@kernel
def scan_trades(
    row_instrument: Int64Array, ts: Int64Array, log_price: Float64Array,
    step_ns: int, alpha: float, threshold: float, warmup: int, cooldown_ns: int,
    margin: float,
    last_step: Int64Array, last_x: Float64Array, ring: Float64Array, ring_pos: Int64Array,
    ring_len: Int64Array, var: Float64Array, var_n: Int64Array, rest_until: Int64Array,
    window_high: Float64Array, high_fired: BoolArray,
    hit_row: Int64Array, hit_kind: Int64Array, hit_score: Float64Array,
    hit_a: Float64Array, hit_b: Float64Array,
) -> int:  # fmt: skip
    horizon = ring.shape[1]
    hits = 0
    for row in range(len(ts)):
        i, t, x = row_instrument[row], ts[row], log_price[row]
        step = t // step_ns
        if last_step[i] < 0:
            last_step[i] = step
        elif step > last_step[i]:
            _roll_steps(
                i, step - last_step[i], ring, ring_pos, ring_len, last_x, var, var_n, alpha, warmup
            )
            last_step[i] = step
        last_x[i] = x
        if ring_len[i] == horizon and var_n[i] >= warmup and t >= rest_until[i] and var[i] > 0:
            move = x - ring[i, ring_pos[i]]  # the oldest entry: ``horizon`` steps back
            z = move / np.sqrt(horizon * var[i])
            if abs(z) >= threshold and hits < len(hit_row):
                hit_row[hits], hit_kind[hits], hit_score[hits] = row, VELOCITY, abs(z) / threshold
                hit_a[hits], hit_b[hits] = z, move
                hits += 1
                rest_until[i] = t + cooldown_ns
        high = window_high[i]
        above = high > 0 and x > np.log(high) + np.log1p(margin)
        if above and not high_fired[i] and hits < len(hit_row):
            ratio = np.exp(x) / high
            hit_row[hits], hit_kind[hits], hit_score[hits] = row, NEW_HIGH, ratio / (1 + margin)
            hit_a[hits], hit_b[hits] = np.exp(x), high
            hits += 1
            high_fired[i] = True
    return hits
