"""In-memory repositories: the SQL repositories' behaviour over ``StoreState``.

Every change goes through the unit of work's ``Journal`` so it can be rolled back; every
query returns fresh lists of immutable records, so callers never alias the store.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from jts.adapters.sql.checks import (
    check_replayed_fill,
    order_sort_key,
    unknown_order_for_fill,
    version_conflict,
)
from jts.adapters.sql.memory_state import Journal, StoreState
from jts.adapters.sql.platform import (
    AuditEntry,
    ConfigEntry,
    DuplicateUser,
    FeatureFlag,
    UnknownUser,
    UserRecord,
)
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


class _Repository:
    def __init__(self, state: StoreState, journal: Journal) -> None:
        self._state = state
        self._journal = journal


class InMemoryOrders(_Repository):
    def add(self, order: OrderRecord) -> None:
        if order.client_order_id in self._state.orders:
            raise DuplicateOrder(f"order {order.client_order_id} is already stored")
        self._store(order)

    def get(self, client_order_id: ClientOrderId) -> OrderRecord | None:
        return self._state.orders.get(client_order_id)

    def get_by_venue_order_id(
        self, venue_order_id: VenueOrderId, *, broker: str | None = None
    ) -> OrderRecord | None:
        matches = (
            order
            for order in self._state.orders.values()
            if order.venue_order_id == venue_order_id and broker in (None, order.broker)
        )
        return max(matches, key=order_sort_key, default=None)

    def update(self, order: OrderRecord) -> OrderRecord:
        stored = self._state.orders.get(order.client_order_id)
        if stored is None or stored.version != order.version:
            raise version_conflict(order, None if stored is None else stored.version)
        new = msgspec.structs.replace(order, version=order.version + 1)
        self._store(new)
        return new

    def list_open(self) -> list[OrderRecord]:
        orders = self._state.orders
        return sorted((orders[key] for key in self._state.open_orders), key=order_sort_key)

    def list_by_strategy(self, strategy_id: StrategyId) -> list[OrderRecord]:
        matches = (o for o in self._state.orders.values() if o.strategy_id == strategy_id)
        return sorted(matches, key=order_sort_key)

    def _store(self, order: OrderRecord) -> None:
        key = order.client_order_id
        self._journal.set_item(self._state.orders, key, order)
        is_listed = key in self._state.open_orders
        if not order.status.is_terminal and not is_listed:
            self._journal.set_item(self._state.open_orders, key, None)
        elif order.status.is_terminal and is_listed:
            self._journal.delete_item(self._state.open_orders, key)


class InMemoryFills(_Repository):
    def add(self, fill: FillRecord) -> bool:
        if fill.client_order_id not in self._state.orders:
            raise unknown_order_for_fill(fill)
        key = (fill.client_order_id, fill.trade_id)
        stored = self._state.fills.get(key)
        if stored is not None:
            check_replayed_fill(stored, fill)
            return False
        entry = (len(self._state.fill_log), fill)
        self._journal.set_item(self._state.fills, key, fill)
        self._journal.append(self._state.fill_log, entry)
        by_order = self._state.fills_by_order
        if fill.client_order_id not in by_order:
            self._journal.set_item(by_order, fill.client_order_id, [])
        self._journal.append(by_order[fill.client_order_id], entry)
        return True

    def list_for_order(self, client_order_id: ClientOrderId) -> list[FillRecord]:
        return _by_event_time(self._state.fills_by_order.get(client_order_id, []))

    def list_since(self, ts_event_ns: int) -> list[FillRecord]:
        log = self._state.fill_log
        return _by_event_time([entry for entry in log if entry[1].ts_event >= ts_event_ns])


def _by_event_time(entries: list[tuple[int, FillRecord]]) -> list[FillRecord]:
    ordered = sorted(entries, key=lambda entry: (entry[1].ts_event, entry[0]))
    return [fill for _, fill in ordered]


class InMemoryPositions(_Repository):
    def upsert(self, position: PositionRecord) -> None:
        key = (position.account_id, position.instrument_id)
        self._journal.set_item(self._state.positions, key, position)

    def get(self, account_id: AccountId, instrument_id: InstrumentId) -> PositionRecord | None:
        return self._state.positions.get((account_id, instrument_id))

    def list_for_account(self, account_id: AccountId) -> list[PositionRecord]:
        held = (p for (account, _), p in self._state.positions.items() if account == account_id)
        return sorted(held, key=lambda position: str(position.instrument_id))


class InMemoryStrategies(_Repository):
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
        strategy = self._state.strategies.get(strategy_id)
        if strategy is not None and strategy.language is not language:
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
            version=1 if latest is None else latest.version + 1,
            source=source,
            sha256=sha256,
            created_ns=created_ns,
            author=author,
        )
        self._record(strategy, version, name or strategy_id, language)
        return version

    def get(self, strategy_id: StrategyId) -> StrategyRecord | None:
        return self._state.strategies.get(strategy_id)

    def list_strategies(self) -> list[StrategyRecord]:
        return sorted(self._state.strategies.values(), key=lambda s: s.strategy_id)

    def latest(self, strategy_id: StrategyId) -> StrategyVersion | None:
        versions = self._state.strategy_versions.get(strategy_id)
        return versions[-1] if versions else None

    def get_version(self, strategy_id: StrategyId, version: int) -> StrategyVersion | None:
        versions = self._state.strategy_versions.get(strategy_id, [])
        return versions[version - 1] if 1 <= version <= len(versions) else None

    def versions(self, strategy_id: StrategyId) -> list[StrategyVersion]:
        return list(self._state.strategy_versions.get(strategy_id, []))

    def _record(
        self,
        strategy: StrategyRecord | None,
        version: StrategyVersion,
        name: str,
        language: StrategyLanguage,
    ) -> None:
        if strategy is None:
            strategy = StrategyRecord(
                strategy_id=version.strategy_id,
                name=name,
                language=language,
                current_version=0,
                created_ns=version.created_ns,
                updated_ns=version.created_ns,
            )
            self._journal.set_item(self._state.strategy_versions, version.strategy_id, [])
        updated = msgspec.structs.replace(
            strategy, current_version=version.version, updated_ns=version.created_ns
        )
        self._journal.set_item(self._state.strategies, version.strategy_id, updated)
        self._journal.append(self._state.strategy_versions[version.strategy_id], version)


class InMemoryUsers(_Repository):
    def add(self, user: UserRecord) -> None:
        if user.user_id in self._state.users or user.username in self._state.user_ids_by_name:
            raise DuplicateUser(
                f"user {user.user_id} cannot be added: the id or the username "
                f"{user.username!r} is taken"
            )
        self._journal.set_item(self._state.users, user.user_id, user)
        self._journal.set_item(self._state.user_ids_by_name, user.username, user.user_id)

    def get(self, user_id: str) -> UserRecord | None:
        return self._state.users.get(user_id)

    def get_by_username(self, username: str) -> UserRecord | None:
        user_id = self._state.user_ids_by_name.get(username)
        return None if user_id is None else self._state.users[user_id]

    def update(self, user: UserRecord) -> None:
        holder = self._state.user_ids_by_name.get(user.username)
        if holder is not None and holder != user.user_id:
            raise DuplicateUser(f"username {user.username!r} belongs to user {holder}")
        stored = self._state.users.get(user.user_id)
        if stored is None:
            raise UnknownUser(f"user {user.user_id} cannot be updated: it is not stored")
        if stored.username != user.username:
            self._journal.delete_item(self._state.user_ids_by_name, stored.username)
            self._journal.set_item(self._state.user_ids_by_name, user.username, user.user_id)
        self._journal.set_item(self._state.users, user.user_id, user)

    def list_all(self) -> list[UserRecord]:
        return sorted(self._state.users.values(), key=lambda user: user.username)


class InMemoryAuditLog(_Repository):
    def append(self, entry: AuditEntry) -> AuditEntry:
        stored = msgspec.structs.replace(entry, seq=len(self._state.audit) + 1)
        self._journal.append(self._state.audit, stored)
        return stored

    def read(self, *, after_seq: int = 0, limit: int = 1000) -> list[AuditEntry]:
        return self._state.audit[max(after_seq, 0) : max(after_seq, 0) + max(limit, 0)]

    def unpublished(self, *, limit: int = 1000) -> list[AuditEntry]:
        pending = (entry for entry in self._state.audit if entry.published_ns is None)
        return [entry for entry, _ in zip(pending, range(max(limit, 0)), strict=False)]

    def mark_published(self, seqs: Sequence[int], published_ns: int) -> int:
        marked = 0
        for seq in set(seqs):
            if not 1 <= seq <= len(self._state.audit):
                continue
            entry = self._state.audit[seq - 1]
            if entry.published_ns is None:
                published = msgspec.structs.replace(entry, published_ns=published_ns)
                self._journal.set_item(self._state.audit, seq - 1, published)
                marked += 1
        return marked


class InMemoryConfigStore(_Repository):
    def get(self, key: str) -> ConfigEntry | None:
        return self._state.config.get(key)

    def set(self, key: str, value: str, *, updated_ns: int, updated_by: str) -> ConfigEntry:
        entry = ConfigEntry(key=key, value=value, updated_ns=updated_ns, updated_by=updated_by)
        self._journal.set_item(self._state.config, key, entry)
        return entry

    def delete(self, key: str) -> bool:
        if key not in self._state.config:
            return False
        self._journal.delete_item(self._state.config, key)
        return True

    def list_entries(self, prefix: str = "") -> list[ConfigEntry]:
        matches = (e for key, e in self._state.config.items() if key.startswith(prefix))
        return sorted(matches, key=lambda entry: entry.key)


class InMemoryFeatureFlagStore(_Repository):
    def is_enabled(self, name: str, *, default: bool = False) -> bool:
        flag = self._state.flags.get(name)
        return default if flag is None else flag.enabled

    def get(self, name: str) -> FeatureFlag | None:
        return self._state.flags.get(name)

    def set(
        self,
        name: str,
        enabled: bool,
        *,
        updated_ns: int,
        updated_by: str,
        description: str | None = None,
    ) -> FeatureFlag:
        stored = self._state.flags.get(name)
        if description is None:
            description = "" if stored is None else stored.description
        flag = FeatureFlag(
            name=name,
            enabled=enabled,
            description=description,
            updated_ns=updated_ns,
            updated_by=updated_by,
        )
        self._journal.set_item(self._state.flags, name, flag)
        return flag

    def list_flags(self) -> list[FeatureFlag]:
        return sorted(self._state.flags.values(), key=lambda flag: flag.name)
