"""The notification: what a person is told about one message, and how urgently.

A notification's ``id`` is the id of the message it tells about (one notification per
message), so an acknowledgement, the audit trail and the original event all share it.
"""

from __future__ import annotations

import uuid

import msgspec

from jts.messages.enums import Severity
from jts.messages.notifications import Category, Channel

SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}
CHANNEL_ORDER: tuple[Channel, ...] = tuple(Channel)  # least to most intrusive


class Notification(msgspec.Struct, frozen=True, kw_only=True):
    """One thing to tell a person.

    ``ts_ns`` is when the underlying event happened; ``repeats`` how many occurrences this
    notification stands for (de-duplication folds repeats into the next one sent);
    ``reminder`` counts re-sends of an unacknowledged critical notification.
    """

    id: uuid.UUID
    correlation_id: uuid.UUID
    ts_ns: int
    severity: Severity
    category: Category
    title: str
    body: str
    dedup_key: str
    repeats: int = 1
    reminder: int = 0

    def headline(self) -> str:
        """The title with its repeat count and reminder number, when there are any."""
        text = self.title
        if self.repeats > 1:
            text += f" (x{self.repeats})"
        if self.reminder:
            text += f" [unacknowledged, reminder {self.reminder}]"
        return text


def at_least(severity: Severity, floor: Severity) -> bool:
    """Whether ``severity`` is ``floor`` or more urgent."""
    return SEVERITY_RANK[severity] >= SEVERITY_RANK[floor]
