"""``LiveStrategyEngine``: many strategies over many instruments, bar by bar, on the bus.

Each ``Slot`` is one strategy on one instrument (``slots``): a strategy-language program on
its incremental evaluator, or a Python strategy. The engine subscribes to the candle topics
and hands each closed bar to the slots of that instrument and timeframe, with the position
the strategy holds (from a ``PositionView``), and publishes what they ask for as
``EntrySignalRaised`` / ``ExitSignalRaised`` on the ``signals.*`` topics.

- **Warm-up.** ``warm_up(history)`` feeds each slot the bars it needs before its first
  value (read from the time-series store by the caller) without asking for signals, so a
  restarted node trades from its first live bar.
- **Feed health.** A ``FeedStale`` for an instrument blocks new entries on it until its
  ``FeedRecovered``; exits still go out (a stale feed must not trap a position). Programs
  keep their own session filters (``session 09:05-15:15``): the evaluator refuses entries
  outside them.
- **Reduce-only.** After the kill switch (``reduce_only``), entries are dropped, exits go.
- **Supervision.** A strategy that raises is stopped alone: its slot is never called again,
  an ``ErrorReported`` (``CRITICAL``) says which, where and why, other slots carry on.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from functools import partial
from typing import Protocol

from jts.messages.base import Message
from jts.messages.enums import Severity
from jts.messages.market_data import Bar, FeedRecovered, FeedStale
from jts.messages.portfolio import PositionSnapshot
from jts.messages.strategy import EntrySignalRaised, SignalEvent
from jts.messages.system import ErrorReported
from jts.runtime.live.slots import NAN, Slot
from jts.shared_kernel.clock import Clock
from jts.shared_kernel.errors import StrategyError
from jts.shared_kernel.identifiers import InstrumentId, StrategyId
from jts.shared_kernel.timeframes import Timeframe

_log = logging.getLogger(__name__)
COMPONENT = "strategy.engine"
Publish = Callable[[Message], Awaitable[None]]


class PositionView(Protocol):
    """The position a strategy holds in an instrument, as it should see it now."""

    def snapshot(
        self, strategy_id: StrategyId, instrument_id: InstrumentId
    ) -> PositionSnapshot | None: ...


class LiveStrategyEngine:
    """Runs slots on closed bars and publishes their signals (see the module docstring)."""

    def __init__(self, *, positions: PositionView, publish: Publish, clock: Clock) -> None:
        self._positions = positions
        self._publish = publish
        self._clock = clock
        self._slots: dict[tuple[InstrumentId, Timeframe], list[Slot]] = {}
        self._by_key: dict[tuple[StrategyId, InstrumentId], Slot] = {}
        self.stale: set[InstrumentId] = set()
        self.reduce_only = False
        self.bars_seen = 0
        self.signals_sent = 0
        self.dropped_entries = 0

    # --- set-up -----------------------------------------------------------------------------

    def add(self, slot: Slot) -> None:
        key = (slot.strategy_id, slot.instrument)
        if key in self._by_key:
            raise StrategyError(
                f"strategy {slot.strategy_id} already runs on {slot.instrument}; give the "
                "second one another name"
            )
        self._by_key[key] = slot
        self._slots.setdefault((slot.instrument, slot.timeframe), []).append(slot)

    @property
    def slots(self) -> list[Slot]:
        return list(self._by_key.values())

    def subscriptions(self) -> list[tuple[InstrumentId, Timeframe]]:
        """Every (instrument, timeframe) some slot needs bars of."""
        return list(self._slots)

    async def warm_up(self, history: Iterable[Bar]) -> int:
        """Feed past bars (in time order) to their slots without signals; bars used."""
        used = 0
        for bar in history:
            for slot in self._slots.get((bar.instrument_id, bar.timeframe), ()):
                if slot.stopped is None:
                    await self._guard(slot, bar, partial(slot.warm, bar))
                    used += 1
        return used

    # --- bus handlers -----------------------------------------------------------------------

    async def on_market_data(self, message: Message) -> None:
        """Handler of the candle and feed-health topics."""
        if isinstance(message, Bar):
            await self.on_bar(message)
        elif isinstance(message, FeedStale):
            self.stale.add(message.instrument_id)
        elif isinstance(message, FeedRecovered):
            self.stale.discard(message.instrument_id)

    async def on_bar(self, bar: Bar) -> None:
        slots = self._slots.get((bar.instrument_id, bar.timeframe))
        if not slots:
            return
        self.bars_seen += 1
        for slot in slots:
            if slot.stopped is not None:
                continue
            position = self._positions.snapshot(slot.strategy_id, bar.instrument_id)
            signals = await self._guard(slot, bar, partial(slot.on_bar, bar, position))
            for signal in signals or ():
                await self._send(signal)

    def trailing_value(self, strategy_id: StrategyId, instrument_id: InstrumentId) -> float:
        slot = self._by_key.get((strategy_id, instrument_id))
        return NAN if slot is None else slot.trailing_value

    # --- helpers ----------------------------------------------------------------------------

    async def _send(self, signal: SignalEvent) -> None:
        if isinstance(signal, EntrySignalRaised) and (
            self.reduce_only or signal.instrument_id in self.stale
        ):
            self.dropped_entries += 1
            return
        self.signals_sent += 1
        await self._publish(signal)

    async def _guard(
        self, slot: Slot, bar: Bar, call: Callable[[], list[SignalEvent] | None]
    ) -> list[SignalEvent] | None:
        try:
            return call()
        except StrategyError as e:
            await self._stop(slot, e)
        except Exception as e:  # a fault in our own slot code still stops only this slot
            error = StrategyError(
                f"strategy {slot.strategy_id} failed on the {slot.instrument} bar closing at "
                f"{bar.ts_event}: {type(e).__name__}: {e}"
            )
            await self._stop(slot, error)
        return None

    async def _stop(self, slot: Slot, error: StrategyError) -> None:
        slot.stopped = error
        _log.error("strategy %s on %s stopped: %s", slot.strategy_id, slot.instrument, error)
        now = self._clock.now_ns()
        await self._publish(
            ErrorReported(
                component=f"strategy.{slot.strategy_id}",
                error_type="StrategyError",
                message=f"stopped on {slot.instrument}: {error}",
                severity=Severity.CRITICAL,
                ts_event=now,
                ts_init=now,
            )
        )
