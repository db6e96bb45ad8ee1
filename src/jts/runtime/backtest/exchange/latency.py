"""How long an order, cancel or modify takes to reach the simulated venue.

A request made at ``t`` takes effect at ``t + delay``: a new order can only trade against
market data that starts at or after its arrival, and a cancel cannot stop fills that happen
before it arrives. Models are deterministic; ``UniformLatency`` draws from an injected, seeded
``random.Random`` so a run replays exactly.
"""

from __future__ import annotations

from enum import Enum
from typing import Protocol

from jts.shared_kernel.clock import NANOS_PER_MILLI


class RequestKind(Enum):
    SUBMIT = "submit"
    CANCEL = "cancel"
    MODIFY = "modify"


class IntegerSource(Protocol):
    """What ``UniformLatency`` needs of a seeded ``random.Random``."""

    def randint(self, a: int, b: int) -> int: ...


class LatencyModel(Protocol):
    """The delay in nanoseconds before a request of ``kind`` reaches the venue."""

    def delay_ns(self, kind: RequestKind) -> int: ...


class FixedLatency:
    """The same delay every time, per kind of request (all zero by default)."""

    __slots__ = ("_delays",)

    def __init__(self, submit_ns: int = 0, cancel_ns: int = 0, modify_ns: int = 0) -> None:
        for what, value in (("submit", submit_ns), ("cancel", cancel_ns), ("modify", modify_ns)):
            if value < 0:
                raise ValueError(f"{what} latency must not be negative, got {value} ns")
        self._delays = {
            RequestKind.SUBMIT: submit_ns,
            RequestKind.CANCEL: cancel_ns,
            RequestKind.MODIFY: modify_ns,
        }

    def delay_ns(self, kind: RequestKind) -> int:
        return self._delays[kind]

    def __repr__(self) -> str:
        parts = ", ".join(
            f"{kind.value}={ns / NANOS_PER_MILLI:g}ms" for kind, ns in self._delays.items()
        )
        return f"FixedLatency({parts})"


class UniformLatency:
    """A delay drawn uniformly from ``[low_ns, high_ns]`` by a seeded generator."""

    __slots__ = ("_high", "_low", "_rng")

    def __init__(self, rng: IntegerSource, low_ns: int, high_ns: int) -> None:
        if not 0 <= low_ns <= high_ns:
            raise ValueError(
                f"latency bounds must satisfy 0 <= low <= high, got {low_ns}, {high_ns}"
            )
        self._rng = rng
        self._low = low_ns
        self._high = high_ns

    def delay_ns(self, kind: RequestKind) -> int:
        return self._rng.randint(self._low, self._high)


NO_LATENCY = FixedLatency()
