"""The daily report at the KRX close: once per KRX trading day, never twice.

``KrxCloses`` says when the KRX closes: the regular close of each session of the KRX
calendar the node has (15:30 KST, later on the days the exchange moves it), or, for an
account without KRX instruments (no calendar, or a date the calendar does not cover),
15:30 KST on every weekday: crypto never closes, so the report follows the KRX day.

``DailyReporter`` keeps a baseline (the time, equity, realized P&L, fees and each
strategy's P&L at the previous report, or when the node first saw the market) and the next
close due. The node asks ``due`` before handling each event: an event after the close (the
first bar of the evening, or of the next day) means the day is over, and the report is
made with the account exactly as it was at the close; when the node stops at or after a
close not reported yet (a replay ending at 15:30), ``due(..., at_stop=True)``. ``report``
builds ``DailyReportPublished`` for the last close passed, hands it with the day's fills
and round trips to the ``DailyReportWriter`` (bootstrap's HTML files), and moves the
baseline to that close. Days the node did not see (it was down) are not reported on
their own: the next report covers everything since the last one.

``state()`` goes into the node checkpoint, which the node saves right after each report;
a restarted node ``restore``s it and never reports a day it already reported.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Protocol
from zoneinfo import ZoneInfo

import msgspec

from jts.contexts.portfolio.domain.analytics import ClosedTrade
from jts.messages.portfolio import DailyReportPublished
from jts.messages.trading import OrderFilled
from jts.runtime.live.portfolio_tracker import PortfolioTracker
from jts.shared_kernel.clock import NANOS_PER_SECOND, datetime_to_ns
from jts.shared_kernel.venues.calendar import TradingCalendar
from jts.shared_kernel.venues.errors import CalendarRangeError, NotASession

_log = logging.getLogger(__name__)
KST = ZoneInfo("Asia/Seoul")
KRX_CLOSE = time(15, 30)
_ONE_DAY = timedelta(days=1)
_LOOKAROUND_DAYS = 15  # longest run of KRX days without a session (Chuseok + weekends) is < 10


class DailyReportWriter(Protocol):
    """Keeps a day's report somewhere (a file); returns where, for the message."""

    def write(
        self,
        report: DailyReportPublished,
        fills: Sequence[OrderFilled],
        trades: Sequence[ClosedTrade],
    ) -> str: ...


class DailyState(msgspec.Struct, frozen=True, kw_only=True):
    """The reporter's baseline, as the node checkpoint keeps it."""

    last_day: date | None = None
    since_ns: int
    equity: Decimal
    realized: Decimal
    fees: Decimal
    strategies: dict[str, Decimal] = msgspec.field(default_factory=dict)


class KrxCloses:
    """KRX closing times (see the module docstring)."""

    def __init__(self, calendar: TradingCalendar | None = None) -> None:
        self._calendar = calendar

    def close_of(self, day: date) -> int | None:
        """UNIX ns of the close on ``day``; ``None`` when it is not a KRX day."""
        calendar = self._calendar
        if calendar is not None:
            try:
                return calendar.session_bounds(day)[1] if calendar.is_session(day) else None
            except (CalendarRangeError, NotASession):
                pass  # outside the calendar's years: the weekday rule
        if day.weekday() >= 5:
            return None
        return datetime_to_ns(datetime.combine(day, KRX_CLOSE, tzinfo=KST))

    def last_close(self, ts_ns: int, *, inclusive: bool) -> tuple[date, int] | None:
        """The latest close before ``ts_ns`` (or at it, when ``inclusive``)."""
        day = _kst_date(ts_ns)
        for _ in range(_LOOKAROUND_DAYS):
            close = self.close_of(day)
            if close is not None and (close < ts_ns or (inclusive and close == ts_ns)):
                return day, close
            day -= _ONE_DAY
        return None

    def next_close(self, ts_ns: int) -> tuple[date, int]:
        """The first close at or after ``ts_ns``."""
        day = _kst_date(ts_ns)
        while True:
            close = self.close_of(day)
            if close is not None and close >= ts_ns:
                return day, close
            day += _ONE_DAY


def _kst_date(ts_ns: int) -> date:
    return datetime.fromtimestamp(ts_ns // NANOS_PER_SECOND, UTC).astimezone(KST).date()


class DailyReporter:
    """Makes each KRX day's report once (see the module docstring)."""

    def __init__(
        self,
        *,
        tracker: PortfolioTracker,
        closes: KrxCloses,
        writer: DailyReportWriter | None = None,
    ) -> None:
        self._tracker = tracker
        self._closes = closes
        self._writer = writer
        self._state: DailyState | None = None
        self._next_close: int | None = None
        self.published: list[DailyReportPublished] = []

    def restore(self, state: DailyState | None) -> None:
        """Carry on from a checkpoint's baseline (``None``: from the first event)."""
        self._state = state
        self._next_close = None
        if state is not None:
            self._next_close = self._closes.next_close(state.since_ns + 1)[1]

    def state(self) -> DailyState | None:
        return self._state

    @property
    def next_close_ns(self) -> int | None:
        return self._next_close

    def due(self, ts_ns: int, *, at_stop: bool = False) -> bool:
        """Whether a day ended before ``ts_ns`` (or at it, when stopping); the first call
        takes the baseline."""
        if self._next_close is None:
            if at_stop:
                return False
            self._state = self._baseline(ts_ns - 1, None)  # the event at ts_ns counts
            self._next_close = self._closes.next_close(ts_ns)[1]
        return ts_ns > self._next_close or (at_stop and ts_ns >= self._next_close)

    def report(
        self, ts_ns: int, *, risk: Mapping[str, Decimal], at_stop: bool = False
    ) -> DailyReportPublished | None:
        """The report of the last close before ``ts_ns`` (at it, when stopping), written
        and remembered; ``None`` when no close has passed since the last report."""
        state = self._state
        passed = self._closes.last_close(ts_ns, inclusive=at_stop)
        if state is None or passed is None or passed[1] <= state.since_ns:
            self._next_close = self._closes.next_close(ts_ns)[1]
            return None
        day, close_ns = passed
        fills = [f for f in self._tracker.fills if state.since_ns < f.ts_event <= close_ns]
        trades = [
            t.closed_trade()
            for t in self._tracker.trades
            if state.since_ns < t.exit_ts_ns <= close_ns
        ]
        report = self._build(day, close_ns, state, len(fills), len(trades), risk)
        report = self._write(report, fills, trades)
        self._state = self._baseline(close_ns, day)
        self._next_close = self._closes.next_close(close_ns + 1)[1]
        self.published.append(report)
        return report

    # --- helpers ----------------------------------------------------------------------------

    def _baseline(self, ts_ns: int, day: date | None) -> DailyState:
        tracker = self._tracker
        realized, _ = tracker.pnl()
        return DailyState(
            last_day=day,
            since_ns=ts_ns,
            equity=tracker.equity(),
            realized=realized,
            fees=tracker.fees,
            strategies={str(k): v for k, v in tracker.strategy_pnl().items()},
        )

    def _build(
        self,
        day: date,
        close_ns: int,
        state: DailyState,
        fills: int,
        trades: int,
        risk: Mapping[str, Decimal],
    ) -> DailyReportPublished:
        tracker = self._tracker
        equity = tracker.equity()
        realized, unrealized = tracker.pnl()
        pnl = equity - state.equity
        strategies = {str(k): v for k, v in tracker.strategy_pnl().items()}
        return DailyReportPublished(
            account_id=tracker.account_id,
            day=day,
            base_currency=tracker.base_currency,
            start_equity=state.equity,
            end_equity=equity,
            pnl=pnl,
            day_return=(pnl / state.equity).quantize(Decimal("1E-10")) if state.equity else pnl,
            realized_pnl=realized - state.realized,
            unrealized_pnl=unrealized,
            fees=tracker.fees - state.fees,
            fills=fills,
            trades=trades,
            strategy_pnl={
                name: value - state.strategies.get(name, Decimal(0))
                for name, value in strategies.items()
            },
            positions=tuple(tracker.positions()),
            risk=dict(risk),
            ts_event=close_ns,
            ts_init=close_ns,
        )

    def _write(
        self,
        report: DailyReportPublished,
        fills: Sequence[OrderFilled],
        trades: Sequence[ClosedTrade],
    ) -> DailyReportPublished:
        if self._writer is None:
            return report
        try:
            location = self._writer.write(report, fills, trades)
        except OSError as e:  # a full disk must not stop trading; the message still goes
            _log.error("daily report of %s could not be written: %s", report.day, e)
            return report
        return msgspec.structs.replace(report, location=location)
