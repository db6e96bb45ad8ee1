"""``jts strategy validate FILE...`` and ``jts strategy explain FILE``.

Problems print compiler style on standard error (``FILE:LINE:COL: error: MESSAGE``, the
source line and a caret), every problem of every file at once, and the command exits with
status 1. No Python traceback reaches the terminal, whatever the input.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:  # the compiler pulls numba in: imported when a command runs
    from jts.contexts.strategy.application.validation import SourceReport
    from jts.contexts.strategy.domain.language.compiler import CompiledStrategy

INVALID_EXIT_CODE = 1

strategy_app = typer.Typer(
    help="Check and describe strategies written in the JTS strategy language.",
    no_args_is_help=True,
)

FilesArgument = Annotated[
    list[Path], typer.Argument(help="Strategy source files (.jts).", show_default=False)
]
FileArgument = Annotated[Path, typer.Argument(help="A strategy source file (.jts).")]


def _read(path: Path) -> str | SourceReport:
    from jts.contexts.strategy.application.validation import unreadable

    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return unreadable(str(path), "no such file")
    except IsADirectoryError:
        return unreadable(str(path), "it is a directory; pass the .jts files in it")
    except UnicodeDecodeError as e:
        return unreadable(str(path), f"it is not UTF-8 text (byte {e.start})")
    except OSError as e:
        return unreadable(str(path), e.strerror or str(e))


def _compile(path: Path) -> tuple[CompiledStrategy | None, SourceReport]:
    from jts.contexts.strategy.application.validation import compile_source

    source = _read(path)
    if not isinstance(source, str):
        return None, source
    return compile_source(source, str(path))


@strategy_app.command("validate")
def validate(files: FilesArgument) -> None:
    """Check every FILE; print each problem with its location, exit 1 if any has an error."""
    failed = False
    for path in files:
        _, report = _compile(path)
        if report.rendered:
            typer.echo(report.rendered, err=True)
        typer.echo(report.summary())
        failed = failed or not report.ok
    if failed:
        raise typer.Exit(INVALID_EXIT_CODE)


@strategy_app.command("explain")
def explain(file: FileArgument) -> None:
    """Describe FILE: parameters, indicators, warm-up per timeframe and the rule tree."""
    from jts.contexts.strategy.application.explain import explain as explain_strategy

    strategy, report = _compile(file)
    if report.rendered:
        typer.echo(report.rendered, err=True)
    if strategy is None:
        raise typer.Exit(INVALID_EXIT_CODE)
    typer.echo(explain_strategy(strategy))
