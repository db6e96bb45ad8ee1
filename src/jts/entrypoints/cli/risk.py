"""``jts risk kill|release|status``: the kill switch of a paper account, from any shell.

The switch is state in the transactional store (``database.url`` of the settings), so these
commands work whether or not ``jts up`` runs: a running node reads the store every second,
halts within about a second of ``kill`` (entry orders canceled, strategies reduce-only, a
CRITICAL alert with the reason given here) and resumes entries after ``release``. A node
started while the switch is engaged stays halted. Killing twice keeps the first reason.

The live wiring is imported inside the commands, so ``jts --help`` stays fast.
"""

from __future__ import annotations

import getpass
import json
from typing import Annotated, NoReturn

import typer

from jts.entrypoints.cli.config import cli_settings
from jts.shared_kernel.errors import JtsError

RISK_ERROR_EXIT_CODE = 1
ENGAGED_EXIT_CODE = 2

risk_app = typer.Typer(help="The kill switch of a paper account.", no_args_is_help=True)

AccountOption = Annotated[str, typer.Option("--account", help="The paper account's id.")]
ReasonOption = Annotated[
    str, typer.Option("--reason", help="Why (shown in the node's alert and in status).")
]


@risk_app.command("kill")
def kill(ctx: typer.Context, reason: ReasonOption, account: AccountOption = "paper") -> None:
    """Engage the kill switch: cancel entry orders, strategies reduce-only, until released."""
    from jts.bootstrap import risk_controls

    settings = cli_settings(ctx)
    try:
        change = risk_controls.engage(settings, account, reason=reason, by=_operator())
    except JtsError as e:
        _fail(e)
    typer.echo(change.summary)


@risk_app.command("release")
def release(ctx: typer.Context, reason: ReasonOption, account: AccountOption = "paper") -> None:
    """Release the kill switch: strategies may open positions again."""
    from jts.bootstrap import risk_controls

    settings = cli_settings(ctx)
    try:
        change = risk_controls.release(settings, account, reason=reason, by=_operator())
    except JtsError as e:
        _fail(e)
    typer.echo(change.summary)


@risk_app.command("status")
def status(
    ctx: typer.Context,
    account: AccountOption = "paper",
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
) -> None:
    """Show the kill switch; exit status 2 while it is engaged."""
    from jts.bootstrap import risk_controls

    settings = cli_settings(ctx)
    try:
        document = risk_controls.as_document(risk_controls.status(settings, account))
    except JtsError as e:
        _fail(e)
    if as_json:
        typer.echo(json.dumps(document, indent=2))
    elif document["engaged"]:
        typer.echo(
            f"kill switch of {account}: ENGAGED ({document['source']}) since "
            f"{document['engaged_at']} by {document['engaged_by']}: {document['reason']}"
        )
    elif document["released_at"] is not None:
        typer.echo(
            f"kill switch of {account}: released at {document['released_at']} by "
            f"{document['released_by']}: {document['release_reason']}"
        )
    else:
        typer.echo(f"kill switch of {account}: not engaged")
    if document["engaged"]:
        raise typer.Exit(ENGAGED_EXIT_CODE)


def _operator() -> str:
    try:
        return f"{getpass.getuser()} (jts risk)"
    except (KeyError, OSError):
        return "operator (jts risk)"


def _fail(error: JtsError) -> NoReturn:
    typer.echo(f"error: {error}", err=True)
    raise typer.Exit(RISK_ERROR_EXIT_CODE)
