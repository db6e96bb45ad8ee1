"""Every test here starts from a clean slate: no JTS_* settings variables, no ./jts.yaml
(the working directory is a fresh temporary one) and logging as Python left it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from jts.bootstrap.logging import reset_logging


@pytest.fixture(autouse=True)
def isolated_settings_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    for name in list(os.environ):
        if name.upper().startswith("JTS_") and not name.upper().startswith("JTS_TEST_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    reset_logging()
