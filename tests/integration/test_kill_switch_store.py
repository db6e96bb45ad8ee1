"""The kill switch in SQLite and PostgreSQL: saved, read back, shared between processes'
stores, and the transitions of ``KillSwitch`` on top of it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url, text

from jts.adapters.sql.engine import build_engine
from jts.adapters.sql.errors import StoreError
from jts.adapters.sql.kill_switches import SqlKillSwitchStore
from jts.adapters.sql.migrations import upgrade
from jts.contexts.risk.application.kill_switch import (
    KillSwitch,
    KillSwitchSource,
    KillSwitchState,
)
from jts.shared_kernel.clock import TestClock
from tests.services import postgres_url


def in_schema(url: str, schema: str) -> str:
    parsed = make_url(url)
    options = f"{parsed.query.get('options', '')} -csearch_path={schema}".strip()
    return parsed.update_query_dict({"options": options}).render_as_string(False)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kill.sqlite3'}"
        return
    base_url = postgres_url()
    schema = f"kill_{uuid.uuid4().hex[:12]}"
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
def engine(url: str) -> Iterator[Engine]:
    engine = build_engine(url)
    upgrade(engine)
    yield engine
    engine.dispose()


def test_an_account_never_switched_has_no_row(engine: Engine) -> None:
    assert SqlKillSwitchStore(engine).load("paper") is None


def test_a_saved_switch_reads_back_field_for_field(engine: Engine) -> None:
    store = SqlKillSwitchStore(engine)
    state = KillSwitchState(
        account_id="paper",
        engaged=True,
        source=KillSwitchSource.DAILY_LOSS,
        reason="daily_loss 3.10% reached limit 3.00% — 손실 한도",
        engaged_by="risk guard",
        engaged_at_ns=1_767_225_600_123_456_789,
        updated_ns=1_767_225_600_123_456_789,
    )

    store.save(state)

    assert store.load("paper") == state
    assert store.load("other") is None


def test_a_release_replaces_the_row_and_keeps_the_engagement(engine: Engine) -> None:
    clock = TestClock(1_000)
    switch = KillSwitch(SqlKillSwitchStore(engine), clock=clock)
    switch.engage("paper", source=KillSwitchSource.MANUAL, reason="outage", by="kim")
    clock.advance_ns(500)

    switch.release("paper", reason="venue back", by="lee")

    stored = SqlKillSwitchStore(engine).load("paper")
    assert stored is not None
    assert not stored.engaged
    assert (stored.source, stored.reason, stored.engaged_at_ns) == (
        KillSwitchSource.MANUAL,
        "outage",
        1_000,
    )
    assert (stored.released_by, stored.release_reason, stored.released_at_ns) == (
        "lee",
        "venue back",
        1_500,
    )


def test_a_kill_written_by_one_engine_is_seen_by_another(url: str, engine: Engine) -> None:
    other = build_engine(url)  # another process's connection pool
    try:
        switch = KillSwitch(SqlKillSwitchStore(other), clock=TestClock(7))
        switch.engage("paper", source=KillSwitchSource.MANUAL, reason="from the CLI", by="kim")
        again = switch.engage("paper", source=KillSwitchSource.MANUAL, reason="twice", by="x")
    finally:
        other.dispose()

    stored = KillSwitch(SqlKillSwitchStore(engine), clock=TestClock(8)).state("paper")
    assert stored.engaged
    assert stored.reason == "from the CLI"
    assert not again.changed


def test_a_store_without_the_table_is_a_store_error(tmp_path: Path) -> None:
    engine = build_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    try:
        with pytest.raises(StoreError, match="reading the kill switch of paper failed"):
            SqlKillSwitchStore(engine).load("paper")
    finally:
        engine.dispose()
