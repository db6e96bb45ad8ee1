"""Redis Streams bus behaviour beyond the contract: consumer groups across bus instances,
redelivery, idempotency, dead letters, trimming and cleanup, against the real Redis."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import msgspec
import pytest
from redis.asyncio import Redis

from jts.adapters.bus.redis_layout import FIELD_KEY, FIELD_MESSAGE, StreamLayout
from jts.adapters.bus.redis_streams import RedisStreamsEventBus
from jts.messages.base import Message
from jts.messages.bus import BusError
from jts.messages.codec import MessageCodec
from jts.messages.topics import TOPICS, key_of
from jts.shared_kernel.clock import NANOS_PER_MILLI, TestClock
from tests.services import redis_url
from tests.unit.adapters.bus.helpers import (
    FAST_POLICY,
    Recorder,
    bar,
    krx,
    redis_namespace,
    wait_until,
)
from tests.unit.messages.samples import sample_order

pytestmark = pytest.mark.redis

CANDLES = "market-data.krx.candles"
Factory = Callable[..., RedisStreamsEventBus]


@pytest.fixture
async def make_bus() -> AsyncIterator[Factory]:
    async with redis_namespace(redis_url()) as factory:
        yield factory


@pytest.fixture
async def raw() -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url())
    yield client
    await client.aclose()


def layout_of(bus: RedisStreamsEventBus) -> StreamLayout:
    return StreamLayout(bus.stream_prefix)


async def append_raw(raw: Redis, bus: RedisStreamsEventBus, message: Message) -> None:
    """XADD a message the way the bus does, bypassing it (a producer retrying, say)."""
    fields = {FIELD_MESSAGE: MessageCodec().to_msgpack(message), FIELD_KEY: key_of(message)}
    await raw.xadd(layout_of(bus).stream(CANDLES), fields)  # type: ignore[arg-type]


async def test_buses_sharing_a_subscriber_name_split_a_stream_between_them(
    make_bus: Factory,
) -> None:
    first, second, other = Recorder(delay_s=0.002), Recorder(delay_s=0.002), Recorder()
    bars = [bar(krx(n), n) for n in range(1, 41)]
    async with make_bus() as one, make_bus() as two, make_bus() as publisher:
        await one.subscribe(CANDLES, first, name="strategy", queue_size=2)
        await two.subscribe(CANDLES, second, name="strategy", queue_size=2)
        await two.subscribe(CANDLES, other, name="recorder")

        for message in bars:
            await publisher.publish(message)
        await one.drain()
        await two.drain()

    assert sorted(first.ids + second.ids) == sorted(m.id for m in bars)
    assert first.messages
    assert second.messages
    assert other.ids == [m.id for m in bars]


async def test_entry_of_a_consumer_that_died_unacknowledged_is_redelivered(
    make_bus: Factory, raw: Redis
) -> None:
    recorder = Recorder()
    message = bar(krx(1), 0)
    async with make_bus() as bus:
        subscription = await bus.subscribe(CANDLES, recorder, name="strategy")
        await subscription.close()  # the group exists; nobody reads it now
        await bus.publish(message)
        stream = layout_of(bus).stream(CANDLES)
        # A consumer of the group reads the entry, then its process dies.
        taken: Any = await raw.xreadgroup("strategy", "doomed", {stream: ">"}, count=10)
        assert len(taken[0][1]) == 1

        survivor = await bus.subscribe(CANDLES, recorder, name="strategy")
        await bus.drain()

    assert recorder.messages == [message]
    assert survivor.redelivered == 1


async def test_a_consumer_closed_mid_handler_leaves_the_entry_to_its_group(
    make_bus: Factory,
) -> None:
    stuck = Recorder(gate=asyncio.Event())
    recorder = Recorder()
    message = bar(krx(1), 0)
    impatient = dataclasses.replace(FAST_POLICY, close_grace_s=0.05)
    async with make_bus(policy=impatient) as patient, make_bus() as publisher:
        await patient.subscribe(CANDLES, stuck, name="strategy")
        await publisher.publish(message)
        await wait_until(lambda: stuck.calls == 1)
    async with make_bus() as successor:
        await successor.subscribe(CANDLES, recorder, name="strategy")
        await successor.drain()

    assert stuck.messages == []
    assert recorder.messages == [message]


async def test_a_message_published_twice_is_handled_once_per_group(
    make_bus: Factory, raw: Redis
) -> None:
    first, second = Recorder(), Recorder()
    message = bar(krx(1), 0)
    async with make_bus() as bus:
        one = await bus.subscribe(CANDLES, first, name="strategy")
        await bus.subscribe(CANDLES, second, name="recorder")

        await bus.publish(message)
        await append_raw(raw, bus, message)  # same message id, new stream entry
        await bus.drain()

    assert first.messages == [message]
    assert second.messages == [message]
    assert one.duplicates == 1


async def test_redelivery_of_an_already_processed_message_is_skipped(
    make_bus: Factory, raw: Redis
) -> None:
    recorder = Recorder()
    message = bar(krx(1), 0)
    async with make_bus() as bus:
        await (await bus.subscribe(CANDLES, recorder, name="strategy")).close()
        await bus.publish(message)
        layout = layout_of(bus)
        # A consumer handled it and recorded that, then died before XACK.
        await raw.xreadgroup("strategy", "doomed", {layout.stream(CANDLES): ">"}, count=1)
        now_ms = time.time_ns() // NANOS_PER_MILLI
        await raw.zadd(layout.done("strategy"), {message.id.hex: now_ms})

        survivor = await bus.subscribe(CANDLES, recorder, name="strategy")
        await bus.drain()

    assert recorder.messages == []
    assert survivor.duplicates == 1


async def test_an_entry_that_keeps_failing_goes_to_the_dead_letter_stream(
    make_bus: Factory, raw: Redis
) -> None:
    message = bar(krx(1), 0)
    failing = Recorder(fail_on=frozenset({message.id}))
    async with make_bus() as bus:
        subscription = await bus.subscribe(CANDLES, failing, name="fragile")
        await bus.publish(message)
        await bus.drain()
        dead: Any = await raw.xrange(layout_of(bus).dead_letter)

    assert failing.calls == 2  # max_deliveries of the test policy
    assert subscription.dead_lettered == 1
    [(_, record)] = dead
    assert record[b"group"] == b"fragile"
    assert b"after 2 deliveries" in record[b"reason"]
    assert MessageCodec().from_msgpack(record[FIELD_MESSAGE]) == message


async def test_an_undecodable_entry_is_dead_lettered_without_reaching_the_handler(
    make_bus: Factory, raw: Redis
) -> None:
    recorder = Recorder()
    async with make_bus() as bus:
        subscription = await bus.subscribe(CANDLES, recorder, name="strategy")
        garbage = msgspec.msgpack.encode({"type": "market_data.Nonsense"})
        await raw.xadd(layout_of(bus).stream(CANDLES), {FIELD_MESSAGE: garbage})
        await bus.publish(bar(krx(1), 0))
        await bus.drain()
        dead: Any = await raw.xrange(layout_of(bus).dead_letter)

    assert len(recorder.messages) == 1
    assert subscription.failed == 1
    assert b"undecodable" in dead[0][1][b"reason"]


async def test_a_slow_consumer_leaves_the_backlog_in_the_stream(
    make_bus: Factory, raw: Redis
) -> None:
    gate = asyncio.Event()
    slow = Recorder(gate=gate)
    async with make_bus() as bus:
        subscription = await bus.subscribe(CANDLES, slow, name="slow", queue_size=2)
        for sequence in range(50):
            await bus.publish(bar(krx(1), sequence))
        await asyncio.sleep(0.2)  # time enough to read everything, were it unbounded
        stream = layout_of(bus).stream(CANDLES)
        pending = (await raw.xpending(stream, "slow"))["pending"]
        queued = subscription.queued
        gate.set()
        await bus.drain()

    assert pending <= 4  # one in the handler, two queued, one in the reader's hand
    assert queued <= 2
    assert len(slow.messages) == 50


async def test_messages_published_while_a_group_is_away_wait_for_it(make_bus: Factory) -> None:
    recorder = Recorder()
    bars = [bar(krx(1), n) for n in range(5)]
    async with make_bus() as bus:
        await (await bus.subscribe(CANDLES, Recorder(), name="nightly")).close()
        for message in bars:
            await bus.publish(message)

        await bus.subscribe(CANDLES, recorder, name="nightly")
        await bus.drain()

    assert recorder.messages == bars


async def test_streams_are_trimmed_by_length_when_max_len_is_set(
    make_bus: Factory, raw: Redis
) -> None:
    async with make_bus(max_len=10) as bus:
        for sequence in range(600):
            await bus.publish(bar(krx(1), sequence))
        length = await raw.xlen(layout_of(bus).stream(CANDLES))

    assert length < 300  # approximate trimming keeps whole 100-entry nodes


async def test_streams_are_trimmed_by_topic_retention(make_bus: Factory, raw: Redis) -> None:
    clock = TestClock(time.time_ns())
    async with make_bus(clock=clock) as bus:
        for sequence in range(600):
            await bus.publish(bar(krx(1), sequence))
        retention_ns = TOPICS[CANDLES].retention_ms * NANOS_PER_MILLI
        clock.advance_ns(retention_ns + 60_000_000_000)
        await bus.publish(bar(krx(1), 600))
        length = await raw.xlen(layout_of(bus).stream(CANDLES))

    assert length < 300


async def test_closing_removes_the_reply_inbox_and_the_idle_consumer(
    make_bus: Factory, raw: Redis
) -> None:
    async def echo(message: Message) -> Message:
        return message

    async with make_bus() as bus:
        await bus.serve("orders.pending", echo, name="gateway")
        await bus.request(sample_order(), timeout_s=5)
        inboxes = [key async for key in raw.scan_iter(match=f"{bus.stream_prefix}:reply:*")]
        stream = layout_of(bus).stream("orders.pending")
    consumers = await raw.xinfo_consumers(stream, "gateway")
    inboxes_after = [key async for key in raw.scan_iter(match=f"{bus.stream_prefix}:reply:*")]

    assert len(inboxes) == 1
    assert inboxes_after == []
    assert consumers == []


async def test_unreachable_redis_is_reported_without_the_password() -> None:
    bus = RedisStreamsEventBus("redis://user:hunter2@127.0.0.1:1/0")

    with pytest.raises(BusError, match=r"cannot reach Redis at 127\.0\.0\.1:1/0") as raised:
        await bus.start()

    assert "hunter2" not in str(raised.value)
