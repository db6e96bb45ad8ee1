"""The one numba decorator every indicator kernel uses, typed so mypy keeps the signatures.

Kernels are compiled lazily on first call and cached on disk next to the source, run without
the GIL, and use numpy's error model so a division by zero yields ``inf``/``nan`` like the C
library they mirror instead of raising. ``fastmath`` stays off: reassociating or fusing
floating-point operations would break the bit-for-bit agreement between the batch kernels and
the streaming classes, which perform the same operations in the same order (the few fused
multiply-adds TA-Lib's build performs are written out explicitly with :func:`fma`).

Numba keys a cached kernel on its own module's source only, so a kernel that inlines one
from another module would keep a stale copy after that module changed. The cache here is
also keyed on a fingerprint of every kernel module, so any change recompiles them all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

import numba
from llvmlite import ir as llvm_ir  # type: ignore[import-untyped]
from numba.core import types
from numba.core.caching import FunctionCache
from numba.extending import intrinsic

F = TypeVar("F", bound=Callable[..., Any])

_KERNEL_SOURCES = ("jit.py", "runner.py", "kernels_*.py")
_FINGERPRINT = hashlib.sha256(
    b"".join(
        path.read_bytes()
        for pattern in _KERNEL_SOURCES
        for path in sorted(Path(__file__).parent.glob(pattern))
    )
).hexdigest()


class _PackageCache(FunctionCache):
    """Numba's on-disk cache, keyed also by the source of every kernel module."""

    def _index_key(self, sig: Any, codegen: Any) -> tuple[Any, ...]:
        key = super()._index_key(sig, codegen)  # type: ignore[no-untyped-call]
        return (*key, _FINGERPRINT)


def kernel(fn: F) -> F:
    """Compile ``fn`` with numba in nopython mode (cached, GIL released, IEEE division)."""
    return _compile(fn, inline="never")


def helper(fn: F) -> F:
    """Like :func:`kernel`, for a small per-bar function: inlined into every kernel calling it.

    Numba links called kernels rather than inlining them, which costs a call per bar in a hot
    loop and blocks vectorization.
    """
    return _compile(fn, inline="always")


def _compile(fn: F, inline: Literal["never", "always"]) -> F:
    dispatcher = numba.njit(nogil=True, error_model="numpy", inline=inline)(fn)
    setattr(dispatcher, "_cache", _PackageCache(fn))  # type: ignore[no-untyped-call]  # noqa: B010
    return cast(F, dispatcher)


@intrinsic
def _llvm_fma(typingctx: Any, a: Any, b: Any, c: Any) -> tuple[Any, Any]:
    signature = types.float64(types.float64, types.float64, types.float64)

    def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
        double = llvm_ir.DoubleType()
        function_type = llvm_ir.FunctionType(double, [double, double, double])
        function = builder.module.declare_intrinsic("llvm.fma", [double], function_type)
        return builder.call(function, args)

    return signature, codegen


_fused = cast(Callable[[float, float, float], float], _llvm_fma)


@kernel
def fma(a: float, b: float, c: float) -> float:
    """``a * b + c`` rounded once (a fused multiply-add), inside numba kernels.

    TA-Lib's build fuses a few recurrences this way (ATR's Wilder step, KAMA's smoothing
    constant); using the same fused operation keeps those kernels bit-identical to TA-Lib and
    as fast. :func:`jts.contexts.strategy.domain.indicators.stream.fma` is the pure-Python twin.
    """
    return _fused(a, b, c)
