"""The daily report page: every figure of the day, the strategies, positions, trades, fills."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from jts.adapters.reports.daily import DailyReportFiles, render_daily_report
from jts.contexts.portfolio.domain.analytics import ClosedTrade
from jts.messages.enums import Direction, LiquiditySide, OrderSide
from jts.messages.portfolio import DailyReportPublished, PositionSnapshot
from jts.messages.trading import OrderFilled
from jts.shared_kernel.identifiers import AccountId, InstrumentId

SAMSUNG = InstrumentId.parse("005930.KRX")
CLOSE_NS = 1_772_173_800_000_000_000  # 2026-02-27 15:30 KST


def report() -> DailyReportPublished:
    return DailyReportPublished(
        account_id=AccountId("paper"),
        day=date(2026, 2, 27),
        start_equity=Decimal(100_000_000),
        end_equity=Decimal(100_150_000),
        pnl=Decimal(150_000),
        day_return=Decimal("0.0015"),
        realized_pnl=Decimal(90_000),
        unrealized_pnl=Decimal(60_000),
        fees=Decimal("2100.5"),
        fills=1,
        trades=1,
        strategy_pnl={"momentum": Decimal(150_000), "idle": Decimal(0)},
        positions=(
            PositionSnapshot(
                instrument_id=SAMSUNG,
                quantity=Decimal(10),
                average_price=Decimal(70_000),
                market_price=Decimal(76_000),
                realized_pnl=Decimal(0),
                unrealized_pnl=Decimal(60_000),
                currency="KRW",
            ),
        ),
        risk={"drawdown": Decimal("-0.012"), "var_99": Decimal(1_500_000)},
        ts_event=CLOSE_NS,
        ts_init=CLOSE_NS,
    )


FILL = OrderFilled(
    client_order_id="JTS-1",
    venue_order_id="V1",
    trade_id="T1",
    instrument_id=SAMSUNG,
    strategy_id="momentum",
    side=OrderSide.BUY,
    last_qty=Decimal(10),
    last_price=Decimal(70_000),
    commission=Decimal("105"),
    commission_currency="KRW",
    liquidity_side=LiquiditySide.TAKER,
    ts_event=CLOSE_NS - 3_600_000_000_000,
    ts_init=CLOSE_NS - 3_600_000_000_000,
)
TRADE = ClosedTrade(
    instrument_id=SAMSUNG,
    direction=Direction.LONG,
    quantity=Decimal(5),
    entry_ts_ns=CLOSE_NS - 7_200_000_000_000,
    exit_ts_ns=CLOSE_NS - 3_600_000_000_000,
    entry_price=Decimal(70_000),
    exit_price=Decimal(88_000),
    pnl=Decimal(90_000),
    fees=Decimal(0),
)


def metric(html: str, name: str) -> str:
    found = re.search(rf'data-metric="{re.escape(name)}">([^<]*)<', html)
    assert found is not None, name
    return found.group(1)


def test_the_page_shows_the_day_s_figures() -> None:
    html = render_daily_report(report(), [FILL], [TRADE])

    assert "Daily report 2026-02-27: paper" in html
    assert "2026-02-27 15:30 KST" in html
    assert metric(html, "end_equity") == "100,150,000"
    assert metric(html, "pnl") == "150,000"
    assert metric(html, "day_return") == "+0.15%"
    assert metric(html, "fees") == "2,100.5"
    assert metric(html, "strategy:momentum") == "150,000"
    assert metric(html, "drawdown") == "−1.20%"
    assert metric(html, "var_99") == "1,500,000"


def test_the_page_lists_positions_trades_and_fills() -> None:
    html = render_daily_report(report(), [FILL], [TRADE])

    assert html.count("005930.KRX") == 3  # the position, the trade and the fill
    assert "<td>momentum</td>" in html
    assert "88,000" in html  # the trade's exit
    assert "No fills." not in html


def test_a_quiet_day_says_so() -> None:
    html = render_daily_report(report(), [], [])

    assert "No fills." in html
    assert "No closed trades." in html


def test_files_are_named_by_account_and_day() -> None:
    files = DailyReportFiles(Path("/reports"))

    assert str(files.path_of(report())) == "/reports/daily-paper-2026-02-27.html"
