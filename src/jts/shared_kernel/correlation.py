"""The correlation id of the message being handled, carried by a ``ContextVar``.

A bus dispatcher wraps each handler call in ``with correlated(message.correlation()):``; from
then on every log line (the logging setup reads ``current_correlation_id()``) and every message
the handler creates (``correlation_id=current_correlation_id()``) carry the chain's id.
asyncio copies the context into each task when the task is created, so concurrent handlers
never see each other's ids, and a task started inside ``correlated`` inherits the id.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from jts.shared_kernel.unique_ids import new_uuid

CORRELATION_ID: ContextVar[uuid.UUID | None] = ContextVar("jts_correlation_id", default=None)


def current_correlation_id() -> uuid.UUID | None:
    """The correlation id of the work in progress, or ``None`` outside any message."""
    return CORRELATION_ID.get()


def new_correlation_id() -> uuid.UUID:
    """A fresh id for a chain that starts here (a user command, a timer, an API request)."""
    return new_uuid()


@contextmanager
def correlated(correlation_id: uuid.UUID) -> Iterator[uuid.UUID]:
    """Make ``correlation_id`` current inside the block; the previous one returns after it.

    Nesting is allowed: the inner id wins inside the inner block.
    """
    token = CORRELATION_ID.set(_require_uuid(correlation_id))
    try:
        yield correlation_id
    finally:
        CORRELATION_ID.reset(token)


def _require_uuid(value: object) -> uuid.UUID:
    # Callers outside the type-checked core may pass the id's text by mistake.
    if not isinstance(value, uuid.UUID):
        raise TypeError(
            f"correlation id must be a uuid.UUID, got {type(value).__name__} {value!r}; "
            "parse text with uuid.UUID(text) first"
        )
    return value
