"""The kill switch as state: engaged or released, per account, kept in a store.

The drawdown guard trips it, an operator engages or releases it from the command line
(``jts risk kill|release``), and a live node reads it on start and while it runs. So it is
not a latch in one process's memory but one record per account in a ``KillSwitchStore``:
whether it is engaged, from which source (``drawdown``, ``daily_loss``, ``manual``) and why,
when, and who released it and why.

``KillSwitch`` decides the transitions:

- ``engage`` on a released (or never used) switch records the new engagement; on an engaged
  one it changes nothing and reports ``already engaged``: the first reason stays, so a
  second breach or a second operator cannot hide why trading stopped;
- ``release`` on an engaged switch records who released it and why; on a released one it
  changes nothing;
- ``state`` is the stored record, or a released one for an account never switched.

Every change is saved before it is returned, so whoever acts on a ``KillSwitchChange``
acts on state that is already persisted. ``MemoryKillSwitchStore`` keeps the records in a
dict, for a node without a database and for tests.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

import msgspec

from jts.shared_kernel.clock import Clock
from jts.shared_kernel.errors import DomainError


class KillSwitchSource(StrEnum):
    """What engaged the switch."""

    DRAWDOWN = "drawdown"
    DAILY_LOSS = "daily_loss"
    MANUAL = "manual"


class KillSwitchState(msgspec.Struct, frozen=True, kw_only=True):
    """The switch of one account, as stored (times are UNIX nanoseconds, wall time)."""

    account_id: str
    engaged: bool = False
    source: KillSwitchSource | None = None
    reason: str = ""
    engaged_by: str = ""
    engaged_at_ns: int | None = None
    released_at_ns: int | None = None
    released_by: str = ""
    release_reason: str = ""
    updated_ns: int = 0


class KillSwitchChange(msgspec.Struct, frozen=True, kw_only=True):
    """What an ``engage`` or ``release`` did: the state after it and whether it changed."""

    state: KillSwitchState
    changed: bool

    @property
    def summary(self) -> str:
        """One line for an operator: what the switch is now and why."""
        state = self.state
        if state.engaged:
            verb = "engaged" if self.changed else "already engaged"
            return f"kill switch of {state.account_id} {verb} ({state.source}): {state.reason}"
        if not self.changed:
            return f"kill switch of {state.account_id} is not engaged; nothing to release"
        return f"kill switch of {state.account_id} released by {state.released_by}: " + (
            state.release_reason
        )


class KillSwitchStore(Protocol):
    """Where the kill switch of each account is kept."""

    def load(self, account_id: str) -> KillSwitchState | None:
        """The stored switch of ``account_id``; ``None`` if it was never switched."""
        ...

    def save(self, state: KillSwitchState) -> None:
        """Store ``state`` as the switch of ``state.account_id`` (one transaction)."""
        ...


class KillSwitch:
    """Decides and persists the transitions of the switch (see the module docstring)."""

    def __init__(self, store: KillSwitchStore, *, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    def state(self, account_id: str) -> KillSwitchState:
        return self._store.load(account_id) or KillSwitchState(account_id=account_id)

    def engage(
        self, account_id: str, *, source: KillSwitchSource, reason: str, by: str
    ) -> KillSwitchChange:
        _require(reason, "engaging")
        current = self.state(account_id)
        if current.engaged:
            return KillSwitchChange(state=current, changed=False)
        now = self._clock.now_ns()
        state = KillSwitchState(
            account_id=account_id,
            engaged=True,
            source=source,
            reason=reason,
            engaged_by=by,
            engaged_at_ns=now,
            updated_ns=now,
        )
        self._store.save(state)
        return KillSwitchChange(state=state, changed=True)

    def release(self, account_id: str, *, reason: str, by: str) -> KillSwitchChange:
        _require(reason, "releasing")
        current = self.state(account_id)
        if not current.engaged:
            return KillSwitchChange(state=current, changed=False)
        now = self._clock.now_ns()
        state = msgspec.structs.replace(
            current,
            engaged=False,
            released_at_ns=now,
            released_by=by,
            release_reason=reason,
            updated_ns=now,
        )
        self._store.save(state)
        return KillSwitchChange(state=state, changed=True)


def source_of_rule(rule: str) -> KillSwitchSource:
    """The source for a drawdown monitor's rule (``drawdown``, ``daily_loss``, ``manual``)."""
    try:
        return KillSwitchSource(rule)
    except ValueError:
        return KillSwitchSource.DRAWDOWN


def _require(reason: str, doing: str) -> None:
    if not reason.strip():
        raise DomainError(
            f"{doing} the kill switch needs a reason: say why, e.g. --reason 'broker outage'"
        )


class MemoryKillSwitchStore:
    """``KillSwitchStore`` in a dict (a node without a database; tests)."""

    def __init__(self) -> None:
        self.states: dict[str, KillSwitchState] = {}

    def load(self, account_id: str) -> KillSwitchState | None:
        return self.states.get(account_id)

    def save(self, state: KillSwitchState) -> None:
        self.states[state.account_id] = state
