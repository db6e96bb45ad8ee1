"""The in-memory store: the same ports as the SQL store, for backtests and tests.

``InMemoryStore`` holds the committed state; ``InMemoryUnitOfWork(store)`` is one
transaction over it. Transactions are real: a unit of work takes the store's lock when it
opens (so, like SQLite's ``BEGIN IMMEDIATE``, transactions run one at a time), applies
changes directly and keeps an undo journal; ``rollback()`` (or leaving the block without
``commit()``) replays the journal backwards. Cost is proportional to the changes made, not
to the size of the store, so a backtest with millions of orders pays nothing per commit.
One thread cannot open a second unit of work while its first is open (that would deadlock;
it raises ``RuntimeError`` instead).
Importing this module needs no SQLAlchemy.
"""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Self

from jts.adapters.sql.memory_repositories import (
    InMemoryAuditLog,
    InMemoryConfigStore,
    InMemoryFeatureFlagStore,
    InMemoryFills,
    InMemoryOrders,
    InMemoryPositions,
    InMemoryStrategies,
    InMemoryUsers,
)
from jts.adapters.sql.memory_state import Journal, StoreState


class InMemoryStore:
    """Committed state shared by every ``InMemoryUnitOfWork`` made from it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.state = StoreState()
        self.holder: int | None = None  # the thread whose unit of work is open

    def unit_of_work(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self)


class _Repositories:
    def __init__(self, state: StoreState, journal: Journal) -> None:
        self.journal = journal
        self.orders = InMemoryOrders(state, journal)
        self.fills = InMemoryFills(state, journal)
        self.positions = InMemoryPositions(state, journal)
        self.strategies = InMemoryStrategies(state, journal)
        self.users = InMemoryUsers(state, journal)
        self.audit = InMemoryAuditLog(state, journal)
        self.config = InMemoryConfigStore(state, journal)
        self.flags = InMemoryFeatureFlagStore(state, journal)


class InMemoryUnitOfWork:
    """One transaction over an ``InMemoryStore``; use it as ``with uow: ...``."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store
        self._repositories: _Repositories | None = None

    def __enter__(self) -> Self:
        if self._repositories is not None:
            raise RuntimeError("this unit of work is already open; make one per `with` block")
        if self._store.holder == threading.get_ident():
            raise RuntimeError(
                "this thread already has a unit of work open on the store; nesting them would "
                "deadlock, so do all the work in the outer one"
            )
        self._store.lock.acquire()
        self._store.holder = threading.get_ident()
        self._repositories = _Repositories(self._store.state, Journal())
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        repositories, self._repositories = self._repositories, None
        if repositories is None:
            return
        try:
            repositories.journal.undo()
        finally:
            repositories.journal.close()
            self._store.holder = None
            self._store.lock.release()

    def commit(self) -> None:
        self._open().journal.forget()

    def rollback(self) -> None:
        self._open().journal.undo()

    @property
    def orders(self) -> InMemoryOrders:
        return self._open().orders

    @property
    def fills(self) -> InMemoryFills:
        return self._open().fills

    @property
    def positions(self) -> InMemoryPositions:
        return self._open().positions

    @property
    def strategies(self) -> InMemoryStrategies:
        return self._open().strategies

    @property
    def users(self) -> InMemoryUsers:
        return self._open().users

    @property
    def audit(self) -> InMemoryAuditLog:
        return self._open().audit

    @property
    def config(self) -> InMemoryConfigStore:
        return self._open().config

    @property
    def flags(self) -> InMemoryFeatureFlagStore:
        return self._open().flags

    def _open(self) -> _Repositories:
        if self._repositories is None:
            raise RuntimeError("the unit of work is not open; use it inside `with uow:`")
        return self._repositories
