"""What both buses check before subscribing: a pattern that names real topics, a usable
name, sane queue and worker counts; and the stable key hash that shards work."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from jts.messages.bus import Overflow
from jts.messages.topics import TOPICS, topic_matches

MAX_WORKERS = 256
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$")


@dataclass(frozen=True, slots=True)
class SubscriptionSpec:
    """A validated subscription request."""

    pattern: str
    name: str
    topics: tuple[str, ...]
    workers: int
    queue_size: int
    overflow: Overflow


def topics_matching(pattern: str) -> tuple[str, ...]:
    """The registered topics ``pattern`` matches, sorted; refuses a pattern matching none."""
    topics = tuple(sorted(t for t in TOPICS if topic_matches(pattern, t)))
    if not topics:
        known = ", ".join(sorted(TOPICS))
        raise ValueError(
            f"subscription pattern {pattern!r} matches no topic; use a topic or a pattern "
            f"such as 'market-data.*' over the registered topics: {known}"
        )
    return topics


def subscription_spec(
    pattern: str, *, name: str, workers: int, queue_size: int, overflow: Overflow
) -> SubscriptionSpec:
    """Check a subscription's arguments and resolve its topics."""
    if not _NAME.match(name):
        raise ValueError(
            f"subscriber name {name!r} must be 1-128 letters, digits, '_', '-' or '.', "
            "starting with a letter or digit (it names a consumer group), e.g. 'risk-gate'"
        )
    if not 1 <= workers <= MAX_WORKERS:
        raise ValueError(
            f"subscriber {name!r}: workers is {workers}; use 1 to {MAX_WORKERS} "
            "(messages are sharded across workers by ordering key)"
        )
    if queue_size < 1:
        raise ValueError(f"subscriber {name!r}: queue_size is {queue_size}; use 1 or more")
    return SubscriptionSpec(
        pattern=pattern,
        name=name,
        topics=topics_matching(pattern),
        workers=workers,
        queue_size=queue_size,
        overflow=Overflow(overflow),
    )


def key_hash(key: str | bytes) -> int:
    """A hash of an ordering key that is the same in every process and every run
    (unlike ``hash``), so sharding is reproducible and agrees across processes."""
    return zlib.crc32(key.encode() if isinstance(key, str) else key)
