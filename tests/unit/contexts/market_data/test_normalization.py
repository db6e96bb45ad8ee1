"""The normalizer: sequence and timestamp checks, duplicates, gaps and corrupt payloads."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from decimal import Decimal

import msgspec
import pytest

from jts.contexts.market_data.domain.normalization import (
    Normalized,
    ParserRegistry,
    SequenceGap,
    SequencePolicy,
    TradeRecord,
)
from jts.contexts.market_data.domain.normalizer import Normalizer
from jts.contexts.market_data.domain.units import decimal_units, text_units
from jts.messages.enums import AggressorSide
from jts.messages.market_data import BookLevel, OrderBookSnapshot
from jts.shared_kernel.errors import ConfigurationError, DataError
from tests.unit.contexts.market_data.builders import BTC_USDT, SECOND, utc

NOW = utc(2024, 5, 3, 10)


class Wire(msgspec.Struct):
    ts: int
    seq: int | None = None
    price: str = "100.5"
    book: int | None = None


class FakeParser:
    """Reads ``{"ts": ..., "seq": ..., "price": ...}`` as one trade (or a book with
    ``"book": <sequence>``)."""

    venue = "FAKE"

    def __init__(self, policy: SequencePolicy = SequencePolicy.CONTIGUOUS) -> None:
        self.trade_sequences = policy

    def parse(self, payload: bytes, received_ns: int) -> Sequence[Normalized]:
        wire = msgspec.json.decode(payload, type=Wire)
        if wire.book is not None:
            level = (BookLevel(Decimal(1), Decimal(1)),)
            return [
                OrderBookSnapshot(
                    instrument_id=BTC_USDT, bids=level, asks=(), sequence=wire.book,
                    ts_event=wire.ts, ts_init=received_ns,
                )
            ]  # fmt: skip
        return [TradeRecord(BTC_USDT, wire.ts, text_units(wire.price, 2), 3, 2, 0, 1, wire.seq)]


def normalizer(
    policy: SequencePolicy = SequencePolicy.CONTIGUOUS, gaps: list[SequenceGap] | None = None
) -> Normalizer:
    return Normalizer(
        ParserRegistry([FakeParser(policy)]), on_gap=None if gaps is None else gaps.append
    )


def payload(ts: int, seq: int | None = None, **extra: object) -> bytes:
    return msgspec.json.encode({"ts": ts, "seq": seq, **extra})


def run(n: Normalizer, *payloads: bytes) -> list[Normalized]:
    return [record for p in payloads for record in n.normalize("FAKE", p, NOW)]


def test_contiguous_sequences_drop_duplicates_and_report_gaps() -> None:
    gaps: list[SequenceGap] = []
    n = normalizer(gaps=gaps)

    records = run(n, payload(NOW, 1), payload(NOW, 2), payload(NOW, 2), payload(NOW, 1),
                  payload(NOW, 6))  # fmt: skip

    assert [r.sequence for r in records if isinstance(r, TradeRecord)] == [1, 2, 6]
    assert n.counts.duplicates == 2
    assert gaps == [SequenceGap(BTC_USDT, 3, 6, NOW)]
    assert gaps[0].missing == 3
    assert (n.counts.gaps, n.counts.missing) == (1, 3)


def test_unique_sequences_are_deduplicated_in_a_window_whatever_their_order() -> None:
    n = normalizer(SequencePolicy.UNIQUE)

    records = run(n, payload(NOW, 30), payload(NOW, 10), payload(NOW, 30), payload(NOW, 20))

    assert [r.sequence for r in records if isinstance(r, TradeRecord)] == [30, 10, 20]
    assert n.counts.duplicates == 1


def test_trades_without_a_sequence_are_numbered_within_their_timestamp() -> None:
    n = normalizer(SequencePolicy.NONE)

    records = run(n, payload(NOW), payload(NOW), payload(NOW + 1), payload(NOW + 1),
                  payload(NOW + 1))  # fmt: skip

    assert [r.sequence for r in records if isinstance(r, TradeRecord)] == [0, 1, 0, 1, 2]


def test_stale_book_snapshots_are_dropped() -> None:
    n = normalizer()

    records = run(n, payload(NOW, book=5), payload(NOW, book=4), payload(NOW, book=7))

    assert [r.sequence for r in records if isinstance(r, OrderBookSnapshot)] == [5, 7]


@pytest.mark.parametrize(
    ("ts", "why"),
    [(utc(1999, 12, 31), "outside"), (NOW + 61 * SECOND, "outside")],
)
def test_impossible_timestamps_fail_fast(ts: int, why: str) -> None:
    with pytest.raises(DataError, match=why):
        run(normalizer(), payload(ts, 1))


def test_corrupt_payload_fails_fast_quoting_the_payload(caplog: pytest.LogCaptureFixture) -> None:
    n = normalizer()
    bad = payload(NOW, 1, price="NaN")

    with caplog.at_level(logging.ERROR), pytest.raises(DataError) as raised:
        run(n, bad)

    assert "FAKE payload rejected" in str(raised.value)
    assert '"price":"NaN"' in str(raised.value)
    assert any('"price":"NaN"' in record.getMessage() for record in caplog.records)


def test_unreadable_json_fails_fast() -> None:
    with pytest.raises(DataError, match="FAKE payload rejected"):
        run(normalizer(), b'{"ts": 1,')


def test_unknown_venue_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="no market data parser for venue 'NOPE'"):
        normalizer().normalize("NOPE", b"{}", NOW)


def test_trade_records_become_exact_trade_ticks() -> None:
    record = TradeRecord(BTC_USDT, NOW, 6325001, 150, 2, 8, 2, 77, "t-77")

    tick = record.to_message(ts_init=NOW + 5)

    assert tick.price == Decimal("63250.01")
    assert tick.size == Decimal("0.00000150")
    assert tick.aggressor_side is AggressorSide.SELLER
    assert (tick.sequence, tick.trade_id, tick.ts_init) == (77, "t-77", NOW + 5)


@pytest.mark.parametrize(
    ("text", "scale", "units"),
    [("0.00100000", 8, 100_000), ("65000", 0, 65_000), ("63250.0100", 2, 6_325_001),
     ("-1.5", 1, -15), (".5", 1, 5), ("12.", 2, 1_200)],
)  # fmt: skip
def test_decimal_text_becomes_exact_units(text: str, scale: int, units: int) -> None:
    assert text_units(text, scale) == units


@pytest.mark.parametrize("text", ["NaN", "1e-5", "", "1_000", "1.2.3", "abc", "0.001", "-"])
def test_text_that_is_not_a_decimal_on_the_grid_is_refused(text: str) -> None:
    with pytest.raises(DataError):
        text_units(text, 2)


def test_decimals_become_units_and_off_grid_ones_are_refused() -> None:
    assert decimal_units(Decimal("87650000.0"), 8) == 8_765_000_000_000_000
    with pytest.raises(DataError, match="more than 2 decimals"):
        decimal_units(Decimal("1.001"), 2)
    with pytest.raises(DataError, match="not a finite"):
        decimal_units(Decimal("NaN"), 2)
