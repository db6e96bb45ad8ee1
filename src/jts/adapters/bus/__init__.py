"""Event bus adapters implementing ``jts.messages.bus.EventBus``.

- ``inprocess.InProcessEventBus``: asyncio, one process, the default.
- ``redis_streams.RedisStreamsEventBus``: Redis Streams with consumer groups, at-least-once
  delivery and idempotent consumers, for several processes.

Both share ``subscriptions`` (argument checks, key hashing) and ``pool`` (bounded,
key-sharded worker queues).
"""
