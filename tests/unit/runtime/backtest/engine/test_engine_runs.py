"""Whole runs: Python strategies, accounting that reconciles with the fills, FX, lazy feeding."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.risk.domain.limits import RiskLimits
from jts.contexts.strategy.domain.language import compile_strategy
from jts.contexts.strategy.domain.python_api import StrategyContext, quantity
from jts.messages.enums import OrderSide
from jts.runtime.backtest.engine import EngineConfig, FxSeries
from jts.runtime.backtest.results import BacktestResult
from jts.shared_kernel.errors import ConfigurationError, DataError
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues.catalog import default_registry
from tests.unit.runtime.backtest.engine.builders import (
    BTC_KRW,
    BTC_USDT,
    D,
    M,
    engine,
    program,
    series,
    ts,
)

EXAMPLES = Path(__file__).parents[5] / "examples" / "strategies"
REGISTRY = default_registry()
RISING = [tuple(round(x + i / 10, 1) for x in (60, 60.2, 59.9, 60.1)) for i in range(12)]


class EnterThenLeave:
    """Buys 0.1 on the third bar with a stop 1M below the close; sells on the seventh."""

    def on_bar(self, context: StrategyContext) -> None:
        seen = len(context.history)
        if seen == 3 and context.position is None:
            context.enter_long(quantity(D("0.1")), stop_loss=context.bar.close - M)
        elif seen == 7 and context.position is not None:
            context.exit_long("seventh bar")


def test_python_strategies_trade_through_the_same_path() -> None:
    result = engine().run_strategies({BTC_KRW: EnterThenLeave()}, [series(RISING)], name="python")

    (trade,) = result.trades
    assert trade.entry_ts_ns == ts(3)
    assert trade.entry_price == D("60.3") * M
    assert trade.exit_ts_ns == ts(7)
    assert trade.exit_price == D("60.7") * M
    assert result.strategy == "python"
    assert result.engine == "event"


def _cash_from_fills(result: BacktestResult, start: dict[str, Decimal]) -> dict[str, Decimal]:
    cash = dict(start)
    for fill in result.fills:
        currency = REGISTRY.get(fill.instrument_id).quote_currency
        notional = fill.price * fill.quantity
        quote_fee = fill.commission if fill.commission_currency == currency else Decimal(0)
        if fill.side is OrderSide.BUY:
            cash[currency] = cash.get(currency, Decimal(0)) - notional - quote_fee
        else:
            cash[currency] = cash.get(currency, Decimal(0)) + notional - quote_fee - fill.tax
    return cash


@cache
def _krx_minutes() -> tuple[BarSeries, ...]:
    from datetime import date

    from jts.bootstrap.stores import simulate

    markets = simulate(
        ["005930.KRX", "000660.KRX"],
        date(2025, 3, 3),
        date(2025, 3, 14),
        seed=5,
        timeframe=Timeframe.parse("5m"),
    )
    return tuple(market.bars for market in markets)


def _volatility_breakout(config: EngineConfig | None = None) -> BacktestResult:
    source = (EXAMPLES / "volatility_breakout.jts").read_text()
    compiled = compile_strategy(source, "volatility_breakout.jts")
    return engine(config).run_program(compiled, list(_krx_minutes()), params={"k": 0.3})


def test_cash_and_positions_reconcile_with_the_fills() -> None:
    result = _volatility_breakout()
    assert result.fills, "the example should trade on this data"

    start = {"KRW": D(100_000_000)}
    assert result.balances == _cash_from_fills(result, start)
    closed = sum((trade.pnl for trade in result.trades), Decimal(0))
    open_value = sum((p.quantity * p.last_price for p in result.positions), Decimal(0))
    open_cost = sum((_cost_of_open(result, p.instrument_id) for p in result.positions), Decimal(0))
    assert result.final_equity == result.initial_equity + closed + open_value - open_cost
    assert result.equity[-1] == pytest.approx(float(result.final_equity), rel=1e-12)


def _cost_of_open(result: BacktestResult, instrument_id: object) -> Decimal:
    """Cash spent on the fills of the round trip still open at the end."""
    fills = [f for f in result.fills if f.instrument_id == instrument_id]
    closed_at = max(
        (t.exit_ts_ns for t in result.trades if t.instrument_id == instrument_id), default=-1
    )
    spent = Decimal(0)
    for fill in fills:
        if fill.ts_ns > closed_at and fill.side is OrderSide.BUY:
            spent += fill.price * fill.quantity + fill.commission
    return spent


def test_the_exchange_sees_only_the_bars_that_matter_with_the_same_result() -> None:
    lazy = _volatility_breakout()
    every = _volatility_breakout(EngineConfig(feed_every_bar=True))

    assert lazy.fills == every.fills
    assert lazy.trades == every.trades
    assert lazy.final_equity == every.final_equity


def test_usdt_instruments_are_valued_in_krw_at_the_fx_series() -> None:
    compiled = program(
        "entry long when close > 60500\nexit long when close < 59500", universe="BTCUSDT.BINANCE"
    )
    config = EngineConfig(cash={"KRW": D(0), "USDT": D(10_000)})
    rates = FxSeries("USDT", [0, ts(3)], [D(1_300), D(1_400)])
    rows = [(60, 60, 60, 60), (60, 61, 60, 61), (61, 62, 61, 62), (62, 62, 61, 61.5)]
    bars = series(rows, BTC_USDT, scale=1_000)

    result = engine(config).run_program(compiled, [bars], fx=[rates])

    (position,) = result.positions
    assert position.quantity == D("0.0999")  # Binance takes its buy fee in BTC
    assert result.initial_equity == 10_000 * 1_300
    usdt = D(10_000) - D("0.1") * 61_000 + D("0.0999") * D(61_500)
    assert result.final_equity == usdt * 1_400
    assert result.equity[0] == pytest.approx(13_000_000)


def test_a_currency_without_an_fx_series_is_refused_when_valued() -> None:
    compiled = program("entry long when close > 60.5", universe="BTCUSDT.BINANCE")
    config = EngineConfig(cash={"KRW": D(1), "USDT": D(10_000)})
    with pytest.raises(DataError, match="no FX rate for USDT"):
        engine(config).run_program(compiled, [series(RISING, BTC_USDT, scale=1_000)])


def test_bars_outside_the_universe_are_refused() -> None:
    with pytest.raises(DataError, match="not in the universe"):
        engine().run_program(program("entry long when close > 1"), [series(RISING, BTC_USDT)])


def test_every_instrument_needs_a_python_strategy() -> None:
    with pytest.raises(ConfigurationError, match="no strategy for it"):
        engine().run_strategies({}, [series(RISING)], name="none")


def test_short_selling_accounts_are_refused_up_front() -> None:
    with pytest.raises(ConfigurationError, match="never sells short"):
        EngineConfig(limits=RiskLimits(allow_short=True))
