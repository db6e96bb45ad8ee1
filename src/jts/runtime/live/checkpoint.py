"""Checkpoints of the trading desk's lanes: a JSON file, or memory for tests.

The stores already hold orders, fills and the paper account; what only the desk knows is
each lane's levels (stop loss, take profit, trailing level, an entry's time-to-live) and
which order plays which role. The node saves them when it stops and loads them when it
starts, so protective orders of a trade that spans a restart go out as if nothing happened.
A crash loses only the levels set since the last stop: the orders themselves are recovered
from the stores, and their roles are inferred from side and type.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from jts.runtime.live.lanes import LaneState

_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(list[LaneState])


class FileCheckpoint:
    """Lane states in a JSON file, replaced atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> list[LaneState]:
        if not self.path.is_file():
            return []
        try:
            return _DECODER.decode(self.path.read_bytes())
        except msgspec.DecodeError as e:
            raise ValueError(
                f"checkpoint {self.path} is unreadable ({e}); delete it to start the lanes afresh"
            ) from None

    def save(self, states: list[LaneState]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        staging = self.path.with_suffix(self.path.suffix + ".tmp")
        staging.write_bytes(_ENCODER.encode(states))
        staging.replace(self.path)


class MemoryCheckpoint:
    """Lane states kept in memory (a restart inside one process)."""

    def __init__(self) -> None:
        self.states: list[LaneState] = []

    def load(self) -> list[LaneState]:
        return list(self.states)

    def save(self, states: list[LaneState]) -> None:
        self.states = list(states)
