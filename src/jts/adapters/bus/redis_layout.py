"""How the Redis Streams bus lays out its keys and entries, and how it tunes delivery.

Keys (``<prefix>`` is the bus's stream prefix)::

    <prefix>:<topic>                       one stream per topic, e.g. jts:orders.pending
    <prefix>:done:<group>                  sorted set: message ids the group processed,
                                           scored by when (older than dedup_ttl_s removed)
    <prefix>:reply:<bus id>                one requester's reply inbox (expires when idle)
    <prefix>:dead-letter                   entries no subscriber could process

Stream entry fields: ``m`` the message as msgpack (``MessageCodec``), ``k`` its ordering
key, ``r`` (requests only) the inbox the reply goes to. Reply entries carry ``c`` (the
request's id) and either ``m`` (the reply) or ``e`` (why the responder failed).
"""

from __future__ import annotations

from dataclasses import dataclass

FIELD_MESSAGE = b"m"
FIELD_KEY = b"k"
FIELD_REPLY_TO = b"r"
FIELD_REQUEST_ID = b"c"
FIELD_ERROR = b"e"

_DEAD_LETTER_MAX_LEN = 10_000


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """Timing and retry knobs of Redis Streams delivery.

    - ``block_ms``: how long one XREADGROUP waits for new entries.
    - ``claim_idle_ms``: an entry delivered but not acknowledged for this long belongs to a
      consumer presumed dead; another consumer of the group claims and redelivers it.
      Keep it well above the slowest handler's run time.
    - ``max_deliveries``: after this many deliveries an entry goes to the dead-letter
      stream instead of being retried.
    - ``dedup_ttl_s``: how long a group remembers a processed message id, so a redelivered
      or re-published message is acknowledged and skipped instead of handled twice. It
      should cover ``claim_idle_ms`` x ``max_deliveries`` plus producer retries; memory is
      about 60 bytes per message handled in the window.
    - ``reply_ttl_s``: a reply inbox nobody reads expires after this long.
    - ``close_grace_s``: how long closing waits for handlers already running.
    """

    block_ms: int = 500
    claim_idle_ms: int = 30_000
    max_deliveries: int = 5
    dedup_ttl_s: int = 600
    reply_ttl_s: int = 300
    close_grace_s: float = 5.0

    def __post_init__(self) -> None:
        for name in ("block_ms", "claim_idle_ms", "max_deliveries", "dedup_ttl_s", "reply_ttl_s"):
            if getattr(self, name) < 1:
                raise ValueError(f"DeliveryPolicy.{name} is {getattr(self, name)}; use 1 or more")

    @property
    def claim_interval_s(self) -> float:
        """How often a consumer looks for entries to claim: half the idle limit, 10 ms-5 s."""
        return min(max(self.claim_idle_ms / 2_000, 0.01), 5.0)


@dataclass(frozen=True, slots=True)
class StreamLayout:
    """The key names under one prefix."""

    prefix: str

    def stream(self, topic: str) -> str:
        return f"{self.prefix}:{topic}"

    def done(self, group: str) -> str:
        return f"{self.prefix}:done:{group}"

    def inbox(self, bus_id: str) -> str:
        return f"{self.prefix}:reply:{bus_id}"

    @property
    def dead_letter(self) -> str:
        return f"{self.prefix}:dead-letter"

    @property
    def dead_letter_max_len(self) -> int:
        return _DEAD_LETTER_MAX_LEN


def stream_id(raw: bytes | str) -> tuple[int, int]:
    """A stream entry id ``ms-seq`` as a comparable pair."""
    text = raw.decode() if isinstance(raw, bytes) else raw
    millis, _, sequence = text.partition("-")
    return int(millis), int(sequence or 0)
