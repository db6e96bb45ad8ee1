"""Run a kernel the way TA-Lib's Python wrapper runs its C function.

TA-Lib first skips the leading bars where any input is NaN, runs the C function on the rest
(so warm-up starts at the first complete bar) and pads the outputs with NaN up to that bar
plus the function's lookback. :func:`apply` does exactly that around a numba kernel. A NaN
after the first complete bar is *not* skipped: it flows through the kernel's arithmetic as
it flows through TA-Lib's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from jts.contexts.strategy.domain.indicators.jit import kernel

Vector = NDArray[np.float64]


@kernel
def first_complete(a: Vector, b: Vector, c: Vector, d: Vector) -> int:
    """Index of the first bar where all four inputs are numbers (TA-Lib's ``check_begidx``).

    Like TA-Lib, an input with no complete bar at all yields the last index, so the kernel
    still runs on one bar and returns NaN for it.
    """
    n = len(a)
    for i in range(n):
        if a[i] != a[i] or b[i] != b[i] or c[i] != c[i] or d[i] != d[i]:
            continue
        return i
    return n - 1


def first_complete_bar(inputs: Sequence[Vector]) -> int:
    """The first bar index where every input holds a number."""
    padded = (list(inputs) * 4)[:4]
    return int(first_complete(padded[0], padded[1], padded[2], padded[3]))


def apply(
    compute: Callable[..., Any],
    inputs: Sequence[Vector],
    params: Sequence[float | int],
    lookback: int,
    n_outputs: int = 1,
) -> tuple[Vector, ...]:
    """Call ``compute(*inputs, *params, *outputs)`` on the complete part of the inputs.

    ``compute`` writes every output slot from index ``lookback`` (relative to the first
    complete bar) onward; this function fills the slots before that with NaN.
    """
    length = inputs[0].shape[0]
    outputs = tuple(np.empty(length, dtype=np.float64) for _ in range(n_outputs))
    if length == 0:
        return outputs
    begin = first_complete_bar(inputs)
    warm = min(begin + lookback, length)
    for output in outputs:
        output[:warm] = np.nan
    if warm < length:
        compute(*(x[begin:] for x in inputs), *params, *(o[begin:] for o in outputs))
    return outputs
