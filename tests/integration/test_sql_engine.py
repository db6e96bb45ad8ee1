"""The SQLite engine's settings and the store's failure modes, on real files."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine

from jts.adapters.sql.engine import SQLITE_BUSY_TIMEOUT_MS, build_engine, parse_database_url
from jts.adapters.sql.errors import StoreError
from jts.adapters.sql.migrations import upgrade
from jts.adapters.sql.unit_of_work import SqlUnitOfWork
from jts.shared_kernel.errors import ConfigurationError


def pragma(engine: Engine, name: str) -> object:
    with engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_sqlite_runs_in_wal_mode_with_durable_commits_and_foreign_keys(tmp_path: Path) -> None:
    engine = build_engine(f"sqlite:///{tmp_path / 'deep' / 'dir' / 'jts.sqlite3'}")
    try:
        settings = {
            name: pragma(engine, name)
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    finally:
        engine.dispose()

    assert settings == {
        "journal_mode": "wal",
        "synchronous": 2,  # FULL
        "foreign_keys": 1,
        "busy_timeout": SQLITE_BUSY_TIMEOUT_MS,
    }
    assert (tmp_path / "deep" / "dir" / "jts.sqlite3").exists()


def test_a_sqlite_unit_of_work_holds_the_write_lock_until_it_ends(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jts.sqlite3'}"
    upgrade(url)
    engine = build_engine(url)
    events: list[str] = []
    first_open = threading.Event()

    def second_writer() -> None:
        first_open.wait()
        with SqlUnitOfWork(engine) as uow:
            events.append("second began")
            uow.config.set("k", "second", updated_ns=2, updated_by="b")
            uow.commit()

    thread = threading.Thread(target=second_writer)
    thread.start()
    try:
        with SqlUnitOfWork(engine) as uow:
            first_open.set()
            thread.join(timeout=0.3)  # the second writer must be waiting on BEGIN IMMEDIATE
            events.append("first commits")
            uow.config.set("k", "first", updated_ns=1, updated_by="a")
            uow.commit()
        thread.join(timeout=10)
        with SqlUnitOfWork(engine) as uow:
            final = uow.config.get("k")
    finally:
        engine.dispose()

    assert events == ["first commits", "second began"]
    assert final is not None
    assert final.value == "second"


def test_in_memory_sqlite_works_for_single_threaded_use() -> None:
    engine = build_engine("sqlite://")
    try:
        upgrade(engine)
        with SqlUnitOfWork(engine) as uow:
            uow.flags.set("x", True, updated_ns=1, updated_by="t")
            uow.commit()
        with SqlUnitOfWork(engine) as uow:
            assert uow.flags.is_enabled("x")
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg"),
        ("postgres://u@h/db", "postgresql+psycopg"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg"),
        ("sqlite:///x.db", "sqlite"),
    ],
)
def test_urls_are_normalised_to_supported_drivers(url: str, expected: str) -> None:
    assert parse_database_url(url).drivername == expected


@pytest.mark.parametrize("url", ["mysql://u@h/db", "not a url", "oracle://x"])
def test_unsupported_urls_are_configuration_errors(url: str) -> None:
    with pytest.raises(ConfigurationError, match="sqlite:///"):
        parse_database_url(url)


def test_a_failing_statement_leaves_the_block_as_store_error(tmp_path: Path) -> None:
    engine = build_engine(f"sqlite:///{tmp_path / 'unmigrated.sqlite3'}")
    try:
        with (
            pytest.raises(StoreError, match="no such table") as raised,
            SqlUnitOfWork(engine) as uow,
        ):
            uow.config.get("k")
    finally:
        engine.dispose()

    assert raised.value.__context__ is not None
