"""Platform records that belong to no bounded context: users, the audit log, configuration
entries and feature flags, with the ports their stores implement.

The audit log is append-only and doubles as a transactional outbox: an entry is written in
the same transaction as the change it describes, so it exists if and only if the change was
committed. A relay reads ``unpublished()`` (by ``seq``), delivers the entries and calls
``mark_published``; the publication time is the only thing ever written to an existing
entry. The relay does not page by "last seq seen", because with PostgreSQL a lower ``seq``
can commit after a higher one.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Protocol, Self

import msgspec

from jts.shared_kernel.errors import DomainError


class DuplicateUser(DomainError):
    """A user with this id or username is already stored."""


class UnknownUser(DomainError, LookupError):
    """No user with this id is stored."""


class UserRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A person who can sign in. ``password_hash`` never appears in ``repr``."""

    user_id: str
    username: str
    display_name: str
    password_hash: str
    role: str
    is_active: bool = True
    created_ns: int
    updated_ns: int

    def __repr__(self) -> str:
        return (
            f"UserRecord(user_id={self.user_id!r}, username={self.username!r}, "
            f"role={self.role!r}, is_active={self.is_active}, password_hash='**********')"
        )


class AuditEntry(msgspec.Struct, frozen=True, kw_only=True):
    """Who did what to which subject, and when. ``payload`` is text, usually JSON.

    ``seq`` is assigned by the store on append (``0`` before that); ``published_ns`` is set
    once the outbox relay has delivered the entry.
    """

    seq: int = 0
    ts_ns: int
    actor: str
    action: str
    subject: str
    payload: str = ""
    correlation_id: str | None = None
    published_ns: int | None = None


class ConfigEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One runtime configuration value (text; the reader parses it)."""

    key: str
    value: str
    updated_ns: int
    updated_by: str


class FeatureFlag(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    enabled: bool
    description: str = ""
    updated_ns: int
    updated_by: str


class UserRepository(Protocol):
    def add(self, user: UserRecord) -> None:
        """Store a new user; ``DuplicateUser`` if the id or the username is taken."""
        ...

    def get(self, user_id: str) -> UserRecord | None: ...

    def get_by_username(self, username: str) -> UserRecord | None: ...

    def update(self, user: UserRecord) -> None:
        """Replace a stored user; ``UnknownUser`` if absent, ``DuplicateUser`` if the new
        username belongs to someone else."""
        ...

    def list_all(self) -> list[UserRecord]:
        """Every user, ordered by username."""
        ...


class AuditLog(Protocol):
    def append(self, entry: AuditEntry) -> AuditEntry:
        """Store the entry and return it with its ``seq`` (ascending in append order)."""
        ...

    def read(self, *, after_seq: int = 0, limit: int = 1000) -> list[AuditEntry]:
        """Entries with ``seq > after_seq``, in ``seq`` order, at most ``limit``."""
        ...

    def unpublished(self, *, limit: int = 1000) -> list[AuditEntry]:
        """Entries not yet marked published, in ``seq`` order, at most ``limit``."""
        ...

    def mark_published(self, seqs: Sequence[int], published_ns: int) -> int:
        """Mark entries as delivered; returns how many were unpublished until now."""
        ...


class ConfigStore(Protocol):
    def get(self, key: str) -> ConfigEntry | None: ...

    def set(self, key: str, value: str, *, updated_ns: int, updated_by: str) -> ConfigEntry:
        """Create or replace the value under ``key``."""
        ...

    def delete(self, key: str) -> bool:
        """Remove ``key``; ``False`` if it was not set."""
        ...

    def list_entries(self, prefix: str = "") -> list[ConfigEntry]:
        """Entries whose key starts with ``prefix``, ordered by key."""
        ...


class FeatureFlagStore(Protocol):
    def is_enabled(self, name: str, *, default: bool = False) -> bool:
        """The flag's stored state, or ``default`` when it was never set."""
        ...

    def get(self, name: str) -> FeatureFlag | None: ...

    def set(
        self,
        name: str,
        enabled: bool,
        *,
        updated_ns: int,
        updated_by: str,
        description: str | None = None,
    ) -> FeatureFlag:
        """Create or replace a flag; ``description=None`` keeps the stored description."""
        ...

    def list_flags(self) -> list[FeatureFlag]:
        """Every stored flag, ordered by name."""
        ...


class PlatformUnitOfWork(Protocol):
    """One atomic transaction over the platform stores; use it as ``with uow: ...``."""

    @property
    def users(self) -> UserRepository: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def config(self) -> ConfigStore: ...

    @property
    def flags(self) -> FeatureFlagStore: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...
