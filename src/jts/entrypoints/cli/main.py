"""The ``jts`` command line."""

from __future__ import annotations

import typer

import jts
from jts.entrypoints.cli.backtest import backtest
from jts.entrypoints.cli.config import config_app, global_options
from jts.entrypoints.cli.data import data_app
from jts.entrypoints.cli.db import db_app
from jts.entrypoints.cli.demo import demo_app
from jts.entrypoints.cli.optimize import optimize
from jts.entrypoints.cli.risk import risk_app
from jts.entrypoints.cli.strategy import strategy_app
from jts.entrypoints.cli.up import up

app = typer.Typer(
    name="jts",
    help="JTS: automated trading for Korean equities and crypto.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.callback()(global_options)
app.add_typer(config_app, name="config")
app.add_typer(data_app, name="data")
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
app.add_typer(risk_app, name="risk")
app.add_typer(strategy_app, name="strategy")
app.command("backtest")(backtest)
app.command("optimize")(optimize)
app.command("up")(up)


@app.command()
def version() -> None:
    """Print the JTS version."""
    typer.echo(jts.__version__)


if __name__ == "__main__":
    app()
