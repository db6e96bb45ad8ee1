"""The terminal dashboard and the console notifications."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console

from jts.bootstrap.notifications import notifying
from jts.bootstrap.settings import NotificationsConfig
from jts.contexts.risk.domain.drawdown import DrawdownLimits
from jts.contexts.strategy.domain.python_api import StrategyContext, quantity
from jts.runtime.live.clocks import MarketClock
from jts.runtime.live.dashboard import Dashboard
from jts.runtime.live.slots import PythonSlot
from jts.shared_kernel.identifiers import StrategyId
from jts.shared_kernel.timeframes import Timeframe
from tests.unit.runtime.live.harness import BTC, ETH, bars, build


class BuyOnce:
    def on_bar(self, context: StrategyContext) -> None:
        if context.position is None and len(context.history) == 1:
            context.enter_long(quantity(Decimal("0.5")))


class RestingBid:
    def on_bar(self, context: StrategyContext) -> None:
        if len(context.history) == 1:
            context.enter_long(quantity(1), limit_price=Decimal(1_000_000))


async def test_notifications_and_the_dashboard_show_what_the_node_did() -> None:
    clock = MarketClock()
    minute = Timeframe(60)
    slots = [
        PythonSlot(
            BuyOnce(), strategy_id=StrategyId("once"), instrument=BTC, timeframe=minute, clock=clock
        ),
        PythonSlot(
            RestingBid(),
            strategy_id=StrategyId("bid"),
            instrument=ETH,
            timeframe=minute,
            clock=clock,
        ),
    ]
    falling = [100_000_000 * (1 - 0.03 * i) for i in range(6)]
    node = build(
        [bars(falling, BTC), bars([5_000_000] * 6, ETH)],
        slots,
        clock=clock,
        drawdown=DrawdownLimits(max_drawdown=Decimal("0.5"), warning_drawdown=Decimal("0.01")),
    )
    lines = Console(record=True, width=200)
    await node.start()
    async with notifying(NotificationsConfig(), node.bus, clock=clock, console=lines) as wired:
        await node.run()
    assert wired.console is not None

    printed = lines.export_text()
    assert "Filled BUY 0.5" in printed
    assert "BTC-KRW.UPBIT" in printed
    assert "drawdown" in printed
    assert len(wired.console.recent) == 2

    screen = Console(record=True, width=200)
    screen.print(Dashboard(node, wired.console.recent).render())
    shown = screen.export_text()
    for expected in ("positions", "open orders", "recent fills", "risk", "alerts"):
        assert expected in shown
    assert "BTC-KRW.UPBIT" in shown
    assert "ETH-KRW.UPBIT" in shown  # the resting bid
    assert "trading" in shown  # the kill switch did not trip
