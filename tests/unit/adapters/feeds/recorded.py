"""Recorded venue payloads from ``tests/data/<venue>/`` (wire format of brokers.md 3 and 4)."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[3] / "data"


def recorded(venue: str, name: str) -> bytes:
    """One recorded payload, exactly as the venue sends it."""
    return (DATA / venue / name).read_bytes().strip()


def recorded_lines(venue: str, name: str) -> list[bytes]:
    """A recorded stream: one frame per line."""
    return [line for line in recorded(venue, name).splitlines() if line.strip()]
