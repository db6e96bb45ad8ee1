"""Wiring of the transactional store: from ``Settings`` (or a URL) to units of work.

Entry points reach the store only through here. ``open_database(settings)`` returns a
``Database`` whose ``unit_of_work()`` makes a fresh ``SqlUnitOfWork`` (it satisfies the
trading, portfolio, strategy and platform unit-of-work ports); ``upgrade_database`` and
``database_revision`` run and report migrations; ``in_memory_store()`` is the same ports
without a database, for backtests.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from jts.adapters.sql import migrations
from jts.adapters.sql.engine import build_engine, parse_database_url
from jts.adapters.sql.memory import InMemoryStore
from jts.adapters.sql.unit_of_work import SqlUnitOfWork
from jts.bootstrap.secrets import mask_url
from jts.bootstrap.settings import Settings


@dataclass(frozen=True)
class Database:
    """An open transactional store. Call ``close()`` (or use ``with``) when done."""

    url: str
    engine: Engine

    def unit_of_work(self) -> SqlUnitOfWork:
        """A new unit of work; use it as ``with database.unit_of_work() as uow: ...``."""
        return SqlUnitOfWork(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Database(url={mask_url(self.url)!r})"


def database_url(source: Settings | str) -> str:
    """The store's URL: ``settings.database.url``, or ``source`` itself when it is a URL."""
    return source if isinstance(source, str) else source.database.url


def open_database(source: Settings | str, *, migrate: bool = True) -> Database:
    """Connect to the store; with ``migrate`` (the default) bring its schema up to date."""
    url = database_url(source)
    engine = build_engine(url)
    if migrate:
        migrations.upgrade(engine)
    return Database(url=url, engine=engine)


def upgrade_database(source: Settings | str) -> str | None:
    """Migrate the store to the newest revision; returns the revision it is at afterwards."""
    return migrations.upgrade(database_url(source))


def database_revision(source: Settings | str) -> str | None:
    """The store's current revision, ``None`` when it was never migrated."""
    return migrations.current(database_url(source))


def head_revision() -> str:
    """The newest revision this version of JTS ships."""
    return migrations.head()


def display_url(source: Settings | str) -> str:
    """The store's URL fit for printing: normalised, password masked."""
    return mask_url(parse_database_url(database_url(source)).render_as_string(False))


def in_memory_store() -> InMemoryStore:
    """A store without a database: ``store.unit_of_work()`` gives the same ports."""
    return InMemoryStore()
