"""Surge detectors on generated data with known injected surges: precision and recall of
each detector (goal >= 0.95 for both), and the detectors' mechanics."""

from __future__ import annotations

from decimal import Decimal

import msgspec
import numpy as np
import pytest

from jts.contexts.market_data.domain.surge import SurgeConfig, SurgeScanner
from jts.messages.market_data import BookLevel, OrderBookSnapshot, SurgeDetected, SurgeKind
from tests.unit.contexts.market_data.surge_data import (
    START,
    books,
    daily_trades,
    minute_bars,
    score,
    universe,
    velocity_trades,
)

GOAL = 0.95


def report(kind: SurgeKind, events: list[SurgeDetected], injections: list) -> None:  # type: ignore[type-arg]
    scored = score(events, injections)
    print(
        f"\n{kind}: precision {scored.precision:.3f} recall {scored.recall:.3f} "
        f"({scored.events} events, {scored.injections} injected)"
    )
    assert scored.precision >= GOAL, scored
    assert scored.recall >= GOAL, scored


def test_volume_spikes_against_the_time_of_day_baseline() -> None:
    bars, injections = minute_bars(
        universe(30), days=7, minutes_per_day=360, rng=np.random.default_rng(7)
    )
    scanner = SurgeScanner()

    events = scanner.on_bars(bars)

    assert {event.kind for event in events} <= {SurgeKind.VOLUME_SPIKE}
    report(SurgeKind.VOLUME_SPIKE, events, injections)


def test_price_velocity_z_scores() -> None:
    batch, injections = velocity_trades(
        universe(30), seconds=3 * 3_600, rng=np.random.default_rng(8)
    )
    scanner = SurgeScanner()

    events = []
    for lo in range(0, len(batch), 5_000):
        events += scanner.on_trades(batch.take(np.arange(lo, min(lo + 5_000, len(batch)))))

    report(SurgeKind.PRICE_VELOCITY, events, injections)


def test_new_highs_above_the_look_back_window() -> None:
    days, injections = daily_trades(universe(30), days=40, rng=np.random.default_rng(9))
    scanner = SurgeScanner(SurgeConfig(enabled=frozenset({SurgeKind.NEW_HIGH})))

    events = []
    for batch, daily_bars in days:
        events += scanner.on_trades(batch)
        scanner.on_bars(daily_bars)

    assert {event.kind for event in events} <= {SurgeKind.NEW_HIGH}
    report(SurgeKind.NEW_HIGH, events, injections)


def test_order_book_imbalance() -> None:
    snapshots, injections = books(universe(20), count=1_800, rng=np.random.default_rng(10))
    scanner = SurgeScanner()

    events = [e for book in snapshots if (e := scanner.on_book(book)) is not None]

    report(SurgeKind.BOOK_IMBALANCE, events, injections)


def test_a_surge_event_carries_its_score_reason_and_figures() -> None:
    bars, _ = minute_bars(universe(1), days=5, minutes_per_day=60, rng=np.random.default_rng(1))
    scanner = SurgeScanner(SurgeConfig(volume_slot_s=3_600))
    scanner.on_bars(bars)
    last = bars[-1]
    day = 86_400 * 10**9
    spike = msgspec.structs.replace(
        last, ts_start=last.ts_start + day, ts_event=last.ts_event + day, volume=last.volume * 20
    )

    (event,) = scanner.on_bars([spike])

    assert event.kind is SurgeKind.VOLUME_SPIKE
    assert event.score > 1
    assert event.ts_event == spike.ts_event
    assert "x the usual" in event.reason
    assert set(event.figures) == {"volume", "typical", "z", "threshold"}
    assert event.figures["volume"] == Decimal(last.volume * 20)


def test_detectors_can_be_switched_off_and_revisions_are_ignored() -> None:
    bars, _ = minute_bars(universe(2), days=5, minutes_per_day=60, rng=np.random.default_rng(2))
    quiet = SurgeScanner(SurgeConfig(enabled=frozenset({SurgeKind.NEW_HIGH})))
    revisions = [msgspec.structs.replace(bar, revision=True) for bar in bars]

    assert quiet.on_bars(bars) == []
    assert SurgeScanner().on_bars(revisions) == []


def test_book_imbalance_needs_persistence_then_rests() -> None:
    scanner = SurgeScanner(SurgeConfig(book_persistence=2, book_cooldown_s=10))
    instrument_id = universe(1)[0]

    def book(second: int, bid: str) -> OrderBookSnapshot:
        return OrderBookSnapshot(
            instrument_id=instrument_id,
            bids=(BookLevel(Decimal(99), Decimal(bid)),),
            asks=(BookLevel(Decimal(100), Decimal(1)),),
            ts_event=START + second * 10**9, ts_init=0,
        )  # fmt: skip

    script = [(0, "9"), (1, "1"), (2, "9"), (3, "9"), (4, "9"), (5, "9"), (14, "9"), (15, "9")]
    fired = [scanner.on_book(book(s, bid)) is not None for s, bid in script]

    assert fired == [False, False, False, True, False, False, False, True]


def test_the_universe_grows_past_its_capacity() -> None:
    batch, _ = velocity_trades(universe(50), seconds=3_000, rng=np.random.default_rng(3))
    scanner = SurgeScanner(capacity=4)

    scanner.on_trades(batch)

    assert scanner.instruments == 50


def test_bad_configurations_are_refused() -> None:
    with pytest.raises(ValueError, match="volume_slot_s"):
        SurgeConfig(volume_slot_s=7)
    with pytest.raises(ValueError, match="out of range"):
        SurgeConfig(book_threshold=1.5)
