"""The pre-trade gate in a running node: the VaR budget, the daily loss limit and the
trading calendar deny with their rule and numbers on ``orders.failures``; exits go on."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import numpy as np

from jts.adapters.bus.inprocess import InProcessEventBus
from jts.adapters.clock import LiveClock
from jts.adapters.feeds.replay import ReplayFeed
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.risk.domain.drawdown import DrawdownLimits
from jts.contexts.risk.domain.limits import RiskLimits
from jts.contexts.strategy.domain.python_api import StrategyContext, quantity
from jts.messages.base import Message
from jts.messages.market_data import Bar
from jts.messages.trading import OrderDenied, OrderFilled
from jts.runtime.live.assembly import NodeSpec, assemble
from jts.runtime.live.clocks import MarketClock
from jts.runtime.live.node import LiveNode
from jts.runtime.live.slots import PythonSlot
from jts.shared_kernel.identifiers import InstrumentId, StrategyId
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues.catalog import default_registry
from jts.shared_kernel.venues.krx_calendar import krx_session_calendar
from jts.shared_kernel.venues.types import OrderSide
from tests.unit.runtime.live.harness import BTC, CASH, ETH, START, SeriesSource, Stores, bars, build

DAY_NS = 86_400_000_000_000
DAILY = Timeframe(86_400)
MINUTE = Timeframe(60)
SAMSUNG = InstrumentId.parse("005930.KRX")


class Script:
    """Enters long on the bars numbered in ``entries`` (when flat), exits on ``exits``."""

    def __init__(self, size: str, entries: Sequence[int], exits: Sequence[int] = ()) -> None:
        self._size, self._entries, self._exits = Decimal(size), set(entries), set(exits)
        self._bar = -1

    def on_bar(self, context: StrategyContext) -> None:
        self._bar += 1
        if self._bar in self._exits and context.position is not None:
            context.exit_long()
        elif self._bar in self._entries and context.position is None:
            context.enter_long(quantity(self._size))


def daily_bars(closes: Sequence[float], instrument: InstrumentId, start: int) -> BarSeries:
    made = []
    for i, close in enumerate(closes):
        price = Decimal(str(close))
        begin = start + i * DAY_NS
        made.append(
            Bar(
                instrument_id=instrument,
                timeframe=DAILY,
                ts_start=begin,
                ts_event=begin + DAY_NS,
                ts_init=begin + DAY_NS,
                open=price,
                high=price,
                low=price,
                close=price,
                volume=Decimal(1_000),
            )
        )
    return BarSeries.from_bars(made)


def slot(script: Script, name: str, instrument: InstrumentId, timeframe: Timeframe, clock):
    return PythonSlot(
        script,
        strategy_id=StrategyId(name),
        instrument=instrument,
        timeframe=timeframe,
        clock=clock,
    )


async def run(node: LiveNode) -> list[Message]:
    seen: list[Message] = []

    async def collect(message: Message) -> None:
        seen.append(message)

    await node.start()
    await node.bus.subscribe("orders.*", collect, name="test-orders")
    await node.run()
    return seen


def denials(seen: list[Message], rule: str) -> list[OrderDenied]:
    return [m for m in seen if isinstance(m, OrderDenied) and m.rule == rule]


async def test_an_order_over_the_var_budget_is_denied_with_the_numbers() -> None:
    steps = np.random.default_rng(5).normal(0.0, 0.03, 30)
    closes = [round(100_000_000 * float(np.exp(x)), -3) for x in np.cumsum(steps)]
    clock = MarketClock()
    # 0.5 BTC (~50M KRW) at ~3% daily volatility: a 1-day 99% VaR of millions of KRW
    script = Script("0.5", entries=[29])
    node = build(
        [daily_bars(closes, BTC, START)],
        [slot(script, "var", BTC, DAILY, clock)],
        clock=clock,
        limits=RiskLimits(var_budget_weight=Decimal("0.005")),  # 500,000 KRW
    )

    seen = await run(node)

    (denied,) = denials(seen, "var_budget")
    assert denied.instrument_id == BTC
    assert "order would take 1-day 99% historical VaR from 0 to " in denied.reason
    assert "over the budget of 500000 by " in denied.reason
    assert "(KRW; the budget is 0.50% of equity)" in denied.reason
    assert not [m for m in seen if isinstance(m, OrderFilled)]
    metrics = node.guard.metrics(node.tracker.exposure())
    assert {"var_hist_99", "cvar_hist_95", "var_param_99", "var_mc_99", "cvar_mc_95"} <= set(
        metrics
    )


async def test_the_daily_loss_limit_blocks_entries_and_lets_exits_through() -> None:
    btc = bars([100_000_000, 100_000_000, 95_000_000, 94_000_000, 94_000_000, 94_000_000], BTC)
    eth = bars([5_000_000] * 6, ETH)
    clock = MarketClock()
    node = build(
        [btc, eth],
        [
            slot(Script("0.9", entries=[0], exits=[4]), "loser", BTC, MINUTE, clock),
            slot(Script("1", entries=[3, 4, 5]), "late", ETH, MINUTE, clock),
        ],
        clock=clock,
        limits=RiskLimits(max_daily_loss=Decimal("0.03")),
        drawdown=DrawdownLimits(max_drawdown=Decimal("0.5")),
        cash=dict(CASH),
    )

    seen = await run(node)

    blocked = denials(seen, "daily_loss")
    assert blocked
    assert {d.instrument_id for d in blocked} == {ETH}
    assert "of the day's opening equity" in blocked[0].reason
    assert "the limit is 3.00%" in blocked[0].reason
    fills = [m for m in seen if isinstance(m, OrderFilled)]
    assert [(f.instrument_id, f.side) for f in fills] == [
        (BTC, OrderSide.BUY),
        (BTC, OrderSide.SELL),
    ]


async def test_a_krx_order_on_a_saturday_is_denied() -> None:
    friday = 1_772_755_200_000_000_000  # 2026-03-06T00:00:00Z, 09:00 KST
    samsung = daily_bars([70_000.0, 70_100.0, 70_200.0], SAMSUNG, friday - DAY_NS)
    clock = MarketClock()
    registry = default_registry()
    spec = NodeSpec(
        instruments=[registry.get(SAMSUNG)],
        calendars={
            "XKRX": krx_session_calendar(
                holidays=(), first_day=date(2026, 1, 1), last_day=date(2026, 12, 31)
            )
        },
        cash=CASH,
        limits=RiskLimits(trading_hours=True),
        drawdown=DrawdownLimits(max_drawdown=Decimal("0.5")),
        order_prefix=f"T{uuid.uuid4().hex[:8]}",
    )
    stores = Stores()
    node = assemble(
        spec,
        bus=InProcessEventBus(),
        clock=clock,
        feed=ReplayFeed(SeriesSource([samsung]), clock=LiveClock(), speed=None),
        account_store=stores.accounts,
        trading_store=stores.trading.unit_of_work,
        specs=registry,
        slots=[slot(Script("10", entries=[1]), "weekend", SAMSUNG, DAILY, clock)],
        feed_start={(SAMSUNG, DAILY): int(samsung.ts_start[0])}.get,
        watch_feeds=False,
    )

    seen = await run(node)

    (denied,) = denials(seen, "market_closed")
    assert "XKRX has no session on Saturday 2026-03-07" in denied.reason
    assert "again on Monday 2026-03-09" in denied.reason
