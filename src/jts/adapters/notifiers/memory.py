"""An in-memory notifier: keeps what it was given, and can be told to fail.

The fake of the ``Notifier`` port for tests, and a sink for channels that have no real
delivery yet in a demo.
"""

from __future__ import annotations

from jts.contexts.notifications.domain.model import Notification


class MemoryNotifier:
    """Records every notification in ``sent``; raises ``fail_with`` instead when set."""

    def __init__(self, *, fail_with: Exception | None = None) -> None:
        self.sent: list[Notification] = []
        self.fail_with = fail_with

    async def send(self, notification: Notification) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.sent.append(notification)
