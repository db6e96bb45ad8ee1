"""Escalation: a CRITICAL notification nobody acknowledged is sent again, every
``after_ns``, one rung further up the channel ladder (the most intrusive rung repeats),
until it is acknowledged or ``max_reminders`` reminders went out.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import msgspec

from jts.contexts.notifications.domain.model import CHANNEL_ORDER, Notification
from jts.messages.enums import Severity
from jts.messages.notifications import Channel


class EscalationPolicy(msgspec.Struct, frozen=True, kw_only=True):
    after_ns: int
    ladder: tuple[Channel, ...] = CHANNEL_ORDER
    max_reminders: int = 3

    def __post_init__(self) -> None:
        if self.after_ns <= 0:
            raise ValueError(f"escalation delay must be positive, got {self.after_ns} ns")
        if self.max_reminders < 0:
            raise ValueError(f"max reminders must not be negative, got {self.max_reminders}")


class Reminder(msgspec.Struct, frozen=True, kw_only=True):
    """One re-send that is due: the notification (its ``reminder`` set) and its channel."""

    notification: Notification
    channel: Channel


@dataclass(slots=True)
class _Open:
    notification: Notification
    due_ns: int
    rung: int
    reminders: int = 0


class Escalator:
    """Tracks unacknowledged CRITICAL notifications and says which reminders are due."""

    def __init__(self, policy: EscalationPolicy) -> None:
        self._policy = policy
        self._open: dict[uuid.UUID, _Open] = {}

    def track(self, notification: Notification, sent_on: tuple[Channel, ...], now_ns: int) -> None:
        """Start watching ``notification`` if it is CRITICAL and may escalate."""
        ladder = self._policy.ladder
        if notification.severity is not Severity.CRITICAL or not ladder:
            return
        if self._policy.max_reminders == 0:
            return
        rung = max((ladder.index(c) for c in sent_on if c in ladder), default=-1)
        self._open[notification.id] = _Open(notification, now_ns + self._policy.after_ns, rung)

    def acknowledge(self, notification_id: uuid.UUID) -> bool:
        """Stop escalating; False when it was not (or no longer) escalating."""
        return self._open.pop(notification_id, None) is not None

    def due(self, now_ns: int) -> list[Reminder]:
        """The reminders due at ``now_ns``; at most one per notification per call."""
        reminders: list[Reminder] = []
        for key, entry in list(self._open.items()):
            if entry.due_ns > now_ns:
                continue
            entry.reminders += 1
            entry.rung = min(entry.rung + 1, len(self._policy.ladder) - 1)
            entry.due_ns = now_ns + self._policy.after_ns
            notification = msgspec.structs.replace(entry.notification, reminder=entry.reminders)
            reminders.append(
                Reminder(notification=notification, channel=self._policy.ladder[entry.rung])
            )
            if entry.reminders >= self._policy.max_reminders:
                del self._open[key]
        return reminders

    @property
    def open_ids(self) -> frozenset[uuid.UUID]:
        """Ids of the notifications still waiting for an acknowledgement."""
        return frozenset(self._open)
