"""Strategy files for ``--strategy``: strategy-language programs (``.jts``) and Python (``.py``).

A Python strategy file is a module that defines, at its top level:

- ``NAME``: the strategy's id (``str``);
- ``UNIVERSE``: the instruments it trades (a list of ``"SYMBOL.VENUE"`` strings);
- ``TIMEFRAME``: the bars it runs on (``"1m"``, ``"1h"``, ``"1d"``...);
- ``STRATEGY``: a class (or any callable without arguments) that makes a new strategy
  object, one per instrument of the universe: an object with ``on_bar(context)`` as in
  ``jts.contexts.strategy.domain.python_api`` (``examples/strategies/sma_cross.py``).

``load_strategy_file`` compiles a ``.jts`` file to a ``CompiledStrategy`` and loads a ``.py``
file to a ``PythonStrategyFile``; both carry ``name`` and a ``program`` with ``universe`` and
``timeframe``, which is all the live wiring reads before it builds slots. Every problem of a
Python file (a syntax error, an exception while it loads, a missing or mistyped name, a
``STRATEGY`` that does not make strategies) is a ``StrategyError`` saying the file, the line
and what to do.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from jts.contexts.strategy.application.validation import compile_source
from jts.contexts.strategy.domain.language.compiler import CompiledStrategy
from jts.contexts.strategy.domain.python_api import Strategy
from jts.shared_kernel.errors import StrategyError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

REQUIRED = ("NAME", "UNIVERSE", "TIMEFRAME", "STRATEGY")
EXAMPLE = "examples/strategies/sma_cross.py"


@dataclass(frozen=True)
class PythonProgram:
    """What a Python strategy file declares about itself (as a program's header would)."""

    name: str
    universe: tuple[InstrumentId, ...]
    timeframe: str


@dataclass(frozen=True)
class PythonStrategyFile:
    """A loaded Python strategy file: its declarations and the maker of its strategies."""

    path: Path
    program: PythonProgram
    factory: Callable[[], Any]
    factory_line: int

    @property
    def name(self) -> str:
        return self.program.name

    def make(self) -> Strategy:
        """A new strategy object (one per instrument)."""
        try:
            made = self.factory()
        except Exception as e:
            raise _error(self.path, self.factory_line, f"STRATEGY() raised {_what(e)}") from e
        if not callable(getattr(made, "on_bar", None)):
            raise _error(
                self.path,
                self.factory_line,
                f"STRATEGY() made a {type(made).__name__}, which has no on_bar(context) "
                "method; STRATEGY must make strategy objects",
            )
        strategy: Strategy = made
        return strategy


LoadedStrategy = CompiledStrategy | PythonStrategyFile


def load_strategy_file(path: Path) -> LoadedStrategy:
    """``path`` as a strategy: Python for ``.py``, the strategy language otherwise."""
    source = _read(path)
    if path.suffix == ".py":
        return load_python_strategy(path, source)
    return load_program(path, source)


def load_program(path: Path, source: str | None = None) -> CompiledStrategy:
    """The strategy-language program in ``path``, or a ``StrategyError`` with every
    diagnostic."""
    strategy, report = compile_source(_read(path) if source is None else source, str(path))
    if strategy is None:
        raise StrategyError(report.rendered)
    return strategy


def load_python_strategy(path: Path, source: str | None = None) -> PythonStrategyFile:
    """Load the Python strategy file ``path`` (see the module docstring)."""
    source = _read(path) if source is None else source
    lines = _top_level_lines(path, source)
    module = _execute(path, source)
    for name in REQUIRED:
        if not hasattr(module, name):
            raise _error(
                path,
                1,
                f"{name} is not defined; a Python strategy file defines "
                f"{', '.join(REQUIRED)} at its top level (see {EXAMPLE})",
            )
    program = PythonProgram(
        name=_name(path, lines, module.NAME),
        universe=_universe(path, lines, module.UNIVERSE),
        timeframe=_timeframe(path, lines, module.TIMEFRAME),
    )
    factory = module.STRATEGY
    if not callable(factory):
        raise _error(
            path,
            lines.get("STRATEGY", 1),
            f"STRATEGY is a {type(factory).__name__}; make it the strategy class (or a "
            "function without arguments that returns a new strategy)",
        )
    loaded = PythonStrategyFile(path, program, factory, lines.get("STRATEGY", 1))
    loaded.make()  # a broken factory fails now, not on the first bar
    return loaded


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        raise StrategyError(f"cannot read strategy {path}: {e.strerror or e}") from None
    except UnicodeDecodeError as e:
        raise StrategyError(f"cannot read strategy {path}: not UTF-8 (byte {e.start})") from None


def _top_level_lines(path: Path, source: str) -> dict[str, int]:
    """Where each top-level name is bound (for errors); syntax errors leave here."""
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as e:
        where = f"{path}:{e.lineno or 1}:{e.offset or 1}"
        raise StrategyError(
            f"{where}: error: {e.msg}; fix the Python syntax and run again"
        ) from None
    lines: dict[str, int] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    lines[target.id] = node.lineno
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            lines[node.target.id] = node.lineno
        elif isinstance(node, ast.ClassDef | ast.FunctionDef):
            lines[node.name] = node.lineno
    return lines


def _execute(path: Path, source: str) -> ModuleType:
    digest = hashlib.sha1(str(path.resolve()).encode(), usedforsecurity=False).hexdigest()[:12]
    module_name = f"jts_strategy_{digest}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise StrategyError(f"{path}: cannot be loaded as a Python module; name it *.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses and pickling look their module up here
    try:
        spec.loader.exec_module(module)
    except Exception as e:
        sys.modules.pop(module_name, None)
        line = _line_in(path, e)
        raise _error(path, line, f"loading it raised {_what(e)}; fix the file") from None
    return module


def _line_in(path: Path, error: BaseException) -> int:
    """The last line of ``path`` in ``error``'s traceback (1 if none)."""
    resolved = str(path.resolve())
    frames = [f for f in traceback.extract_tb(error.__traceback__) if _same(f.filename, resolved)]
    return frames[-1].lineno or 1 if frames else 1


def _same(filename: str, resolved: str) -> bool:
    try:
        return str(Path(filename).resolve()) == resolved
    except OSError:
        return False


def _name(path: Path, lines: dict[str, int], value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _error(path, lines.get("NAME", 1), f"NAME is {value!r}; give the strategy's id")
    return value


def _universe(path: Path, lines: dict[str, int], value: object) -> tuple[InstrumentId, ...]:
    line = lines.get("UNIVERSE", 1)
    if isinstance(value, str) or not isinstance(value, list | tuple) or not value:
        raise _error(
            path, line, f'UNIVERSE is {value!r}; write a list like ["BTC-KRW.UPBIT", "005930.KRX"]'
        )
    universe = []
    for item in value:
        try:
            universe.append(InstrumentId.parse(str(item)))
        except ValueError as e:
            raise _error(path, line, f"UNIVERSE: {e}") from None
    return tuple(universe)


def _timeframe(path: Path, lines: dict[str, int], value: object) -> str:
    try:
        Timeframe.parse(str(value))
    except ValueError as e:
        raise _error(
            path, lines.get("TIMEFRAME", 1), f"TIMEFRAME is {value!r}: {e}; write e.g. '1h'"
        ) from None
    return str(value)


def _what(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _error(path: Path, line: int, message: str) -> StrategyError:
    return StrategyError(f"{path}:{line}: error: {message}")
