"""``AccountReports``: what the live node tells about the account besides its positions.

Three duties, each in its own module, driven by the node at fixed points of its pump:

- equity snapshots (``EquityRecorder``): the equity at every bar close, to the
  time-series store in batches, read back at start (``start``, ``record_equity``,
  ``flush`` at every checkpoint);
- performance (``LivePerformance``): ``PerformanceUpdated`` on ``portfolio.performance``
  with the node's portfolio reports, measured at most once per ``every_ns`` of market time
  (``publish_performance``; always when the node stops);
- the daily report at the KRX close (``DailyReporter``): ``before_event`` publishes
  ``DailyReportPublished`` before the first event after a close, ``at_stop`` when the node
  stops at or after a close it has not reported; the node saves its checkpoint (which
  carries ``state()``) right after either, so a restart never reports a day twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from decimal import Decimal

from jts.messages.base import Message
from jts.runtime.live.daily_report import DailyReporter, DailyState
from jts.runtime.live.equity_recorder import EquityRecorder
from jts.runtime.live.performance import LivePerformance
from jts.runtime.live.portfolio_tracker import PortfolioTracker

Publish = Callable[[Message], Awaitable[None]]
RiskFigures = Callable[[], Mapping[str, Decimal]]


class AccountReports:
    """Equity snapshots, performance and the daily report of one account."""

    def __init__(
        self,
        *,
        tracker: PortfolioTracker,
        publish: Publish,
        risk: RiskFigures,
        equity: EquityRecorder | None = None,
        performance: LivePerformance | None = None,
        daily: DailyReporter | None = None,
    ) -> None:
        self._tracker = tracker
        self._publish = publish
        self._risk = risk
        self.equity = equity
        self.performance = performance
        self.daily = daily

    def start(self, state: DailyState | None) -> None:
        """Read the stored equity curve back and take up the daily baseline."""
        if self.equity is not None:
            self.equity.load()
        if self.daily is not None:
            self.daily.restore(state)

    def state(self) -> DailyState | None:
        return None if self.daily is None else self.daily.state()

    def flush(self) -> None:
        if self.equity is not None:
            self.equity.flush()

    def record_equity(self, ts_ns: int) -> None:
        if self.equity is not None:
            self.equity.record(ts_ns, self._tracker.equity())

    async def before_event(self, ts_ns: int) -> bool:
        """Publish the day's report if a close passed before ``ts_ns``; whether it did."""
        daily = self.daily
        if daily is None or not daily.due(ts_ns):
            return False
        return await self._report_day(ts_ns, at_stop=False)

    async def at_stop(self, now_ns: int) -> bool:
        """Publish the report of a close at or before ``now_ns`` not reported yet."""
        daily = self.daily
        if daily is None or not daily.due(now_ns, at_stop=True):
            return False
        return await self._report_day(now_ns, at_stop=True)

    async def publish_performance(self, now_ns: int, *, force: bool = False) -> bool:
        """Measure and publish the performance figures when due; whether it did."""
        performance, equity = self.performance, self.equity
        if performance is None or equity is None:
            return False
        if not (force or performance.due(now_ns)):
            return False
        tracker = self._tracker
        if performance.measure(now_ns, equity.ts, equity.equity, tracker.trades) is None:
            return False
        await self._publish(performance.message(tracker.account_id, tracker.equity(), now_ns))
        return True

    async def _report_day(self, ts_ns: int, *, at_stop: bool) -> bool:
        assert self.daily is not None
        report = self.daily.report(ts_ns, risk=self._risk(), at_stop=at_stop)
        if report is None:
            return False
        await self._publish(report)
        return True
