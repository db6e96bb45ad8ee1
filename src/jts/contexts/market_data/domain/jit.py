"""The numba decorator market data kernels use, typed so mypy keeps their signatures.

Kernels compile on first call and are cached next to the source (``cache=True``), release
the GIL, and follow numpy's error model (a division by zero gives ``inf``, not an error).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba

F = TypeVar("F", bound=Callable[..., Any])


def kernel(fn: F) -> F:
    """Compile ``fn`` with numba in nopython mode (cached, GIL released, IEEE division)."""
    return cast(F, numba.njit(cache=True, nogil=True, error_model="numpy")(fn))
