"""``FeedWatchdog``: which instruments' feeds can be trusted right now.

A feed can fail quietly: the connection stays up and heartbeats keep arriving while one
instrument's data stops (a dropped subscription, a venue-side fault). So staleness is
judged per instrument, from its data alone:

- **No data.** In session, an instrument expected to update every ``expected_interval_ns``
  that has been silent for ``stale_intervals`` of them is stale (``NO_DATA``). Silence is
  counted from the later of its last data and the session's open, so a market that just
  opened, or is closed, is not stale. The detail says whether the feed's heartbeats were
  still arriving (the connection is alive, the data is not).
- **Sequence gaps.** Lost trades (``SequenceGap`` from the normalizer) make it stale at
  once (``SEQUENCE_GAP``): bars and books built from it are wrong until it recovers.
- **Dead connection.** No heartbeat from its feed for ``heartbeat_timeout_ns``, or a
  reported disconnect, makes every instrument on that feed stale (``DISCONNECTED``).

A stale instrument recovers (``FeedRecovered``) once data flows again while its connection
is up: at once after silence or a disconnect (``recovery_ns`` = 0), after
``gap_recovery_ns`` without a new gap after a sequence gap. The watchdog is pure: the
caller passes the time (``Clock.now_ns()``) and publishes the events it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jts.contexts.market_data.domain.normalization import SequenceGap
from jts.contexts.market_data.domain.sessions import SessionWindows
from jts.messages.market_data import FeedRecovered, FeedStale, FeedStaleReason
from jts.shared_kernel.clock import NANOS_PER_SECOND
from jts.shared_kernel.identifiers import InstrumentId

SessionsFor = Callable[[InstrumentId], SessionWindows]


@dataclass(frozen=True)
class WatchdogConfig:
    """How long silence may last, and how long data must flow again to be trusted."""

    expected_interval_ns: int = 10 * NANOS_PER_SECOND
    stale_intervals: int = 3
    heartbeat_timeout_ns: int = 30 * NANOS_PER_SECOND
    recovery_ns: int = 0
    gap_recovery_ns: int = 5 * NANOS_PER_SECOND

    def __post_init__(self) -> None:
        if self.expected_interval_ns <= 0 or self.stale_intervals < 1:
            raise ValueError("expected_interval_ns must be positive and stale_intervals >= 1")
        if self.heartbeat_timeout_ns <= 0 or min(self.recovery_ns, self.gap_recovery_ns) < 0:
            raise ValueError(
                "heartbeat_timeout_ns must be positive, recovery_ns and gap_recovery_ns >= 0"
            )


class _Watched:
    __slots__ = (
        "clean_since",
        "feed",
        "interval",
        "last_data",
        "since",
        "stale_reason",
        "stale_since",
    )

    def __init__(self, feed: str, interval: int, now_ns: int) -> None:
        self.feed = feed
        self.interval = interval
        self.last_data: int | None = None
        self.since = now_ns  # silence is counted from here at the earliest
        self.clean_since: int | None = None  # while stale: since when data flows cleanly
        self.stale_since: int | None = None
        self.stale_reason: FeedStaleReason | None = None


class FeedWatchdog:
    """Per-instrument feed health (see the module docstring)."""

    def __init__(self, sessions_for: SessionsFor, config: WatchdogConfig | None = None) -> None:
        self.config = config or WatchdogConfig()
        self._sessions_for = sessions_for
        self._watched: dict[InstrumentId, _Watched] = {}
        self._heartbeats: dict[str, int] = {}
        self._down: set[str] = set()

    def watch(
        self,
        instrument_id: InstrumentId,
        *,
        feed: str,
        now_ns: int,
        expected_interval_ns: int | None = None,
    ) -> None:
        """Start judging ``instrument_id``, carried by the feed named ``feed``."""
        interval = expected_interval_ns or self.config.expected_interval_ns
        self._watched[instrument_id] = _Watched(feed, interval, now_ns)
        self._heartbeats.setdefault(feed, now_ns)

    def unwatch(self, instrument_id: InstrumentId) -> None:
        self._watched.pop(instrument_id, None)

    def is_stale(self, instrument_id: InstrumentId) -> bool:
        watched = self._watched.get(instrument_id)
        return watched is not None and watched.stale_since is not None

    def on_data(self, instrument_id: InstrumentId, now_ns: int) -> FeedRecovered | None:
        """Data for ``instrument_id`` arrived at ``now_ns``."""
        watched = self._watched.get(instrument_id)
        if watched is None:
            return None
        watched.last_data = now_ns
        if watched.stale_since is None or watched.feed in self._down:
            return None
        if watched.clean_since is None:
            watched.clean_since = now_ns
        wait = (
            self.config.gap_recovery_ns
            if watched.stale_reason is FeedStaleReason.SEQUENCE_GAP
            else self.config.recovery_ns
        )
        if now_ns - watched.clean_since < wait:
            return None
        return self._recover(instrument_id, watched, now_ns)

    def on_gap(self, gap: SequenceGap, now_ns: int) -> FeedStale | None:
        """Trades of ``gap.instrument_id`` were lost."""
        watched = self._watched.get(gap.instrument_id)
        if watched is None:
            return None
        if watched.stale_since is not None:
            watched.clean_since = now_ns  # the clean stretch starts over
            return None
        detail = f"trades {gap.expected}..{gap.received - 1} never arrived"
        event = self._stale(
            gap.instrument_id,
            watched,
            FeedStaleReason.SEQUENCE_GAP,
            now_ns,
            missing=gap.missing,
            detail=detail,
        )
        watched.clean_since = now_ns  # the gap was seen on data that did arrive
        return event

    def on_heartbeat(self, feed: str, now_ns: int) -> None:
        """The connection of ``feed`` is alive; instruments it lost recover on their data."""
        self._heartbeats[feed] = now_ns
        if feed in self._down:
            self._down.discard(feed)
            for watched in self._watched.values():
                if watched.feed == feed:
                    watched.since = now_ns

    def on_disconnect(self, feed: str, now_ns: int) -> list[FeedStale]:
        """``feed`` lost its connection: everything on it is stale."""
        return self._feed_down(feed, now_ns, "the connection was lost")

    def check(self, now_ns: int) -> list[FeedStale]:
        """Judge every watched instrument at ``now_ns`` (call it on a timer)."""
        events: list[FeedStale] = []
        timeout = self.config.heartbeat_timeout_ns
        for feed, last in list(self._heartbeats.items()):
            if feed not in self._down and now_ns - last > timeout:
                silent_s = (now_ns - last) / NANOS_PER_SECOND
                events += self._feed_down(feed, now_ns, f"no heartbeat for {silent_s:.0f}s")
        for instrument_id, watched in self._watched.items():
            if watched.stale_since is None:
                event = self._silence(instrument_id, watched, now_ns)
                if event is not None:
                    events.append(event)
        return events

    def _silence(
        self, instrument_id: InstrumentId, watched: _Watched, now_ns: int
    ) -> FeedStale | None:
        session = self._sessions_for(instrument_id).session_at(now_ns)
        if session is None:
            return None
        since = max(session[0], watched.last_data or session[0], watched.since)
        missing = (now_ns - since) // watched.interval
        if missing < self.config.stale_intervals:
            return None
        heartbeat = self._heartbeats.get(watched.feed, 0)
        connected = now_ns - heartbeat <= self.config.heartbeat_timeout_ns
        alive = "heartbeats continue, " if connected else ""
        detail = f"{alive}no data for {(now_ns - since) / NANOS_PER_SECOND:.0f}s in session"
        return self._stale(
            instrument_id,
            watched,
            FeedStaleReason.NO_DATA,
            now_ns,
            missing=int(missing),
            detail=detail,
        )

    def _feed_down(self, feed: str, now_ns: int, why: str) -> list[FeedStale]:
        self._down.add(feed)
        events = []
        for instrument_id, watched in self._watched.items():
            if watched.feed == feed and watched.stale_since is None:
                events.append(
                    self._stale(
                        instrument_id,
                        watched,
                        FeedStaleReason.DISCONNECTED,
                        now_ns,
                        missing=0,
                        detail=f"{feed}: {why}",
                    )
                )
        return events

    def _stale(
        self,
        instrument_id: InstrumentId,
        watched: _Watched,
        reason: FeedStaleReason,
        now_ns: int,
        *,
        missing: int,
        detail: str,
    ) -> FeedStale:
        watched.stale_since, watched.stale_reason = now_ns, reason
        watched.clean_since = None
        return FeedStale(
            instrument_id=instrument_id,
            reason=reason,
            last_data_ns=watched.last_data,
            expected_interval_ns=watched.interval,
            missing=missing,
            detail=detail,
            ts_event=now_ns,
            ts_init=now_ns,
        )

    def _recover(
        self, instrument_id: InstrumentId, watched: _Watched, now_ns: int
    ) -> FeedRecovered:
        since = watched.stale_since
        assert since is not None
        watched.stale_since = watched.stale_reason = watched.clean_since = None
        watched.since = now_ns
        return FeedRecovered(
            instrument_id=instrument_id, stale_since_ns=since, ts_event=now_ns, ts_init=now_ns
        )
