"""``TradeBatch``: the trades of many payloads (and instruments) as numpy columns.

The collector's hot path never makes an object per trade: a venue parser decodes a run of
payloads into one batch, the normalizer checks it column-wise and the ingest aggregates and
stores it column-wise. Columns, one row per trade in arrival order:

- ``instrument`` (``int64``): index into ``instruments``;
- ``ts_event`` (``int64`` UNIX ns), ``sequence`` (``int64``, ``-1``: the venue gives none);
- ``price`` / ``size`` (``int64`` units at ``price_scale`` / ``size_scale``, one pair per
  batch: a venue parser keeps fixed scales);
- ``aggressor`` (``int8`` ``TickSeries`` codes); ``source`` (``int64``): which payload of
  the run the trade came from, so an error can quote it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from jts.contexts.market_data.domain.fixed_point import Int64Array
from jts.contexts.market_data.domain.normalization import (
    Normalized,
    ParsedRun,
    TradeRecord,
    VenueParser,
)
from jts.shared_kernel.identifiers import InstrumentId

Int8Array = npt.NDArray[np.int8]
NO_SEQUENCE = -1


@dataclass(frozen=True, eq=False)
class TradeBatch:
    """Trades of a run of payloads, column-wise (see the module docstring)."""

    instruments: tuple[InstrumentId, ...]
    instrument: Int64Array
    ts_event: Int64Array
    sequence: Int64Array
    price: Int64Array
    size: Int64Array
    aggressor: Int8Array
    source: Int64Array
    price_scale: int
    size_scale: int

    def __len__(self) -> int:
        return len(self.ts_event)

    @classmethod
    def empty(cls, price_scale: int = 0, size_scale: int = 0) -> TradeBatch:
        nothing = np.empty(0, dtype=np.int64)
        return cls(
            (),
            nothing,
            nothing,
            nothing,
            nothing,
            nothing,
            np.empty(0, dtype=np.int8),
            nothing,
            price_scale,
            size_scale,
        )

    @classmethod
    def from_records(
        cls, records: Sequence[TradeRecord], sources: Sequence[int] | None = None
    ) -> TradeBatch:
        """A batch of ``records`` (all at one pair of scales)."""
        if not records:
            return cls.empty()
        first = records[0]
        index: dict[InstrumentId, int] = {}
        for record in records:
            if (record.price_scale, record.size_scale) != (first.price_scale, first.size_scale):
                raise ValueError(
                    f"{record.instrument_id}: a trade batch holds one pair of scales, "
                    f"{first.price_scale}/{first.size_scale}, not "
                    f"{record.price_scale}/{record.size_scale}"
                )
            index.setdefault(record.instrument_id, len(index))
        sequence = [NO_SEQUENCE if r.sequence is None else r.sequence for r in records]
        return cls(
            tuple(index),
            np.array([index[r.instrument_id] for r in records], dtype=np.int64),
            np.array([r.ts_event for r in records], dtype=np.int64),
            np.array(sequence, dtype=np.int64),
            np.array([r.price for r in records], dtype=np.int64),
            np.array([r.size for r in records], dtype=np.int64),
            np.array([r.aggressor for r in records], dtype=np.int8),
            np.arange(len(records), dtype=np.int64)
            if sources is None
            else np.array(sources, dtype=np.int64),
            first.price_scale,
            first.size_scale,
        )

    def take(self, rows: npt.NDArray[np.bool_] | Int64Array) -> TradeBatch:
        """The trades at ``rows`` (a mask or indices), same instruments."""
        return TradeBatch(
            self.instruments,
            self.instrument[rows],
            self.ts_event[rows],
            self.sequence[rows],
            self.price[rows],
            self.size[rows],
            self.aggressor[rows],
            self.source[rows],
            self.price_scale,
            self.size_scale,
        )

    def records(self) -> Iterator[TradeRecord]:
        """Every trade as a ``TradeRecord``, in order."""
        columns = zip(
            self.instrument.tolist(),
            self.ts_event.tolist(),
            self.price.tolist(),
            self.size.tolist(),
            self.aggressor.tolist(),
            self.sequence.tolist(),
            strict=True,
        )
        for index, ts, price, size, side, sequence in columns:
            yield TradeRecord(
                self.instruments[index],
                ts,
                price,
                size,
                self.price_scale,
                self.size_scale,
                side,
                None if sequence == NO_SEQUENCE else sequence,
            )


def concat_batches(batches: Sequence[TradeBatch]) -> TradeBatch:
    """One batch of every trade of ``batches`` in order (instruments re-indexed)."""
    batches = [batch for batch in batches if len(batch)]
    if not batches:
        return TradeBatch.empty()
    if len(batches) == 1:
        return batches[0]
    first = batches[0]
    index: dict[InstrumentId, int] = {}
    remapped = []
    for batch in batches:
        if (batch.price_scale, batch.size_scale) != (first.price_scale, first.size_scale):
            raise ValueError("cannot concatenate trade batches at different scales")
        mapping = np.array(
            [index.setdefault(i, len(index)) for i in batch.instruments], dtype=np.int64
        )
        remapped.append(mapping[batch.instrument])
    return TradeBatch(
        tuple(index),
        np.concatenate(remapped),
        np.concatenate([b.ts_event for b in batches]),
        np.concatenate([b.sequence for b in batches]),
        np.concatenate([b.price for b in batches]),
        np.concatenate([b.size for b in batches]),
        np.concatenate([b.aggressor for b in batches]),
        np.concatenate([b.source for b in batches]),
        first.price_scale,
        first.size_scale,
    )


def parse_each(parser: VenueParser, payloads: Sequence[bytes], received_ns: int) -> ParsedRun:
    """``parser.parse`` on every payload, gathered into a ``ParsedRun``."""
    trades: list[TradeRecord] = []
    sources: list[int] = []
    others: list[tuple[int, Normalized]] = []
    for source, payload in enumerate(payloads):
        for record in parser.parse(payload, received_ns):
            if type(record) is TradeRecord:
                trades.append(record)
                sources.append(source)
            else:
                others.append((source, record))
    return ParsedRun(TradeBatch.from_records(trades, sources), others)
