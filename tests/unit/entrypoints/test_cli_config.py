import json
import logging
from pathlib import Path

import typer
import yaml
from typer.testing import CliRunner

import jts
from jts.entrypoints.cli.config import cli_settings, global_options
from jts.entrypoints.cli.main import app

FAKE_ENV = {
    "JTS_BROKERS__UPBIT__KIND": "upbit",
    "JTS_BROKERS__UPBIT__ACCESS_KEY": "fake-upbit-access-9f3a",
    "JTS_BROKERS__UPBIT__SECRET_KEY": "fake-upbit-secret-77c1",
    "JTS_DATABASE__URL": "postgresql+psycopg://jts:fake-db-pw-5e2b@db:5432/jts",
    "JTS_BUS__KIND": "redis",
    "JTS_BUS__URL": "redis://:fake-redis-pw-31aa@cache:6379/0",
}
FAKE_SECRETS = (
    "fake-upbit-access-9f3a",
    "fake-upbit-secret-77c1",
    "fake-db-pw-5e2b",
    "fake-redis-pw-31aa",
)

runner = CliRunner()


def test_show_prints_effective_settings_as_yaml_with_secrets_masked() -> None:
    result = runner.invoke(app, ["config", "show"], env=FAKE_ENV)

    assert result.exit_code == 0, result.output
    for secret in FAKE_SECRETS:
        assert secret not in result.output
    shown = yaml.safe_load(result.stdout)
    assert shown["brokers"]["upbit"] == {
        "kind": "upbit",
        "access_key": "**********",
        "secret_key": "**********",
    }
    assert shown["database"]["url"] == "postgresql+psycopg://jts:**********@db:5432/jts"
    assert shown["bus"]["url"] == "redis://:**********@cache:6379/0"
    assert shown["environment"] == "paper"


def test_show_as_json(tmp_path: Path) -> None:
    config = tmp_path / "custom.yaml"
    config.write_text("environment: backtest\nrisk: {max_open_orders: 3}\n")

    result = runner.invoke(app, ["--config", str(config), "config", "show", "--format", "json"])

    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["environment"] == "backtest"
    assert shown["risk"]["max_open_orders"] == 3


def test_show_origins_says_where_each_value_came_from(tmp_path: Path) -> None:
    (tmp_path / "jts.yaml").write_text("environment: backtest\nbus: {kind: redis}\n")

    result = runner.invoke(app, ["config", "show", "--origins"], env=FAKE_ENV)

    assert result.exit_code == 0, result.output
    assert 'environment: "backtest"  # jts.yaml' in result.stdout
    assert 'bus.kind: "redis"  # env JTS_BUS__KIND' in result.stdout
    assert (
        'brokers.upbit.secret_key: "**********"  # env JTS_BROKERS__UPBIT__SECRET_KEY'
        in result.stdout
    )
    assert 'log.level: "INFO"  # default' in result.stdout
    for secret in FAKE_SECRETS:
        assert secret not in result.output


def test_show_origins_as_json() -> None:
    result = runner.invoke(app, ["config", "show", "--origins", "-f", "json"], env=FAKE_ENV)

    assert result.exit_code == 0, result.output
    table = json.loads(result.stdout)
    assert table["brokers.upbit.access_key"] == {
        "value": "**********",
        "origin": "env JTS_BROKERS__UPBIT__ACCESS_KEY",
    }
    assert table["cache.kind"] == {"value": "inprocess", "origin": "default"}


def test_validate_summarises_valid_settings() -> None:
    result = runner.invoke(app, ["config", "validate"], env=FAKE_ENV)

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "settings are valid: environment=paper database=postgresql+psycopg "
        "timeseries=duckdb bus=redis cache=inprocess brokers=[upbit=upbit]"
    )


def test_validate_lists_bad_keys_and_exits_with_status_1() -> None:
    env = {**FAKE_ENV, "JTS_BROKERS__UPBIT__SECRET_KEY": "", "JTS_ENVIRONEMNT": "live"}

    result = runner.invoke(app, ["config", "validate"], env=env)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert "JTS_ENVIRONEMNT: unknown setting 'environemnt'; did you mean JTS_ENVIRONMENT?" in (
        result.stderr
    )


def test_invalid_settings_never_echo_secrets() -> None:
    env = {**FAKE_ENV, "JTS_BROKERS__UPBIT__SECRTE_KEY": "fake-upbit-secret-77c1"}

    result = runner.invoke(app, ["config", "show"], env=env)

    assert result.exit_code == 1
    assert "brokers.upbit.secrte_key: unknown key; did you mean secret_key?" in result.stderr
    for secret in FAKE_SECRETS:
        assert secret not in result.output


def test_missing_config_file_is_reported(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--config", str(tmp_path / "nope.yaml"), "config", "validate"])

    assert result.exit_code == 1
    assert "nope.yaml does not exist" in result.stderr


def test_config_file_from_jts_config_variable(tmp_path: Path) -> None:
    config = tmp_path / "elsewhere.yaml"
    config.write_text("environment: backtest\n")

    result = runner.invoke(app, ["config", "validate"], env={"JTS_CONFIG": str(config)})

    assert result.exit_code == 0, result.output
    assert "environment=backtest" in result.stdout


def test_bad_log_level_is_a_usage_error() -> None:
    result = runner.invoke(app, ["--log-level", "verbose", "config", "validate"])

    assert result.exit_code == 2
    assert "--log-level" in result.output


def test_version_still_works_with_global_options() -> None:
    result = runner.invoke(app, ["--log-format", "json", "--log-level", "debug", "version"])

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == jts.__version__


def make_app_with_a_logging_command() -> typer.Typer:
    probe = typer.Typer()
    probe.callback()(global_options)

    @probe.command()
    def work(ctx: typer.Context) -> None:
        settings = cli_settings(ctx)
        logging.getLogger("jts.probe").info("working", extra={"env": settings.environment})

    @probe.command()
    def other() -> None:
        """A second command, so that ``work`` is addressed by name."""

    return probe


def test_commands_log_as_the_settings_say_unless_the_command_line_overrides(
    tmp_path: Path,
) -> None:
    (tmp_path / "jts.yaml").write_text("log: {format: json, level: info}\n")
    probe = make_app_with_a_logging_command()

    from_settings = runner.invoke(probe, ["work"])
    from_flags = runner.invoke(probe, ["--log-format", "console", "--log-level", "error", "work"])

    assert from_settings.exit_code == 0, from_settings.output
    line = json.loads(from_settings.stderr)
    assert (line["event"], line["env"], line["logger"]) == ("working", "paper", "jts.probe")
    assert from_flags.exit_code == 0, from_flags.output
    assert from_flags.stderr == ""
