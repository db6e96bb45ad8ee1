"""Where settings come from: ``JTS_*`` environment variables over ``jts.yaml`` over defaults.

Also answers "where did this value come from?" for ``jts config show --origins``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    YamlConfigSettingsSource,
)

from jts.shared_kernel.errors import ConfigurationError

CONFIG_PATH_ENV = "JTS_CONFIG"
DEFAULT_CONFIG_FILE = Path("jts.yaml")
DEFAULT_ORIGIN = "default"


class JtsYamlSource(YamlConfigSettingsSource):
    """pydantic-settings' YAML source, with errors that say which file, line and column."""

    def _read_file(self, file_path: Any) -> dict[str, Any]:
        try:
            data = super()._read_file(file_path)
        except yaml.YAMLError as e:
            raise ConfigurationError(f"{file_path}: not valid YAML {_yaml_problem(e)}") from None
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigurationError(f"{file_path}: cannot be read ({e})") from None
        if not isinstance(data, dict):
            raise ConfigurationError(
                f"{file_path}: the top level must be a mapping of settings "
                f"(environment:, brokers:, ...), not a {type(data).__name__}"
            )
        return data


def _yaml_problem(error: yaml.YAMLError) -> str:
    # Only position and problem: the snippet PyYAML quotes could contain a secret.
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or "syntax error"
    if mark is None:
        return f"({problem})"
    return f"at line {mark.line + 1}, column {mark.column + 1} ({problem})"


def resolve_config_path(config_path: Path | None) -> Path | None:
    """The YAML file to read: the one given, else ``$JTS_CONFIG``, else ``./jts.yaml`` if any.

    A file that was asked for explicitly (argument or ``$JTS_CONFIG``) must exist.
    """
    if config_path is None and os.environ.get(CONFIG_PATH_ENV):
        config_path = Path(os.environ[CONFIG_PATH_ENV])
    if config_path is None:
        return DEFAULT_CONFIG_FILE if DEFAULT_CONFIG_FILE.is_file() else None
    config_path = config_path.expanduser()
    if not config_path.is_file():
        raise ConfigurationError(
            f"config file {config_path} does not exist or is not a file; pass an existing "
            f"jts.yaml with --config or {CONFIG_PATH_ENV}, or leave both unset to use defaults"
        )
    return config_path


def settings_sources(
    settings_cls: type[BaseSettings], config_path: Path | None
) -> tuple[PydanticBaseSettingsSource, ...]:
    """The sources in priority order: environment first, then the YAML file (if any)."""
    env = EnvSettingsSource(settings_cls)
    if config_path is None:
        return (env,)
    return (env, JtsYamlSource(settings_cls, yaml_file=config_path))


def setting_origins(
    settings_cls: type[BaseSettings], config_path: Path | None, dotted_keys: list[str]
) -> dict[str, str]:
    """For each dotted key, ``env JTS_...``, the YAML file's name, or ``default``."""
    env_keys = _flatten(EnvSettingsSource(settings_cls)())
    yaml_keys = (
        _flatten(JtsYamlSource(settings_cls, yaml_file=config_path)())
        if config_path is not None
        else set()
    )
    origins: dict[str, str] = {}
    for key in dotted_keys:
        if _covers(env_keys, key):
            origins[key] = f"env {env_var_name(key)}"
        elif _covers(yaml_keys, key):
            origins[key] = str(config_path)
        else:
            origins[key] = DEFAULT_ORIGIN
    return origins


def env_var_name(dotted_key: str) -> str:
    """``brokers.upbit.secret_key`` -> ``JTS_BROKERS__UPBIT__SECRET_KEY``."""
    return "JTS_" + "__".join(part.upper() for part in dotted_key.split(".") if part)


def flatten_mapping(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` -> ``{"a.b": 1}``; an empty mapping stays as one leaf."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            flat.update(flatten_mapping(value, f"{dotted}."))
        else:
            flat[dotted] = value
    return flat


def _flatten(data: Mapping[str, Any]) -> set[str]:
    return {key.lower() for key in flatten_mapping(data)}


def _covers(sourced: set[str], key: str) -> bool:
    parts = key.lower().split(".")
    return any(".".join(parts[:n]) in sourced for n in range(1, len(parts) + 1))
