"""The one frozen ``Settings`` object, read from ``JTS_*`` variables over ``jts.yaml``.

Nested keys use ``__`` in variable names: ``JTS_BUS__KIND=redis``,
``JTS_BROKERS__UPBIT__SECRET_KEY=...``. Adapter sections (``timeseries``, ``bus``, ``cache``,
each broker) are unions discriminated on ``kind``; a section without ``kind`` takes the
embedded default. Every model rejects unknown keys, so a typo fails at start, and
``load_settings`` turns any problem into a ``ConfigurationError`` that names the key.

Only code that picks adapters (the composition root) should read ``Settings``; it hands each
adapter its own section.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from jts.bootstrap.broker_settings import (
    REAL_BROKER_CONFIGS,
    BinanceConfig,
    BrokerConfig,
    CreonConfig,
    KisConfig,
    SimulatedBrokerConfig,
    UpbitConfig,
)
from jts.bootstrap.settings_errors import describe_validation_error, unknown_env_names
from jts.bootstrap.settings_sections import (
    DEFAULT_KINDS,
    BusConfig,
    CacheConfig,
    ClickHouseConfig,
    DatabaseConfig,
    DuckDBConfig,
    InProcessBusConfig,
    InProcessCacheConfig,
    LogConfig,
    NotificationsConfig,
    RedisBusConfig,
    RedisCacheConfig,
    RiskConfig,
    TimeseriesConfig,
)
from jts.bootstrap.settings_sources import (
    DEFAULT_CONFIG_FILE,
    resolve_config_path,
    settings_sources,
)
from jts.shared_kernel.errors import ConfigurationError

__all__ = [
    "BinanceConfig",
    "BrokerConfig",
    "ClickHouseConfig",
    "CreonConfig",
    "DatabaseConfig",
    "DuckDBConfig",
    "InProcessBusConfig",
    "InProcessCacheConfig",
    "KisConfig",
    "LogConfig",
    "NotificationsConfig",
    "RedisBusConfig",
    "RedisCacheConfig",
    "RiskConfig",
    "Settings",
    "SimulatedBrokerConfig",
    "UpbitConfig",
    "load_settings",
]

DEFAULT_HOME = Path(".jts")
Environment = Literal["backtest", "paper", "live"]


class Settings(BaseSettings):
    """Everything JTS is configured with; see the module docstring for the sources."""

    model_config = SettingsConfigDict(
        env_prefix="JTS_",
        env_nested_delimiter="__",
        case_sensitive=False,
        frozen=True,
        extra="forbid",
    )

    home: Path = DEFAULT_HOME
    environment: Environment = "paper"
    database: DatabaseConfig
    timeseries: TimeseriesConfig
    bus: BusConfig = InProcessBusConfig()
    cache: CacheConfig = InProcessCacheConfig()
    log: LogConfig = LogConfig()
    brokers: dict[str, BrokerConfig] = Field(
        default_factory=lambda: {"paper": SimulatedBrokerConfig()}
    )
    risk: RiskConfig = RiskConfig()
    notifications: NotificationsConfig = NotificationsConfig()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # ``Settings(...)`` takes keyword arguments over JTS_* variables; ``load_settings``
        # adds the YAML file.
        return (init_settings, env_settings)

    @model_validator(mode="before")
    @classmethod
    def _fill_home_defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        raw_home = data.get("home", DEFAULT_HOME)
        # A bad ``home`` is reported by its field validator; fill the rest as if it were unset.
        home = Path(raw_home) if isinstance(raw_home, str | Path) else DEFAULT_HOME
        filled = dict(data)
        filled["database"] = _with_defaults(
            filled.get("database"), {"url": f"sqlite:///{home / 'jts.sqlite3'}"}
        )
        for section, kind in DEFAULT_KINDS.items():
            if section in filled or section == "timeseries":
                filled[section] = _with_defaults(filled.get(section), {"kind": kind})
        if _kind_of(filled["timeseries"]) == "duckdb":
            filled["timeseries"] = _with_defaults(
                filled["timeseries"],
                {"path": home / "timeseries.duckdb", "cold_path": home / "cold"},
            )
        return filled

    @field_validator("brokers")
    @classmethod
    def _broker_names_are_addressable(cls, brokers: dict[str, Any]) -> dict[str, Any]:
        for name in brokers:
            if not name.isidentifier() or name != name.lower():
                raise ValueError(
                    f"broker name {name!r} must be lower-case letters, digits and '_' "
                    f"(so JTS_BROKERS__{name.upper()}__... can reach it)"
                )
        return brokers

    @model_validator(mode="after")
    def _live_needs_a_real_broker(self) -> Settings:
        if self.environment == "live" and not any(
            isinstance(broker, REAL_BROKER_CONFIGS) for broker in self.brokers.values()
        ):
            raise ValueError(
                "environment is live but every broker is simulated; add a kis, creon, "
                "binance or upbit broker under brokers:, or use environment: paper"
            )
        return self


def _kind_of(section: Any) -> Any:
    return section.get("kind") if isinstance(section, dict) else getattr(section, "kind", None)


def _with_defaults(section: Any, defaults: dict[str, Any]) -> Any:
    """Fill keys that are missing or ``None`` in a raw mapping or an already-built model."""
    if section is None:
        return dict(defaults)
    if isinstance(section, dict):
        return {**defaults, **{k: v for k, v in section.items() if v is not None}}
    if isinstance(section, BaseModel):
        missing = {k: v for k, v in defaults.items() if getattr(section, k, None) is None}
        return section.model_copy(update=missing) if missing else section
    return section  # not a mapping: the field validator reports it


def load_settings(config_path: Path | None = None) -> Settings:
    """Read settings from ``JTS_*`` variables over the YAML file over defaults.

    The file is ``config_path``, else ``$JTS_CONFIG``, else ``./jts.yaml`` when it exists.
    Any problem raises ``ConfigurationError`` listing every bad key; values are never echoed.
    """
    path = resolve_config_path(config_path)
    yaml_name = str(path) if path is not None else DEFAULT_CONFIG_FILE.name
    problems = unknown_env_names(os.environ, Settings)
    if problems:
        raise ConfigurationError(_heading(path) + "".join(f"\n  - {p}" for p in problems))
    try:
        return Settings(_build_sources=(settings_sources(Settings, path), {}))
    except ValidationError as e:
        lines = describe_validation_error(e, Settings, yaml_name)
        # ``from None``: the ValidationError's text quotes input values, secrets included.
        raise ConfigurationError(_heading(path) + "".join(f"\n  - {p}" for p in lines)) from None
    except SettingsError as e:
        hint = (
            "a JTS_<SECTION> variable must hold JSON; or set one key per variable, "
            "e.g. JTS_BROKERS__MAIN__KIND=upbit"
        )
        raise ConfigurationError(f"{_heading(path)}\n  - {e} ({hint})") from None


def _heading(path: Path | None) -> str:
    source = f"{path}" if path is not None else f"defaults (no {DEFAULT_CONFIG_FILE} found)"
    return f"invalid settings from JTS_* environment variables and {source}:"
