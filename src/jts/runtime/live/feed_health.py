"""``FeedHealth``: the market data watchdog of the live node.

The node trades bars; a feed that stops sending one instrument's bars while the market is
open (a dropped subscription, a venue fault) must not leave its strategies trading on an old
price. ``FeedHealth`` runs the market data context's ``FeedWatchdog`` over every subscribed
instrument:

- each instrument is expected to update once per its (shortest) bar timeframe and is stale
  after ``stale_intervals`` of them without a bar *in session*: silence is judged on the
  instrument's trading calendar (``CalendarSessions``), so a closed market overnight or at
  the weekend is not stale;
- watching starts with the first event of the run (the market time of a replay is not known
  before), so the silence before it counts for nothing;
- a stale instrument recovers once its bars flow again for one interval of the fastest
  series (``recovery_ns``): the first bar after a silence is not trusted, so a strategy's
  entry on it is dropped by the strategy engine;
- the feeds here send no heartbeats of their own, so the watchdog's connection timeout is
  effectively off; silence in session is judged per instrument.

Before each event the node calls ``check`` at the event's market time (throttled to one
check per interval of the fastest series; a replay's clock jumps over a gap in one event, so
the silence is judged before the data that ends it), then ``on_event`` (a ``FeedRecovered``
must reach the strategy engine before the bar that recovers it); its wall-clock supervisor
calls ``check`` too (a live feed that goes silent altogether). The node publishes what
they return on the bus (``market-data.feed-health``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from jts.contexts.market_data.domain.sessions import CalendarSessions, SessionWindows
from jts.contexts.market_data.domain.watchdog import FeedWatchdog, WatchdogConfig
from jts.messages.market_data import FeedRecovered, FeedStale, MarketDataEvent
from jts.shared_kernel.clock import NANOS_PER_SECOND
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues.calendar import TradingCalendar
from jts.shared_kernel.venues.instruments import Instrument

FEED = "market-data"
CLOSING_PRINT_NS = 60 * NANOS_PER_SECOND
_NO_HEARTBEAT_TIMEOUT_NS = 366 * 86_400 * NANOS_PER_SECOND


class FeedHealth:
    """Per-instrument feed health of the node's subscriptions (see the module docstring)."""

    def __init__(
        self,
        instruments: Iterable[Instrument],
        calendars: Mapping[str, TradingCalendar],
        subscriptions: Iterable[tuple[InstrumentId, Timeframe]],
        *,
        stale_intervals: int = 3,
    ) -> None:
        self.intervals: dict[InstrumentId, int] = {}
        for instrument_id, timeframe in subscriptions:
            known = self.intervals.get(instrument_id)
            self.intervals[instrument_id] = min(known or timeframe.nanos, timeframe.nanos)
        shortest = min(self.intervals.values(), default=60 * NANOS_PER_SECOND)
        self._sessions = _sessions_by_instrument(instruments, calendars)
        self.watchdog = FeedWatchdog(
            self._sessions_for,
            WatchdogConfig(
                expected_interval_ns=shortest,
                stale_intervals=stale_intervals,
                heartbeat_timeout_ns=_NO_HEARTBEAT_TIMEOUT_NS,
                recovery_ns=shortest,
            ),
        )
        self._check_every = shortest
        self._last_check: int | None = None
        self._watching = False

    def on_event(self, event: MarketDataEvent, now_ns: int) -> FeedRecovered | None:
        """Data of ``event.instrument_id`` arrived; its ``FeedRecovered`` if it recovers."""
        if not self._watching:
            self._watch_all(now_ns)
        self.watchdog.on_heartbeat(FEED, now_ns)
        return self.watchdog.on_data(event.instrument_id, now_ns)

    def check(self, now_ns: int, *, throttled: bool = True) -> list[FeedStale]:
        """The instruments that went stale by ``now_ns`` (at most one check per interval of
        the fastest series when ``throttled``)."""
        if not self._watching:
            return []
        last = self._last_check
        if throttled and last is not None and now_ns - last < self._check_every:
            return []
        self._last_check = now_ns
        return self.watchdog.check(now_ns)

    def is_stale(self, instrument_id: InstrumentId) -> bool:
        return self.watchdog.is_stale(instrument_id)

    def _watch_all(self, now_ns: int) -> None:
        self._watching = True
        for instrument_id, interval in self.intervals.items():
            self.watchdog.watch(
                instrument_id, feed=FEED, now_ns=now_ns, expected_interval_ns=interval
            )

    def _sessions_for(self, instrument_id: InstrumentId) -> SessionWindows:
        return self._sessions[instrument_id]


def _sessions_by_instrument(
    instruments: Iterable[Instrument], calendars: Mapping[str, TradingCalendar]
) -> dict[InstrumentId, SessionWindows]:
    by_calendar: dict[str, SessionWindows] = {}
    sessions: dict[InstrumentId, SessionWindows] = {}
    for instrument in instruments:
        calendar_id = instrument.calendar_id
        if calendar_id not in by_calendar:
            by_calendar[calendar_id] = CalendarSessions(
                calendars[calendar_id], closing_print_ns=CLOSING_PRINT_NS
            )
        sessions[instrument.id] = by_calendar[calendar_id]
    return sessions
