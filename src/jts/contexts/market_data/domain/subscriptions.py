"""What a feed has been asked for: ``DataSubscription`` (instrument, data type, timeframe).

Every feed keeps its wanted subscriptions in a ``SubscriptionSet`` so that after a
reconnect it can ask the venue for all of them again, and so it can drop data nobody asked
for (a venue may send more than was subscribed).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from jts.messages.market_data import (
    Bar,
    FeedRecovered,
    FeedStale,
    MarketDataEvent,
    OrderBookSnapshot,
    QuoteTick,
    SurgeDetected,
    TradeTick,
)
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

SUBSCRIBABLE: tuple[type[MarketDataEvent], ...] = (TradeTick, QuoteTick, Bar, OrderBookSnapshot)
_NEVER_FILTERED = (FeedStale, FeedRecovered, SurgeDetected)


class DataSubscription(NamedTuple):
    """One kind of data for one instrument; bars also name their timeframe."""

    instrument_id: InstrumentId
    data: type[MarketDataEvent]
    timeframe: Timeframe | None = None

    @classmethod
    def of(
        cls,
        instrument_id: InstrumentId,
        data: type[MarketDataEvent],
        timeframe: Timeframe | None = None,
    ) -> DataSubscription:
        """A checked subscription: bars need a timeframe, other data must not have one."""
        if data not in SUBSCRIBABLE:
            names = ", ".join(t.__name__ for t in SUBSCRIBABLE)
            raise ValueError(f"cannot subscribe to {data.__name__}; subscribe to one of {names}")
        if (data is Bar) != (timeframe is not None):
            raise ValueError(
                f"{instrument_id} {data.__name__}: bars need a timeframe (e.g. 1m) and other "
                "data takes none"
            )
        return cls(instrument_id, data, timeframe)

    def __str__(self) -> str:
        frame = f" {self.timeframe}" if self.timeframe is not None else ""
        return f"{self.instrument_id} {self.data.__name__}{frame}"


class SubscriptionSet:
    """The subscriptions a feed must keep, and the test of whether an event was asked for."""

    def __init__(self) -> None:
        self._wanted: set[DataSubscription] = set()

    def __len__(self) -> int:
        return len(self._wanted)

    def __iter__(self) -> Iterator[DataSubscription]:
        return iter(sorted(self._wanted, key=str))

    def __contains__(self, subscription: object) -> bool:
        return subscription in self._wanted

    def add(self, subscription: DataSubscription) -> bool:
        """Keep ``subscription``; false if it was already kept."""
        if subscription in self._wanted:
            return False
        self._wanted.add(subscription)
        return True

    def discard(self, subscription: DataSubscription) -> bool:
        """Stop keeping ``subscription``; false if it was not kept."""
        if subscription not in self._wanted:
            return False
        self._wanted.discard(subscription)
        return True

    def instruments(self) -> set[InstrumentId]:
        return {subscription.instrument_id for subscription in self._wanted}

    def wants(self, event: MarketDataEvent) -> bool:
        """Whether ``event`` answers a subscription (health and surge events always do when
        their instrument is subscribed at all)."""
        if isinstance(event, _NEVER_FILTERED):
            return any(s.instrument_id == event.instrument_id for s in self._wanted)
        timeframe = event.timeframe if isinstance(event, Bar) else None
        return DataSubscription(event.instrument_id, type(event), timeframe) in self._wanted
