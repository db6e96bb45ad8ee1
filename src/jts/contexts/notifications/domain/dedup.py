"""De-duplication: the same dedup key within a window is held back and counted; the next
one sent after the window says how many it stands for (``x3``).

The window runs from the last notification sent for a key, so a source that repeats
every few seconds yields one notification per window, each carrying its count.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from jts.contexts.notifications.domain.model import Notification

_SWEEP_AT = 4096  # keys kept before expired, fully reported ones are forgotten


@dataclass(slots=True)
class _Seen:
    sent_ns: int
    held: int = 0


class Deduplicator:
    """Admits a notification unless its key was sent less than ``window_ns`` ago."""

    def __init__(self, window_ns: int) -> None:
        if window_ns < 0:
            raise ValueError(f"dedup window must not be negative, got {window_ns} ns")
        self._window_ns = window_ns
        self._seen: dict[str, _Seen] = {}
        self.held_total = 0

    def admit(self, notification: Notification, now_ns: int) -> Notification | None:
        """The notification to send (with its repeat count), or ``None`` if held back."""
        seen = self._seen.get(notification.dedup_key)
        if seen is not None and now_ns - seen.sent_ns < self._window_ns:
            seen.held += 1
            self.held_total += 1
            return None
        if len(self._seen) >= _SWEEP_AT:
            self._forget_expired(now_ns)
        self._seen[notification.dedup_key] = _Seen(now_ns)
        if seen is None or seen.held == 0:
            return notification
        return msgspec.structs.replace(notification, repeats=notification.repeats + seen.held)

    def held(self, dedup_key: str) -> int:
        """How many notifications with ``dedup_key`` are held back since the last sent."""
        seen = self._seen.get(dedup_key)
        return 0 if seen is None else seen.held

    def _forget_expired(self, now_ns: int) -> None:
        expired = [
            key
            for key, seen in self._seen.items()
            if seen.held == 0 and now_ns - seen.sent_ns >= self._window_ns
        ]
        for key in expired:
            del self._seen[key]
