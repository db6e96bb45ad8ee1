"""``RiskGuard``: the drawdown kill switch and the risk figures of the live account.

Each equity observation (the node sends one after every bar) goes to the risk context's
``DrawdownMonitor``. Its decisions become events and actions:

- ``DrawdownWarning`` -> ``RiskAlertRaised`` (WARNING);
- ``KillSwitchDecision`` -> ``RiskLimitBreached`` (action ``kill_switch``) and
  ``RiskAlertRaised`` (CRITICAL), then ``on_kill(reason)``: the node cancels entry orders
  and moves every strategy to reduce-only. The switch latches until a person resets it;
- ``DrawdownRecovered`` -> ``RiskAlertRaised`` (INFO).

The guard is also risk's ``RiskStateView`` for the pre-trade gate: ``day_loss`` (the day's
opening and latest equity, from the monitor) and ``var_model``.

VaR. The node feeds every bar's close to a ``ReturnsWindow`` of daily closes (KST days,
``record_close``). ``var_model()`` fits a ``VarModel`` on the window's *settled* days (today
joins once tomorrow begins, so a scenario is never a partial day) and keeps it until the
window settles another day: the historical scenarios, the sample moments and ``var_paths``
Monte Carlo draws from a generator seeded with ``var_seed`` (the same window gives the same
draws). Until ``var_min_days`` return days are settled there is no model: no VaR figures,
and the gate's VaR budget passes. Every query after a fit is a matrix-vector product.

``metrics()`` gives equity, peak, drawdown, worst drawdown, the day's loss (a fraction of
the day's opening equity), ``kill_switch`` (1 when tripped) and, with a model, the one-day
VaR and CVaR of the positions held by three methods at 95% and 99%: keys
``<var|cvar>_<hist|param|mc>_<95|99>`` (``var_hist_99``, ``cvar_mc_95``, ...; see
``risk.domain.var.figures``), plus ``var`` and ``cvar``, the historical figures at
``var_confidence``. ``publish_metrics`` publishes them as ``RiskMetricsUpdated``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from decimal import Decimal

import numpy as np

from jts.contexts.risk.domain.checks_market import DayLoss
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
from jts.contexts.risk.domain.var import (
    CONFIDENCES,
    ReturnsWindow,
    VarMethod,
    VarModel,
    figure_key,
    var_figures,
)
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
        var_min_days: int = 2,
        var_paths: int = 10_000,
        var_seed: int = 0,
    ) -> None:
        self._day_key = fixed_offset_day_key(KST_OFFSET_S)
        self.monitor = DrawdownMonitor(limits, day_key=self._day_key)
        self._window = ReturnsWindow(instruments, days=var_days) if instruments else None
        self._window_instruments = frozenset(instruments)
        self._confidence = var_confidence
        self._min_days = max(var_min_days, 2)
        self._paths = var_paths
        self._seed = var_seed
        self._model: VarModel | None = None
        self._fitted_at = -1
        self._publish = publish
        self._clock = clock
        self._on_kill = on_kill
        self._base = base_currency
        self.alerts: list[RiskAlertRaised] = []
        self.kill_reason: str | None = None
        self.kill_rule: str | None = None

    @property
    def tripped(self) -> bool:
        return self.monitor.state is DrawdownState.BREACHED

    def release(self) -> None:
        """The kill switch was released: the monitor starts over, the current equity its
        new peak (the same loss does not trip it again)."""
        self.monitor.reset(rebase=True)
        self.kill_reason = self.kill_rule = None

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

    def var_model(self) -> VarModel | None:
        """The VaR model of the settled days (see the module docstring)."""
        window = self._window
        if window is None:
            return None
        if window.settled_revision != self._fitted_at:
            self._fitted_at = window.settled_revision
            returns = window.settled_returns()
            self._model = None
            if returns.shape[0] >= self._min_days:
                rng = np.random.default_rng(self._seed)
                self._model = VarModel.fit(window.instruments, returns, rng=rng, paths=self._paths)
        return self._model

    def day_loss(self, ts_ns: int) -> DayLoss | None:
        """The day's opening and latest equity, if the monitor has seen the day of ``ts_ns``."""
        snapshot = self.monitor.snapshot
        if snapshot is None or self._day_key(snapshot.ts_ns) != self._day_key(ts_ns):
            return None
        return DayLoss(day_open=snapshot.day_open, equity=snapshot.equity)

    def value_at_risk(self, exposure: Mapping[InstrumentId, Decimal]) -> dict[str, Decimal]:
        """One-day VaR and CVaR of ``exposure`` (signed base-currency values) by every method
        at 95% and 99%, and ``var``/``cvar`` at ``var_confidence``; empty without a model."""
        model = self.var_model()
        if model is None:
            return {}
        known = {i: v for i, v in exposure.items() if i in self._window_instruments}
        weights = model.positions_vector(known)
        confidences = sorted({*CONFIDENCES, self._confidence})
        figures = var_figures(model, weights, confidences)
        result = {key: Decimal(repr(value)) for key, value in figures.items()}
        result["var"] = result[figure_key("var", VarMethod.HISTORICAL, self._confidence)]
        result["cvar"] = result[figure_key("cvar", VarMethod.HISTORICAL, self._confidence)]
        return result

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
        self.kill_reason, self.kill_rule = decision.reason, decision.rule
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
