"""Message, Command and Event: the shape every message on the bus shares.

A message is a frozen ``msgspec.Struct`` with keyword-only fields that rejects unknown
fields when decoded. Its tag (the ``type`` field on the wire) is ``"<context>.<ClassName>"``,
given by the context base class it derives from (see ``context_base``). Derive changed
copies with ``msgspec.structs.replace``; never mutate.

Schema evolution: add fields with defaults; never rename or retype a field; a breaking
change gets a new class and so a new tag.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import msgspec

from jts.shared_kernel.unique_ids import new_uuid


class Message(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    forbid_unknown_fields=True,
    tag_field="type",
    tag=True,
    omit_defaults=True,
):
    """Base of every message.

    ``ts_init`` is when JTS created it (UNIX ns). ``correlation_id`` ties together every
    message caused by one originating message (a bar, a signal, a user command); a message
    derived from another copies its cause's ``correlation_id`` or, if that is absent, the
    cause's ``id`` (see ``caused_by``).
    """

    id: uuid.UUID = msgspec.field(default_factory=new_uuid)
    ts_init: int
    correlation_id: uuid.UUID | None = None

    def correlation(self) -> uuid.UUID:
        """The id of the chain this message belongs to (its own id if it starts one)."""
        return self.correlation_id if self.correlation_id is not None else self.id

    @classmethod
    def type_tag(cls) -> str:
        return str(cls.__struct_config__.tag)


class Command(Message, frozen=True, kw_only=True):
    """An instruction to do something, handled by exactly one handler. Named imperatively."""


class Event(Message, frozen=True, kw_only=True):
    """A fact that happened at ``ts_event`` (UNIX ns), fanned out to any subscriber."""

    ts_event: int


def caused_by(cause: Message) -> uuid.UUID:
    """The ``correlation_id`` for a message caused by ``cause``."""
    return cause.correlation()


def tag_for(context: str) -> Callable[[str], str]:
    """The tag rule for one context: ``ClassName`` -> ``"<context>.<ClassName>"``."""

    def rule(class_name: str) -> str:
        return f"{context}.{class_name}"

    return rule
