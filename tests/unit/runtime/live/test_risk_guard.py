"""The risk guard: drawdown decisions become events and the kill switch; VaR of holdings."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from jts.contexts.risk.domain.drawdown import DrawdownLimits
from jts.contexts.risk.domain.var import historical_var
from jts.messages.base import Message
from jts.messages.enums import Severity
from jts.messages.risk import RiskAlertRaised, RiskLimitBreached, RiskMetricsUpdated
from jts.runtime.live.risk_guard import RiskGuard
from jts.shared_kernel.clock import TestClock
from tests.unit.runtime.live.harness import BTC, ETH

DAY = 86_400 * 1_000_000_000


def guard() -> tuple[RiskGuard, list[Message], list[str]]:
    sent: list[Message] = []
    kills: list[str] = []

    async def publish(message: Message) -> None:
        sent.append(message)

    async def kill(reason: str) -> None:
        kills.append(reason)

    limits = DrawdownLimits(max_drawdown=Decimal("0.2"), warning_drawdown=Decimal("0.1"))
    made = RiskGuard(
        limits=limits, publish=publish, clock=TestClock(), on_kill=kill, instruments=[BTC, ETH]
    )
    return made, sent, kills


async def test_a_warning_then_a_breach_that_latches() -> None:
    risk, sent, kills = guard()
    for equity in (100, 95, 89, 95, 79, 100, 70):
        await risk.on_equity(1, Decimal(equity))

    alerts = [m for m in sent if isinstance(m, RiskAlertRaised)]
    # 89: warning; 95: recovered; 79: straight past the warning into the breach
    assert [a.severity for a in alerts] == [Severity.WARNING, Severity.INFO, Severity.CRITICAL]
    (breach,) = [m for m in sent if isinstance(m, RiskLimitBreached)]
    assert breach.value == Decimal("0.21")
    assert breach.action.startswith("kill_switch")
    assert kills == [alerts[-1].message]
    assert risk.tripped  # recovering to 100 did not reset it
    assert risk.metrics()["kill_switch"] == 1


async def test_value_at_risk_of_the_holdings_over_daily_closes() -> None:
    risk, sent, _ = guard()
    assert risk.value_at_risk({BTC: Decimal(1_000_000)}) == {}
    btc = [100.0, 102.0, 99.0, 101.0, 97.0, 98.0]
    eth = [10.0, 10.1, 10.3, 9.9, 9.7, 10.2]
    for day, (b, e) in enumerate(zip(btc, eth, strict=True)):
        risk.record_close(BTC, day * DAY + DAY // 2, Decimal(str(b)))
        risk.record_close(ETH, day * DAY + DAY // 2, Decimal(str(e)))
    exposure = {BTC: Decimal(1_000_000), ETH: Decimal(-500_000)}

    figures = risk.value_at_risk(exposure)

    # the last day is not settled yet: its close may still move
    btc, eth = btc[:-1], eth[:-1]
    returns = np.column_stack([np.diff(btc) / btc[:-1], np.diff(eth) / eth[:-1]])
    expected = historical_var([1_000_000.0, -500_000.0], returns, confidence=0.99)
    assert float(figures["var"]) == pytest.approx(expected.var)
    assert float(figures["cvar"]) == pytest.approx(expected.cvar)
    await risk.on_equity(1, Decimal(100))
    await risk.publish_metrics(exposure)
    (metrics,) = [m for m in sent if isinstance(m, RiskMetricsUpdated)]
    assert metrics.metrics["var"] == figures["var"]
    assert metrics.metrics["drawdown"] == 0


async def test_the_var_model_is_fitted_once_per_settled_day() -> None:
    risk, _, _ = guard()
    closes = [(100.0, 10.0), (102.0, 10.1), (99.0, 10.3), (101.0, 9.9)]
    for day, (b, e) in enumerate(closes):
        risk.record_close(BTC, day * DAY + DAY // 2, Decimal(str(b)))
        risk.record_close(ETH, day * DAY + DAY // 2, Decimal(str(e)))
    model = risk.var_model()
    assert model is not None
    assert model.returns.shape == (2, 2)  # day 3 is not settled
    risk.record_close(BTC, 3 * DAY + DAY // 2 + 1, Decimal(150))  # today's close moves
    assert risk.var_model() is model
    risk.record_close(BTC, 4 * DAY + DAY // 2, Decimal(100))  # a new day settles day 3
    refitted = risk.var_model()
    assert refitted is not model
    assert refitted is not None
    assert refitted.returns[-1, 0] == pytest.approx(150 / 99 - 1)


async def test_every_var_figure_at_95_and_99() -> None:
    risk, _, _ = guard()
    rng = np.random.default_rng(1)
    for day in range(40):
        risk.record_close(BTC, day * DAY, Decimal(str(round(100 * (1 + rng.normal(0, 0.02)), 2))))
        risk.record_close(ETH, day * DAY, Decimal(str(round(10 * (1 + rng.normal(0, 0.02)), 3))))
    await risk.on_equity(1, Decimal(100))
    metrics = risk.metrics({BTC: Decimal(1_000_000)})
    for method in ("hist", "param", "mc"):
        for level in (95, 99):
            var, cvar = metrics[f"var_{method}_{level}"], metrics[f"cvar_{method}_{level}"]
            assert 0 < var <= cvar < 1_000_000
        assert metrics[f"var_{method}_95"] < metrics[f"var_{method}_99"]
    assert metrics["var"] == metrics["var_hist_99"]


async def test_the_days_loss_is_only_for_the_day_the_monitor_saw() -> None:
    risk, _, _ = guard()
    assert risk.day_loss(DAY) is None
    await risk.on_equity(DAY, Decimal(100))
    await risk.on_equity(DAY + 60, Decimal(97))
    day = risk.day_loss(DAY + 120)
    assert day is not None
    assert (day.day_open, day.equity, day.loss) == (Decimal(100), Decimal(97), Decimal("0.03"))
    assert risk.day_loss(2 * DAY) is None
