"""Feed-health watchdog: silence in session, gaps, heartbeats and disconnects."""

from __future__ import annotations

from jts.contexts.market_data.domain.normalization import SequenceGap
from jts.contexts.market_data.domain.watchdog import FeedWatchdog, WatchdogConfig
from jts.messages.market_data import FeedRecovered, FeedStale, FeedStaleReason
from jts.shared_kernel.identifiers import InstrumentId
from tests.unit.contexts.market_data.builders import (
    BTC_USDT,
    SAMSUNG,
    SECOND,
    UTC_DAYS,
    krx_sessions,
    kst,
    utc,
)

KRX = krx_sessions()
CONFIG = WatchdogConfig(
    expected_interval_ns=10 * SECOND,
    stale_intervals=3,
    heartbeat_timeout_ns=30 * SECOND,
    gap_recovery_ns=5 * SECOND,
)


def watchdog(now: int, *instruments: InstrumentId) -> FeedWatchdog:
    dog = FeedWatchdog(lambda i: KRX if i.venue == "KRX" else UTC_DAYS, CONFIG)
    for instrument_id in instruments:
        dog.watch(instrument_id, feed="venue-feed", now_ns=now)
    return dog


def test_silence_for_n_intervals_in_session_is_stale_while_heartbeats_continue() -> None:
    t0 = utc(2024, 5, 3, 10)
    dog = watchdog(t0, BTC_USDT)
    dog.on_data(BTC_USDT, t0)

    for second in range(5, 40, 5):
        dog.on_heartbeat("venue-feed", t0 + second * SECOND)
    early = dog.check(t0 + 29 * SECOND)
    (stale,) = dog.check(t0 + 30 * SECOND)

    assert early == []
    assert isinstance(stale, FeedStale)
    assert stale.reason is FeedStaleReason.NO_DATA
    assert stale.last_data_ns == t0
    assert stale.missing == 3
    assert stale.detail.startswith("heartbeats continue")
    assert dog.is_stale(BTC_USDT)
    assert dog.check(t0 + 60 * SECOND) == []  # reported once


def test_data_after_silence_recovers_the_instrument() -> None:
    t0 = utc(2024, 5, 3, 10)
    dog = watchdog(t0, BTC_USDT)
    dog.on_heartbeat("venue-feed", t0 + 25 * SECOND)
    dog.check(t0 + 31 * SECOND)

    recovered = dog.on_data(BTC_USDT, t0 + 40 * SECOND)

    assert isinstance(recovered, FeedRecovered)
    assert recovered.stale_since_ns == t0 + 31 * SECOND
    assert not dog.is_stale(BTC_USDT)


def test_a_closed_market_is_never_stale_and_silence_counts_from_the_open() -> None:
    dog = watchdog(kst(2024, 5, 2, 15), SAMSUNG)
    dog.on_data(SAMSUNG, kst(2024, 5, 2, 15, 29))
    for hour in (16, 20, 23):
        dog.on_heartbeat("venue-feed", kst(2024, 5, 2, hour))
        assert dog.check(kst(2024, 5, 2, hour)) == []
    dog.on_heartbeat("venue-feed", kst(2024, 5, 3, 9))

    assert dog.check(kst(2024, 5, 3, 9, 0, 20)) == []
    (stale,) = dog.check(kst(2024, 5, 3, 9, 0, 30))
    assert stale.instrument_id == SAMSUNG


def test_a_sequence_gap_is_stale_at_once_and_recovers_after_clean_data() -> None:
    t0 = utc(2024, 5, 3, 10)
    dog = watchdog(t0, BTC_USDT)

    stale = dog.on_gap(SequenceGap(BTC_USDT, 11, 15, t0), t0)
    early = dog.on_data(BTC_USDT, t0 + 4 * SECOND)
    recovered = dog.on_data(BTC_USDT, t0 + 5 * SECOND)

    assert stale is not None
    assert (stale.reason, stale.missing) == (FeedStaleReason.SEQUENCE_GAP, 4)
    assert "11..14" in stale.detail
    assert early is None
    assert recovered is not None


def test_no_heartbeat_makes_every_instrument_of_the_feed_stale() -> None:
    t0 = utc(2024, 5, 3, 10)
    dog = watchdog(t0, BTC_USDT, InstrumentId.parse("ETHUSDT.BINANCE"))
    for second in (5, 10, 15):
        dog.on_data(BTC_USDT, t0 + second * SECOND)

    events = dog.check(t0 + 31 * SECOND)

    assert {e.reason for e in events} == {FeedStaleReason.DISCONNECTED}
    assert len(events) == 2
    assert dog.on_data(BTC_USDT, t0 + 32 * SECOND) is None  # still down
    dog.on_heartbeat("venue-feed", t0 + 33 * SECOND)
    assert dog.on_data(BTC_USDT, t0 + 34 * SECOND) is not None


def test_a_reported_disconnect_is_stale_without_waiting() -> None:
    t0 = utc(2024, 5, 3, 10)
    dog = watchdog(t0, BTC_USDT)

    (stale,) = dog.on_disconnect("venue-feed", t0 + SECOND)

    assert stale.reason is FeedStaleReason.DISCONNECTED
    assert "connection was lost" in stale.detail


def test_unwatched_instruments_are_ignored() -> None:
    t0 = utc(2024, 5, 3, 10)
    dog = watchdog(t0, BTC_USDT)
    dog.unwatch(BTC_USDT)

    assert dog.on_gap(SequenceGap(BTC_USDT, 1, 3, t0), t0) is None
    assert dog.check(t0 + 3_600 * SECOND) == []
