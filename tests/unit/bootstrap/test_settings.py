from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from jts.bootstrap.settings import (
    BinanceConfig,
    ClickHouseConfig,
    DatabaseConfig,
    DuckDBConfig,
    InProcessBusConfig,
    InProcessCacheConfig,
    KisConfig,
    RedisBusConfig,
    RedisCacheConfig,
    Settings,
    SimulatedBrokerConfig,
    UpbitConfig,
    load_settings,
)

UPBIT_YAML = """
brokers:
  upbit:
    kind: upbit
    access_key: yaml-access-key
    secret_key: yaml-secret-key
"""


def write_yaml(directory: Path, text: str, name: str = "jts.yaml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_the_embedded_paper_setup() -> None:
    settings = load_settings()

    assert settings.home == Path(".jts")
    assert settings.environment == "paper"
    assert settings.database == DatabaseConfig(url="sqlite:///.jts/jts.sqlite3")
    assert settings.timeseries == DuckDBConfig(
        path=Path(".jts/timeseries.duckdb"), cold_path=Path(".jts/cold")
    )
    assert settings.bus == InProcessBusConfig(queue_size=10_000)
    assert settings.cache == InProcessCacheConfig()
    assert settings.brokers == {"paper": SimulatedBrokerConfig()}
    assert settings.log.level == "INFO"
    assert settings.log.format == "console"
    assert settings.notifications.console.enabled is True


def test_home_moves_every_default_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JTS_HOME", "/srv/jts")

    settings = load_settings()

    assert settings.database.url == "sqlite:////srv/jts/jts.sqlite3"
    assert isinstance(settings.timeseries, DuckDBConfig)
    assert settings.timeseries.path == Path("/srv/jts/timeseries.duckdb")
    assert settings.timeseries.cold_path == Path("/srv/jts/cold")


def test_risk_defaults_are_sensible() -> None:
    risk = load_settings().risk

    assert risk.max_order_notional_krw == Decimal(10_000_000)
    assert Decimal(0) < risk.daily_loss_limit_pct < risk.max_drawdown_pct <= Decimal(100)
    assert 0.5 < risk.var_confidence < 1.0
    assert risk.max_open_orders >= 1


def test_yaml_file_is_read(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path,
        """
environment: backtest
database:
  url: postgresql+psycopg://jts:pw@db:5432/jts
bus: {kind: redis, url: "redis://cache:6379/1", maxlen: 5000}
cache: {kind: redis, url: "redis://cache:6379/2"}
timeseries: {kind: clickhouse, host: ch, password: chpw}
risk: {max_open_orders: 7, max_position_pct: 12.5}
log: {level: debug, format: json}
""",
    )

    settings = load_settings(path)

    assert settings.environment == "backtest"
    assert settings.database.url == "postgresql+psycopg://jts:pw@db:5432/jts"
    assert settings.bus == RedisBusConfig(url="redis://cache:6379/1", maxlen=5000)
    assert settings.cache == RedisCacheConfig(url="redis://cache:6379/2")
    assert isinstance(settings.timeseries, ClickHouseConfig)
    assert settings.timeseries.host == "ch"
    assert settings.timeseries.password.get_secret_value() == "chpw"
    assert settings.risk.max_open_orders == 7
    assert settings.risk.max_position_pct == Decimal("12.5")
    assert (settings.log.level, settings.log.format) == ("DEBUG", "json")


def test_section_without_kind_keeps_the_embedded_adapter(tmp_path: Path) -> None:
    path = write_yaml(tmp_path, "timeseries: {cold_path: /archive}\nbus: {queue_size: 64}\n")

    settings = load_settings(path)

    assert settings.timeseries == DuckDBConfig(
        path=Path(".jts/timeseries.duckdb"), cold_path=Path("/archive")
    )
    assert settings.bus == InProcessBusConfig(queue_size=64)


def test_environment_overrides_yaml_key_by_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_yaml(tmp_path, UPBIT_YAML + "environment: backtest\n")
    monkeypatch.setenv("JTS_ENVIRONMENT", "live")
    monkeypatch.setenv("JTS_BROKERS__UPBIT__SECRET_KEY", "env-secret-key")

    settings = load_settings(path)

    upbit = settings.brokers["upbit"]
    assert isinstance(upbit, UpbitConfig)
    assert settings.environment == "live"
    assert upbit.access_key.get_secret_value() == "yaml-access-key"
    assert upbit.secret_key.get_secret_value() == "env-secret-key"


def test_brokers_can_come_from_the_environment_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JTS_BROKERS__MAIN__KIND", "kis")
    monkeypatch.setenv("JTS_BROKERS__MAIN__APP_KEY", "k")
    monkeypatch.setenv("JTS_BROKERS__MAIN__APP_SECRET", "s")
    monkeypatch.setenv("JTS_BROKERS__MAIN__ACCOUNT_NO", "12345678-01")
    monkeypatch.setenv("JTS_BROKERS__MAIN__ENVIRONMENT", "real")

    broker = load_settings().brokers["main"]

    assert isinstance(broker, KisConfig)
    assert (broker.account_no, broker.environment) == ("12345678-01", "real")


def test_config_path_from_jts_config_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "conf").mkdir()
    path = write_yaml(tmp_path / "conf", "environment: backtest\n", name="elsewhere.yaml")
    monkeypatch.setenv("JTS_CONFIG", str(path))

    assert load_settings().environment == "backtest"


def test_jts_yaml_in_the_working_directory_is_picked_up(tmp_path: Path) -> None:
    write_yaml(tmp_path, "environment: backtest\n")

    assert load_settings().environment == "backtest"


def test_settings_are_frozen() -> None:
    settings = load_settings()

    with pytest.raises(ValidationError, match="frozen"):
        settings.environment = "live"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        settings.database.url = "sqlite:///x"  # type: ignore[misc]


def test_sections_built_in_code_get_home_defaults_too() -> None:
    settings = Settings(home=Path("/h"), timeseries=DuckDBConfig(cold_path=Path("/c")))

    assert settings.timeseries == DuckDBConfig(
        path=Path("/h/timeseries.duckdb"), cold_path=Path("/c")
    )
    assert settings.database.url == "sqlite:////h/jts.sqlite3"


def test_live_with_a_real_broker_is_accepted(tmp_path: Path) -> None:
    path = write_yaml(tmp_path, UPBIT_YAML + "environment: live\n")

    assert load_settings(path).environment == "live"


def test_binance_defaults_to_production_endpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JTS_BROKERS__BN__KIND", "binance")
    monkeypatch.setenv("JTS_BROKERS__BN__API_KEY", "k")
    monkeypatch.setenv("JTS_BROKERS__BN__API_SECRET", "s")

    broker = load_settings().brokers["bn"]

    assert isinstance(broker, BinanceConfig)
    assert broker.testnet is False


def test_repr_and_str_never_show_secrets_or_url_passwords(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path,
        UPBIT_YAML
        + """
database: {url: "postgresql+psycopg://jts:db-password@db/jts"}
bus: {kind: redis, url: "redis://:redis-password@cache:6379/0"}
""",
    )

    settings = load_settings(path)

    for text in (repr(settings), str(settings)):
        for secret in ("yaml-access-key", "yaml-secret-key", "db-password", "redis-password"):
            assert secret not in text
        assert "postgresql+psycopg://jts:**********@db/jts" in text
