"""Every table of the transactional store, in one ``MetaData``.

Portable across SQLite and PostgreSQL: money, prices and quantities are ``ExactDecimal``;
timestamps are UNIX nanoseconds in ``BigInteger``; enumerations are short strings checked
by the record types on the way back in (no database enum types to migrate). Alembic's
``versions/`` must build exactly this schema; ``tests/integration/test_migrations.py`` checks
it with autogenerate's comparison.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from jts.adapters.sql.types import ExactDecimal

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

# SQLite only autoincrements an INTEGER PRIMARY KEY (the rowid); PostgreSQL gets a bigint.
SurrogateKey = BigInteger().with_variant(Integer(), "sqlite")

orders = Table(
    "orders",
    metadata,
    Column("client_order_id", String(64), primary_key=True),
    Column("strategy_id", String(128), nullable=False),
    Column("instrument_id", String(64), nullable=False),
    Column("side", String(8), nullable=False),
    Column("order_type", String(16), nullable=False),
    Column("quantity", ExactDecimal(), nullable=False),
    Column("limit_price", ExactDecimal()),
    Column("trigger_price", ExactDecimal()),
    Column("time_in_force", String(8), nullable=False),
    Column("expire_time_ns", BigInteger),
    Column("status", String(20), nullable=False),
    Column("filled_quantity", ExactDecimal(), nullable=False),
    Column("average_fill_price", ExactDecimal()),
    Column("venue_order_id", String(128)),
    Column("broker", String(64)),
    Column("account_id", String(64)),
    Column("parent_order_id", String(64)),
    Column("reason", Text),
    Column("created_ns", BigInteger, nullable=False),
    Column("updated_ns", BigInteger, nullable=False),
    Column("version", Integer, nullable=False),
    Index(None, "status"),
    Index(None, "strategy_id", "created_ns"),
    Index(None, "venue_order_id"),
)

fills = Table(
    "fills",
    metadata,
    Column("id", SurrogateKey, primary_key=True, autoincrement=True),
    Column(
        "client_order_id",
        String(64),
        ForeignKey("orders.client_order_id"),
        nullable=False,
    ),
    Column("trade_id", String(128), nullable=False),
    Column("venue_order_id", String(128), nullable=False),
    Column("strategy_id", String(128), nullable=False),
    Column("instrument_id", String(64), nullable=False),
    Column("side", String(8), nullable=False),
    Column("last_qty", ExactDecimal(), nullable=False),
    Column("last_price", ExactDecimal(), nullable=False),
    Column("commission", ExactDecimal(), nullable=False),
    Column("tax", ExactDecimal(), nullable=False),
    Column("commission_currency", String(16), nullable=False),
    Column("liquidity_side", String(8), nullable=False),
    Column("ts_event", BigInteger, nullable=False),
    Column("ts_init", BigInteger, nullable=False),
    UniqueConstraint("client_order_id", "trade_id"),
    Index(None, "ts_event"),
)

positions = Table(
    "positions",
    metadata,
    Column("account_id", String(64), primary_key=True),
    Column("instrument_id", String(64), primary_key=True),
    Column("quantity", ExactDecimal(), nullable=False),
    Column("average_price", ExactDecimal(), nullable=False),
    Column("realized_pnl", ExactDecimal(), nullable=False),
    Column("currency", String(16), nullable=False),
    Column("updated_ns", BigInteger, nullable=False),
)

strategies = Table(
    "strategies",
    metadata,
    Column("strategy_id", String(128), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("language", String(16), nullable=False),
    Column("current_version", Integer, nullable=False),
    Column("created_ns", BigInteger, nullable=False),
    Column("updated_ns", BigInteger, nullable=False),
)

strategy_versions = Table(
    "strategy_versions",
    metadata,
    Column(
        "strategy_id",
        String(128),
        ForeignKey("strategies.strategy_id"),
        primary_key=True,
    ),
    Column("version", Integer, primary_key=True),
    Column("source", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("created_ns", BigInteger, nullable=False),
    Column("author", String(128), nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("user_id", String(64), primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("role", String(32), nullable=False),
    Column("is_active", Boolean, nullable=False),
    Column("created_ns", BigInteger, nullable=False),
    Column("updated_ns", BigInteger, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", SurrogateKey, primary_key=True, autoincrement=True),
    Column("ts_ns", BigInteger, nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(128), nullable=False),
    Column("subject", String(256), nullable=False),
    Column("payload", Text, nullable=False),
    Column("correlation_id", String(36)),
    Column("published_ns", BigInteger),
    Index(None, "published_ns", "seq"),
)

config_entries = Table(
    "config_entries",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_ns", BigInteger, nullable=False),
    Column("updated_by", String(128), nullable=False),
)

feature_flags = Table(
    "feature_flags",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("enabled", Boolean, nullable=False),
    Column("description", Text, nullable=False),
    Column("updated_ns", BigInteger, nullable=False),
    Column("updated_by", String(128), nullable=False),
)

# The paper broker's tables live with their store; importing it registers them on ``metadata``.
from jts.adapters.sql import kill_switches as _kill_switches  # noqa: E402, F401
from jts.adapters.sql import optimization_runs as _optimization_runs  # noqa: E402, F401
from jts.adapters.sql import paper_accounts as _paper_accounts  # noqa: E402, F401
