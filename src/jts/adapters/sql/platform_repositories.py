"""SQL implementations of the platform ports: users, audit log, configuration, flags."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
from sqlalchemy import ColumnElement, Connection, Select, delete, select, update

from jts.adapters.sql.errors import StoreError
from jts.adapters.sql.platform import (
    AuditEntry,
    ConfigEntry,
    DuplicateUser,
    FeatureFlag,
    UnknownUser,
    UserRecord,
)
from jts.adapters.sql.rows import from_row, insert_ignoring_conflicts, to_row, upsert
from jts.adapters.sql.tables import audit_log, config_entries, feature_flags, users


class SqlUserRepository:
    """``UserRepository`` over the ``users`` table (unique user id and username)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, user: UserRecord) -> None:
        if not insert_ignoring_conflicts(self._connection, users, to_row(user)):
            raise DuplicateUser(
                f"user {user.user_id} cannot be added: the id or the username "
                f"{user.username!r} is taken"
            )

    def get(self, user_id: str) -> UserRecord | None:
        return self._first(users.c.user_id == user_id)

    def get_by_username(self, username: str) -> UserRecord | None:
        return self._first(users.c.username == username)

    def update(self, user: UserRecord) -> None:
        holder = self.get_by_username(user.username)
        if holder is not None and holder.user_id != user.user_id:
            raise DuplicateUser(f"username {user.username!r} belongs to user {holder.user_id}")
        statement = update(users).where(users.c.user_id == user.user_id).values(to_row(user))
        if self._connection.execute(statement).rowcount != 1:
            raise UnknownUser(f"user {user.user_id} cannot be updated: it is not stored")

    def list_all(self) -> list[UserRecord]:
        rows = self._connection.execute(select(users)).mappings()
        return sorted((from_row(row, UserRecord, users) for row in rows), key=_username)

    def _first(self, condition: ColumnElement[bool]) -> UserRecord | None:
        row = self._connection.execute(select(users).where(condition)).mappings().first()
        return None if row is None else from_row(row, UserRecord, users)


def _username(user: UserRecord) -> str:
    return user.username


_APPEND_AUDIT = audit_log.insert()


class SqlAuditLog:
    """``AuditLog`` over the ``audit_log`` table; ``seq`` is its autoincrement key."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def append(self, entry: AuditEntry) -> AuditEntry:
        row = to_row(entry)
        del row["seq"]
        result = self._connection.execute(_APPEND_AUDIT, row)
        (seq,) = result.inserted_primary_key or (None,)
        if seq is None:
            raise StoreError("the database did not report the audit entry's sequence number")
        return msgspec.structs.replace(entry, seq=int(seq))

    def read(self, *, after_seq: int = 0, limit: int = 1000) -> list[AuditEntry]:
        query = select(audit_log).where(audit_log.c.seq > after_seq)
        return self._fetch(query.order_by(audit_log.c.seq).limit(limit))

    def unpublished(self, *, limit: int = 1000) -> list[AuditEntry]:
        query = select(audit_log).where(audit_log.c.published_ns.is_(None))
        return self._fetch(query.order_by(audit_log.c.seq).limit(limit))

    def mark_published(self, seqs: Sequence[int], published_ns: int) -> int:
        if not seqs:
            return 0
        statement = (
            update(audit_log)
            .where(audit_log.c.seq.in_(list(seqs)), audit_log.c.published_ns.is_(None))
            .values(published_ns=published_ns)
        )
        return int(self._connection.execute(statement).rowcount)

    def _fetch(self, query: Select[Any]) -> list[AuditEntry]:
        rows = self._connection.execute(query).mappings()
        return [from_row(row, AuditEntry, audit_log) for row in rows]


class SqlConfigStore:
    """``ConfigStore`` over the ``config_entries`` table."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, key: str) -> ConfigEntry | None:
        query = select(config_entries).where(config_entries.c.key == key)
        row = self._connection.execute(query).mappings().first()
        return None if row is None else from_row(row, ConfigEntry, config_entries)

    def set(self, key: str, value: str, *, updated_ns: int, updated_by: str) -> ConfigEntry:
        entry = ConfigEntry(key=key, value=value, updated_ns=updated_ns, updated_by=updated_by)
        upsert(self._connection, config_entries, to_row(entry), ("key",))
        return entry

    def delete(self, key: str) -> bool:
        statement = delete(config_entries).where(config_entries.c.key == key)
        return self._connection.execute(statement).rowcount == 1

    def list_entries(self, prefix: str = "") -> list[ConfigEntry]:
        query = select(config_entries).where(
            config_entries.c.key.startswith(prefix, autoescape=True)
        )
        rows = self._connection.execute(query).mappings()
        entries = (from_row(row, ConfigEntry, config_entries) for row in rows)
        return sorted(entries, key=lambda entry: entry.key)


class SqlFeatureFlagStore:
    """``FeatureFlagStore`` over the ``feature_flags`` table."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def is_enabled(self, name: str, *, default: bool = False) -> bool:
        flag = self.get(name)
        return default if flag is None else flag.enabled

    def get(self, name: str) -> FeatureFlag | None:
        query = select(feature_flags).where(feature_flags.c.name == name)
        row = self._connection.execute(query).mappings().first()
        return None if row is None else from_row(row, FeatureFlag, feature_flags)

    def set(
        self,
        name: str,
        enabled: bool,
        *,
        updated_ns: int,
        updated_by: str,
        description: str | None = None,
    ) -> FeatureFlag:
        stored = self.get(name)
        if description is None:
            description = "" if stored is None else stored.description
        flag = FeatureFlag(
            name=name,
            enabled=enabled,
            description=description,
            updated_ns=updated_ns,
            updated_by=updated_by,
        )
        upsert(self._connection, feature_flags, to_row(flag), ("name",))
        return flag

    def list_flags(self) -> list[FeatureFlag]:
        rows = self._connection.execute(select(feature_flags)).mappings()
        flags = (from_row(row, FeatureFlag, feature_flags) for row in rows)
        return sorted(flags, key=lambda flag: flag.name)
