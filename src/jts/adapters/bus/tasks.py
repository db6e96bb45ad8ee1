"""Stopping background tasks reliably.

redis-py (8.x, asyncio) can swallow a cancellation that lands while a command is
completing: the command returns normally and the task carries on to its next command.
So a task is cancelled again until it is really done, and loops also check a stop flag.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

logger = logging.getLogger(__name__)

_RECANCEL_EVERY_S = 0.05


async def stop_tasks(tasks: Iterable[asyncio.Task[None]]) -> None:
    """Cancel ``tasks`` and wait until every one has finished, cancelling again as needed."""
    every = list(tasks)
    pending = {task for task in every if not task.done()}
    while pending:
        for task in pending:
            task.cancel()
        _, pending = await asyncio.wait(pending, timeout=_RECANCEL_EVERY_S)
    for task in every:
        if not task.cancelled() and task.exception() is not None:
            logger.error("bus task %s had failed", task.get_name(), exc_info=task.exception())
