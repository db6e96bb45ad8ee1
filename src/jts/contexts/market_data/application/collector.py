"""``MarketDataCollector``: the market-data-collector service's loop, one place for
normalize -> aggregate -> store -> detect -> publish.

Payloads from a venue feed arrive in runs (``run_payloads`` takes whatever the connection
has buffered, up to ``max_run``), so the hot path is column-wise end to end:

1. ``Normalizer.normalize_run``: parse and check; lost trades reach the watchdog.
2. ``TickIngest``: trades -> bars of every timeframe, ticks and bars stored in batches.
3. ``SurgeScanner``: velocity and new highs on the trades, volume spikes on closed bars,
   imbalance on books.
4. ``publish`` (the event bus): closed bars, surges, feed-health events and, if asked,
   quotes, books and every trade (``publish_ticks``; a ``TradeTick`` per trade is by far
   the costliest step, so it is off unless a consumer needs raw trades).

``on_timer(now_ns)`` (every second from ``run``) closes bars of quiet markets, asks the
watchdog about silent instruments and flushes the store. Message feeds (replay, the
simulator) go through ``on_event`` instead of payloads.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from jts.contexts.market_data.application.ingest import TickIngest
from jts.contexts.market_data.domain.bar_units import BarUnits
from jts.contexts.market_data.domain.normalization import Normalized, SequenceGap, TradeRecord
from jts.contexts.market_data.domain.normalizer import VenueNormalizer
from jts.contexts.market_data.domain.surge import SurgeScanner
from jts.contexts.market_data.domain.tick_series import AGGRESSOR_SIDES
from jts.contexts.market_data.domain.trade_batch import TradeBatch
from jts.contexts.market_data.domain.units import decimal_units
from jts.contexts.market_data.domain.watchdog import FeedWatchdog
from jts.messages.base import Message
from jts.messages.market_data import (
    Bar,
    FeedRecovered,
    FeedStale,
    MarketDataEvent,
    OrderBookSnapshot,
    QuoteTick,
    TradeTick,
)
from jts.shared_kernel.clock import Clock
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import InstrumentId

Publish = Callable[[Message], Awaitable[None]]
MESSAGE_SCALE = 8  # decimals trade messages are held at unless their first trade needs more


@dataclass
class CollectorCounts:
    runs: int = 0
    payloads: int = 0
    published: int = 0


class MarketDataCollector:
    """Runs the market data pipeline for one venue (see the module docstring)."""

    def __init__(
        self,
        *,
        normalizer: VenueNormalizer,
        ingest: TickIngest,
        publish: Publish,
        clock: Clock,
        surges: SurgeScanner | None = None,
        watchdog: FeedWatchdog | None = None,
        publish_ticks: bool = False,
        publish_quotes_and_books: bool = True,
        max_run: int = 2_000,
    ) -> None:
        self.normalizer = normalizer
        self.ingest = ingest
        self.surges = surges
        self.watchdog = watchdog
        self.counts = CollectorCounts()
        self._publish = publish
        self._clock = clock
        self._publish_ticks = publish_ticks
        self._publish_others = publish_quotes_and_books
        self._max_run = max_run
        self._gaps: list[SequenceGap] = []
        if normalizer.on_gap is None:
            normalizer.on_gap = self.on_gap
        self._scales: dict[InstrumentId, tuple[int, int]] = {}

    def on_gap(self, gap: SequenceGap) -> None:
        """Lost trades (the normalizer's ``on_gap``, wired by the constructor) go to the
        watchdog with the next run."""
        self._gaps.append(gap)

    async def on_payloads(self, payloads: Sequence[bytes], received_ns: int) -> None:
        """Process a run of payloads received at ``received_ns``."""
        self.counts.runs += 1
        self.counts.payloads += len(payloads)
        run = self.normalizer.normalize_run(payloads, received_ns)
        out: list[Message] = []
        self._health(run.trades, run.others, received_ns, out)
        closed = self.ingest.ingest_batch(run.trades)
        closed += self.ingest.ingest(run.others)
        if self.surges is not None:
            out += self.surges.on_trades(run.trades, received_ns)
            out += self.surges.on_bars(closed, received_ns)
            for record in run.others:
                if isinstance(record, OrderBookSnapshot):
                    surge = self.surges.on_book(record, received_ns)
                    if surge is not None:
                        out.append(surge)
        if self._publish_ticks:
            out += [record.to_message(received_ns) for record in run.trades.records()]
        if self._publish_others:
            out += [r for r in run.others if isinstance(r, QuoteTick | OrderBookSnapshot | Bar)]
        out += [bar.to_message(received_ns) for bar in closed]
        await self._send(out)

    async def on_event(self, event: MarketDataEvent) -> None:
        """Take one message from a message feed (replay, simulator): trades are aggregated,
        bars and health events passed on."""
        now = self._clock.now_ns()
        if isinstance(event, TradeTick):
            record = self._record(event)
            closed = self.ingest.ingest([record])
            await self._after_ingest(closed, TradeBatch.from_records([record]), now)
            return
        if isinstance(event, Bar):
            self.ingest.ingest([event])
        if self.watchdog is not None and not isinstance(event, FeedStale | FeedRecovered):
            recovered = self.watchdog.on_data(event.instrument_id, now)
            if recovered is not None:
                await self._send([recovered])
        await self._send([event])

    def _record(self, tick: TradeTick) -> TradeRecord:
        """A trade message as exact units, at (at least) 8 decimals or as many as the
        instrument's first trade had: later trades with more decimals are refused."""
        scales = self._scales.get(tick.instrument_id)
        if scales is None:
            scales = self._scales[tick.instrument_id] = (
                _decimals(tick.price),
                _decimals(tick.size),
            )
        return TradeRecord(
            tick.instrument_id,
            tick.ts_event,
            decimal_units(tick.price, scales[0]),
            decimal_units(tick.size, scales[1]),
            scales[0],
            scales[1],
            _AGGRESSOR_CODES[tick.aggressor_side],
            tick.sequence,
        )

    async def on_timer(self, now_ns: int) -> None:
        """Close bars whose time has passed, judge silent feeds, flush the store."""
        closed = self.ingest.advance(now_ns)
        out: list[Message] = []
        if self.surges is not None:
            out += self.surges.on_bars(closed, now_ns)
        out += [bar.to_message(now_ns) for bar in closed]
        if self.watchdog is not None:
            out += self.watchdog.check(now_ns)
        await self._send(out)
        self.ingest.flush()

    async def run_payloads(
        self, frames: AsyncIterator[tuple[int, bytes]], *, timer_s: float = 1.0
    ) -> None:
        """Consume a feed's ``frames()`` in runs until it ends, with the timer alongside."""
        queue: asyncio.Queue[tuple[int, bytes] | None] = asyncio.Queue(maxsize=4 * self._max_run)
        producer = asyncio.create_task(_pump(frames, queue))
        timer = asyncio.create_task(self._tick(timer_s))
        try:
            while True:
                first = await queue.get()
                if first is None:
                    break
                run, ended = [first], False
                while len(run) < self._max_run and not queue.empty():
                    item = queue.get_nowait()
                    if item is None:
                        ended = True
                        break
                    run.append(item)
                await self.on_payloads([payload for _, payload in run], run[-1][0])
                if ended:
                    break
        finally:
            timer.cancel()
            await asyncio.gather(producer, return_exceptions=True)
        self.ingest.close()

    async def _tick(self, timer_s: float) -> None:
        while True:
            await asyncio.sleep(timer_s)
            await self.on_timer(self._clock.now_ns())

    async def _after_ingest(self, closed: list[BarUnits], batch: TradeBatch, now: int) -> None:
        out: list[Message] = []
        self._health(batch, [], now, out)
        if self.surges is not None:
            out += self.surges.on_trades(batch, now)
            out += self.surges.on_bars(closed, now)
        out += [bar.to_message(now) for bar in closed]
        await self._send(out)

    def _health(
        self, trades: TradeBatch, others: Sequence[Normalized], now: int, out: list[Message]
    ) -> None:
        if self.watchdog is None:
            self._gaps.clear()
            return
        for gap in self._gaps:
            stale = self.watchdog.on_gap(gap, now)
            if stale is not None:
                out.append(stale)
        self._gaps.clear()
        seen = set(trades.instruments) | {record.instrument_id for record in others}
        for instrument_id in seen:
            recovered = self.watchdog.on_data(instrument_id, now)
            if recovered is not None:
                out.append(recovered)

    async def _send(self, messages: list[Message]) -> None:
        for message in messages:
            await self._publish(message)
        self.counts.published += len(messages)


async def _pump(
    frames: AsyncIterator[tuple[int, bytes]], queue: asyncio.Queue[tuple[int, bytes] | None]
) -> None:
    try:
        async for frame in frames:
            await queue.put(frame)
    finally:
        await queue.put(None)


_AGGRESSOR_CODES = {side: code for code, side in enumerate(AGGRESSOR_SIDES)}


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):
        raise DataError(f"{value} is not a finite number")
    return max(MESSAGE_SCALE, -exponent)
