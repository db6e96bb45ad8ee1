"""Settings sections other than brokers: stores, bus, cache, logging, risk, notifications.

Pluggable infrastructure is a union discriminated on ``kind``: the section's type picks the
adapter and carries only that adapter's fields. Paths that default under ``home`` are filled
in by ``Settings`` (a section built on its own leaves them ``None``).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from jts.bootstrap.secrets import mask_url

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
LogFormat = Literal["console", "json"]
Port = Annotated[int, Field(ge=1, le=65_535)]
Percent = Annotated[Decimal, Field(gt=0, le=100)]


class FrozenConfig(BaseModel):
    """Base of every settings section: immutable, and an unknown key is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        # URLs may carry a password (postgresql://user:pw@host); repr must never show it.
        for name, value in super().__repr_args__():
            yield name, mask_url(value) if isinstance(value, str) else value


class DatabaseConfig(FrozenConfig):
    """The transactional store: a SQLAlchemy URL (SQLite file or ``postgresql+psycopg://``)."""

    url: str

    @field_validator("url")
    @classmethod
    def _url_has_a_scheme(cls, url: str) -> str:
        if "://" not in url:
            raise ValueError(
                "must be a SQLAlchemy URL such as sqlite:///.jts/jts.sqlite3 or "
                "postgresql+psycopg://user:password@host:5432/jts"
            )
        return url


class DuckDBConfig(FrozenConfig):
    """Embedded time-series store; ``cold_path`` holds Parquet partitions moved out of it."""

    kind: Literal["duckdb"] = "duckdb"
    path: Path | None = None
    cold_path: Path | None = None


class ClickHouseConfig(FrozenConfig):
    """ClickHouse over the native protocol."""

    kind: Literal["clickhouse"] = "clickhouse"
    host: str = "127.0.0.1"
    port: Port = 9000
    database: str = "jts"
    user: str = "default"
    password: SecretStr = SecretStr("")


class InProcessBusConfig(FrozenConfig):
    """The asyncio bus inside one process (``jts up``, backtests)."""

    kind: Literal["inprocess"] = "inprocess"
    queue_size: int = Field(default=10_000, gt=0)


class RedisBusConfig(FrozenConfig):
    """Redis Streams: one stream per topic, ``maxlen`` caps each stream (approximate trim)."""

    kind: Literal["redis"] = "redis"
    url: str = "redis://127.0.0.1:6379/0"
    stream_prefix: str = "jts"
    consumer_group: str = "jts"
    maxlen: int = Field(default=100_000, gt=0)


class InProcessCacheConfig(FrozenConfig):
    """A dictionary in this process: fine for one process, not shared between workers."""

    kind: Literal["inprocess"] = "inprocess"


class RedisCacheConfig(FrozenConfig):
    """Redis for cache entries, locks and rate-limit state shared between processes."""

    kind: Literal["redis"] = "redis"
    url: str = "redis://127.0.0.1:6379/0"


class LogConfig(FrozenConfig):
    """``console`` is for people at a terminal, ``json`` (one object per line) for machines."""

    level: LogLevel = "INFO"
    format: LogFormat = "console"

    @field_validator("level", mode="before")
    @classmethod
    def _upper_case_level(cls, level: object) -> object:
        return level.upper() if isinstance(level, str) else level


class RiskConfig(FrozenConfig):
    """Pre-trade and portfolio limits; percentages are of account equity (20 means 20%).

    Per order: ``max_order_notional_krw``, ``max_open_orders`` (per strategy) and
    ``max_open_orders_total`` (the account), ``fat_finger_pct`` (a limit or stop price at
    most this far from the last price), ``trading_hours`` (no new risk while the venue does
    not accept orders: KRX from the 08:30 pre-open to the 15:30 close, not on weekends and
    holidays; crypto always). Exposure, with the order added: ``max_position_pct`` and
    ``max_position_krw`` (one instrument), ``max_strategy_exposure_pct`` (a strategy's gross
    exposure), ``max_gross_exposure_pct`` (the account's). Each strategy may commit (its
    positions plus working buys) ``strategy_budgets[name]`` KRW, or else
    ``strategy_budget_pct`` of equity. ``daily_loss_limit_pct``: no new risk once the day's
    loss (KST day, from its opening equity) reaches it. ``var_budget_pct``: no order taking
    the one-day VaR at ``var_confidence`` (historical, over the last ``var_window_days``
    daily returns) above this share of equity; the rule waits for ``var_min_days`` days of
    returns. ``max_drawdown_pct`` trips the kill switch. ``None`` turns an optional limit
    off. The defaults let one strategy use the whole account (the examples size positions
    at up to 30% each) while refusing typos, leverage and trading into a bad day.
    """

    max_order_notional_krw: Decimal = Field(default=Decimal(10_000_000), gt=0)
    max_position_pct: Percent | None = Decimal(50)
    max_position_krw: Decimal | None = Field(default=None, gt=0)
    max_strategy_exposure_pct: Percent | None = Decimal(100)
    max_gross_exposure_pct: Decimal | None = Field(default=Decimal(100), gt=0, le=1_000)
    strategy_budget_pct: Percent | None = Decimal(100)
    strategy_budgets: dict[str, Annotated[Decimal, Field(gt=0)]] = Field(default_factory=dict)
    fat_finger_pct: Decimal | None = Field(default=Decimal(10), gt=0, lt=100)
    trading_hours: bool = True
    daily_loss_limit_pct: Percent = Decimal(3)
    max_drawdown_pct: Percent = Decimal(15)
    var_budget_pct: Percent | None = Decimal(10)
    var_confidence: float = Field(default=0.99, gt=0.5, lt=1.0)
    var_window_days: int = Field(default=250, ge=20)
    var_min_days: int = Field(default=20, ge=2)
    max_open_orders: int = Field(default=50, ge=1)
    max_open_orders_total: int | None = Field(default=200, ge=1)


class ConsoleNotifierConfig(FrozenConfig):
    """Notifications printed to the process's console/log."""

    enabled: bool = True


class NotificationsConfig(FrozenConfig):
    """Notification channels; more channels (Telegram, Slack, e-mail) join as fields here.

    ``quiet_hours`` is ``HH:MM-HH:MM`` in ``time_zone`` (``22:00-07:00`` crosses midnight):
    non-critical notifications stay off push, e-mail and SMS then. The same dedup key is
    sent at most once per ``dedup_window_s``; an unacknowledged CRITICAL one is re-sent
    every ``escalate_after_s``, one channel further up, at most ``max_reminders`` times.
    """

    console: ConsoleNotifierConfig = ConsoleNotifierConfig()
    time_zone: str = "Asia/Seoul"
    quiet_hours: str | None = Field(default=None, pattern=r"^\d{2}:\d{2}-\d{2}:\d{2}$")
    dedup_window_s: float = Field(default=300.0, ge=0)
    escalate_after_s: float = Field(default=600.0, gt=0)
    max_reminders: int = Field(default=3, ge=0)


TimeseriesConfig = Annotated[DuckDBConfig | ClickHouseConfig, Field(discriminator="kind")]
BusConfig = Annotated[InProcessBusConfig | RedisBusConfig, Field(discriminator="kind")]
CacheConfig = Annotated[InProcessCacheConfig | RedisCacheConfig, Field(discriminator="kind")]

DEFAULT_KINDS = {"timeseries": "duckdb", "bus": "inprocess", "cache": "inprocess"}
