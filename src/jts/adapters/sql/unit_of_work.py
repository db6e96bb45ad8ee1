"""``SqlUnitOfWork``: every repository over one connection and one transaction.

One class serves every context's unit-of-work port (``TradingUnitOfWork``,
``PortfolioUnitOfWork``, ``StrategyUnitOfWork``) and ``PlatformUnitOfWork``, so an order
update, its position change and the audit entry describing them commit together or not at
all. Make one per ``with`` block (``Database.unit_of_work()`` in ``jts.bootstrap.database``);
it is not shared between threads, but any number of threads can each run their own.

Database failures (connection lost, lock timeout, constraint broken by a bug) leave the block
as ``StoreError``, with the SQLAlchemy exception chained for the logs; statement parameters
are never part of the message (the engine hides them), so no secret leaks through it.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from jts.adapters.sql.errors import StoreError, describe
from jts.adapters.sql.platform_repositories import (
    SqlAuditLog,
    SqlConfigStore,
    SqlFeatureFlagStore,
    SqlUserRepository,
)
from jts.adapters.sql.repositories import (
    SqlFillRepository,
    SqlOrderRepository,
    SqlPositionRepository,
    SqlStrategyRepository,
)


class _Repositories:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.orders = SqlOrderRepository(connection)
        self.fills = SqlFillRepository(connection)
        self.positions = SqlPositionRepository(connection)
        self.strategies = SqlStrategyRepository(connection)
        self.users = SqlUserRepository(connection)
        self.audit = SqlAuditLog(connection)
        self.config = SqlConfigStore(connection)
        self.flags = SqlFeatureFlagStore(connection)


class SqlUnitOfWork:
    """One transaction: ``with uow: ...; uow.commit()``; leaving without commit rolls back."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None
        self._repositories: _Repositories | None = None

    def __enter__(self) -> Self:
        if self._connection is not None:
            raise RuntimeError("this unit of work is already open; make one per `with` block")
        connection = self._engine.connect()
        try:
            connection.begin()
        except SQLAlchemyError as e:
            connection.close()
            raise StoreError(f"cannot start a transaction: {describe(e)}") from e
        self._connection = connection
        self._repositories = _Repositories(connection)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        connection, self._connection, self._repositories = self._connection, None, None
        if connection is None:
            return
        try:
            _rollback_and_close(connection)
        except SQLAlchemyError as e:
            if exc is None:
                raise StoreError(f"rolling back failed: {describe(e)}") from e
        if isinstance(exc, SQLAlchemyError):
            raise StoreError(f"the transaction failed and was rolled back: {describe(exc)}")

    def commit(self) -> None:
        self._open_connection().commit()

    def rollback(self) -> None:
        self._open_connection().rollback()

    @property
    def orders(self) -> SqlOrderRepository:
        return self._open().orders

    @property
    def fills(self) -> SqlFillRepository:
        return self._open().fills

    @property
    def positions(self) -> SqlPositionRepository:
        return self._open().positions

    @property
    def strategies(self) -> SqlStrategyRepository:
        return self._open().strategies

    @property
    def users(self) -> SqlUserRepository:
        return self._open().users

    @property
    def audit(self) -> SqlAuditLog:
        return self._open().audit

    @property
    def config(self) -> SqlConfigStore:
        return self._open().config

    @property
    def flags(self) -> SqlFeatureFlagStore:
        return self._open().flags

    def _open(self) -> _Repositories:
        if self._repositories is None:
            raise RuntimeError("the unit of work is not open; use it inside `with uow:`")
        return self._repositories

    def _open_connection(self) -> Connection:
        return self._open().connection


def _rollback_and_close(connection: Connection) -> None:
    try:
        if connection.in_transaction():
            connection.rollback()
    finally:
        connection.close()
