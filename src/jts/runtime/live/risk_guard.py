"""``RiskGuard``: the drawdown kill switch and the risk figures of the live account.

Each equity observation (the node sends one after every bar) goes to the risk context's
``DrawdownMonitor``. Its decisions become events and actions:

- ``DrawdownWarning`` -> ``RiskAlertRaised`` (WARNING);
- ``KillSwitchDecision`` -> ``RiskLimitBreached`` (action ``kill_switch``) and
  ``RiskAlertRaised`` (CRITICAL), then ``on_kill(reason)``: the node cancels entry orders
  and moves every strategy to reduce-only. The switch latches until a person resets it;
- ``DrawdownRecovered`` -> ``RiskAlertRaised`` (INFO).

``metrics()`` gives equity, peak, drawdown, worst drawdown and the day's loss, and (once two
complete days of closes are in) the one-day historical VaR and CVaR of the positions held at
``var_confidence``, from a ``ReturnsWindow`` of daily closes (KST days) the node feeds with
every bar (``record_close``); ``publish_metrics`` publishes them as ``RiskMetricsUpdated``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from decimal import Decimal

import numpy as np

from jts.contexts.risk.domain.drawdown import (
    KST_OFFSET_S,
    DrawdownLimits,
    DrawdownMonitor,
    DrawdownRecovered,
    DrawdownState,
    DrawdownWarning,
    KillSwitchDecision,
    fixed_offset_day_key,
)
from jts.contexts.risk.domain.var import ReturnsWindow, historical_var
from jts.messages.base import Message
from jts.messages.enums import Severity
from jts.messages.risk import RiskAlertRaised, RiskLimitBreached, RiskMetricsUpdated
from jts.shared_kernel.clock import Clock
from jts.shared_kernel.identifiers import InstrumentId

Publish = Callable[[Message], Awaitable[None]]
OnKill = Callable[[str], Awaitable[None]]
RULE = "drawdown_kill_switch"


class RiskGuard:
    """Watches equity for drawdown and daily-loss breaches (see the module docstring)."""

    def __init__(
        self,
        *,
        limits: DrawdownLimits,
        publish: Publish,
        clock: Clock,
        on_kill: OnKill,
        base_currency: str = "KRW",
        instruments: Sequence[InstrumentId] = (),
        var_confidence: float = 0.99,
        var_days: int = 250,
    ) -> None:
        self._day_key = fixed_offset_day_key(KST_OFFSET_S)
        self.monitor = DrawdownMonitor(limits, day_key=self._day_key)
        self._window = ReturnsWindow(instruments, days=var_days) if instruments else None
        self._confidence = var_confidence
        self._publish = publish
        self._clock = clock
        self._on_kill = on_kill
        self._base = base_currency
        self.alerts: list[RiskAlertRaised] = []
        self.kill_reason: str | None = None

    @property
    def tripped(self) -> bool:
        return self.monitor.state is DrawdownState.BREACHED

    async def on_equity(self, ts_ns: int, equity: Decimal) -> None:
        """Take one equity observation and act on what the monitor decides."""
        decision = self.monitor.update(ts_ns, equity)
        if isinstance(decision, KillSwitchDecision):
            await self._kill(decision)
        elif isinstance(decision, DrawdownWarning):
            await self._alert(Severity.WARNING, decision.rule, decision.reason, decision.value)
        elif isinstance(decision, DrawdownRecovered):
            await self._alert(Severity.INFO, "drawdown", decision.reason, None)

    def record_close(self, instrument_id: InstrumentId, ts_ns: int, close: Decimal) -> None:
        """The latest close of ``instrument_id`` on its KST day (for VaR)."""
        if self._window is not None:
            self._window.record_close(instrument_id, self._day_key(ts_ns), close)

    def value_at_risk(self, exposure: Mapping[InstrumentId, Decimal]) -> dict[str, Decimal]:
        """One-day historical VaR and CVaR of ``exposure`` (signed base-currency values);
        empty until the window holds two complete days."""
        window = self._window
        if window is None:
            return {}
        returns = window.returns()
        if returns.shape[0] < 2:
            return {}
        weights = np.array([float(exposure.get(i, 0)) for i in window.instruments])
        estimate = historical_var(weights, returns, confidence=self._confidence)
        return {"var": Decimal(repr(estimate.var)), "cvar": Decimal(repr(estimate.cvar))}

    def metrics(self, exposure: Mapping[InstrumentId, Decimal] | None = None) -> dict[str, Decimal]:
        snapshot = self.monitor.snapshot
        if snapshot is None:
            return {}
        return {
            **self.value_at_risk(exposure or {}),
            "equity": snapshot.equity,
            "peak": snapshot.peak,
            "drawdown": snapshot.drawdown,
            "max_drawdown": snapshot.max_drawdown,
            "daily_loss": snapshot.daily_loss,
            "kill_switch": Decimal(1 if self.tripped else 0),
        }

    async def publish_metrics(self, exposure: Mapping[InstrumentId, Decimal] | None = None) -> None:
        metrics = self.metrics(exposure)
        if not metrics:
            return
        now = self._clock.now_ns()
        await self._publish(
            RiskMetricsUpdated(base_currency=self._base, metrics=metrics, ts_event=now, ts_init=now)
        )

    async def _kill(self, decision: KillSwitchDecision) -> None:
        self.kill_reason = decision.reason
        now = self._clock.now_ns()
        await self._publish(
            RiskLimitBreached(
                rule=f"{RULE}.{decision.rule}",
                limit=decision.limit,
                value=decision.value,
                scope="account",
                action="kill_switch: entries canceled, strategies reduce-only",
                ts_event=now,
                ts_init=now,
            )
        )
        await self._alert(Severity.CRITICAL, decision.rule, decision.reason, decision.value)
        await self._on_kill(decision.reason)

    async def _alert(
        self, severity: Severity, rule: str, reason: str, value: Decimal | None
    ) -> None:
        now = self._clock.now_ns()
        figures = {} if value is None else {"value": value}
        alert = RiskAlertRaised(
            severity=severity,
            rule=f"{RULE}.{rule}",
            message=reason,
            figures=figures,
            ts_event=now,
            ts_init=now,
        )
        self.alerts.append(alert)
        await self._publish(alert)
