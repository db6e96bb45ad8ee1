"""``SqlKillSwitchStore``: the kill switch of each account in the transactional store.

One row per account in ``kill_switches`` (registered on the one ``MetaData`` of ``tables``,
which imports this module; created by migration ``0004``): engaged or not, the source
(``drawdown``, ``daily_loss``, ``manual``) and reason of the engagement, who engaged it and
when, who released it, when and why. ``save`` replaces the row in one transaction; the live
node and ``jts risk`` read and write it from different processes, the latest write wins
(the ``KillSwitch`` service keeps the first reason of an engaged switch). Database failures
leave as ``StoreError``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Engine, String, Table, Text, select
from sqlalchemy.exc import SQLAlchemyError

from jts.adapters.sql.errors import StoreError, describe
from jts.adapters.sql.rows import upsert
from jts.adapters.sql.tables import metadata
from jts.contexts.risk.application.kill_switch import KillSwitchSource, KillSwitchState

kill_switches = Table(
    "kill_switches",
    metadata,
    Column("account_id", String(64), primary_key=True),
    Column("engaged", Boolean, nullable=False),
    Column("source", String(16)),
    Column("reason", Text, nullable=False),
    Column("engaged_by", String(128), nullable=False),
    Column("engaged_at_ns", BigInteger),
    Column("released_at_ns", BigInteger),
    Column("released_by", String(128), nullable=False),
    Column("release_reason", Text, nullable=False),
    Column("updated_ns", BigInteger, nullable=False),
)

_KEY = ("account_id",)


class SqlKillSwitchStore:
    """``KillSwitchStore`` (``contexts.risk.application.kill_switch``) over SQLite/PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def load(self, account_id: str) -> KillSwitchState | None:
        query = select(kill_switches).where(kill_switches.c.account_id == account_id)
        try:
            with self._engine.connect() as connection:
                row = connection.execute(query).mappings().first()
        except SQLAlchemyError as e:
            raise StoreError(
                f"reading the kill switch of {account_id} failed: {describe(e)}"
            ) from e
        return None if row is None else _state(row)

    def save(self, state: KillSwitchState) -> None:
        row = {
            "account_id": state.account_id,
            "engaged": state.engaged,
            "source": None if state.source is None else state.source.value,
            "reason": state.reason,
            "engaged_by": state.engaged_by,
            "engaged_at_ns": state.engaged_at_ns,
            "released_at_ns": state.released_at_ns,
            "released_by": state.released_by,
            "release_reason": state.release_reason,
            "updated_ns": state.updated_ns,
        }
        try:
            with self._engine.begin() as connection:
                upsert(connection, kill_switches, row, _KEY)
        except SQLAlchemyError as e:
            raise StoreError(
                f"saving the kill switch of {state.account_id} failed and was rolled back: "
                f"{describe(e)}"
            ) from e


def _state(row: Any) -> KillSwitchState:
    source = row["source"]
    return KillSwitchState(
        account_id=row["account_id"],
        engaged=bool(row["engaged"]),
        source=None if source is None else KillSwitchSource(source),
        reason=row["reason"],
        engaged_by=row["engaged_by"],
        engaged_at_ns=row["engaged_at_ns"],
        released_at_ns=row["released_at_ns"],
        released_by=row["released_by"],
        release_reason=row["release_reason"],
        updated_ns=row["updated_ns"],
    )
