"""``Normalizer``: venue payloads in, checked records out (rules in ``normalization``).

``normalize`` takes one payload and gives records; ``normalize_run`` takes many and gives
their trades as one ``TradeBatch`` checked column-wise (the collector's hot path) plus the
other records. Both apply the same rules and share the per-instrument sequence state.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Sequence
from typing import NamedTuple

import msgspec
import numpy as np

from jts.contexts.market_data.domain.normalization import (
    EARLIEST_NS,
    PAYLOAD_EXCERPT,
    GapHandler,
    NormalizationCounts,
    Normalized,
    ParsedRun,
    ParserRegistry,
    SequenceGap,
    SequencePolicy,
    TradeRecord,
    VenueParser,
)
from jts.contexts.market_data.domain.trade_batch import NO_SEQUENCE, TradeBatch
from jts.messages.market_data import Bar, OrderBookSnapshot
from jts.shared_kernel.clock import NANOS_PER_SECOND
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

logger = logging.getLogger(__name__)

_READ_ERRORS = (msgspec.DecodeError, msgspec.ValidationError, ValueError, KeyError, IndexError)
_ORDERED = (SequencePolicy.CONTIGUOUS, SequencePolicy.INCREASING)


class NormalizedRun(NamedTuple):
    """The checked records of a run of payloads: trades column-wise, the rest as records."""

    trades: TradeBatch
    others: list[Normalized]


class _TradeState:
    __slots__ = ("last_sequence", "last_ts", "ordinal", "recent", "recent_order")

    def __init__(self) -> None:
        self.last_sequence: int | None = None
        self.last_ts = -1
        self.ordinal = 0
        self.recent: set[int] = set()
        self.recent_order: deque[int] = deque()


class VenueNormalizer:
    """Checks the records of one venue's parser; build it with ``Normalizer.for_venue``."""

    def __init__(
        self,
        parser: VenueParser,
        counts: NormalizationCounts,
        *,
        max_future_ns: int,
        dedup_window: int,
        on_gap: GapHandler | None,
    ) -> None:
        self.parser = parser
        self.venue = parser.venue
        self.counts = counts
        self._policy = parser.trade_sequences
        self._max_future_ns = max_future_ns
        self._dedup_window = dedup_window
        self.on_gap = on_gap  # who hears of lost trades; a collector may take it over
        self._trades: dict[InstrumentId, _TradeState] = {}
        self._books: dict[InstrumentId, int] = {}
        self._bars: dict[tuple[InstrumentId, Timeframe], int] = {}

    def normalize(self, payload: bytes, received_ns: int) -> list[Normalized]:
        """The new records in ``payload``; raises ``DataError`` on corrupt data."""
        self.counts.payloads += 1
        try:
            records = self.parser.parse(payload, received_ns)
        except _READ_ERRORS as e:  # DataError is a ValueError
            raise self._rejected(payload, str(e)) from e
        latest = received_ns + self._max_future_ns
        kept: list[Normalized] = []
        for record in records:
            problem = self._problem(record, latest)
            if problem is not None:
                raise self._rejected(payload, problem)
            if type(record) is TradeRecord:
                checked = self._trade(record)
                if checked is not None:
                    kept.append(checked)
            elif self._is_new(record):
                kept.append(record)
        self.counts.records += len(kept)
        return kept

    def normalize_run(self, payloads: Sequence[bytes], received_ns: int) -> NormalizedRun:
        """The new records of many payloads; raises ``DataError`` on corrupt data."""
        self.counts.payloads += len(payloads)
        try:
            parsed = self.parser.parse_run(payloads, received_ns)
        except _READ_ERRORS:
            self._raise_first_unreadable(payloads, received_ns)
            raise
        trades = self._checked_batch(parsed, payloads, received_ns + self._max_future_ns)
        latest = received_ns + self._max_future_ns
        others: list[Normalized] = []
        for source, record in parsed.others:
            problem = self._problem(record, latest)
            if problem is not None:
                raise self._rejected(payloads[source], problem)
            if self._is_new(record):
                others.append(record)
        self.counts.records += len(trades) + len(others)
        return NormalizedRun(trades, others)

    def _checked_batch(
        self, parsed: ParsedRun, payloads: Sequence[bytes], latest: int
    ) -> TradeBatch:
        batch = parsed.trades
        if not len(batch):
            return batch
        bad = (
            (batch.ts_event < EARLIEST_NS)
            | (batch.ts_event > latest)
            | (batch.price <= 0)
            | (batch.size < 0)
        )
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            (record,) = batch.take(np.array([row])).records()
            raise self._rejected(
                payloads[int(batch.source[row])], self._problem(record, latest) or "bad trade"
            )
        if self._policy in _ORDERED and bool((batch.sequence != NO_SEQUENCE).all()):
            fast = self._ordered_batch(batch)
            if fast is not None:
                return fast
        kept = [(r, s) for r, s in zip(batch.records(), batch.source.tolist(), strict=True)]
        checked = [(self._trade(r), s) for r, s in kept]
        records = [r for r, _ in checked if r is not None]
        sources = [s for r, s in checked if r is not None]
        return TradeBatch.from_records(records, sources)

    def _ordered_batch(self, batch: TradeBatch) -> TradeBatch | None:
        """Sequence checks for ordered sequences, column-wise; ``None`` when something needs
        the trade-by-trade path (a duplicate or an out-of-order sequence in the batch)."""
        states = [self._trades.get(i) for i in batch.instruments]
        last = np.array(
            [-1 if s is None or s.last_sequence is None else s.last_sequence for s in states],
            dtype=np.int64,
        )
        order = np.argsort(batch.instrument, kind="stable")
        instrument, sequence = batch.instrument[order], batch.sequence[order]
        starts = np.ones(len(order), dtype=np.bool_)
        starts[1:] = instrument[1:] != instrument[:-1]
        previous = np.empty_like(sequence)
        previous[1:] = sequence[:-1]
        previous[starts] = last[instrument[starts]]
        if bool((sequence <= previous).any()):
            return None
        if self._policy is SequencePolicy.CONTIGUOUS:
            for row in np.flatnonzero((previous >= 0) & (sequence > previous + 1)).tolist():
                ts = int(batch.ts_event[order[row]])
                index = int(instrument[row])
                expected, received = int(previous[row]) + 1, int(sequence[row])
                self._gap(SequenceGap(batch.instruments[index], expected, received, ts))
        ends = np.append(np.flatnonzero(starts)[1:] - 1, len(order) - 1)
        for index, newest in zip(instrument[ends].tolist(), sequence[ends].tolist(), strict=True):
            instrument_id = batch.instruments[index]
            state = self._trades.get(instrument_id)
            if state is None:
                state = self._trades[instrument_id] = _TradeState()
            state.last_sequence = newest
        return batch

    def _raise_first_unreadable(self, payloads: Sequence[bytes], received_ns: int) -> None:
        for payload in payloads:
            try:
                self.parser.parse(payload, received_ns)
            except _READ_ERRORS as e:
                raise self._rejected(payload, str(e)) from e

    def _problem(self, record: Normalized, latest: int) -> str | None:
        ts = record.ts_event
        if ts < EARLIEST_NS or ts > latest:
            return (
                f"{record.instrument_id} timestamp {ts} is outside [{EARLIEST_NS}, receive "
                f"time + {self._max_future_ns} ns = {latest}]"
            )
        if type(record) is TradeRecord and (record.price <= 0 or record.size < 0):
            return f"{record.instrument_id} trade price {record.price} / size {record.size}"
        return None

    def _trade(self, trade: TradeRecord) -> TradeRecord | None:
        state = self._trades.get(trade.instrument_id)
        if state is None:
            state = self._trades[trade.instrument_id] = _TradeState()
        sequence = trade.sequence
        if sequence is None or self._policy is SequencePolicy.NONE:
            state.ordinal = state.ordinal + 1 if trade.ts_event == state.last_ts else 0
            state.last_ts = trade.ts_event
            return msgspec.structs.replace(trade, sequence=state.ordinal)
        if self._policy is SequencePolicy.UNIQUE:
            return self._unique(trade, state, sequence)
        last = state.last_sequence
        if last is not None and sequence <= last:
            self.counts.duplicates += 1
            return None
        if self._policy is SequencePolicy.CONTIGUOUS and last is not None and sequence > last + 1:
            self._gap(SequenceGap(trade.instrument_id, last + 1, sequence, trade.ts_event))
        state.last_sequence = sequence
        return trade

    def _unique(self, trade: TradeRecord, state: _TradeState, sequence: int) -> TradeRecord | None:
        if sequence in state.recent:
            self.counts.duplicates += 1
            return None
        state.recent.add(sequence)
        state.recent_order.append(sequence)
        if len(state.recent_order) > self._dedup_window:
            state.recent.discard(state.recent_order.popleft())
        return trade

    def _gap(self, gap: SequenceGap) -> None:
        self.counts.gaps += 1
        self.counts.missing += gap.missing
        logger.warning(
            "%s: %d trade(s) of %s missing (sequence %d..%d)",
            self.venue,
            gap.missing,
            gap.instrument_id,
            gap.expected,
            gap.received - 1,
        )
        if self.on_gap is not None:
            self.on_gap(gap)

    def _is_new(self, record: Normalized) -> bool:
        if isinstance(record, OrderBookSnapshot) and record.sequence is not None:
            last = self._books.get(record.instrument_id)
            if last is not None and record.sequence <= last:
                self.counts.duplicates += 1
                return False
            self._books[record.instrument_id] = record.sequence
        elif isinstance(record, Bar):
            key = (record.instrument_id, record.timeframe)
            last = self._bars.get(key)
            if last is not None and record.ts_start <= last:
                self.counts.duplicates += 1
                return False
            self._bars[key] = record.ts_start
        return True

    def _rejected(self, payload: bytes, reason: str) -> DataError:
        excerpt = payload[:PAYLOAD_EXCERPT].decode("utf-8", "replace")
        if len(payload) > PAYLOAD_EXCERPT:
            excerpt += f"... ({len(payload)} bytes)"
        logger.error("%s payload rejected: %s; payload: %s", self.venue, reason, excerpt)
        return DataError(
            f"{self.venue} payload rejected: {reason}; payload: {excerpt}. The feed stops on "
            "corrupt data: check the venue's format against brokers.md"
        )


class Normalizer:
    """Normalizes payloads of every registered venue (see ``normalization``)."""

    def __init__(
        self,
        registry: ParserRegistry,
        *,
        max_future_ns: int = 60 * NANOS_PER_SECOND,
        dedup_window: int = 4_096,
        on_gap: GapHandler | None = None,
    ) -> None:
        if max_future_ns < 0 or dedup_window < 1:
            raise ValueError("max_future_ns must be >= 0 and dedup_window >= 1")
        self.registry = registry
        self.counts = NormalizationCounts()
        self._options = (max_future_ns, dedup_window, on_gap)
        self._venues: dict[str, VenueNormalizer] = {}

    def for_venue(self, venue: str) -> VenueNormalizer:
        """The normalizer of one venue (keeps that venue's sequence state)."""
        normalizer = self._venues.get(venue)
        if normalizer is None:
            max_future_ns, dedup_window, on_gap = self._options
            normalizer = VenueNormalizer(
                self.registry.parser_for(venue),
                self.counts,
                max_future_ns=max_future_ns,
                dedup_window=dedup_window,
                on_gap=on_gap,
            )
            self._venues[venue] = normalizer
        return normalizer

    def normalize(self, venue: str, payload: bytes, received_ns: int) -> list[Normalized]:
        return self.for_venue(venue).normalize(payload, received_ns)

    def normalize_run(
        self, venue: str, payloads: Sequence[bytes], received_ns: int
    ) -> NormalizedRun:
        return self.for_venue(venue).normalize_run(payloads, received_ns)
