"""``jts optimize FILE --data PATH``: search a strategy's parameters on historical bars.

Grid search tries every point of the program's ``param ... range ... step`` grid; ``tpe``
lets Optuna's TPE pick ``--trials`` of them (seeded by ``--seed``). Each set is backtested
and scored by ``--objective`` (sharpe, sortino, calmar, return_over_max_drawdown, sqn);
sets with fewer than ``--min-trades`` closed trades or a deeper drawdown than
``--max-drawdown`` rank last. ``--walk-forward train=N,test=M[,anchored]`` (bars, or days
as ``90d``) also optimizes each training window and tests the winner on the next span.
The run and its trials are stored in the transactional store. A progress bar with ETA
shows on a terminal unless ``--json`` is given; ``--json`` prints the run's document.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from jts.entrypoints.cli.config import cli_settings
from jts.shared_kernel.errors import JtsError

if TYPE_CHECKING:
    from jts.bootstrap.optimize import OptimizeRun

OPTIMIZE_ERROR_EXIT_CODE = 1
METHODS = ("grid", "tpe")


def optimize(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A strategy source file (.jts).")],
    data: Annotated[
        Path,
        typer.Option("--data", help="Bars: CSV or Parquet, timestamp,open,high,low,close,volume."),
    ],
    method: Annotated[str, typer.Option(help="grid (every set) or tpe (Optuna TPE).")] = "grid",
    objective: Annotated[
        str, typer.Option(help="sharpe, sortino, calmar, return_over_max_drawdown or sqn.")
    ] = "sharpe",
    symbol: Annotated[
        str | None,
        typer.Option(help="Instrument of the universe the data is for (default: first)."),
    ] = None,
    walk_forward: Annotated[
        str | None,
        typer.Option("--walk-forward", help="train=N,test=M[,anchored]; N, M bars or days (90d)."),
    ] = None,
    jobs: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    trials: Annotated[int, typer.Option(help="TPE: parameter sets to try.")] = 100,
    seed: Annotated[int, typer.Option(help="TPE: random seed.")] = 0,
    min_trades: Annotated[int, typer.Option(help="Fewest closed trades a set may have.")] = 0,
    max_drawdown: Annotated[
        float | None, typer.Option(help="Deepest drawdown a set may have, e.g. 0.25.")
    ] = None,
    cash: Annotated[str | None, typer.Option(help="Starting cash in the quote currency.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run as JSON.")] = False,
    report: Annotated[Path | None, typer.Option(help="Write an HTML report to this path.")] = None,
) -> None:
    """Optimize FILE's parameters on the bars in --data; store the run, print the result."""
    if method not in METHODS:
        _fail(f"--method {method!r}: choose grid or tpe")
    from jts.bootstrap.optimize import OptimizeOptions, optimize_files  # heavy: on use only

    settings = cli_settings(ctx)
    options = OptimizeOptions(
        strategy_path=file,
        data_path=data,
        method="tpe" if method == "tpe" else "grid",
        objective=objective,
        symbol=symbol,
        walk_forward=walk_forward,
        jobs=jobs,
        trials=trials,
        seed=seed,
        min_trades=min_trades,
        max_drawdown=max_drawdown,
        cash=_cash(cash),
        report=report,
        progress=not as_json,
    )
    try:
        run = optimize_files(options, settings)
    except JtsError as e:
        _fail(str(e))
    if as_json:
        typer.echo(json.dumps({**run.document, "run_id": run.run_id}, allow_nan=False, indent=2))
    else:
        typer.echo(summary(run))


def summary(run: OptimizeRun) -> str:
    """The run in a few lines for a terminal."""
    doc = run.document
    best = doc["best"]
    lines = [
        f"strategy {doc['strategy']}: {doc['method']} search, objective {doc['objective']}, "
        f"{len(doc['trials'])} trials",
        f"best {_params(best['parameters'])}: score {_number(best['score'])}, "
        f"{best['trades']} trades, return {_number(best['metrics']['total_return'])}",
    ]
    for number, window in enumerate(doc["walk_forward"], start=1):
        lines.append(
            f"  window {number}: train {_span(window['train'])} test {_span(window['test'])} "
            f"{_params(window['parameters'])} IS {_number(window['in_sample_objective'])} "
            f"OOS {_number(window['out_of_sample_objective'])}"
        )
    if doc["out_of_sample"] is not None:
        lines.append(f"out of sample: {_number(doc['out_of_sample']['objective'])}")
    dsr, pbo = doc["deflated_sharpe"], doc["pbo"]
    lines.append(f"deflated Sharpe probability: {_number(dsr['probability'] if dsr else None)}")
    lines.append(
        f"probability of backtest overfitting: {_number(pbo['probability'] if pbo else None)}"
    )
    lines += [f"note: {note}" for note in doc["notes"]]
    lines.append(f"stored as run {run.run_id}")
    if run.report_path is not None:
        lines.append(f"report: {run.report_path}")
    return "\n".join(lines)


def _span(span: dict[str, Any]) -> str:
    return f"{span['start'][:10]}..{span['end'][:10]}"


def _params(params: dict[str, Any]) -> str:
    return ", ".join(f"{name}={value}" for name, value in params.items()) or "(none)"


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4g}"


def _cash(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        _fail(f"--cash {text!r} is not a number; give e.g. 100000000")
    if not amount.is_finite() or amount <= 0:
        _fail(f"--cash {text}: give a positive amount")
    return amount


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(OPTIMIZE_ERROR_EXIT_CODE)
