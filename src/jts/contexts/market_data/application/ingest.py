"""``TickIngest``: the collector's hot path, trades -> bars -> the time-series store.

It works on ``TradeBatch``es (a run of payloads' trades as columns), never on one object
per trade:

- **Aggregate.** The batch is sorted by instrument (stably, so arrival order is kept per
  instrument); trades of one instrument and bucket are pre-aggregated with numpy
  (``chunk_trades``) and each chunk goes to that instrument's ``TimeBarAggregator`` for
  the shortest timeframe. An instrument whose trades in the batch go back in time, or
  start before the newest trade it already had, is fed trade by trade instead, so late
  trades follow the ``AggregationRules`` exactly. Longer timeframes are rolled up from the
  shortest one as its bars close (``BarRollup``).
- **Store.** Batches are kept as they are and appended to the store per instrument when
  ``tick_batch`` trades (or ``bar_batch`` bars) are pending and on ``flush()``. Appends
  are idempotent, so a replayed batch stores nothing twice.

``ingest_batch`` and ``ingest`` return the bars that closed (revisions included; in time
order per instrument), for the caller to publish and to feed the surge detectors. Call
``advance(now_ns)`` on a timer so bars close in quiet markets, and ``close()`` at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from jts.contexts.market_data.application.ports import BarStore, TickStore
from jts.contexts.market_data.domain.aggregation import Chunk, TimeBarAggregator
from jts.contexts.market_data.domain.bar_units import BarUnits, bars_to_series
from jts.contexts.market_data.domain.batch_aggregation import chunk_trades
from jts.contexts.market_data.domain.buckets import AggregationRules
from jts.contexts.market_data.domain.fixed_point import Int64Array
from jts.contexts.market_data.domain.normalization import Normalized, TradeRecord
from jts.contexts.market_data.domain.rollup import BarRollup
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.sessions import SessionWindows
from jts.contexts.market_data.domain.tick_series import TickSeries
from jts.contexts.market_data.domain.trade_batch import NO_SEQUENCE, TradeBatch, concat_batches
from jts.messages.market_data import Bar
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

SessionsFor = Callable[[InstrumentId], SessionWindows]


@runtime_checkable
class ManySeriesAppends(Protocol):
    """A store that takes a whole flush at once (one transaction instead of one per series):
    ``TickIngest`` uses it when its stores have it."""

    def append_ticks_many(self, many: Sequence[TickSeries]) -> None: ...

    def append_bars_many(self, many: Sequence[BarSeries]) -> None: ...


@dataclass
class IngestCounts:
    trades: int = 0
    ticks_stored: int = 0
    bars_stored: int = 0
    venue_bars: int = 0


class _Lane:
    """What is kept per instrument: its scales, aggregator and roll-ups."""

    __slots__ = ("aggregator", "price_scale", "rollups", "size_scale")

    def __init__(self, aggregator: TimeBarAggregator, rollups: list[BarRollup]) -> None:
        self.aggregator = aggregator
        self.rollups = rollups
        self.price_scale = aggregator.price_scale
        self.size_scale = aggregator.volume_scale

    def take_bars(self, base: list[BarUnits], closed: list[BarUnits]) -> None:
        closed.extend(base)
        for bar in base:
            for rollup in self.rollups:
                rollup.add(bar, closed)


class TickIngest:
    """Aggregates trades into bars and stores both in batches (see the module docstring)."""

    def __init__(
        self,
        *,
        bars: BarStore,
        ticks: TickStore | None,
        sessions_for: SessionsFor,
        timeframes: Sequence[Timeframe],
        rules: AggregationRules | None = None,
        tick_batch: int = 200_000,
        bar_batch: int = 10_000,
    ) -> None:
        if not timeframes:
            raise ValueError("name at least one bar timeframe to aggregate")
        if tick_batch <= 0 or bar_batch <= 0:
            raise ValueError("tick_batch and bar_batch must be positive")
        self._bar_store = bars
        self._tick_store = ticks
        self._sessions_for = sessions_for
        self._timeframes = sorted(set(timeframes))
        self._rules = rules or AggregationRules()
        self._tick_batch = tick_batch
        self._bar_batch = bar_batch
        self._lanes: dict[InstrumentId, _Lane] = {}
        self._batches: list[TradeBatch] = []
        self._pending_ticks = 0
        self._bars: dict[tuple[InstrumentId, Timeframe], dict[int, BarUnits]] = {}
        self._venue_bars: dict[tuple[InstrumentId, Timeframe], dict[int, Bar]] = {}
        self._pending_bars = 0
        self.counts = IngestCounts()

    @property
    def timeframes(self) -> list[Timeframe]:
        return list(self._timeframes)

    def aggregator(self, instrument_id: InstrumentId) -> TimeBarAggregator | None:
        """The shortest-timeframe aggregator of an instrument seen so far."""
        lane = self._lanes.get(instrument_id)
        return None if lane is None else lane.aggregator

    def ingest_batch(self, batch: TradeBatch) -> list[BarUnits]:
        """Aggregate and buffer a batch of trades; the bars that closed."""
        closed: list[BarUnits] = []
        if not len(batch):
            return closed
        lanes = [self._lane(instrument_id, batch) for instrument_id in batch.instruments]
        self._batches.append(batch)
        self._pending_ticks += len(batch)
        self.counts.trades += len(batch)
        order = np.argsort(batch.instrument, kind="stable")
        slow = self._needs_trade_by_trade(batch, order, lanes)
        fast_rows = order if not slow else order[~np.isin(batch.instrument[order], list(slow))]
        self._aggregate_chunks(batch, fast_rows, lanes, closed)
        for index in sorted(slow):
            self._aggregate_one_by_one(batch, order, index, lanes[index], closed)
        self._after(closed)
        return closed

    def ingest(self, records: Iterable[Normalized]) -> list[BarUnits]:
        """Take records: trades are aggregated and stored, venue bars stored; quotes and
        books are not this path's business. Returns the bars that closed."""
        trades: list[TradeRecord] = []
        for record in records:
            if type(record) is TradeRecord:
                trades.append(record)
            elif isinstance(record, Bar):
                self._add_venue_bar(record)
        closed = self.ingest_batch(TradeBatch.from_records(trades)) if trades else []
        if not trades:
            self._after(closed)
        return closed

    def advance(self, now_ns: int) -> list[BarUnits]:
        """Close every bar whose time (plus lateness) has passed; the bars closed."""
        closed: list[BarUnits] = []
        for lane in self._lanes.values():
            base: list[BarUnits] = []
            lane.aggregator.advance(now_ns, base)
            lane.take_bars(base, closed)
            for rollup in lane.rollups:
                rollup.advance(now_ns, closed)
        self._after(closed)
        return closed

    def flush(self) -> int:
        """Append every buffered tick and bar to the store; the rows appended."""
        return self._flush_ticks() + self._flush_bars()

    def close(self) -> list[BarUnits]:
        """End of the data: close every open bar and store everything; the bars closed."""
        closed: list[BarUnits] = []
        for lane in self._lanes.values():
            base: list[BarUnits] = []
            lane.aggregator.flush(base)
            lane.take_bars(base, closed)
            for rollup in lane.rollups:
                rollup.flush(closed)
        self._remember(closed)
        self.flush()
        return closed

    def _lane(self, instrument_id: InstrumentId, batch: TradeBatch) -> _Lane:
        lane = self._lanes.get(instrument_id)
        if lane is None:
            sessions = self._sessions_for(instrument_id)
            base, *longer = self._timeframes
            aggregator = TimeBarAggregator(
                instrument_id,
                base,
                sessions,
                price_scale=batch.price_scale,
                volume_scale=batch.size_scale,
                rules=self._rules,
            )
            rollups = [BarRollup(base, frame, sessions, rules=self._rules) for frame in longer]
            lane = self._lanes[instrument_id] = _Lane(aggregator, rollups)
        elif (batch.price_scale, batch.size_scale) != (lane.price_scale, lane.size_scale):
            raise DataError(
                f"{instrument_id}: trades at scales {batch.price_scale}/{batch.size_scale} "
                f"after trades at {lane.price_scale}/{lane.size_scale}; a parser keeps one pair"
            )
        return lane

    def _needs_trade_by_trade(
        self, batch: TradeBatch, order: Int64Array, lanes: list[_Lane]
    ) -> set[int]:
        """Instruments whose trades go back in time within the batch or behind what their
        aggregator already saw."""
        instrument, ts = batch.instrument[order], batch.ts_event[order]
        same = instrument[1:] == instrument[:-1]
        slow = set(instrument[1:][same & (ts[1:] < ts[:-1])].tolist())
        firsts = np.flatnonzero(np.append(True, ~same))
        for index, first_ts in zip(instrument[firsts].tolist(), ts[firsts].tolist(), strict=True):
            if first_ts < lanes[index].aggregator.watermark:
                slow.add(index)
        return slow

    def _aggregate_chunks(
        self, batch: TradeBatch, rows: Int64Array, lanes: list[_Lane], closed: list[BarUnits]
    ) -> None:
        by_sessions: dict[int, list[int]] = {}
        for index, lane in enumerate(lanes):
            by_sessions.setdefault(id(lane.aggregator.sessions), []).append(index)
        base_frame = self._timeframes[0]
        for members in by_sessions.values():
            shared = len(by_sessions) == 1
            picked = rows if shared else rows[np.isin(batch.instrument[rows], members)]
            chunks = chunk_trades(
                batch.instrument[picked],
                batch.ts_event[picked],
                batch.price[picked],
                batch.size[picked],
                base_frame,
                lanes[members[0]].aggregator.sessions,
            )
            for index in chunks.outside.tolist():
                lanes[index].aggregator.counts.out_of_session += 1
            columns = [column.tolist() for column in chunks[1:11]]
            for index, *values in zip(chunks.instrument.tolist(), *columns, strict=True):
                lane = lanes[index]
                base: list[BarUnits] = []
                lane.aggregator.add_chunk(Chunk(*values), base)
                if base:
                    lane.take_bars(base, closed)

    def _aggregate_one_by_one(
        self,
        batch: TradeBatch,
        order: Int64Array,
        index: int,
        lane: _Lane,
        closed: list[BarUnits],
    ) -> None:
        rows = order[batch.instrument[order] == index]
        add = lane.aggregator.add
        base: list[BarUnits] = []
        for ts, price, size in zip(
            batch.ts_event[rows].tolist(),
            batch.price[rows].tolist(),
            batch.size[rows].tolist(),
            strict=True,
        ):
            add(ts, price, size, base)
        lane.take_bars(base, closed)

    def _add_venue_bar(self, bar: Bar) -> None:
        self._venue_bars.setdefault((bar.instrument_id, bar.timeframe), {})[bar.ts_start] = bar
        self._pending_bars += 1
        self.counts.venue_bars += 1

    def _after(self, closed: list[BarUnits]) -> None:
        self._remember(closed)
        if self._pending_ticks >= self._tick_batch:
            self._flush_ticks()
        if self._pending_bars >= self._bar_batch:
            self._flush_bars()

    def _remember(self, closed: list[BarUnits]) -> None:
        for bar in closed:
            self._bars.setdefault((bar.instrument_id, bar.timeframe), {})[bar.ts_start] = bar
        self._pending_bars += len(closed)

    def _flush_ticks(self) -> int:
        batch = concat_batches(self._batches)
        self._batches = []
        self._pending_ticks = 0
        if self._tick_store is None or not len(batch):
            return 0
        order = np.argsort(batch.instrument, kind="stable")
        bounds = np.searchsorted(batch.instrument[order], np.arange(len(batch.instruments) + 1))
        many = [
            _tick_series(instrument_id, batch, order[bounds[index] : bounds[index + 1]])
            for index, instrument_id in enumerate(batch.instruments)
        ]
        if isinstance(self._tick_store, ManySeriesAppends):
            self._tick_store.append_ticks_many(many)
        else:
            for series in many:
                self._tick_store.append_ticks(series)
        written = sum(len(series) for series in many)
        self.counts.ticks_stored += written
        return written

    def _flush_bars(self) -> int:
        many = [bars_to_series(list(group.values())) for group in self._bars.values()]
        many += [
            BarSeries.from_bars([group[start] for start in sorted(group)])
            for group in self._venue_bars.values()
        ]
        if isinstance(self._bar_store, ManySeriesAppends):
            self._bar_store.append_bars_many(many)
        else:
            for series in many:
                self._bar_store.append_bars(series)
        self._bars.clear()
        self._venue_bars.clear()
        self._pending_bars = 0
        written = sum(len(series) for series in many)
        self.counts.bars_stored += written
        return written


def _tick_series(instrument_id: InstrumentId, batch: TradeBatch, rows: Int64Array) -> TickSeries:
    """An instrument's buffered trades as a valid series: sorted by ``(ts_event, sequence)``,
    one row per key (a repeat replaces the earlier row). Trades without a sequence (not
    from a ``Normalizer``, which numbers them) get their position in the buffer."""
    ts, sequence = batch.ts_event[rows], batch.sequence[rows].copy()
    price, size, side = batch.price[rows], batch.size[rows], batch.aggressor[rows]
    unnumbered = sequence == NO_SEQUENCE
    if unnumbered.any():
        sequence[unnumbered] = np.flatnonzero(unnumbered)
    step_ts, step_sequence = np.diff(ts), np.diff(sequence)
    if not bool(((step_ts > 0) | ((step_ts == 0) & (step_sequence > 0))).all()):
        order = np.lexsort((sequence, ts))
        last = np.ones(len(ts), dtype=np.bool_)
        last[:-1] = (np.diff(ts[order]) != 0) | (np.diff(sequence[order]) != 0)
        keep = order[last]
        ts, sequence = ts[keep], sequence[keep]
        price, size, side = price[keep], size[keep], side[keep]
    return TickSeries(
        instrument_id,
        np.ascontiguousarray(ts),
        np.ascontiguousarray(sequence),
        np.ascontiguousarray(price),
        np.ascontiguousarray(size),
        np.ascontiguousarray(side),
        batch.price_scale,
        batch.size_scale,
    )
