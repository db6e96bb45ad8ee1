"""One contract for the transactional store, run on every implementation.

``memory`` is ``InMemoryStore``; ``sqlite`` a WAL file in a temporary directory; ``postgresql``
the local/CI server (tests/services.py), each test in a schema of its own, migrated by the
real migrations. Every test gets a ``Store``: ``uow()`` opens a unit of work and
``reopen()`` gives a fresh connection pool on the same database.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Protocol

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, make_url, text

from jts.adapters.sql.engine import build_engine
from jts.adapters.sql.memory import InMemoryStore
from jts.adapters.sql.migrations import upgrade
from jts.adapters.sql.platform import (
    AuditEntry,
    DuplicateUser,
    PlatformUnitOfWork,
    UnknownUser,
    UserRecord,
)
from jts.adapters.sql.unit_of_work import SqlUnitOfWork
from jts.contexts.portfolio.application.ports import PortfolioUnitOfWork
from jts.contexts.portfolio.domain.records import PositionRecord
from jts.contexts.strategy.application.ports import StrategyUnitOfWork
from jts.contexts.strategy.domain.records import (
    StrategyLanguage,
    StrategyLanguageMismatch,
    source_sha256,
)
from jts.contexts.trading.application.ports import TradingUnitOfWork
from jts.contexts.trading.domain.records import (
    ConcurrencyError,
    DuplicateOrder,
    FillRecord,
    OrderRecord,
    UnknownOrder,
)
from jts.messages.enums import LiquiditySide, OrderSide, OrderStatus, OrderType, TimeInForce
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import (
    AccountId,
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TradeId,
    VenueOrderId,
)
from tests.services import postgres_url


def in_schema(url: str, schema: str) -> str:
    """``url`` with PostgreSQL's search path set to ``schema`` (tables are created there)."""
    parsed = make_url(url)
    options = f"{parsed.query.get('options', '')} -csearch_path={schema}".strip()
    return parsed.update_query_dict({"options": options}).render_as_string(False)


SAMSUNG = InstrumentId.parse("005930.KRX")
BITCOIN = InstrumentId.parse("BTC-KRW.UPBIT")
ACCOUNT = AccountId("paper-1")


class StoreUnitOfWork(
    TradingUnitOfWork, PortfolioUnitOfWork, StrategyUnitOfWork, PlatformUnitOfWork, Protocol
):
    """Every port at once: what both ``SqlUnitOfWork`` and ``InMemoryUnitOfWork`` offer."""


@dataclass
class Store:
    kind: str
    uow: Callable[[], StoreUnitOfWork]
    reopen: Callable[[], Callable[[], StoreUnitOfWork]]


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        memory = InMemoryStore()
        yield Store("memory", memory.unit_of_work, lambda: memory.unit_of_work)
    elif request.param == "sqlite":
        yield from _sql_store("sqlite", f"sqlite:///{tmp_path / 'jts.sqlite3'}")
    else:
        yield from _postgres_store()


def _sql_store(kind: str, url: str) -> Iterator[Store]:
    engines: list[Engine] = []

    def factory() -> Callable[[], StoreUnitOfWork]:
        engine = build_engine(url)
        engines.append(engine)
        return lambda: SqlUnitOfWork(engine)

    upgrade(url)
    try:
        yield Store(kind, factory(), factory)
    finally:
        for engine in engines:
            engine.dispose()


def _postgres_store() -> Iterator[Store]:
    base_url = postgres_url()
    schema = f"contract_{uuid.uuid4().hex[:12]}"
    admin = build_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield from _sql_store("postgresql", in_schema(base_url, schema))
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def make_order(client_order_id: str = "O-1", **changes: object) -> OrderRecord:
    order = OrderRecord(
        client_order_id=ClientOrderId(client_order_id),
        strategy_id=StrategyId("golden_cross"),
        instrument_id=SAMSUNG,
        side=OrderSide.BUY,
        order_type=OrderType.LIMIT,
        quantity=Decimal("10"),
        limit_price=Decimal("71500"),
        created_ns=1_000,
        updated_ns=1_000,
    )
    return msgspec.structs.replace(order, **changes)


def make_fill(trade_id: str = "T-1", client_order_id: str = "O-1", **changes: object) -> FillRecord:
    fill = FillRecord(
        client_order_id=ClientOrderId(client_order_id),
        trade_id=TradeId(trade_id),
        venue_order_id=VenueOrderId("V-1"),
        strategy_id=StrategyId("golden_cross"),
        instrument_id=SAMSUNG,
        side=OrderSide.BUY,
        last_qty=Decimal("3"),
        last_price=Decimal("71500"),
        commission=Decimal("10.725"),
        tax=Decimal("0"),
        liquidity_side=LiquiditySide.MAKER,
        ts_event=2_000,
        ts_init=2_001,
    )
    return msgspec.structs.replace(fill, **changes)


def make_user(user_id: str = "u-1", username: str = "kim", **changes: object) -> UserRecord:
    user = UserRecord(
        user_id=user_id,
        username=username,
        display_name="Kim Trader",
        password_hash="$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
        role="trader",
        created_ns=5,
        updated_ns=5,
    )
    return msgspec.structs.replace(user, **changes)


def add_orders(store: Store, *orders: OrderRecord) -> None:
    with store.uow() as uow:
        for order in orders:
            uow.orders.add(order)
        uow.commit()


# --- orders -------------------------------------------------------------------------------


def test_order_round_trips_every_field_with_exact_decimals(store: Store) -> None:
    order = make_order(
        instrument_id=BITCOIN,
        side=OrderSide.SELL,
        order_type=OrderType.STOP_LIMIT,
        quantity=Decimal("0.00012345678901234567890123"),
        limit_price=Decimal("98765432109876543210.50"),
        trigger_price=Decimal("1.10"),
        time_in_force=TimeInForce.GTD,
        expire_time_ns=9_223_372_036_854_775_807,
        status=OrderStatus.PARTIALLY_FILLED,
        filled_quantity=Decimal("0.00010000000000000000000000"),
        average_fill_price=Decimal("98765432109876543210.123456789"),
        venue_order_id=VenueOrderId("uuid-1"),
        broker="upbit",
        account_id=AccountId("acc-9"),
        parent_order_id=ClientOrderId("O-0"),
        reason="partially filled at the open; 부분 체결",
    )
    add_orders(store, order)

    with store.uow() as uow:
        stored = uow.orders.get(order.client_order_id)

    assert stored == order
    assert stored is not None
    assert str(stored.limit_price) == "98765432109876543210.50"  # scale kept, no float
    assert str(stored.filled_quantity) == "0.00010000000000000000000000"


def test_order_from_command_defaults_round_trip(store: Store) -> None:
    order = make_order(order_type=OrderType.MARKET, limit_price=None)
    add_orders(store, order)

    with store.uow() as uow:
        assert uow.orders.get(order.client_order_id) == order
        assert uow.orders.get(ClientOrderId("missing")) is None


def test_adding_an_order_twice_raises_and_keeps_the_first(store: Store) -> None:
    add_orders(store, make_order(quantity=Decimal("10")))

    with store.uow() as uow:
        with pytest.raises(DuplicateOrder, match="O-1"):
            uow.orders.add(make_order(quantity=Decimal("99")))
        uow.orders.add(make_order("O-2"))  # the unit of work is still usable
        uow.commit()

    with store.uow() as uow:
        first = uow.orders.get(ClientOrderId("O-1"))
        assert first is not None
        assert first.quantity == Decimal("10")
        assert uow.orders.get(ClientOrderId("O-2")) is not None


def test_update_stores_the_change_and_increments_the_version(store: Store) -> None:
    add_orders(store, make_order())

    with store.uow() as uow:
        read = uow.orders.get(ClientOrderId("O-1"))
        assert read is not None
        changed = msgspec.structs.replace(
            read, status=OrderStatus.ACCEPTED, venue_order_id=VenueOrderId("V-1"), updated_ns=7
        )
        returned = uow.orders.update(changed)
        uow.commit()

    assert returned == msgspec.structs.replace(changed, version=2)
    with store.uow() as uow:
        assert uow.orders.get(ClientOrderId("O-1")) == returned


def test_update_based_on_a_stale_version_raises_concurrency_error(store: Store) -> None:
    add_orders(store, make_order())
    with store.uow() as uow:
        stale = uow.orders.get(ClientOrderId("O-1"))
    assert stale is not None
    with store.uow() as uow:
        uow.orders.update(msgspec.structs.replace(stale, status=OrderStatus.SUBMITTED))
        uow.commit()

    with store.uow() as uow, pytest.raises(ConcurrencyError, match="stored version 2"):
        uow.orders.update(msgspec.structs.replace(stale, status=OrderStatus.CANCELED))

    with store.uow() as uow:
        current = uow.orders.get(ClientOrderId("O-1"))
    assert current is not None
    assert (current.status, current.version) == (OrderStatus.SUBMITTED, 2)


def test_update_of_an_order_never_added_raises_unknown_order(store: Store) -> None:
    with store.uow() as uow, pytest.raises(UnknownOrder, match="not stored"):
        uow.orders.update(make_order("ghost"))


def test_get_by_venue_order_id_prefers_the_newest_and_filters_by_broker(store: Store) -> None:
    venue_id = VenueOrderId("0000123")  # KIS order numbers restart every day
    yesterday = make_order("O-1", venue_order_id=venue_id, broker="kis", created_ns=1)
    today = make_order("O-2", venue_order_id=venue_id, broker="kis", created_ns=2)
    elsewhere = make_order("O-3", venue_order_id=venue_id, broker="creon", created_ns=3)
    add_orders(store, yesterday, today, elsewhere)

    with store.uow() as uow:
        assert uow.orders.get_by_venue_order_id(venue_id) == elsewhere
        assert uow.orders.get_by_venue_order_id(venue_id, broker="kis") == today
        assert uow.orders.get_by_venue_order_id(VenueOrderId("nope")) is None


def test_list_open_returns_every_non_terminal_order_oldest_first(store: Store) -> None:
    orders = [
        make_order(f"O-{status.value}", status=status, created_ns=100 - index)
        for index, status in enumerate(OrderStatus)
    ]
    add_orders(store, *orders)

    with store.uow() as uow:
        open_orders = uow.orders.list_open()

    expected = sorted(
        (order for order in orders if not order.status.is_terminal), key=lambda o: o.created_ns
    )
    assert open_orders == expected
    assert OrderStatus.INITIALIZED in {order.status for order in open_orders}


def test_list_open_follows_status_changes(store: Store) -> None:
    add_orders(store, make_order("O-1"), make_order("O-2", created_ns=2_000))
    with store.uow() as uow:
        first = uow.orders.get(ClientOrderId("O-1"))
        assert first is not None
        uow.orders.update(msgspec.structs.replace(first, status=OrderStatus.FILLED))
        uow.commit()

    with store.uow() as uow:
        assert [order.client_order_id for order in uow.orders.list_open()] == ["O-2"]


def test_list_by_strategy_returns_only_that_strategy_oldest_first(store: Store) -> None:
    mine_late = make_order("O-b", created_ns=20)
    mine_early = make_order("O-a", created_ns=10)
    tie = make_order("O-c", created_ns=20)
    other = make_order("O-x", strategy_id=StrategyId("other"))
    add_orders(store, mine_late, other, tie, mine_early)

    with store.uow() as uow:
        listed = uow.orders.list_by_strategy(StrategyId("golden_cross"))

    assert listed == [mine_early, mine_late, tie]


# --- transactions -----------------------------------------------------------------------


def test_leaving_without_commit_discards_everything(store: Store) -> None:
    with store.uow() as uow:
        uow.orders.add(make_order())
        uow.audit.append(AuditEntry(ts_ns=1, actor="oms", action="order.added", subject="O-1"))

    with store.uow() as uow:
        assert uow.orders.get(ClientOrderId("O-1")) is None
        assert uow.audit.read() == []


def test_explicit_rollback_discards_only_uncommitted_work(store: Store) -> None:
    with store.uow() as uow:
        uow.orders.add(make_order("O-1"))
        uow.commit()
        uow.orders.add(make_order("O-2"))
        uow.config.set("risk.max_orders", "5", updated_ns=1, updated_by="ops")
        uow.rollback()
        uow.orders.add(make_order("O-3"))
        uow.commit()

    with store.uow() as uow:
        ids = {order.client_order_id for order in uow.orders.list_open()}
        assert ids == {"O-1", "O-3"}
        assert uow.config.get("risk.max_orders") is None


def test_an_exception_inside_the_block_rolls_back_and_propagates(store: Store) -> None:
    add_orders(store, make_order())

    def cancel_then_fail() -> None:
        with store.uow() as uow:
            order = uow.orders.get(ClientOrderId("O-1"))
            assert order is not None
            uow.orders.update(msgspec.structs.replace(order, status=OrderStatus.CANCELED))
            uow.fills.add(make_fill())
            raise ZeroDivisionError("the broker call blew up")

    with pytest.raises(ZeroDivisionError):
        cancel_then_fail()

    with store.uow() as uow:
        order = uow.orders.get(ClientOrderId("O-1"))
        assert order is not None
        assert (order.status, order.version) == (OrderStatus.INITIALIZED, 1)
        assert uow.fills.list_for_order(ClientOrderId("O-1")) == []


def test_committed_work_is_seen_through_a_new_connection_pool(store: Store) -> None:
    add_orders(store, make_order())
    with store.uow() as uow:
        uow.flags.set("live_trading", True, updated_ns=1, updated_by="ops")
        uow.commit()

    reopened = store.reopen()

    with reopened() as uow:
        assert uow.orders.get(ClientOrderId("O-1")) == make_order()
        assert uow.flags.is_enabled("live_trading")


def test_repositories_refuse_work_outside_the_block(store: Store) -> None:
    uow = store.uow()

    with pytest.raises(RuntimeError, match="with uow"):
        uow.orders.get(ClientOrderId("O-1"))
    with uow, pytest.raises(RuntimeError, match="already open"):
        uow.__enter__()
    with pytest.raises(RuntimeError, match="with uow"):
        uow.commit()


# --- fills --------------------------------------------------------------------------------


def test_a_replayed_fill_is_stored_once(store: Store) -> None:
    add_orders(store, make_order())

    with store.uow() as uow:
        first = uow.fills.add(make_fill())
        replay = uow.fills.add(make_fill(ts_init=9_999))  # received again, later
        uow.commit()
    with store.uow() as uow:
        replay_after_commit = uow.fills.add(make_fill())
        fills = uow.fills.list_for_order(ClientOrderId("O-1"))

    assert (first, replay, replay_after_commit) == (True, False, False)
    assert fills == [make_fill()]


def test_a_replay_with_different_figures_is_refused(store: Store) -> None:
    add_orders(store, make_order())
    with store.uow() as uow:
        uow.fills.add(make_fill())
        uow.commit()

    with store.uow() as uow, pytest.raises(DataError, match="contradicts"):
        uow.fills.add(make_fill(last_qty=Decimal("4")))


def test_a_fill_for_an_unknown_order_is_refused(store: Store) -> None:
    with store.uow() as uow:
        with pytest.raises(UnknownOrder, match="store the order first"):
            uow.fills.add(make_fill(client_order_id="ghost"))
        uow.orders.add(make_order())  # the transaction is still usable
        uow.commit()


def test_fills_are_listed_by_event_time_then_arrival(store: Store) -> None:
    add_orders(store, make_order("O-1"), make_order("O-2"))
    late = make_fill("T-late", ts_event=300)
    early = make_fill("T-early", ts_event=100)
    tie_first = make_fill("T-tie-1", ts_event=200)
    tie_second = make_fill("T-tie-0", ts_event=200)
    other = make_fill("T-other", client_order_id="O-2", ts_event=250)
    with store.uow() as uow:
        for fill in (late, early, tie_first, other, tie_second):
            uow.fills.add(fill)
        uow.commit()

    with store.uow() as uow:
        for_order = uow.fills.list_for_order(ClientOrderId("O-1"))
        since = uow.fills.list_since(200)

    assert for_order == [early, tie_first, tie_second, late]
    assert since == [tie_first, tie_second, other, late]


# --- positions ----------------------------------------------------------------------------


def make_position(instrument_id: InstrumentId = SAMSUNG, **changes: object) -> PositionRecord:
    position = PositionRecord(
        account_id=ACCOUNT,
        instrument_id=instrument_id,
        quantity=Decimal("10"),
        average_price=Decimal("71500.5"),
        currency="KRW",
        updated_ns=3,
    )
    return msgspec.structs.replace(position, **changes)


def test_position_upsert_inserts_then_replaces(store: Store) -> None:
    with store.uow() as uow:
        uow.positions.upsert(make_position())
        uow.commit()
    replacement = make_position(
        quantity=Decimal("-2.5"), realized_pnl=Decimal("-1234.0001"), updated_ns=4
    )
    with store.uow() as uow:
        uow.positions.upsert(replacement)
        uow.commit()

    with store.uow() as uow:
        assert uow.positions.get(ACCOUNT, SAMSUNG) == replacement
        assert uow.positions.get(AccountId("other"), SAMSUNG) is None


def test_positions_are_listed_per_account_by_instrument(store: Store) -> None:
    hynix = InstrumentId.parse("000660.KRX")
    with store.uow() as uow:
        for position in (
            make_position(SAMSUNG),
            make_position(BITCOIN, currency="KRW", quantity=Decimal("0.5")),
            make_position(hynix),
            make_position(account_id=AccountId("other")),
        ):
            uow.positions.upsert(position)
        uow.commit()

    with store.uow() as uow:
        listed = uow.positions.list_for_account(ACCOUNT)

    assert [str(position.instrument_id) for position in listed] == [
        "000660.KRX",
        "005930.KRX",
        "BTC-KRW.UPBIT",
    ]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    amount=st.integers(min_value=0, max_value=30).flatmap(
        lambda places: st.decimals(
            min_value=Decimal("-1e20"),
            max_value=Decimal("1e20"),
            places=places,
            allow_nan=False,
            allow_infinity=False,
        )
    )
)
def test_any_decimal_comes_back_exactly(store: Store, amount: Decimal) -> None:
    position = make_position(quantity=amount, realized_pnl=amount)
    with store.uow() as uow:
        uow.positions.upsert(position)
        uow.commit()

    with store.uow() as uow:
        stored = uow.positions.get(ACCOUNT, SAMSUNG)

    assert stored is not None
    assert stored.quantity == amount
    assert stored.quantity.as_tuple().exponent == amount.as_tuple().exponent


# --- strategies ---------------------------------------------------------------------------

GOLDEN = StrategyId("golden_cross")
SOURCE_V1 = 'strategy "golden_cross"\nuniverse 005930.KRX\ntimeframe 1d\n'
SOURCE_V2 = SOURCE_V1 + "stop_loss 5%\n"


def save(uow: StoreUnitOfWork, source: str, created_ns: int, author: str = "kim") -> int:
    version = uow.strategies.add_version(
        GOLDEN, source, language=StrategyLanguage.JTS, author=author, created_ns=created_ns
    )
    return version.version


def test_strategy_versions_count_up_and_skip_unchanged_saves(store: Store) -> None:
    with store.uow() as uow:
        numbers = [
            save(uow, SOURCE_V1, 10),
            save(uow, SOURCE_V1, 11),  # unchanged: no new version
            save(uow, SOURCE_V2, 12),
            save(uow, SOURCE_V1, 13),  # a revert is a new version
        ]
        uow.commit()

    with store.uow() as uow:
        strategy = uow.strategies.get(GOLDEN)
        versions = uow.strategies.versions(GOLDEN)
        latest = uow.strategies.latest(GOLDEN)
        second = uow.strategies.get_version(GOLDEN, 2)

    assert numbers == [1, 1, 2, 3]
    assert strategy is not None
    assert (strategy.name, strategy.language, strategy.current_version) == (
        "golden_cross",
        StrategyLanguage.JTS,
        3,
    )
    assert (strategy.created_ns, strategy.updated_ns) == (10, 13)
    assert [(v.version, v.source, v.created_ns) for v in versions] == [
        (1, SOURCE_V1, 10),
        (2, SOURCE_V2, 12),
        (3, SOURCE_V1, 13),
    ]
    assert versions[0].sha256 == source_sha256(SOURCE_V1)
    assert latest == versions[-1]
    assert second == versions[1]


def test_strategy_queries_for_unknown_ids_return_nothing(store: Store) -> None:
    with store.uow() as uow:
        save(uow, SOURCE_V1, 1)
        uow.commit()

    with store.uow() as uow:
        assert uow.strategies.get(StrategyId("nope")) is None
        assert uow.strategies.latest(StrategyId("nope")) is None
        assert uow.strategies.versions(StrategyId("nope")) == []
        assert uow.strategies.get_version(GOLDEN, 2) is None
        assert uow.strategies.get_version(GOLDEN, 0) is None


def test_a_strategy_keeps_its_language_and_its_name(store: Store) -> None:
    with store.uow() as uow:
        uow.strategies.add_version(
            StrategyId("momo"),
            "class Momo: ...\n",
            language=StrategyLanguage.PYTHON,
            author="lee",
            created_ns=1,
            name="Momentum",
        )
        save(uow, SOURCE_V1, 2)
        with pytest.raises(StrategyLanguageMismatch, match="python"):
            uow.strategies.add_version(
                StrategyId("momo"),
                SOURCE_V1,
                language=StrategyLanguage.JTS,
                author="lee",
                created_ns=3,
            )
        uow.commit()

    with store.uow() as uow:
        listed = uow.strategies.list_strategies()

    assert [(s.strategy_id, s.name, s.language) for s in listed] == [
        ("golden_cross", "golden_cross", StrategyLanguage.JTS),
        ("momo", "Momentum", StrategyLanguage.PYTHON),
    ]


# --- users --------------------------------------------------------------------------------


def test_users_round_trip_and_are_found_by_id_or_username(store: Store) -> None:
    with store.uow() as uow:
        uow.users.add(make_user("u-2", "park", role="admin"))
        uow.users.add(make_user("u-1", "kim"))
        uow.commit()

    with store.uow() as uow:
        assert uow.users.get("u-1") == make_user("u-1", "kim")
        assert uow.users.get_by_username("park") == make_user("u-2", "park", role="admin")
        assert uow.users.get("u-3") is None
        assert [user.username for user in uow.users.list_all()] == ["kim", "park"]


def test_user_ids_and_usernames_are_unique(store: Store) -> None:
    with store.uow() as uow:
        uow.users.add(make_user("u-1", "kim"))
        uow.users.add(make_user("u-2", "park"))
        with pytest.raises(DuplicateUser):
            uow.users.add(make_user("u-1", "lee"))
        with pytest.raises(DuplicateUser):
            uow.users.add(make_user("u-3", "kim"))
        with pytest.raises(DuplicateUser, match="park"):
            uow.users.update(make_user("u-1", "park"))
        with pytest.raises(UnknownUser):
            uow.users.update(make_user("u-9", "choi"))
        uow.commit()


def test_user_update_can_rename(store: Store) -> None:
    with store.uow() as uow:
        uow.users.add(make_user("u-1", "kim"))
        uow.commit()
    renamed = make_user("u-1", "kim2", is_active=False, updated_ns=9)
    with store.uow() as uow:
        uow.users.update(renamed)
        uow.commit()

    with store.uow() as uow:
        assert uow.users.get_by_username("kim2") == renamed
        assert uow.users.get_by_username("kim") is None
        uow.users.add(make_user("u-2", "kim"))  # the old name is free again


def test_user_repr_never_shows_the_password_hash() -> None:
    user = make_user()

    assert "argon2" not in repr(user)
    assert "kim" in repr(user)


# --- audit log ----------------------------------------------------------------------------


def entry(action: str, ts_ns: int = 1) -> AuditEntry:
    return AuditEntry(
        ts_ns=ts_ns,
        actor="oms",
        action=action,
        subject="O-1",
        payload='{"qty": "10"}',
        correlation_id=str(uuid.UUID(int=ts_ns)),
    )


def test_audit_entries_are_appended_in_order(store: Store) -> None:
    with store.uow() as uow:
        appended = [uow.audit.append(entry(f"step.{i}", ts_ns=i)) for i in range(1, 6)]
        uow.commit()

    with store.uow() as uow:
        everything = uow.audit.read()
        page = uow.audit.read(after_seq=appended[1].seq, limit=2)

    seqs = [item.seq for item in appended]
    assert seqs == sorted(set(seqs))
    assert seqs[0] >= 1
    assert everything == appended
    assert [item.action for item in everything] == [f"step.{i}" for i in range(1, 6)]
    assert page == appended[2:4]


def test_audit_outbox_publishes_each_entry_once(store: Store) -> None:
    with store.uow() as uow:
        first, second, third = (uow.audit.append(entry(a)) for a in ("a", "b", "c"))
        uow.commit()

    with store.uow() as uow:
        assert uow.audit.unpublished(limit=2) == [first, second]
        marked = uow.audit.mark_published([first.seq, second.seq], published_ns=50)
        again = uow.audit.mark_published([second.seq], published_ns=60)
        none = uow.audit.mark_published([], published_ns=70)
        uow.commit()

    with store.uow() as uow:
        assert uow.audit.unpublished() == [third]
        assert [item.published_ns for item in uow.audit.read()] == [50, 50, None]
    assert (marked, again, none) == (2, 0, 0)


def test_an_audit_entry_lives_and_dies_with_its_transaction(store: Store) -> None:
    with store.uow() as uow:
        uow.orders.add(make_order("O-1"))
        uow.audit.append(entry("order.added"))
        uow.rollback()
        uow.orders.add(make_order("O-2"))
        kept = uow.audit.append(entry("order.added", ts_ns=2))
        uow.commit()

    with store.uow() as uow:
        assert uow.audit.read() == [kept]
        assert uow.orders.get(ClientOrderId("O-1")) is None


# --- configuration and feature flags ------------------------------------------------------


def test_config_get_set_delete_and_list_by_prefix(store: Store) -> None:
    with store.uow() as uow:
        uow.config.set("risk.max_open_orders", "20", updated_ns=1, updated_by="ops")
        uow.config.set("risk.max_drawdown_pct", "15", updated_ns=1, updated_by="ops")
        uow.config.set("risk_x", "literal underscore", updated_ns=1, updated_by="ops")
        uow.config.set("notify.quiet_hours", "22-07", updated_ns=1, updated_by="ops")
        replaced = uow.config.set("risk.max_open_orders", "25", updated_ns=2, updated_by="kim")
        uow.commit()

    with store.uow() as uow:
        got = uow.config.get("risk.max_open_orders")
        risk_keys = [e.key for e in uow.config.list_entries("risk.")]
        underscore = [e.key for e in uow.config.list_entries("risk_")]
        everything = [e.key for e in uow.config.list_entries()]
        deleted = uow.config.delete("notify.quiet_hours")
        deleted_again = uow.config.delete("notify.quiet_hours")
        uow.commit()

    assert got == replaced
    assert (replaced.value, replaced.updated_by) == ("25", "kim")
    assert risk_keys == ["risk.max_drawdown_pct", "risk.max_open_orders"]
    assert underscore == ["risk_x"]  # '_' and '%' are not wildcards
    assert everything == [
        "notify.quiet_hours",
        "risk.max_drawdown_pct",
        "risk.max_open_orders",
        "risk_x",
    ]
    assert (deleted, deleted_again) == (True, False)
    with store.uow() as uow:
        assert uow.config.get("notify.quiet_hours") is None


def test_feature_flags_fall_back_to_the_callers_default(store: Store) -> None:
    with store.uow() as uow:
        assert uow.flags.is_enabled("kelly_sizing") is False
        assert uow.flags.is_enabled("kelly_sizing", default=True) is True
        assert uow.flags.get("kelly_sizing") is None
        uow.flags.set(
            "kelly_sizing", False, updated_ns=1, updated_by="ops", description="fractional Kelly"
        )
        uow.flags.set("auto_reconcile", True, updated_ns=1, updated_by="ops")
        uow.commit()

    with store.uow() as uow:
        assert uow.flags.is_enabled("kelly_sizing", default=True) is False
        toggled = uow.flags.set("kelly_sizing", True, updated_ns=2, updated_by="kim")
        uow.commit()

    with store.uow() as uow:
        assert uow.flags.get("kelly_sizing") == toggled
        assert toggled.description == "fractional Kelly"  # kept when not given
        assert [flag.name for flag in uow.flags.list_flags()] == ["auto_reconcile", "kelly_sizing"]


# --- concurrency --------------------------------------------------------------------------

WRITES_PER_THREAD = 20


def _fill_one_lot(store: Store, worker: int, lot: int) -> None:
    """Record one more filled unit on the shared order, retrying when someone else won."""
    while True:
        try:
            with store.uow() as uow:
                order = uow.orders.get(ClientOrderId("shared"))
                assert order is not None
                uow.orders.update(
                    msgspec.structs.replace(order, filled_quantity=order.filled_quantity + 1)
                )
                uow.orders.add(make_order(f"W{worker}-{lot}"))
                uow.audit.append(entry(f"lot.{worker}.{lot}"))
                uow.commit()
                return
        except ConcurrencyError:
            continue


def test_concurrent_writers_never_lose_or_corrupt_an_update(store: Store) -> None:
    add_orders(store, make_order("shared", quantity=Decimal("1000")))
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for lot in range(WRITES_PER_THREAD):
                _fill_one_lot(store, worker, lot)
        except BaseException as e:  # surfaced by the assertion below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(worker,)) for worker in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    with store.uow() as uow:
        shared = uow.orders.get(ClientOrderId("shared"))
        others = uow.orders.list_open()
        audit = uow.audit.read(limit=10_000)
    assert shared is not None
    assert shared.filled_quantity == 2 * WRITES_PER_THREAD
    assert shared.version == 1 + 2 * WRITES_PER_THREAD
    assert len(others) == 1 + 2 * WRITES_PER_THREAD
    assert len({item.seq for item in audit}) == len(audit) == 2 * WRITES_PER_THREAD


def test_sqlite_file_passes_its_integrity_check_after_concurrent_writes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jts.sqlite3'}"
    upgrade(url)
    engine = build_engine(url)
    store = Store("sqlite", lambda: SqlUnitOfWork(engine), lambda: lambda: SqlUnitOfWork(engine))
    try:
        test_concurrent_writers_never_lose_or_corrupt_an_update(store)
        with engine.connect() as connection:
            check = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
    finally:
        engine.dispose()

    assert check == "ok"
