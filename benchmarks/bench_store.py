"""Transactional store throughput: one order life cycle per unit of work.

Each transaction does what the order management system does per fill: read the order,
update it under its version, store the fill (idempotent insert) and append an audit entry.
JTS's store runs against the same statements issued straight through the driver (sqlite3,
psycopg) in one run, so the ratio is the price of repositories, mappers and SQLAlchemy.
PostgreSQL runs only when reachable (``JTS_BENCH_POSTGRES_URL``, default the local test
database), in a scratch schema dropped afterwards.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec

from benchmarks.harness import Figure
from jts.adapters.sql.engine import SQLITE_BUSY_TIMEOUT_MS, build_engine
from jts.adapters.sql.memory import InMemoryStore
from jts.adapters.sql.migrations import upgrade
from jts.adapters.sql.platform import AuditEntry
from jts.adapters.sql.unit_of_work import SqlUnitOfWork
from jts.contexts.trading.domain.records import FillRecord, OrderRecord
from jts.messages.enums import OrderSide, OrderStatus, OrderType
from jts.shared_kernel.identifiers import ClientOrderId, InstrumentId, StrategyId, TradeId

POSTGRES_URL = os.environ.get(
    "JTS_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SAMSUNG = InstrumentId.parse("005930.KRX")


def _order(index: int) -> OrderRecord:
    return OrderRecord(
        client_order_id=ClientOrderId(f"O-{index}"),
        strategy_id=StrategyId("bench"),
        instrument_id=SAMSUNG,
        side=OrderSide.BUY,
        order_type=OrderType.LIMIT,
        quantity=Decimal("10"),
        limit_price=Decimal("71500"),
        created_ns=index,
        updated_ns=index,
    )


def _fill(order: OrderRecord) -> FillRecord:
    return FillRecord(
        client_order_id=order.client_order_id,
        trade_id=TradeId(f"T-{order.client_order_id}"),
        venue_order_id=order.client_order_id,  # type: ignore[arg-type]
        strategy_id=order.strategy_id,
        instrument_id=order.instrument_id,
        side=order.side,
        last_qty=Decimal("10"),
        last_price=Decimal("71500"),
        ts_event=order.created_ns,
        ts_init=order.created_ns,
    )


def _jts_cycles(make_uow: Callable[[], Any], count: int) -> float:
    """Seconds for ``count`` add-order transactions plus ``count`` fill transactions."""
    start = time.perf_counter()
    for index in range(count):
        with make_uow() as uow:
            uow.orders.add(_order(index))
            uow.commit()
        with make_uow() as uow:
            order = uow.orders.get(ClientOrderId(f"O-{index}"))
            filled = msgspec.structs.replace(
                order,
                status=OrderStatus.FILLED,
                filled_quantity=order.quantity,
                average_fill_price=order.limit_price,
            )
            uow.orders.update(filled)
            uow.fills.add(_fill(order))
            uow.audit.append(AuditEntry(ts_ns=index, actor="oms", action="fill", subject="x"))
            uow.commit()
    return time.perf_counter() - start


_RAW_SQL = {
    "add": "INSERT INTO orders (client_order_id, strategy_id, instrument_id, side, order_type, "
    "quantity, limit_price, time_in_force, status, filled_quantity, created_ns, updated_ns, "
    "version) VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}) "
    "ON CONFLICT DO NOTHING",
    "get": "SELECT * FROM orders WHERE client_order_id = {p}",
    "update": "UPDATE orders SET status = {p}, filled_quantity = {p}, average_fill_price = {p}, "
    "version = version + 1 WHERE client_order_id = {p} AND version = {p}",
    "fill": "INSERT INTO fills (client_order_id, trade_id, venue_order_id, strategy_id, "
    "instrument_id, side, last_qty, last_price, commission, tax, commission_currency, "
    "liquidity_side, ts_event, ts_init) VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, "
    "{p}, {p}, {p}, {p}, {p}) ON CONFLICT DO NOTHING",
    "audit": "INSERT INTO audit_log (ts_ns, actor, action, subject, payload) "
    "VALUES ({p}, {p}, {p}, {p}, {p})",
}


def _raw_cycles(
    cursor: Any, begin: Callable[[], None], commit: Callable[[], None], p: str, count: int
) -> float:
    sql = {name: text.format(p=p) for name, text in _RAW_SQL.items()}
    start = time.perf_counter()
    for index in range(count):
        oid = f"O-{index}"
        begin()
        cursor.execute(
            sql["add"],
            (
                oid,
                "bench",
                "005930.KRX",
                "BUY",
                "LIMIT",
                "10",
                "71500",
                "GTC",
                "INITIALIZED",
                "0",
                index,
                index,
                1,
            ),
        )
        commit()
        begin()
        cursor.execute(sql["get"], (oid,))
        cursor.fetchone()
        cursor.execute(sql["update"], ("FILLED", "10", "71500", oid, 1))
        cursor.execute(
            sql["fill"],
            (
                oid,
                f"T-{oid}",
                oid,
                "bench",
                "005930.KRX",
                "BUY",
                "10",
                "71500",
                "0",
                "0",
                "KRW",
                "NONE",
                index,
                index,
            ),
        )
        cursor.execute(sql["audit"], (index, "oms", "fill", "x", ""))
        commit()
    return time.perf_counter() - start


def _sqlite_raw(path: Path, count: int) -> float:
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in (
        f"busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}",
        "journal_mode = WAL",
        "synchronous = FULL",
        "foreign_keys = ON",
    ):
        connection.execute(f"PRAGMA {pragma}")
    cursor = connection.cursor()
    try:
        return _raw_cycles(
            cursor,
            lambda: cursor.execute("BEGIN IMMEDIATE"),
            lambda: cursor.execute("COMMIT"),
            "?",
            count,
        )
    finally:
        connection.close()


def _figures(name: str, count: int, jts_s: float, peer: str | None, peer_s: float | None) -> Figure:
    return Figure(
        name=f"store.{name}.order_lifecycles_per_s",
        value=count / jts_s,
        unit="lifecycles/s (2 transactions each)",
        peer=peer,
        peer_value=None if peer_s is None else count / peer_s,
    )


def _bench_sqlite(count: int) -> Figure:
    with tempfile.TemporaryDirectory() as directory:
        jts_path, raw_path = Path(directory) / "jts.sqlite3", Path(directory) / "raw.sqlite3"
        upgrade(f"sqlite:///{raw_path}")
        engine = build_engine(f"sqlite:///{jts_path}")
        try:
            upgrade(engine)
            jts_s = _jts_cycles(lambda: SqlUnitOfWork(engine), count)
        finally:
            engine.dispose()
        return _figures("sqlite", count, jts_s, "sqlite3 driver", _sqlite_raw(raw_path, count))


@contextmanager
def _postgres_schema() -> Iterator[str | None]:
    import psycopg

    plain = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(plain, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        yield None
        return
    try:
        admin.execute(f'CREATE SCHEMA "{schema}"')
        yield schema
    finally:
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


def _bench_postgres(count: int) -> Iterator[Figure]:
    import psycopg

    with _postgres_schema() as schema:
        if schema is None:
            return
        url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
        engine = build_engine(url)
        try:
            upgrade(engine)
            jts_s = _jts_cycles(lambda: SqlUnitOfWork(engine), count)
            with engine.begin() as connection:
                connection.exec_driver_sql("TRUNCATE fills, orders, audit_log")
        finally:
            engine.dispose()
        plain = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(plain, options=f"-csearch_path={schema}") as connection:
            cursor = connection.cursor()
            raw_s = _raw_cycles(cursor, lambda: None, connection.commit, "%s", count)
        yield _figures("postgresql", count, jts_s, "psycopg driver", raw_s)


def run() -> Iterable[Figure]:
    memory = InMemoryStore()
    count = 20_000
    yield _figures("memory", count, _jts_cycles(memory.unit_of_work, count), None, None)
    yield _bench_sqlite(2_000)
    yield from _bench_postgres(1_000)
