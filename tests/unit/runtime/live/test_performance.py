"""Live performance: the portfolio analytics on the live curve, throttled, on the bus."""

from __future__ import annotations

import math
from decimal import Decimal

import msgspec
import numpy as np
import pytest

from jts.contexts.portfolio.domain.analytics import (
    KRX_DAILY,
    UPBIT_DAILY,
    analyze_performance,
    cagr,
    daily_returns,
    max_drawdown,
    profit_factor,
    sharpe,
    sortino,
    volatility,
)
from jts.messages.enums import Direction
from jts.messages.portfolio import PerformanceUpdated
from jts.runtime.backtest.results import Trade
from jts.runtime.live.clocks import MarketClock
from jts.runtime.live.equity_recorder import curve_id_of
from jts.runtime.live.performance import HOUR_NS, LivePerformance, figures_of
from jts.runtime.live.slots import ProgramSlot
from jts.shared_kernel.identifiers import AccountId, StrategyId
from tests.unit.runtime.live.daily_fx_harness import build_reporting, collect
from tests.unit.runtime.live.harness import BTC, MINUTE, START, Stores, bars, program

DAY = 86_400_000_000_000


def curve(days: int, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Four points a day (KST business hours) of a random walk from 100M."""
    rng = np.random.default_rng(seed)
    ts = np.array(
        [START + d * DAY + h * HOUR_NS for d in range(days) for h in (1, 3, 5, 6)], dtype=np.int64
    )
    equity = 100e6 * np.exp(np.cumsum(rng.normal(0, 0.004, len(ts))))
    return ts, equity


def trade(pnl: str, exit_ts: int) -> Trade:
    return Trade(
        instrument_id=BTC,
        direction=Direction.LONG,
        quantity=Decimal("0.1"),
        entry_ts_ns=exit_ts - HOUR_NS,
        entry_price=Decimal(100_000_000),
        exit_ts_ns=exit_ts,
        exit_price=Decimal(100_000_000) + Decimal(pnl) * 10,
        fees=Decimal(1_000),
        pnl=Decimal(pnl),
        currency="KRW",
    )


def close_to(figure: Decimal, value: float) -> bool:
    return math.isclose(float(figure), value, rel_tol=1e-9, abs_tol=1e-12)


def test_figures_are_the_portfolio_analytics_on_the_same_curve() -> None:
    ts, equity = curve(40)
    trades = [trade("250000", START + 2 * DAY), trade("-100000", START + 5 * DAY)]
    trades.append(trade("50000", START + 9 * DAY))
    performance = LivePerformance(conventions=KRX_DAILY)

    figures = performance.measure(int(ts[-1]), ts, equity, trades)

    assert figures is not None
    returns = daily_returns(ts, equity, "Asia/Seoul").returns
    assert close_to(figures["total_return"], equity[-1] / equity[0] - 1)
    assert close_to(figures["sharpe"], sharpe(returns, 252.0))
    assert close_to(figures["sortino"], sortino(returns, 252.0))
    assert close_to(figures["volatility"], volatility(returns, 252.0))
    assert close_to(figures["cagr"], cagr(returns, 252.0))
    assert close_to(figures["max_drawdown"], max_drawdown(equity))
    assert close_to(figures["drawdown"], equity[-1] / equity.max() - 1)
    pnl = np.array([250_000.0, -100_000.0, 50_000.0])
    assert close_to(figures["profit_factor"], profit_factor(pnl))
    assert figures["win_rate"] == Decimal("0.6666666667")
    assert figures["trades"] == 3
    assert figures["periods"] == 40
    report = analyze_performance(
        ts, equity, conventions=KRX_DAILY, trades=[t.closed_trade() for t in trades]
    )
    assert close_to(figures["exposure"], report.exposure)
    assert close_to(figures["expectancy"], report.trades.expectancy)


def test_cagr_waits_for_enough_periods_and_undefined_figures_are_left_out() -> None:
    ts, equity = curve(5)
    figures = LivePerformance(conventions=UPBIT_DAILY).measure(
        int(ts[-1]), ts, equity, [trade("10000", START + DAY)]
    )

    assert figures is not None
    assert "cagr" not in figures  # five days annualised mean nothing
    assert "profit_factor" not in figures  # no loss yet: infinite
    assert "total_return" in figures


def test_a_flat_curve_has_no_ratios_and_one_point_is_not_measured() -> None:
    ts = np.array([START, START + DAY, START + 2 * DAY], dtype=np.int64)
    flat = np.full(3, 1e8)
    performance = LivePerformance()

    assert performance.measure(START, ts[:1], flat[:1], []) is None
    figures = performance.measure(START, ts, flat, [])
    assert figures is not None
    assert figures["total_return"] == 0
    assert "sharpe" not in figures
    assert "win_rate" not in figures


def test_measuring_is_throttled_in_market_time() -> None:
    ts, equity = curve(3)
    performance = LivePerformance(every_ns=HOUR_NS)

    assert performance.due(START)
    performance.measure(START, ts, equity, [])
    assert not performance.due(START + HOUR_NS - 1)
    assert performance.due(START + HOUR_NS)


def test_trades_are_converted_once_as_they_close() -> None:
    ts, equity = curve(3)
    performance = LivePerformance()
    trades = [trade("10000", START + DAY)]
    performance.measure(START, ts, equity, trades)
    trades.append(trade("-5000", START + 2 * DAY))
    figures = performance.measure(START + DAY, ts, equity, trades)

    assert figures is not None
    assert figures["trades"] == 2
    assert figures["profit_factor"] == 2


def test_the_message_carries_the_last_figures() -> None:
    ts, equity = curve(3)
    performance = LivePerformance()
    performance.measure(START, ts, equity, [])
    message = performance.message(AccountId("paper"), Decimal(123), START)

    assert isinstance(message, PerformanceUpdated)
    assert message.figures == performance.figures
    assert message.equity == 123


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_figures_of_never_returns_a_non_finite_number(value: float) -> None:
    ts, equity = curve(30)
    report = analyze_performance(ts, equity)
    broken = msgspec.structs.replace(report, sharpe=value)
    assert "sharpe" not in figures_of(broken, equity)


RULES = """entry long when close > sma(close, 3)
exit long when close < sma(close, 3)"""


async def test_the_node_publishes_performance_measured_on_its_stored_curve() -> None:
    closes = [100_000_000 + 400_000 * ((i * 5) % 9 - 4) for i in range(240)]
    clock = MarketClock()
    compiled = program(RULES, size="quantity(0.1)")
    slots = [ProgramSlot(compiled, strategy_id=StrategyId("t"), instrument=BTC, clock=clock)]
    stores = Stores()
    node = build_reporting(
        [bars(closes, BTC)], slots, clock=clock, stores=stores, performance_every_ns=30 * MINUTE
    )
    await node.start()
    seen = await collect(node, "portfolio.performance")
    await node.run()

    updates = [m for m in seen if isinstance(m, PerformanceUpdated)]
    assert 8 <= len(updates) <= 10  # every half hour of four hours, and at the stop
    stored = stores.timeseries.read_equity(curve_id_of("paper"))
    report = analyze_performance(
        stored.ts,
        stored.equity,
        conventions=KRX_DAILY,
        trades=[t.closed_trade() for t in node.tracker.trades],
    )
    last = updates[-1]
    assert last.equity == node.tracker.equity()
    assert close_to(last.figures["total_return"], report.total_return)
    assert close_to(last.figures["max_drawdown"], report.max_drawdown)
    assert last.figures["trades"] == len(node.tracker.trades) > 0
