"""Build a configured SQLAlchemy ``Engine`` from a database URL.

SQLite (the default, ``sqlite:///path/jts.sqlite3``):

- WAL journal, so readers never block the writer and a crash never corrupts the file;
- ``synchronous=FULL``: a commit is on disk before ``commit()`` returns (an order recorded
  before it is sent must survive a power cut, not only a process crash);
- ``busy_timeout``: a writer waits for the lock instead of failing at once;
- foreign keys enforced (SQLite leaves them off by default);
- every transaction starts with ``BEGIN IMMEDIATE``: it takes the write lock up front, so
  transactions run one after another (serializable) and a read-then-write never fails
  half-way with "database is locked". SQLAlchemy's documented recipe: the driver's own
  transaction handling is switched off and SQLAlchemy emits the ``BEGIN``. Consequence: a
  thread must not open a second unit of work while its first is open (the second waits for
  the busy timeout, then fails).

PostgreSQL (``postgresql://`` or ``postgresql+psycopg://``) goes through psycopg 3 at READ
COMMITTED; concurrent writers are kept apart by optimistic versions and row locks in the
repositories. Put ``?options=-csearch_path%3Dmyschema`` in the URL to use another schema.

Statement parameters are hidden from logs and error messages (``hide_parameters``): they can
hold password hashes and account numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from jts.shared_kernel.errors import ConfigurationError

SQLITE_BUSY_TIMEOUT_MS = 30_000
SUPPORTED = "sqlite:///path/to/jts.sqlite3 or postgresql+psycopg://user:password@host/db"


def parse_database_url(url: str | URL) -> URL:
    """Parse and normalise a URL: bare ``postgresql://`` means psycopg 3."""
    try:
        parsed = make_url(url)
    except ArgumentError as e:
        raise ConfigurationError(f"database URL is not valid; expected {SUPPORTED}") from e
    if parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigurationError(
            f"database URL scheme {parsed.drivername!r} is not supported; use {SUPPORTED}"
        )
    return parsed


def build_engine(url: str | URL, *, echo: bool = False) -> Engine:
    """An engine for ``url`` configured as described in this module's docstring."""
    parsed = parse_database_url(url)
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, echo=echo, pool_pre_ping=True, hide_parameters=True)
    return _sqlite_engine(parsed, echo=echo)


def _sqlite_engine(url: URL, *, echo: bool) -> Engine:
    database = url.database or ""
    in_memory = database in ("", ":memory:") or url.query.get("mode") == "memory"
    options: dict[str, Any] = {"echo": echo, "hide_parameters": True}
    if in_memory:
        # One shared connection, or every checkout would see a different empty database.
        options.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **options)
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (_begin_immediate)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")
