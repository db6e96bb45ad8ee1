"""Bar timeframes: ``1s``, ``15s``, ``1m``, ``5m``, ``1h``, ``4h``, ``1d``, ``1w``."""

from __future__ import annotations

import re

import msgspec

from jts.shared_kernel.clock import NANOS_PER_SECOND

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800}
_PATTERN = re.compile(r"^(\d+)([smhdw])$")


class Timeframe(msgspec.Struct, frozen=True, order=True):
    """A bar length. Day and week bars follow the venue's sessions, not a fixed 24 h grid."""

    seconds: int

    def __post_init__(self) -> None:
        if self.seconds <= 0:
            raise ValueError(f"timeframe must be positive, got {self.seconds} s")

    @classmethod
    def parse(cls, text: str) -> Timeframe:
        match = _PATTERN.match(text.strip().lower())
        if match is None:
            raise ValueError(
                f"timeframe {text!r} must be a count and a unit s, m, h, d or w, e.g. 1m, 5m, 1d"
            )
        count, unit = int(match.group(1)), match.group(2)
        return cls(count * _UNIT_SECONDS[unit])

    @property
    def nanos(self) -> int:
        return self.seconds * NANOS_PER_SECOND

    @property
    def is_intraday(self) -> bool:
        return self.seconds < _UNIT_SECONDS["d"]

    def __str__(self) -> str:
        for unit in ("w", "d", "h", "m"):
            size = _UNIT_SECONDS[unit]
            if self.seconds % size == 0:
                return f"{self.seconds // size}{unit}"
        return f"{self.seconds}s"
