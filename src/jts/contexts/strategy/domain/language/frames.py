"""Timeframe names as the checker and evaluators use them: canonical text, ordered by length."""

from __future__ import annotations

from collections.abc import Iterable

from jts.shared_kernel.timeframes import Timeframe


def canonical(text: str) -> str:
    """``60m`` -> ``1h``; raises ``ValueError`` with the expected form for bad text."""
    return str(Timeframe.parse(text))


def seconds(frame: str) -> int:
    return Timeframe.parse(frame).seconds


def finest(frames: Iterable[str | None]) -> str | None:
    """The shortest timeframe among ``frames`` (``None`` entries are scalars, ignored)."""
    present = [frame for frame in frames if frame is not None]
    return min(present, key=seconds) if present else None
