"""The same clean slate as tests/unit/bootstrap: no JTS_* variables, no ./jts.yaml."""

from tests.unit.bootstrap.conftest import isolated_settings_env

__all__ = ["isolated_settings_env"]
