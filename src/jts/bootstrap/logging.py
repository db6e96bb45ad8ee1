"""Structured logs: structlog over the stdlib, console for people, JSON for machines.

One handler on the root logger renders both structlog loggers (``structlog.get_logger()``)
and plain ``logging.getLogger(__name__)`` loggers, which is what the core uses, since it may
not import structlog. Every line gets the level, logger name, a UTC timestamp, the variables
bound with ``structlog.contextvars`` and the correlation id of the message being handled
(``jts.shared_kernel.correlation``). Secrets are masked on every line before it reaches any
handler (see ``jts.bootstrap.secrets``). Caveat: a handler someone adds to the root logger
still sees plain ``logging`` records (message and args) as they were logged.

``configure_logging`` may be called any number of times; each call replaces the previous
handler, so tests and the CLI can reconfigure freely. ``reset_logging`` undoes it.
"""

from __future__ import annotations

import logging
import sys
from typing import Literal, TextIO, get_args

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

from jts.bootstrap.secrets import mask_value
from jts.shared_kernel.correlation import current_correlation_id
from jts.shared_kernel.errors import ConfigurationError

LogFormat = Literal["console", "json"]
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Keys whose values JTS or structlog produce themselves: never secret, not worth scanning.
_STRUCTURAL_KEYS = frozenset(
    {"level", "logger", "timestamp", "correlation_id", "_record", "_from_structlog"}
)
# The root logger's level before the first configure_logging, restored by reset_logging.
_level_before: list[int] = []


class _JtsHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to the given stream, or to whatever ``sys.stderr`` is at the time of writing
    (so pytest's and click's stream swapping keep working)."""

    def __init__(self, stream: TextIO | None) -> None:
        super().__init__(stream)
        self._fixed_stream = stream

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return self._fixed_stream if self._fixed_stream is not None else sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass  # StreamHandler.__init__ assigns it; the property above decides


def add_correlation_id(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """Add the current correlation id (if any) as ``correlation_id``."""
    correlation_id = current_correlation_id()
    if correlation_id is not None:
        event_dict.setdefault("correlation_id", str(correlation_id))
    return event_dict


def mask_secrets(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """Mask secret-named keys, ``SecretStr`` values and secrets inside any text."""
    for key, value in event_dict.items():
        if key not in _STRUCTURAL_KEYS:
            event_dict[key] = mask_value(value, None if key == "event" else key)
    return event_dict


def configure_logging(
    level: str | int = "INFO",
    fmt: LogFormat = "console",
    *,
    stream: TextIO | None = None,
    colors: bool | None = None,
) -> None:
    """Route all logging through structlog at ``level``, rendered as ``fmt``.

    ``stream`` defaults to the current ``sys.stderr``; ``colors`` (console only) defaults to
    whether that stream is a terminal.
    """
    numeric_level = _numeric_level(level)
    if fmt not in get_args(LogFormat):
        raise ConfigurationError(f"log format {fmt!r} is not one of console, json")
    handler = _JtsHandler(stream)
    handler.setFormatter(_formatter(_renderer(fmt, stream, colors)))
    root = logging.getLogger()
    if not _remove_jts_handlers(root):
        _level_before.append(root.level)
    root.addHandler(handler)
    root.setLevel(numeric_level)
    _quiet_chatty_libraries(numeric_level)
    structlog.configure(
        processors=[
            *_shared_processors(),
            *_finishing_processors(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        # Calls below ``level`` are no-op methods: no processor runs for them.
        wrapper_class=structlog.make_filtering_bound_logger(numeric_level),
        cache_logger_on_first_use=False,
    )


# Libraries that narrate routine work at INFO; JTS shows them only when debugging.
CHATTY_LIBRARIES = ("alembic", "numba", "httpx", "httpcore", "asyncio")


def _quiet_chatty_libraries(level: int) -> None:
    quiet = logging.DEBUG if level <= logging.DEBUG else logging.WARNING
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(max(quiet, level))


def reset_logging() -> None:
    """Remove the JTS handler, restore the root level and structlog's defaults (for tests)."""
    root = logging.getLogger()
    if _remove_jts_handlers(root) and _level_before:
        root.setLevel(_level_before.pop())
    structlog.reset_defaults()
    structlog.contextvars.clear_contextvars()


def _shared_processors() -> list[Processor]:
    return [
        structlog.contextvars.merge_contextvars,
        add_correlation_id,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def _finishing_processors() -> list[Processor]:
    # Masking runs before a record reaches any handler, so no handler ever sees a secret.
    return [
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
        mask_secrets,
    ]


def _formatter(renderer: Processor) -> structlog.stdlib.ProcessorFormatter:
    """Renders structlog events as they come and plain ``logging`` records after the same
    enrichment and masking."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            *_shared_processors(),
            structlog.stdlib.ExtraAdder(),
            *_finishing_processors(),
        ],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )


def _renderer(fmt: LogFormat, stream: TextIO | None, colors: bool | None) -> Processor:
    if fmt == "json":
        return structlog.processors.JSONRenderer(default=str, ensure_ascii=False)
    if colors is None:
        target = stream if stream is not None else sys.stderr
        colors = bool(getattr(target, "isatty", lambda: False)())
    return structlog.dev.ConsoleRenderer(
        colors=colors, exception_formatter=structlog.dev.plain_traceback
    )


def _numeric_level(level: str | int) -> int:
    if isinstance(level, int) and level in logging.getLevelNamesMapping().values():
        return level
    if isinstance(level, str) and level.upper() in LEVELS:
        return logging.getLevelNamesMapping()[level.upper()]
    raise ConfigurationError(f"log level {level!r} is not one of {', '.join(LEVELS)}")


def _remove_jts_handlers(root: logging.Logger) -> bool:
    removed = False
    for handler in list(root.handlers):
        if isinstance(handler, _JtsHandler):
            root.removeHandler(handler)
            handler.close()
            removed = True
    return removed
