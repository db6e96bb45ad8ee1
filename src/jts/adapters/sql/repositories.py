"""SQL repositories for the bounded contexts' records: orders, fills, positions, strategies.

Each repository works on the ``Connection`` of the unit of work that made it, so everything
it does belongs to that unit of work's transaction. Ordering with text tie-breaks is done in
Python after the query, so SQLite and PostgreSQL (whose collations differ) agree.
"""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import Connection, Select, bindparam, select, update

from jts.adapters.sql.checks import (
    NON_TERMINAL_STATUSES,
    check_replayed_fill,
    order_sort_key,
    unknown_order_for_fill,
    version_conflict,
)
from jts.adapters.sql.rows import from_row, insert_ignoring_conflicts, to_row, upsert
from jts.adapters.sql.tables import fills, orders, positions, strategies, strategy_versions
from jts.contexts.portfolio.domain.records import PositionRecord
from jts.contexts.strategy.domain.records import (
    StrategyLanguage,
    StrategyLanguageMismatch,
    StrategyRecord,
    StrategyVersion,
    source_sha256,
)
from jts.contexts.trading.domain.records import DuplicateOrder, FillRecord, OrderRecord
from jts.shared_kernel.identifiers import (
    AccountId,
    ClientOrderId,
    InstrumentId,
    StrategyId,
    VenueOrderId,
)

# Built once and executed with parameters so SQLAlchemy reuses their compiled form.
_ORDER = select(orders).where(orders.c.client_order_id == bindparam("id"))
_ORDER_EXISTS = select(orders.c.client_order_id).where(orders.c.client_order_id == bindparam("id"))
_ORDER_VERSION = select(orders.c.version).where(orders.c.client_order_id == bindparam("id"))
_OPEN_ORDERS = select(orders).where(orders.c.status.in_(NON_TERMINAL_STATUSES))
_STRATEGY_ORDERS = select(orders).where(orders.c.strategy_id == bindparam("strategy_id_"))
# The SET clause is every column in the parameters; these two names only match the row.
_UPDATE_ORDER = update(orders).where(
    orders.c.client_order_id == bindparam("match_id"),
    orders.c.version == bindparam("match_version"),
)
_FILL = select(fills).where(
    fills.c.client_order_id == bindparam("id"), fills.c.trade_id == bindparam("trade_id_")
)
_POSITION = select(positions).where(
    positions.c.account_id == bindparam("account_id_"),
    positions.c.instrument_id == bindparam("instrument_id_"),
)


class SqlOrderRepository:
    """``OrderRepository`` over the ``orders`` table."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, order: OrderRecord) -> None:
        if not insert_ignoring_conflicts(self._connection, orders, to_row(order)):
            raise DuplicateOrder(f"order {order.client_order_id} is already stored")

    def get(self, client_order_id: ClientOrderId) -> OrderRecord | None:
        row = self._connection.execute(_ORDER, {"id": client_order_id}).mappings().first()
        return None if row is None else from_row(row, OrderRecord, orders)

    def get_by_venue_order_id(
        self, venue_order_id: VenueOrderId, *, broker: str | None = None
    ) -> OrderRecord | None:
        query = select(orders).where(orders.c.venue_order_id == venue_order_id)
        if broker is not None:
            query = query.where(orders.c.broker == broker)
        return max(self._fetch(query), key=order_sort_key, default=None)

    def update(self, order: OrderRecord) -> OrderRecord:
        new = msgspec.structs.replace(order, version=order.version + 1)
        parameters = to_row(new)
        parameters.update(match_id=order.client_order_id, match_version=order.version)
        if self._connection.execute(_UPDATE_ORDER, parameters).rowcount == 1:
            return new
        stored = self._connection.execute(_ORDER_VERSION, {"id": order.client_order_id})
        raise version_conflict(order, stored.scalar())

    def list_open(self) -> list[OrderRecord]:
        return self._fetch(_OPEN_ORDERS)

    def list_by_strategy(self, strategy_id: StrategyId) -> list[OrderRecord]:
        return self._fetch(_STRATEGY_ORDERS, {"strategy_id_": strategy_id})

    def _fetch(
        self, query: Select[Any], parameters: dict[str, Any] | None = None
    ) -> list[OrderRecord]:
        rows = self._connection.execute(query, parameters).mappings()
        return sorted((from_row(row, OrderRecord, orders) for row in rows), key=order_sort_key)


class SqlFillRepository:
    """``FillRepository`` over the ``fills`` table; the unique key makes replays no-ops."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, fill: FillRecord) -> bool:
        order = self._connection.execute(_ORDER_EXISTS, {"id": fill.client_order_id})
        if order.first() is None:
            raise unknown_order_for_fill(fill)
        if insert_ignoring_conflicts(self._connection, fills, to_row(fill)):
            return True
        key = {"id": fill.client_order_id, "trade_id_": fill.trade_id}
        stored = from_row(self._connection.execute(_FILL, key).mappings().one(), FillRecord, fills)
        check_replayed_fill(stored, fill)
        return False

    def list_for_order(self, client_order_id: ClientOrderId) -> list[FillRecord]:
        return self._fetch(select(fills).where(fills.c.client_order_id == client_order_id))

    def list_since(self, ts_event_ns: int) -> list[FillRecord]:
        return self._fetch(select(fills).where(fills.c.ts_event >= ts_event_ns))

    def _fetch(self, query: Select[Any]) -> list[FillRecord]:
        rows = self._connection.execute(query.order_by(fills.c.ts_event, fills.c.id)).mappings()
        return [from_row(row, FillRecord, fills) for row in rows]


class SqlPositionRepository:
    """``PositionRepository`` over the ``positions`` table."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def upsert(self, position: PositionRecord) -> None:
        upsert(self._connection, positions, to_row(position), ("account_id", "instrument_id"))

    def get(self, account_id: AccountId, instrument_id: InstrumentId) -> PositionRecord | None:
        key = {"account_id_": account_id, "instrument_id_": str(instrument_id)}
        row = self._connection.execute(_POSITION, key).mappings().first()
        return None if row is None else from_row(row, PositionRecord, positions)

    def list_for_account(self, account_id: AccountId) -> list[PositionRecord]:
        query = select(positions).where(positions.c.account_id == account_id)
        rows = self._connection.execute(query).mappings()
        records = (from_row(row, PositionRecord, positions) for row in rows)
        return sorted(records, key=lambda position: str(position.instrument_id))


class SqlStrategyRepository:
    """``StrategyRepository`` over ``strategies`` and ``strategy_versions``.

    ``add_version`` locks the strategy's row (``SELECT ... FOR UPDATE`` on PostgreSQL; on
    SQLite the unit of work already holds the write lock), so two concurrent saves get
    consecutive version numbers instead of colliding.
    """

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add_version(
        self,
        strategy_id: StrategyId,
        source: str,
        *,
        language: StrategyLanguage,
        author: str,
        created_ns: int,
        name: str | None = None,
    ) -> StrategyVersion:
        strategy = self._lock_or_create(strategy_id, name or strategy_id, language, created_ns)
        if strategy.language is not language:
            raise StrategyLanguageMismatch(
                f"strategy {strategy_id} is written in {strategy.language}, not {language}; "
                "save it under a new strategy id instead"
            )
        latest = self.latest(strategy_id)
        sha256 = source_sha256(source)
        if latest is not None and latest.sha256 == sha256 and latest.source == source:
            return latest
        version = StrategyVersion(
            strategy_id=strategy_id,
            version=strategy.current_version + 1,
            source=source,
            sha256=sha256,
            created_ns=created_ns,
            author=author,
        )
        self._connection.execute(strategy_versions.insert().values(to_row(version)))
        self._connection.execute(
            update(strategies)
            .where(strategies.c.strategy_id == strategy_id)
            .values(current_version=version.version, updated_ns=created_ns)
        )
        return version

    def get(self, strategy_id: StrategyId) -> StrategyRecord | None:
        query = select(strategies).where(strategies.c.strategy_id == strategy_id)
        row = self._connection.execute(query).mappings().first()
        return None if row is None else from_row(row, StrategyRecord, strategies)

    def list_strategies(self) -> list[StrategyRecord]:
        rows = self._connection.execute(select(strategies)).mappings()
        records = (from_row(row, StrategyRecord, strategies) for row in rows)
        return sorted(records, key=lambda strategy: strategy.strategy_id)

    def latest(self, strategy_id: StrategyId) -> StrategyVersion | None:
        query = (
            select(strategy_versions)
            .where(strategy_versions.c.strategy_id == strategy_id)
            .order_by(strategy_versions.c.version.desc())
            .limit(1)
        )
        return self._first_version(query)

    def get_version(self, strategy_id: StrategyId, version: int) -> StrategyVersion | None:
        query = select(strategy_versions).where(
            strategy_versions.c.strategy_id == strategy_id,
            strategy_versions.c.version == version,
        )
        return self._first_version(query)

    def versions(self, strategy_id: StrategyId) -> list[StrategyVersion]:
        query = (
            select(strategy_versions)
            .where(strategy_versions.c.strategy_id == strategy_id)
            .order_by(strategy_versions.c.version)
        )
        rows = self._connection.execute(query).mappings()
        return [from_row(row, StrategyVersion, strategy_versions) for row in rows]

    def _first_version(self, query: Select[Any]) -> StrategyVersion | None:
        row = self._connection.execute(query).mappings().first()
        return None if row is None else from_row(row, StrategyVersion, strategy_versions)

    def _lock_or_create(
        self, strategy_id: StrategyId, name: str, language: StrategyLanguage, created_ns: int
    ) -> StrategyRecord:
        new = StrategyRecord(
            strategy_id=strategy_id,
            name=name,
            language=language,
            current_version=0,
            created_ns=created_ns,
            updated_ns=created_ns,
        )
        insert_ignoring_conflicts(self._connection, strategies, to_row(new))
        query = select(strategies).where(strategies.c.strategy_id == strategy_id).with_for_update()
        row = self._connection.execute(query).mappings().one()
        return from_row(row, StrategyRecord, strategies)
