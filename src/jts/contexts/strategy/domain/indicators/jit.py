"""The one numba decorator every indicator kernel uses, typed so mypy keeps the signatures.

Kernels are compiled lazily on first call and cached next to the source (``cache=True``),
run without the GIL, and use numpy's error model so a division by zero yields ``inf``/``nan``
like the C library they mirror instead of raising. ``fastmath`` stays off: reassociating or
fusing floating-point operations would break the bit-for-bit agreement between the batch
kernels and the streaming classes, which perform the same operations in the same order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba

F = TypeVar("F", bound=Callable[..., Any])


def kernel(fn: F) -> F:
    """Compile ``fn`` with numba in nopython mode (cached, GIL released, IEEE division)."""
    return cast(F, numba.njit(cache=True, nogil=True, error_model="numpy")(fn))
