"""Checkpoints of the live node: a JSON file, or memory for tests.

The stores already hold orders, fills, the paper account and the bars; what only the node
knows is how far it traded each series (``traded_until``: the close of the last bar it
handled, so a restarted replay skips exactly those) and each lane's levels (stop loss, take
profit, trailing level, an entry's time-to-live) and which order plays which role, so the
protective orders of a trade that spans a restart go out as if nothing happened. The node
saves a checkpoint at most every second while it runs and when it stops; a crash loses
what happened since the last save: the orders themselves are recovered from the stores
and their roles inferred from side and type, and bars handled since are handled again.
It also keeps the daily report's baseline (``daily``), saved right after each report, so a
restart never reports a KRX day twice.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from jts.runtime.live.daily_report import DailyState
from jts.runtime.live.lanes import LaneState
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe


class NodeState(msgspec.Struct, frozen=True, kw_only=True):
    """What a node resumes from: lanes, and the last bar traded per series."""

    lanes: list[LaneState] = msgspec.field(default_factory=list)
    traded_until: dict[str, int] = msgspec.field(default_factory=dict)
    daily: DailyState | None = None  # the daily report's baseline and last day reported

    def resume_points(
        self, keys: list[tuple[InstrumentId, Timeframe]]
    ) -> dict[tuple[InstrumentId, Timeframe], int]:
        """The close of the last bar traded, for each of ``keys`` traded before."""
        return {
            key: self.traded_until[series_name(key)]
            for key in keys
            if series_name(key) in self.traded_until
        }


def series_name(key: tuple[InstrumentId, Timeframe]) -> str:
    """``"BTC-KRW.UPBIT 1h"``: a series as a checkpoint names it."""
    return f"{key[0]} {key[1]}"


_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(NodeState)


class FileCheckpoint:
    """Lane states in a JSON file, replaced atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> NodeState:
        if not self.path.is_file():
            return NodeState()
        try:
            return _DECODER.decode(self.path.read_bytes())
        except msgspec.DecodeError as e:
            raise ValueError(
                f"checkpoint {self.path} is unreadable ({e}); delete it to start the lanes afresh"
            ) from None

    def save(self, state: NodeState) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        staging = self.path.with_suffix(self.path.suffix + ".tmp")
        staging.write_bytes(_ENCODER.encode(state))
        staging.replace(self.path)


class MemoryCheckpoint:
    """A checkpoint kept in memory (a restart inside one process)."""

    def __init__(self) -> None:
        self.state = NodeState()
        self.saves = 0

    def load(self) -> NodeState:
        return self.state

    def save(self, state: NodeState) -> None:
        self.state = state
        self.saves += 1
