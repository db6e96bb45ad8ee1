"""The same SMA(10/50) cross in JTS, backtrader and vectorbt gives the same trades and P&L.

Matching settings in all three: long only, one unit per trade, signals on a bar's close
filled at the next bar's open, 0.1% fee on each fill's value, cash never binding. JTS runs
the strategy-language program through the vectorized engine (and, to hold the two engines
together, through the event-driven one); backtrader uses its own ``SMA`` and ``CrossOver``
with market orders (filled at the next open) and ``setcommission(0.001)``; vectorbt its
``MA`` indicator, ``ma_crossed_above``/``below`` shifted one bar and ``from_signals`` at the
open. Trades are compared by entry and exit bar, prices and quantity; P&L to 1e-9
relative. The instrument is BTCUSDT with a 0.1% fee charged in USDT on both sides, as the
peers charge it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import msgspec
import pandas as pd
import pytest

from jts.bootstrap.stores import simulate
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.strategy.domain.language import compile_strategy
from jts.runtime.backtest.engine import EngineConfig, EventDrivenBacktest
from jts.runtime.backtest.results import BacktestResult
from jts.runtime.backtest.vectorized.backtest import VectorizedBacktest, VectorizedConfig
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar
from jts.shared_kernel.venues.catalog import default_registry
from jts.shared_kernel.venues.fees import FeeAsset, FeeSchedule
from jts.shared_kernel.venues.instruments import CRYPTO_CALENDAR_ID, Instrument

bt = pytest.importorskip("backtrader")
vbt = pytest.importorskip("vectorbt")

FAST, SLOW, FEE, QUANTITY = 10, 50, 0.001, 1
PROGRAM = f"""
strategy "sma_cross"
universe BTCUSDT.BINANCE
timeframe 1h
param fast = {FAST}
param slow = {SLOW}
entry long when crosses_above(sma(close, fast), sma(close, slow))
exit long when crosses_below(sma(close, fast), sma(close, slow))
size quantity({QUANTITY})
"""
CASH = 10_000_000.0
Trade = tuple[int, int, float, float, float, float]  # entry bar, exit bar, prices, size, pnl


def instrument() -> Instrument:
    spec = default_registry().get("BTCUSDT.BINANCE")
    fees = FeeSchedule(
        maker_rate=Decimal(str(FEE)), taker_rate=Decimal(str(FEE)), fee_asset=FeeAsset.QUOTE
    )
    return msgspec.structs.replace(spec, fees=fees)


@pytest.fixture(scope="module")
def bars() -> BarSeries:
    hourly = Timeframe(3600)
    market = simulate(
        ["BTCUSDT.BINANCE"], date(2025, 1, 1), date(2025, 9, 1), seed=42, timeframe=hourly
    )[0]
    return market.bars


def jts_trades(result: BacktestResult, bars: BarSeries) -> list[Trade]:
    index = {int(ts): i for i, ts in enumerate(bars.ts_event)}
    return [
        (
            index[t.entry_ts_ns],
            index[t.exit_ts_ns],
            float(t.entry_price),
            float(t.exit_price),
            float(t.quantity),
            float(t.pnl),
        )
        for t in result.trades
    ]


def run_jts(bars: BarSeries, engine: str) -> BacktestResult:
    compiled = compile_strategy(PROGRAM, "sma_cross.jts")
    calendars = {CRYPTO_CALENDAR_ID: AlwaysOpenCalendar()}
    cash = {"USDT": Decimal(int(CASH))}
    if engine == "event":
        config = EngineConfig(cash=cash, base_currency="USDT")
        event = EventDrivenBacktest(instruments=[instrument()], calendars=calendars, config=config)
        return event.run_program(compiled, [bars])
    settings = VectorizedConfig(cash=cash, base_currency="USDT")
    vectorized = VectorizedBacktest(
        instruments=[instrument()], calendars=calendars, config=settings
    )
    return vectorized.run_program(compiled, [bars])


def frame(bars: BarSeries) -> pd.DataFrame:
    index = pd.to_datetime(bars.ts_start, unit="ns")
    return pd.DataFrame(
        {
            "open": bars.open,
            "high": bars.high,
            "low": bars.low,
            "close": bars.close,
            "volume": bars.volume,
        },
        index=index,
    )


def vectorbt_trades(bars: BarSeries) -> list[Trade]:
    data = frame(bars)
    fast = vbt.MA.run(data["close"], FAST)
    slow = vbt.MA.run(data["close"], SLOW)
    entries = fast.ma_crossed_above(slow).shift(1, fill_value=False)
    exits = fast.ma_crossed_below(slow).shift(1, fill_value=False)
    portfolio = vbt.Portfolio.from_signals(
        data["close"],
        entries,
        exits,
        price=data["open"],
        size=QUANTITY,
        size_type="amount",
        fees=FEE,
        init_cash=CASH,
        direction="longonly",
        freq="1h",
    )
    records = portfolio.trades.values  # structured array, one row per trade
    closed = records[records["status"] == 1]
    return [
        (
            int(row["entry_idx"]),
            int(row["exit_idx"]),
            float(row["entry_price"]),
            float(row["exit_price"]),
            float(row["size"]),
            float(row["pnl"]),
        )
        for row in closed
    ]


class _Cross(bt.Strategy):  # type: ignore[misc]
    def __init__(self) -> None:
        fast = bt.indicators.SMA(self.data.close, period=FAST)
        slow = bt.indicators.SMA(self.data.close, period=SLOW)
        self.cross = bt.indicators.CrossOver(fast, slow)
        self.trades: list[Trade] = []
        self._entry: tuple[int, float, float] | None = None

    def next(self) -> None:
        if not self.position and self.cross[0] > 0:
            self.buy(size=QUANTITY)
        elif self.position and self.cross[0] < 0:
            self.close()

    def notify_order(self, order: Any) -> None:
        if order.status != order.Completed:
            return
        bar = len(self) - 1
        if order.isbuy():
            self._entry = (bar, order.executed.price, order.executed.size)
        elif self._entry is not None:
            self._exit = (bar, order.executed.price)

    def notify_trade(self, trade: Any) -> None:
        if trade.isclosed and self._entry is not None:
            entry_bar, entry_price, size = self._entry
            exit_bar, exit_price = self._exit
            self.trades.append(
                (entry_bar, exit_bar, entry_price, exit_price, float(size), trade.pnlcomm)
            )


def backtrader_trades(bars: BarSeries) -> list[Trade]:
    cerebro = bt.Cerebro(stdstats=False)
    cerebro.adddata(bt.feeds.PandasData(dataname=frame(bars)))
    cerebro.addstrategy(_Cross)
    cerebro.broker.setcash(CASH)
    cerebro.broker.setcommission(commission=FEE)
    [strategy] = cerebro.run()
    trades: list[Trade] = strategy.trades
    return trades


def assert_same(ours: list[Trade], theirs: list[Trade]) -> None:
    assert len(ours) == len(theirs)
    for mine, peer in zip(ours, theirs, strict=True):
        assert mine[:2] == peer[:2]
        assert mine[2:5] == pytest.approx(peer[2:5], rel=1e-12)
        assert mine[5] == pytest.approx(peer[5], rel=1e-9)


def test_trades_agree_with_vectorbt(bars: BarSeries) -> None:
    ours = jts_trades(run_jts(bars, "vectorized"), bars)

    assert len(ours) > 20
    assert_same(ours, vectorbt_trades(bars))


def test_trades_agree_with_backtrader(bars: BarSeries) -> None:
    ours = jts_trades(run_jts(bars, "vectorized"), bars)

    assert_same(ours, backtrader_trades(bars))


def test_total_pnl_agrees_with_both_peers(bars: BarSeries) -> None:
    result = run_jts(bars, "vectorized")
    total = float(result.total_pnl)

    for peer in (vectorbt_trades(bars), backtrader_trades(bars)):
        assert total == pytest.approx(sum(t[5] for t in peer), rel=1e-9)


def test_the_event_driven_engine_trades_the_same(bars: BarSeries) -> None:
    vectorized = run_jts(bars, "vectorized")
    event = run_jts(bars, "event")

    assert event.trades == vectorized.trades
    assert event.final_equity == vectorized.final_equity
