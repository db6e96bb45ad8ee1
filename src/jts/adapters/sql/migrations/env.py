"""Alembic environment: migrate the connection handed over by ``upgrade()``.

``jts.adapters.sql.migrations.upgrade`` opens the transaction and passes its connection in
``config.attributes["connection"]``. Run from the ``alembic`` command line (to write a new
revision), the URL comes from ``-x url=...``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from jts.adapters.sql.engine import build_engine
from jts.adapters.sql.tables import metadata
from jts.shared_kernel.errors import ConfigurationError


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
        transactional_ddl=True,  # SQLite too: the engine emits BEGIN itself (see engine.py)
    )
    with context.begin_transaction():
        context.run_migrations()


def _url_from_command_line() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise ConfigurationError("give the database with -x url=sqlite:///path/jts.sqlite3")
    return url


def _run_offline() -> None:
    context.configure(url=_url_from_command_line(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = build_engine(_url_from_command_line())
    try:
        with engine.begin() as own_connection:
            _run(own_connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    _run_offline()
else:
    _run_online()
