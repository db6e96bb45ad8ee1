"""Notification messages: what was sent to whom, and a person acknowledging it.

``NotificationSent`` is the audit trail of the notifications context: one event per
notification per channel, delivered or not. ``AcknowledgeNotification`` comes from a person
(CLI, API, a push action) and stops the escalation of a critical notification.
"""

from __future__ import annotations

import uuid
from enum import StrEnum

from jts.messages.base import Command, Event, tag_for
from jts.messages.enums import Severity


class Channel(StrEnum):
    """Where a notification can go, from least to most intrusive."""

    CONSOLE = "CONSOLE"
    PUSH = "PUSH"
    EMAIL = "EMAIL"
    SMS = "SMS"


class Category(StrEnum):
    """What a notification is about; routing rules select on it."""

    FILL = "FILL"  # an order (partly) filled
    ORDER = "ORDER"  # an order refused by risk or by the venue
    RISK = "RISK"  # risk alerts and limit breaches
    FEED = "FEED"  # market data feeds going stale and recovering
    SURGE = "SURGE"  # unusual market activity
    SYSTEM = "SYSTEM"  # component errors and outages, for operators


class NotificationEvent(Event, frozen=True, kw_only=True, tag=tag_for("notifications")):
    notification_id: uuid.UUID


class NotificationSent(NotificationEvent, frozen=True, kw_only=True):
    """One notification handed to one channel.

    ``repeats`` is how many occurrences it stands for (more than 1 after de-duplication
    held some back); ``escalation`` counts re-sends of an unacknowledged critical one
    (0 for the first sending). ``delivered`` is False when the channel failed; ``error``
    then says why.
    """

    channel: Channel
    severity: Severity
    category: Category
    title: str
    body: str
    dedup_key: str
    source_id: uuid.UUID
    repeats: int = 1
    escalation: int = 0
    delivered: bool = True
    error: str = ""


class AcknowledgeNotification(Command, frozen=True, kw_only=True, tag=tag_for("notifications")):
    """A person saw ``notification_id``: stop escalating it."""

    notification_id: uuid.UUID
    by: str = ""
