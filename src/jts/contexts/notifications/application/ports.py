"""What the notifications context needs from the outside: a notifier per channel."""

from __future__ import annotations

from typing import Protocol

from jts.contexts.notifications.domain.model import Notification


class Notifier(Protocol):
    """Delivers notifications on one channel (console, push, e-mail, SMS).

    ``send`` raises when delivery failed; the service records the failure and carries on
    with the other channels.
    """

    async def send(self, notification: Notification) -> None: ...
