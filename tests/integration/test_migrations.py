"""Migrations on real SQLite and PostgreSQL: empty -> head, idempotent, equal to tables.py."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Engine, Integer, MetaData, inspect, make_url, text

from jts.adapters.sql.engine import build_engine
from jts.adapters.sql.errors import StoreError
from jts.adapters.sql.migrations import alembic_config, current, head, upgrade
from jts.adapters.sql.tables import metadata
from jts.adapters.sql.unit_of_work import SqlUnitOfWork
from jts.bootstrap.database import open_database
from tests.services import postgres_url


def in_schema(url: str, schema: str) -> str:
    """``url`` with PostgreSQL's search path set to ``schema`` (tables are created there)."""
    parsed = make_url(url)
    options = f"{parsed.query.get('options', '')} -csearch_path={schema}".strip()
    return parsed.update_query_dict({"options": options}).render_as_string(False)


TABLES = {
    "orders",
    "fills",
    "positions",
    "strategies",
    "strategy_versions",
    "users",
    "audit_log",
    "config_entries",
    "feature_flags",
    "kill_switches",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'nested' / 'jts.sqlite3'}"
        return
    base_url = postgres_url()
    schema = f"migrations_{uuid.uuid4().hex[:12]}"
    admin = build_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield in_schema(base_url, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = build_engine(database_url)
    yield engine
    engine.dispose()


def schema_differences(engine: Engine, target: MetaData) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, target))


def test_upgrade_takes_an_empty_database_to_head(database_url: str, engine: Engine) -> None:
    assert current(database_url) is None

    reached = upgrade(database_url)

    assert reached == head()
    assert current(engine) == head()
    assert set(inspect(engine).get_table_names()) >= TABLES


def test_a_second_upgrade_changes_nothing_and_keeps_data(engine: Engine) -> None:
    upgrade(engine)
    with SqlUnitOfWork(engine) as uow:
        uow.config.set("k", "v", updated_ns=1, updated_by="test")
        uow.commit()

    again = upgrade(engine)

    assert again == head()
    with SqlUnitOfWork(engine) as uow:
        entry = uow.config.get("k")
    assert entry is not None
    assert entry.value == "v"


def test_the_migrated_schema_equals_the_tables_module(engine: Engine) -> None:
    upgrade(engine)

    assert schema_differences(engine, metadata) == []


def test_the_schema_comparison_does_notice_drift(engine: Engine) -> None:
    upgrade(engine)
    drifted = MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.sorted_tables:
        table.to_metadata(drifted)
    drifted.tables["orders"].append_column(Column("extra", Integer))

    differences = schema_differences(engine, drifted)

    assert [difference[0] for difference in differences] == ["add_column"]  # type: ignore[index]


def test_downgrade_to_base_removes_every_table(engine: Engine) -> None:
    upgrade(engine)

    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")

    assert current(engine) is None
    assert not TABLES & set(inspect(engine).get_table_names())


def test_open_database_migrates_on_the_way_in(database_url: str) -> None:
    with open_database(database_url) as database:
        assert current(database.engine) == head()
        with database.unit_of_work() as uow:
            assert uow.orders.list_open() == []


def test_a_database_never_shows_its_password() -> None:
    url = "postgresql+psycopg://jts:secret-pw@127.0.0.1:1/jts"

    with open_database(url, migrate=False) as database:
        shown = repr(database)

    assert "secret-pw" not in shown
    assert "jts:**********@127.0.0.1:1/jts" in shown


def test_an_unreachable_server_is_a_store_error() -> None:
    url = "postgresql+psycopg://jts:secret-pw@127.0.0.1:1/jts?connect_timeout=2"

    with pytest.raises(StoreError, match="schema revision") as raised:
        current(url)

    assert "secret-pw" not in str(raised.value)
