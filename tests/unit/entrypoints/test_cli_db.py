"""``jts db upgrade|current`` through typer's CliRunner, on SQLite files in a temp dir.

The directory's conftest gives every test a fresh working directory and no JTS_* variables,
so the settings' default database is ``./.jts/jts.sqlite3`` inside the test's tmp dir.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from jts.bootstrap.database import head_revision
from jts.entrypoints.cli.main import app

runner = CliRunner()


HEAD = head_revision()


def test_upgrade_migrates_an_empty_database_then_reports_it_is_at_head(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"

    first = runner.invoke(app, ["db", "upgrade", "--url", url])
    second = runner.invoke(app, ["db", "upgrade", "--url", url])

    assert first.exit_code == 0, first.output
    assert f"{url}: upgraded from empty to revision {HEAD} (head)" in first.stdout
    assert second.exit_code == 0, second.output
    assert f"{url}: already at revision {HEAD} (head)" in second.stdout


def test_current_says_empty_before_and_head_after_an_upgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"

    before = runner.invoke(app, ["db", "current", "--url", url])
    runner.invoke(app, ["db", "upgrade", "--url", url])
    after = runner.invoke(app, ["db", "current", "--url", url])

    assert before.exit_code == 0, before.output
    assert f"empty (no migrations applied; run `jts db upgrade` to reach {HEAD})" in before.stdout
    assert after.exit_code == 0, after.output
    assert f"{url}: revision {HEAD} (head)" in after.stdout


def test_without_url_the_settings_database_is_used(tmp_path: Path) -> None:
    result = runner.invoke(app, ["db", "upgrade"], env={"JTS_HOME": str(tmp_path / "home")})

    assert result.exit_code == 0, result.output
    assert f"revision {HEAD} (head)" in result.stdout
    assert (tmp_path / "home" / "jts.sqlite3").exists()


def test_the_database_url_setting_is_honoured(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'from-env.sqlite3'}"

    result = runner.invoke(app, ["db", "upgrade"], env={"JTS_DATABASE__URL": url})

    assert result.exit_code == 0, result.output
    assert url in result.stdout
    assert (tmp_path / "from-env.sqlite3").exists()


def test_an_unreachable_database_fails_with_a_masked_url() -> None:
    url = "postgresql://jts:fake-db-pw-5e2b@127.0.0.1:1/jts?connect_timeout=2"

    result = runner.invoke(app, ["db", "current", "--url", url])

    assert result.exit_code == 1
    assert "fake-db-pw-5e2b" not in result.output
    assert "error: postgresql+psycopg://jts:**********@127.0.0.1:1/jts" in result.stderr
    assert "cannot read the schema revision" in result.stderr


def test_an_unsupported_url_is_explained() -> None:
    result = runner.invoke(app, ["db", "upgrade", "--url", "mysql://root@localhost/jts"])

    assert result.exit_code == 1
    assert "'mysql' is not supported" in result.stderr
    assert "sqlite:///" in result.stderr
