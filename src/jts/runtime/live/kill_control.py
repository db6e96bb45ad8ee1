"""``KillSwitchControl``: the live node's side of the persisted kill switch.

The switch of the account lives in a ``KillSwitchStore`` (``contexts.risk.application.
kill_switch``), shared with ``jts risk kill|release`` in other processes. The control keeps
the node in step with it:

- ``restore`` (at start): an engaged switch halts the node before the first event: entry
  orders canceled, strategies reduce-only, and a ``RiskAlertRaised`` (CRITICAL) says the
  switch is still engaged and how to release it. A restart never resumes trading silently.
- ``on_breach`` (the drawdown guard tripped): the engagement is saved with its source
  (``drawdown`` or ``daily_loss``) and reason, then the node halts. Should the store fail,
  the node halts anyway and logs it: stopping is the safe side.
- ``poll`` (every second of wall time, from the node's supervisor task): an engagement made
  elsewhere halts the node, with ``RiskLimitBreached`` (``kill_switch.<source>``, scope
  ``account``) and a CRITICAL alert carrying the operator's reason; a release lifts
  reduce-only, re-opens the lanes, restarts the drawdown monitor from the current equity
  and raises an INFO alert. A store that cannot be read is logged and tried again next time.

``halted_at_ns`` is the node's (market) time at which the halt took effect, for the summary.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from decimal import Decimal

from jts.contexts.risk.application.kill_switch import (
    KillSwitch,
    KillSwitchSource,
    KillSwitchState,
    source_of_rule,
)
from jts.messages.base import Message
from jts.messages.enums import Severity
from jts.messages.risk import RiskAlertRaised, RiskLimitBreached
from jts.runtime.live.risk_guard import RiskGuard
from jts.runtime.live.strategy_engine import LiveStrategyEngine
from jts.runtime.live.trading_desk import TradingDesk
from jts.shared_kernel.clock import Clock, ns_to_datetime
from jts.shared_kernel.errors import JtsError

_log = logging.getLogger(__name__)
Publish = Callable[[Message], Awaitable[None]]
RULE = "kill_switch"
GUARD = "risk guard"
HOW_TO_RELEASE = "release it with `jts risk release --reason TEXT` once it is safe"


class KillSwitchControl:
    """Keeps the node halted exactly while the stored switch is engaged."""

    def __init__(
        self,
        *,
        switch: KillSwitch,
        account_id: str,
        engine: LiveStrategyEngine,
        desk: TradingDesk,
        guard: RiskGuard,
        publish: Publish,
        clock: Clock,
    ) -> None:
        self._switch = switch
        self.account_id = account_id
        self._engine = engine
        self._desk = desk
        self._guard = guard
        self._publish = publish
        self._clock = clock
        self.state = KillSwitchState(account_id=account_id)
        self.halted = False
        self.halted_at_ns: int | None = None

    async def restore(self) -> None:
        """At start: an engaged switch halts the node at once."""
        state = self._switch.state(self.account_id)
        self.state = state
        if not state.engaged:
            return
        await self._halt(state.reason)
        since = "" if state.engaged_at_ns is None else f" since {_wall(state.engaged_at_ns)}"
        await self._alert(
            Severity.CRITICAL,
            state,
            f"kill switch engaged{since} ({state.source}): {state.reason}; trading stays "
            f"halted (reduce-only); {HOW_TO_RELEASE}",
        )

    async def on_breach(self, rule: str, reason: str) -> None:
        """The drawdown guard tripped: save the engagement, then halt."""
        try:
            change = self._switch.engage(
                self.account_id, source=source_of_rule(rule), reason=reason, by=GUARD
            )
            self.state = change.state
        except JtsError as e:
            _log.error("the kill switch could not be saved (halting anyway): %s", e)
        await self._halt(reason)

    async def poll(self) -> None:
        """Follow an engagement or a release made elsewhere (``jts risk``)."""
        try:
            state = self._switch.state(self.account_id)
        except JtsError as e:
            _log.error("reading the kill switch failed (trying again): %s", e)
            return
        self.state = state
        if state.engaged and not self.halted:
            await self._engaged_elsewhere(state)
        elif not state.engaged and self.halted:
            await self._released(state)

    async def _engaged_elsewhere(self, state: KillSwitchState) -> None:
        now = self._clock.now_ns()
        source = state.source or KillSwitchSource.MANUAL
        await self._publish(
            RiskLimitBreached(
                rule=f"{RULE}.{source}",
                limit=Decimal(0),
                value=Decimal(1),
                scope="account",
                action="kill_switch: entries canceled, strategies reduce-only",
                ts_event=now,
                ts_init=now,
            )
        )
        by = f" by {state.engaged_by}" if state.engaged_by else ""
        await self._alert(
            Severity.CRITICAL, state, f"kill switch engaged{by} ({source}): {state.reason}"
        )
        await self._halt(state.reason)

    async def _released(self, state: KillSwitchState) -> None:
        self.halted = False
        self.halted_at_ns = None
        self._engine.reduce_only = False
        self._desk.resume()
        self._guard.release()
        await self._alert(
            Severity.INFO,
            state,
            f"kill switch released by {state.released_by or 'an operator'}: "
            f"{state.release_reason}; entries resume",
        )

    async def _halt(self, reason: str) -> None:
        if self.halted:
            return
        self.halted = True
        self.halted_at_ns = self._clock.now_ns()
        self._engine.reduce_only = True
        await self._desk.halt(reason)

    async def _alert(self, severity: Severity, state: KillSwitchState, message: str) -> None:
        now = self._clock.now_ns()
        alert = RiskAlertRaised(
            severity=severity,
            rule=f"{RULE}.{state.source or KillSwitchSource.MANUAL}",
            message=message,
            ts_event=now,
            ts_init=now,
        )
        self._guard.alerts.append(alert)
        await self._publish(alert)


def _wall(ts_ns: int) -> str:
    return ns_to_datetime(ts_ns).isoformat(timespec="seconds").replace("+00:00", "Z")
