"""Invariants of the event engine on random markets and programs (hypothesis).

- Handing the exchange only the bars that can matter gives the run it gets from every bar.
- Cash reconciles with the fills; holdings never go short; the equity curve ends at the
  final equity.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jts.contexts.market_data.domain.series import BarSeries
from jts.messages.enums import OrderSide
from jts.runtime.backtest.engine import EngineConfig
from jts.runtime.backtest.exchange import ExchangeConfig, SessionPolicy
from jts.shared_kernel.timeframes import Timeframe
from tests.unit.runtime.backtest.engine.builders import BTC_KRW, MINUTE, START, engine, program

RULES = {
    "market": "entry long when crosses_above(sma(close, 3), sma(close, 8))\n"
    "exit long when crosses_below(sma(close, 3), sma(close, 8))",
    "protected": "entry long when crosses_above(sma(close, 3), sma(close, 8))\n"
    "exit long when crosses_below(sma(close, 3), sma(close, 8))\n"
    "stop_loss 1%\ntake_profit 2%\ntrailing_stop 1.5%",
    "limit": "entry long when close > sma(close, 5)\nexit long when close < sma(close, 5)\n"
    "order limit(close * 0.998) ttl 2 bars\nstop_loss atr(5) * 2",
}


def _walk(seed: int, length: int) -> BarSeries:
    rng = np.random.default_rng(seed)
    close = 60_000_000 * np.exp(np.cumsum(rng.normal(0, 0.004, length)))
    open_ = np.r_[close[0], close[:-1]] * np.exp(rng.normal(0, 0.001, length))
    high = np.maximum(open_, close) * np.exp(np.abs(rng.normal(0, 0.002, length)))
    low = np.minimum(open_, close) * np.exp(-np.abs(rng.normal(0, 0.002, length)))
    ticks = [np.round(x / 1_000) * 1_000 for x in (open_, high, low, close)]
    ts = START + np.arange(length, dtype=np.int64) * MINUTE
    return BarSeries.from_floats(
        BTC_KRW,
        Timeframe(60),
        ts_start=ts,
        ts_event=ts + MINUTE,
        ohlc=(ticks[0], ticks[1], ticks[2], ticks[3]),
        volume=rng.uniform(0.5, 5, length).round(4),
        price_scale=0,
        volume_scale=4,
    )


def _config(every: bool, participation: Decimal | None) -> EngineConfig:
    exchange = ExchangeConfig(
        session_policy=SessionPolicy.QUEUE,
        keep_closed_orders=False,
        participation_rate=participation,
    )
    return EngineConfig(exchange=exchange, feed_every_bar=every)


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    rules=st.sampled_from(sorted(RULES)),
    size=st.sampled_from(["quantity(0.3)", "percent_equity(60%)", "risk(2%, stop=atr(5))"]),
    participation=st.sampled_from([None, Decimal("0.05")]),
)
def test_runs_are_the_same_and_reconcile(
    seed: int, rules: str, size: str, participation: Decimal | None
) -> None:
    bars = _walk(seed, 160)
    compiled = program(RULES[rules], size=size)

    lazy = engine(_config(False, participation)).run_program(compiled, [bars])
    every = engine(_config(True, participation)).run_program(compiled, [bars])

    assert lazy.fills == every.fills
    assert lazy.final_equity == every.final_equity
    cash = Decimal(100_000_000)
    for fill in lazy.fills:
        flow = fill.price * fill.quantity
        cash += -flow - fill.commission if fill.side is OrderSide.BUY else flow - fill.commission
    assert lazy.balances["KRW"] == cash
    held = sum(
        (f.quantity if f.side is OrderSide.BUY else -f.quantity for f in lazy.fills), Decimal(0)
    )
    assert held >= 0
    assert lazy.equity[-1] == pytest.approx(float(lazy.final_equity), rel=1e-12)
