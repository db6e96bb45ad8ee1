"""Wiring of the persisted kill switch: ``jts risk kill|release|status`` and the live node.

``kill_switch(database)`` is the risk context's ``KillSwitch`` over the SQL store, on the
wall clock; ``build_live`` hands it to the node. The CLI's calls (``engage``, ``release``,
``status``) open the transactional store of the settings, write or read the switch of one
account and close it again, whether or not a node runs on that account: a running node reads
the store every second and follows.

They refuse, with what to do, a store that was never created (``jts db upgrade`` or a first
``jts up --paper``) and an account the store has never seen (a typo in ``--account`` must
not look like a successful kill). A store at an older revision is migrated first, as every
JTS process does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from jts.adapters.clock import LiveClock
from jts.adapters.sql.kill_switches import SqlKillSwitchStore
from jts.adapters.sql.paper_accounts import SqlAccountStore
from jts.bootstrap.database import Database, database_revision, display_url, open_database
from jts.bootstrap.settings import Settings
from jts.contexts.risk.application.kill_switch import (
    KillSwitch,
    KillSwitchChange,
    KillSwitchSource,
    KillSwitchState,
)
from jts.shared_kernel.clock import ns_to_datetime
from jts.shared_kernel.errors import ConfigurationError


def kill_switch(database: Database) -> KillSwitch:
    """The kill switches of ``database``, stamped with wall time."""
    return KillSwitch(SqlKillSwitchStore(database.engine), clock=LiveClock())


def engage(settings: Settings, account_id: str, *, reason: str, by: str) -> KillSwitchChange:
    """Engage the switch of ``account_id`` by hand (``jts risk kill``)."""
    with _account_switch(settings, account_id) as switch:
        return switch.engage(account_id, source=KillSwitchSource.MANUAL, reason=reason, by=by)


def release(settings: Settings, account_id: str, *, reason: str, by: str) -> KillSwitchChange:
    """Release the switch of ``account_id`` (``jts risk release``)."""
    with _account_switch(settings, account_id) as switch:
        return switch.release(account_id, reason=reason, by=by)


def status(settings: Settings, account_id: str) -> KillSwitchState:
    """The switch of ``account_id`` as stored (``jts risk status``)."""
    with _account_switch(settings, account_id) as switch:
        return switch.state(account_id)


@contextmanager
def _account_switch(settings: Settings, account_id: str) -> Iterator[KillSwitch]:
    where = display_url(settings)
    if database_revision(settings) is None:
        raise ConfigurationError(
            f"no JTS database at {where} yet, so no account to switch: create it with "
            "`jts db upgrade` (or run `jts up --paper` once), or point JTS_DATABASE__URL at "
            "the store the node uses"
        )
    with open_database(settings) as database:
        switch = kill_switch(database)
        known = SqlAccountStore(database.engine).load(account_id)
        if not known and switch.state(account_id).updated_ns == 0:
            raise ConfigurationError(
                f"no account {account_id!r} in {where}: check --account (the paper account "
                "of `jts up --paper --account NAME`, default 'paper')"
            )
        yield switch


def as_document(state: KillSwitchState) -> dict[str, object]:
    """``state`` for ``jts risk status --json`` (times as ISO 8601 UTC)."""
    return {
        "account": state.account_id,
        "engaged": state.engaged,
        "source": None if state.source is None else state.source.value,
        "reason": state.reason,
        "engaged_by": state.engaged_by,
        "engaged_at": _iso(state.engaged_at_ns),
        "released_at": _iso(state.released_at_ns),
        "released_by": state.released_by,
        "release_reason": state.release_reason,
    }


def _iso(ts_ns: int | None) -> str | None:
    if ts_ns is None:
        return None
    return ns_to_datetime(ts_ns).isoformat(timespec="seconds").replace("+00:00", "Z")
