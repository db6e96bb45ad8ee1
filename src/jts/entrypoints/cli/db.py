"""``jts db upgrade|current``: migrate the transactional store and report its revision.

The database is ``--url`` when given, otherwise ``database.url`` from the settings
(``JTS_DATABASE__URL`` or ``jts.yaml``; SQLite under the home directory by default).
"""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer

from jts.entrypoints.cli.config import cli_settings
from jts.shared_kernel.errors import JtsError

STORE_ERROR_EXIT_CODE = 1

db_app = typer.Typer(help="Create and migrate the transactional store.", no_args_is_help=True)

UrlOption = Annotated[
    str | None,
    typer.Option(
        "--url",
        help="Database URL (sqlite:///path or postgresql+psycopg://...); "
        "default: database.url from the settings.",
    ),
]


@db_app.command("upgrade")
def upgrade(ctx: typer.Context, url: UrlOption = None) -> None:
    """Bring the schema to the newest revision (safe to run again) and print the revision."""
    from jts.bootstrap.database import database_revision, display_url, upgrade_database

    target = url if url is not None else cli_settings(ctx).database.url
    try:
        before = database_revision(target)
        after = upgrade_database(target)
    except JtsError as e:
        _fail(target, e)
    action = "already at" if before == after else f"upgraded from {before or 'empty'} to"
    typer.echo(f"{display_url(target)}: {action} revision {after} (head)")


@db_app.command("current")
def current(ctx: typer.Context, url: UrlOption = None) -> None:
    """Print the schema revision the database is at, and whether it is the newest."""
    from jts.bootstrap.database import database_revision, display_url, head_revision

    target = url if url is not None else cli_settings(ctx).database.url
    try:
        revision = database_revision(target)
    except JtsError as e:
        _fail(target, e)
    head = head_revision()
    if revision is None:
        state = f"empty (no migrations applied; run `jts db upgrade` to reach {head})"
    elif revision == head:
        state = f"revision {revision} (head)"
    else:
        state = f"revision {revision} (head is {head}; run `jts db upgrade`)"
    typer.echo(f"{display_url(target)}: {state}")


def _fail(target: str, error: JtsError) -> NoReturn:
    from jts.bootstrap.database import display_url

    try:
        where = display_url(target)
    except JtsError:
        where = "the database"
    typer.echo(f"error: {where}: {error}", err=True)
    raise typer.Exit(STORE_ERROR_EXIT_CODE)
