"""Schema migrations, run programmatically: no ``alembic.ini`` is needed at run time.

``upgrade(target)`` brings a database (an ``Engine`` or a URL) to the newest revision and
returns it; running it again changes nothing. ``current(target)`` is the revision a database
is at (``None`` when it was never migrated) and ``head()`` the newest revision shipped.
Everything Alembic reads (``env.py``, ``script.py.mako``, ``versions/``) lives in this
package, found by path, so it works from a checkout, a wheel or any working directory.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from jts.adapters.sql.engine import build_engine
from jts.adapters.sql.errors import StoreError, describe

MIGRATIONS_DIR = Path(__file__).resolve().parent
# Any constant works; it only has to be the same in every JTS process.
_POSTGRES_MIGRATION_LOCK = 0x4A54_5301


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic ``Config`` for this package, migrating ``connection`` when given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision this version of JTS ships."""
    revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if revision is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR / 'versions'}")
    return revision


def current(target: Engine | str) -> str | None:
    """The revision the database is at; ``None`` if it was never migrated."""
    engine, owned = _engine(target)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as e:
        raise StoreError(f"cannot read the schema revision: {describe(e)}") from e
    finally:
        if owned:
            engine.dispose()


def upgrade(target: Engine | str, revision: str = "head") -> str | None:
    """Migrate the database to ``revision`` in one transaction; return where it ends up.

    On PostgreSQL an advisory lock keeps concurrent starters from migrating twice; on SQLite
    the transaction's ``BEGIN IMMEDIATE`` does the same.
    """
    engine, owned = _engine(target)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                lock = text("SELECT pg_advisory_xact_lock(:key)")
                connection.execute(lock, {"key": _POSTGRES_MIGRATION_LOCK})
            command.upgrade(alembic_config(connection), revision)
            return MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as e:
        raise StoreError(f"migrating the database failed and was rolled back: {describe(e)}") from e
    finally:
        if owned:
            engine.dispose()


def _engine(target: Engine | str) -> tuple[Engine, bool]:
    if isinstance(target, Engine):
        return target, False
    return build_engine(target), True
