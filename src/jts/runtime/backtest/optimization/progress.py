"""Progress of a search: a bar with counts, elapsed time and ETA on standard error.

``RichProgress`` draws with ``rich`` on stderr (so ``--json`` output on stdout stays clean);
``NullProgress`` draws nothing (``--json``, or stderr is not a terminal). ``progress_for``
picks between them.
"""

from __future__ import annotations

import sys
from typing import Protocol, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class SearchProgress(Protocol):
    """Told how much work a stage has and how much is done."""

    def stage(self, description: str, total: int) -> None:
        """A new stage of ``total`` trials starts (the previous one is complete)."""
        ...

    def advance(self, done: int) -> None:
        """``done`` more trials of the current stage finished."""
        ...

    def close(self) -> None:
        """The search is over; remove the display."""
        ...


class NullProgress:
    """Shows nothing."""

    def stage(self, description: str, total: int) -> None:
        return None

    def advance(self, done: int) -> None:
        return None

    def close(self) -> None:
        return None


class RichProgress:
    """A ``rich`` progress bar per stage with trials done, elapsed time and ETA."""

    def __init__(self, stream: TextIO | None = None) -> None:
        console = Console(file=stream or sys.stderr)
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("trials"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._task: TaskID | None = None
        self._progress.start()

    def stage(self, description: str, total: int) -> None:
        if self._task is not None:
            self._progress.update(self._task, completed=self._progress.tasks[-1].total)
        self._task = self._progress.add_task(description, total=total)

    def advance(self, done: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, done)

    def close(self) -> None:
        self._progress.stop()


def progress_for(enabled: bool, stream: TextIO | None = None) -> SearchProgress:
    """A bar on ``stream`` (stderr) when ``enabled`` and it is a terminal, else nothing."""
    target = stream or sys.stderr
    if enabled and target.isatty():
        return RichProgress(target)
    return NullProgress()
