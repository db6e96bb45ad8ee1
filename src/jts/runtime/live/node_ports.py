"""What the live node needs from outside (feed, checkpoint, paper venue) and what it counts.

The ``LiveNode`` (``node``) is written against these protocols: bootstrap hands in the real
feeds, the file checkpoint and the paper broker; tests hand in fakes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Protocol

from jts.contexts.trading.application.reconciliation import ReconciliationReport
from jts.messages.market_data import MarketDataEvent
from jts.messages.trading import OrderFilled
from jts.runtime.live.checkpoint import NodeState
from jts.runtime.live.recorder import SeriesKey
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe


class MarketFeed(Protocol):
    """A ``MarketDataFeed`` (``contexts.market_data.application.ports``), as the node uses it."""

    async def subscribe(
        self,
        instrument_id: InstrumentId,
        data: type[MarketDataEvent],
        *,
        timeframe: Timeframe | None = None,
    ) -> None: ...

    def stream(self) -> AsyncIterator[MarketDataEvent]: ...

    async def close(self) -> None: ...


class Checkpoint(Protocol):
    """Where the node keeps what it resumes from (``checkpoint.NodeState``)."""

    def load(self) -> NodeState: ...

    def save(self, state: NodeState) -> None: ...


FeedStart = Callable[[SeriesKey], int | None]
"""Where the feed begins for a series (``ts_start`` of its first bar): a node that never
traded the series warms up on the recorded bars that start before it."""


class PaperVenue(Protocol):
    """What the node asks of the paper broker besides the OMS's ``BrokerGateway`` calls."""

    async def start(self) -> None: ...

    async def on_market_data(self, event: MarketDataEvent) -> None: ...

    async def fills_since(self, ts_ns: int) -> list[OrderFilled]: ...


@dataclass
class NodeStats:
    """What the node did, for the dashboard and the summary."""

    events: int = 0
    bars: int = 0
    skipped: int = 0
    warmup_bars: int = 0
    adopted_orders: int = 0
    reconciliation: list[ReconciliationReport] = field(default_factory=list)
    finished: str = ""
