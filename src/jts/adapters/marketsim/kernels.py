"""The numba kernel of the return model: GARCH(1,1) volatility with Poisson jumps.

Per model step ``t`` (a fraction of a minute)::

    h[t]  = omega + alpha * e[t-1]**2 + beta * h[t-1]      conditional variance
    e[t]  = sqrt(h[t]) * z[t]                              z ~ N(0, 1)
    r[t]  = drift + shape[t] * e[t] + jump[t]              log return

``shape`` is the intraday volatility profile (U-shaped on KRX) and multiplies the
diffusion without feeding back into ``h``, so the GARCH recursion measures surprise
relative to the time of day. All randomness is drawn by the caller from a seeded numpy
``Generator`` and passed in, so the kernel is deterministic.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

Float64Array = npt.NDArray[np.float64]


@njit(cache=True, nogil=True)
def garch_returns(  # pragma: no cover - compiled; exercised through the generator tests
    normals: Float64Array,
    jumps: Float64Array,
    shape: Float64Array,
    omega: float,
    alpha: float,
    beta: float,
    drift: float,
) -> tuple[Float64Array, Float64Array]:
    """Log returns and conditional volatilities (``sqrt(h)``) for every step."""
    n = normals.shape[0]
    returns = np.empty(n)
    volatility = np.empty(n)
    variance = omega / (1.0 - alpha - beta)  # start at the long-run level
    shock = 0.0
    for t in range(n):
        variance = omega + alpha * shock * shock + beta * variance
        sigma = np.sqrt(variance)
        shock = sigma * normals[t]
        returns[t] = drift + shape[t] * shock + jumps[t]
        volatility[t] = sigma
    return returns, volatility
