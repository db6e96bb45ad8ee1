"""The daily report at the KRX close: once per KRX day, the day's figures, never twice."""

from __future__ import annotations

import itertools
from datetime import date, time
from decimal import Decimal

import msgspec

from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.notifications.domain.templates import render
from jts.messages.enums import Severity
from jts.messages.notifications import Category
from jts.messages.portfolio import DailyReportPublished
from jts.runtime.live.checkpoint import MemoryCheckpoint
from jts.runtime.live.clocks import MarketClock
from jts.runtime.live.daily_report import DailyReporter, KrxCloses
from jts.runtime.live.node import LiveNode
from jts.runtime.live.portfolio_tracker import PortfolioTracker
from jts.runtime.live.slots import ProgramSlot
from jts.shared_kernel.identifiers import AccountId, StrategyId
from jts.shared_kernel.venues.catalog import default_registry
from tests.unit.runtime.live.daily_fx_harness import (
    KRX_CALENDARS,
    SAMSUNG,
    RecordingWriter,
    build_reporting,
    collect,
    kst,
)
from tests.unit.runtime.live.harness import Stores, bars, program

FRIDAY, TUESDAY, WEDNESDAY = date(2026, 2, 27), date(2026, 3, 3), date(2026, 3, 4)
MONDAY_HOLIDAY = date(2026, 3, 2)  # substitute holiday for 1 March
CLOSE = time(15, 30)
RULES = """entry long when close > sma(close, 3)
exit long when close < sma(close, 3)"""


def test_krx_closes_follow_the_calendar() -> None:
    closes = KrxCloses(KRX_CALENDARS["XKRX"])

    assert closes.close_of(FRIDAY) == kst(FRIDAY, CLOSE)
    assert closes.close_of(MONDAY_HOLIDAY) is None
    assert closes.close_of(date(2026, 2, 28)) is None
    assert closes.next_close(kst(FRIDAY, time(16))) == (TUESDAY, kst(TUESDAY, CLOSE))
    assert closes.last_close(kst(TUESDAY, time(9)), inclusive=False) == (
        FRIDAY,
        kst(FRIDAY, CLOSE),
    )
    assert closes.last_close(kst(FRIDAY, CLOSE), inclusive=False)[0] == date(2026, 2, 26)
    assert closes.last_close(kst(FRIDAY, CLOSE), inclusive=True)[0] == FRIDAY


def test_without_a_krx_calendar_every_weekday_closes_at_1530_kst() -> None:
    closes = KrxCloses()

    assert closes.close_of(MONDAY_HOLIDAY) == kst(MONDAY_HOLIDAY, CLOSE)  # crypto: no holidays
    assert closes.close_of(date(2026, 2, 28)) is None
    assert closes.next_close(kst(FRIDAY, time(15, 31))) == (
        MONDAY_HOLIDAY,
        kst(MONDAY_HOLIDAY, CLOSE),
    )


def tracker() -> PortfolioTracker:
    return PortfolioTracker(
        instruments=default_registry(),
        cash={"KRW": Decimal(1_000_000)},
        clock=MarketClock(),
        account_id=AccountId("crypto"),
    )


def test_a_crypto_account_reports_each_weekday_once_after_1530() -> None:
    reporter = DailyReporter(tracker=tracker(), closes=KrxCloses())
    made = []
    moments = [
        kst(FRIDAY, time(15)),
        kst(FRIDAY, time(15, 30)),  # at the close: the day is not over before this event
        kst(FRIDAY, time(15, 31)),
        kst(FRIDAY, time(23)),
        kst(date(2026, 2, 28), time(15, 31)),  # Saturday
        kst(MONDAY_HOLIDAY, time(15, 31)),
    ]
    for ts in moments:
        if reporter.due(ts):
            report = reporter.report(ts, risk={})
            assert report is not None
            made.append((report.day, report.ts_event))

    assert made == [
        (FRIDAY, kst(FRIDAY, CLOSE)),
        (MONDAY_HOLIDAY, kst(MONDAY_HOLIDAY, CLOSE)),
    ]
    assert reporter.state() is not None
    assert reporter.state().last_day == MONDAY_HOLIDAY


def test_a_node_that_never_saw_a_close_reports_nothing_at_stop() -> None:
    reporter = DailyReporter(tracker=tracker(), closes=KrxCloses())

    assert not reporter.due(kst(FRIDAY, time(16)), at_stop=True)
    assert not reporter.due(kst(FRIDAY, time(10)))  # the first event takes the baseline
    assert reporter.state() is not None
    assert not reporter.due(kst(FRIDAY, time(15)), at_stop=True)
    assert reporter.due(kst(FRIDAY, CLOSE), at_stop=True)


def sessions(*days: date, minutes: int = 60) -> BarSeries:
    """One-minute bars of Samsung over the last ``minutes`` before each day's close."""
    made = []
    for n, day in enumerate(days):
        start = kst(day, CLOSE) - minutes * 60_000_000_000
        closes = [70_000 + 100 * ((i * 7 + n) % 9 - 4) for i in range(minutes)]
        made.extend(bars(closes, SAMSUNG, start=start).iter_bars())
    return BarSeries.from_bars(made)


def node_for(series: BarSeries, stores: Stores, writer: RecordingWriter, checkpoint) -> LiveNode:
    clock = MarketClock()
    compiled = program(RULES, universe="005930.KRX", size="quantity(10)")
    slot = ProgramSlot(compiled, strategy_id=StrategyId("t"), instrument=SAMSUNG, clock=clock)
    return build_reporting(
        [series],
        [slot],
        clock=clock,
        stores=stores,
        calendars=KRX_CALENDARS,
        writer=writer,
        checkpoint=checkpoint,
    )


async def test_a_replay_over_three_krx_days_reports_each_day_once() -> None:
    writer = RecordingWriter()
    node = node_for(sessions(FRIDAY, TUESDAY, WEDNESDAY), Stores(), writer, MemoryCheckpoint())
    await node.start()
    seen = await collect(node, "portfolio.performance")
    await node.run()

    reports = [m for m in seen if isinstance(m, DailyReportPublished)]
    assert [r.day for r in reports] == [FRIDAY, TUESDAY, WEDNESDAY]
    assert [r.ts_event for r in reports] == [kst(d, CLOSE) for d in (FRIDAY, TUESDAY, WEDNESDAY)]
    assert [
        msgspec.structs.replace(w[0], location=r.location)
        for w, r in zip(writer.written, reports, strict=True)
    ] == reports
    assert [r.location for r in reports] == [
        f"memory://daily-paper-{d.isoformat()}" for d in (FRIDAY, TUESDAY, WEDNESDAY)
    ]
    # the days chain: each starts where the previous ended, and P&L is their difference
    assert reports[0].start_equity == Decimal(100_000_000)
    for before, after in itertools.pairwise(reports):
        assert after.start_equity == before.end_equity
    assert reports[-1].end_equity == node.tracker.equity()
    for report in reports:
        assert report.pnl == report.end_equity - report.start_equity
    # the day's fills and trades are the day's: together, every one of the run
    assert sum(r.fills for r in reports) == len(node.tracker.fills) > 0
    assert sum(r.trades for r in reports) == len(node.tracker.trades)
    assert sum(len(w[1]) for w in writer.written) == len(node.tracker.fills)
    assert sum(r.fees for r in reports) == node.tracker.fees
    realized, unrealized = node.tracker.pnl()
    assert sum(r.realized_pnl for r in reports) == realized
    assert reports[-1].unrealized_pnl == unrealized
    assert sum(r.strategy_pnl["t"] for r in reports) == node.tracker.strategy_pnl()["t"]
    assert reports[-1].positions == tuple(node.tracker.positions())


async def test_a_restart_never_reports_a_day_twice() -> None:
    whole = sessions(FRIDAY, TUESDAY, WEDNESDAY)
    stores, checkpoint, writer = Stores(), MemoryCheckpoint(), RecordingWriter()
    wednesday_noon = kst(WEDNESDAY, time(15))
    days_per_run = []
    for end in (kst(TUESDAY, CLOSE) + 1, wednesday_noon, None):
        part = whole.between(None, end)
        node = node_for(part, stores, writer, checkpoint)
        before = len(writer.written)
        await node.run()
        days_per_run.append([w[0].day for w in writer.written[before:]])

    assert days_per_run == [[FRIDAY, TUESDAY], [], [WEDNESDAY]]
    assert checkpoint.state.daily is not None
    assert checkpoint.state.daily.last_day == WEDNESDAY
    first_run_end = writer.written[1][0].end_equity
    assert writer.written[2][0].start_equity == first_run_end


def test_the_console_gets_a_one_line_summary() -> None:
    report = DailyReportPublished(
        account_id=AccountId("paper"),
        day=FRIDAY,
        start_equity=Decimal(100_000_000),
        end_equity=Decimal(100_250_000),
        pnl=Decimal(250_000),
        day_return=Decimal("0.0025"),
        realized_pnl=Decimal(200_000),
        unrealized_pnl=Decimal(50_000),
        fees=Decimal("1234.5"),
        fills=4,
        trades=2,
        strategy_pnl={"t": Decimal(250_000)},
        positions=(),
        risk={},
        location="/home/jts/reports/daily-paper-2026-02-27.html",
        ts_event=kst(FRIDAY, CLOSE),
        ts_init=kst(FRIDAY, CLOSE),
    )

    notification = render(report, {})

    assert notification is not None
    assert notification.category is Category.SYSTEM
    assert notification.severity is Severity.INFO
    assert notification.title == "Daily report 2026-02-27 (paper)"
    assert notification.body == (
        "equity 100,250,000 KRW (+250,000 KRW, +0.25%), realized 200,000 KRW, fees 1,234 KRW, "
        "4 fills, 2 trades; /home/jts/reports/daily-paper-2026-02-27.html"
    )
    assert notification.dedup_key == "daily:paper:2026-02-27"
