"""``jts config show|validate`` and the options every ``jts`` command shares.

``global_options`` is the root callback (``--config``, ``--log-level``, ``--log-format``);
commands call ``cli_settings(ctx)`` to get ``Settings``: it prints a configuration error
(which names each bad key) and exits with status 1 instead of a traceback, and configures
logging from the settings unless the command line chose the level or format.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, cast

import typer
import yaml

from jts.bootstrap.logging import LogFormat, configure_logging
from jts.bootstrap.secrets import mask_value
from jts.bootstrap.settings import Settings, load_settings
from jts.bootstrap.settings_sources import (
    CONFIG_PATH_ENV,
    flatten_mapping,
    resolve_config_path,
    setting_origins,
)
from jts.shared_kernel.errors import ConfigurationError

CONFIG_ERROR_EXIT_CODE = 1


class LogLevelOption(StrEnum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"
    CRITICAL = "CRITICAL"


class LogFormatOption(StrEnum):
    console = "console"
    json = "json"


class OutputFormat(StrEnum):
    yaml = "yaml"
    json = "json"


@dataclass(frozen=True)
class CliOptions:
    """What the root callback parsed; ``None`` means "not given on the command line"."""

    config_path: Path | None = None
    log_level: str | None = None
    log_format: str | None = None


def global_options(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            envvar=CONFIG_PATH_ENV,
            help="Settings file (default: ./jts.yaml when it exists).",
            dir_okay=False,
        ),
    ] = None,
    log_level: Annotated[
        LogLevelOption | None,
        typer.Option("--log-level", case_sensitive=False, help="Default: log.level setting."),
    ] = None,
    log_format: Annotated[
        LogFormatOption | None,
        typer.Option("--log-format", help="console for people, json for machines."),
    ] = None,
) -> None:
    """JTS: automated trading for Korean equities and crypto."""
    options = CliOptions(
        config_path=config,
        log_level=log_level.value if log_level is not None else None,
        log_format=log_format.value if log_format is not None else None,
    )
    ctx.obj = options
    configure_logging(options.log_level or "INFO", _log_format(options.log_format or "console"))


def cli_settings(ctx: typer.Context) -> Settings:
    """Load settings for a command, or print why they are invalid and exit with status 1."""
    options = ctx.find_object(CliOptions) or CliOptions()
    try:
        settings = load_settings(options.config_path)
    except ConfigurationError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(CONFIG_ERROR_EXIT_CODE) from None
    configure_logging(
        options.log_level or settings.log.level,
        _log_format(options.log_format or settings.log.format),
    )
    return settings


config_app = typer.Typer(help="Inspect and check settings.", no_args_is_help=True)


@config_app.command("show")
def show(
    ctx: typer.Context,
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="yaml or json.")
    ] = OutputFormat.yaml,
    origins: Annotated[
        bool,
        typer.Option("--origins", help="One line per key, with where its value came from."),
    ] = False,
) -> None:
    """Print the effective settings; every secret is shown as **********."""
    settings = cli_settings(ctx)
    shown = masked_settings(settings)
    if origins:
        options = ctx.find_object(CliOptions) or CliOptions()
        path = resolve_config_path(options.config_path)
        flat = flatten_mapping(shown)
        typer.echo(render_origins(flat, setting_origins(Settings, path, list(flat)), output))
    elif output is OutputFormat.json:
        typer.echo(json.dumps(shown, indent=2, ensure_ascii=False))
    else:
        typer.echo(yaml.safe_dump(shown, sort_keys=False, allow_unicode=True).rstrip())


@config_app.command("validate")
def validate(ctx: typer.Context) -> None:
    """Check the settings; exit status 1 and a list of bad keys when they are invalid."""
    settings = cli_settings(ctx)
    typer.echo(f"settings are valid: {summary(settings)}")


def masked_settings(settings: Settings) -> dict[str, Any]:
    """The settings as plain JSON-able data with every secret replaced by ``**********``."""
    shown: dict[str, Any] = mask_value(settings.model_dump(mode="json"))
    return shown


def render_origins(flat: dict[str, Any], origins: dict[str, str], output: OutputFormat) -> str:
    """``key: value  # origin`` lines (yaml) or ``{key: {value, origin}}`` (json)."""
    if output is OutputFormat.json:
        table = {key: {"value": value, "origin": origins[key]} for key, value in flat.items()}
        return json.dumps(table, indent=2, ensure_ascii=False)
    return "\n".join(
        f"{key}: {json.dumps(value, ensure_ascii=False)}  # {origins[key]}"
        for key, value in flat.items()
    )


def summary(settings: Settings) -> str:
    """One line naming the environment and the adapter chosen for each section."""
    brokers = ", ".join(f"{name}={broker.kind}" for name, broker in settings.brokers.items())
    return (
        f"environment={settings.environment} "
        f"database={settings.database.url.split('://', 1)[0]} "
        f"timeseries={settings.timeseries.kind} bus={settings.bus.kind} "
        f"cache={settings.cache.kind} brokers=[{brokers}]"
    )


def _log_format(value: str) -> LogFormat:
    # The option enum and the settings Literal share their values; configure_logging checks.
    return cast(LogFormat, value)
