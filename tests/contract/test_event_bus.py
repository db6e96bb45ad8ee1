"""The EventBus contract: every implementation (in-process, Redis Streams) passes it."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jts.adapters.bus.inprocess import InProcessEventBus
from jts.messages.base import Message, caused_by
from jts.messages.bus import (
    BusClosed,
    EventBus,
    Overflow,
    RequestFailed,
    RequestTimeout,
)
from jts.messages.trading import OrderAccepted, SubmitOrder
from jts.shared_kernel.identifiers import VenueOrderId
from tests.services import redis_url
from tests.unit.adapters.bus.helpers import (
    Recorder,
    bar,
    health,
    krx,
    redis_namespace,
    trade,
    wait_until,
)
from tests.unit.messages.samples import sample_fill, sample_order

BusFactory = Callable[[], EventBus]


@pytest.fixture(params=["inprocess", pytest.param("redis", marks=pytest.mark.redis)])
async def make_bus(request: pytest.FixtureRequest) -> AsyncIterator[BusFactory]:
    """Builds unstarted buses of one implementation; buses it built share one namespace."""
    if request.param == "inprocess":
        yield lambda: InProcessEventBus(queue_size=64)
        return
    async with redis_namespace(redis_url()) as make_redis:
        yield lambda: make_redis(queue_size=64)


@pytest.fixture
async def bus(make_bus: BusFactory) -> AsyncIterator[EventBus]:
    async with make_bus() as started:
        yield started


def accept(order: Message) -> OrderAccepted:
    assert isinstance(order, SubmitOrder)
    return OrderAccepted(
        client_order_id=order.client_order_id,
        instrument_id=order.instrument_id,
        venue_order_id=VenueOrderId("V-1"),
        correlation_id=caused_by(order),
        ts_event=order.ts_init + 1,
        ts_init=order.ts_init + 1,
    )


async def test_exact_topic_subscription_receives_only_that_topic(bus: EventBus) -> None:
    orders = Recorder()
    await bus.subscribe("orders.pending", orders, name="router")
    order = sample_order()

    for message in (bar(), order, sample_fill(), health()):
        await bus.publish(message)
    await bus.drain()

    assert orders.messages == [order]


async def test_wildcard_subscription_receives_every_matching_topic(bus: EventBus) -> None:
    market = Recorder()
    subscription = await bus.subscribe("market-data.*", market, name="collector")
    krx_bar, crypto_trade = bar(), trade()

    for message in (krx_bar, sample_order(), crypto_trade, health()):
        await bus.publish(message)
    await bus.drain()

    assert sorted(market.ids) == sorted([krx_bar.id, crypto_trade.id])  # two keys: any order
    assert "market-data.crypto.ticks" in subscription.topics
    assert all(topic.startswith("market-data.") for topic in subscription.topics)


async def test_subscribers_with_different_names_each_receive_every_message(
    bus: EventBus,
) -> None:
    first, second = Recorder(), Recorder()
    await bus.subscribe("market-data.krx.candles", first, name="strategy")
    await bus.subscribe("market-data.*", second, name="recorder")
    bars = [bar(krx(n), n) for n in range(1, 11)]

    for message in bars:
        await bus.publish(message)
    await bus.drain()

    assert first.messages == bars
    assert second.messages == bars


async def test_subscribers_sharing_a_name_split_the_work_without_duplicates(
    bus: EventBus,
) -> None:
    left, right = Recorder(delay_s=0.002), Recorder(delay_s=0.002)
    await bus.subscribe("market-data.krx.candles", left, name="workers", queue_size=1)
    await bus.subscribe("market-data.krx.candles", right, name="workers", queue_size=1)
    bars = [bar(krx(n), n) for n in range(1, 21)]

    for message in bars:
        await bus.publish(message)
    await bus.drain()

    received = left.ids + right.ids
    assert sorted(received) == sorted(m.id for m in bars)
    assert left.messages
    assert right.messages


async def test_messages_with_one_key_keep_publish_order_across_workers(bus: EventBus) -> None:
    jitter = random.Random(7)

    async def handler(message: Message) -> None:
        await asyncio.sleep(jitter.random() / 1000)
        received.append(message)

    received: list[Message] = []
    await bus.subscribe("market-data.*", handler, name="bars", workers=4)
    published = [bar(krx(n % 5 + 1), n) for n in range(60)]

    for message in published:
        await bus.publish(message)
    await bus.drain()

    assert sorted(m.id for m in received) == sorted(m.id for m in published)
    for key in {m.instrument_id for m in published}:
        assert [m for m in received if m.instrument_id == key] == [  # type: ignore[attr-defined]
            m for m in published if m.instrument_id == key
        ]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(keys=st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=30))
async def test_any_interleaving_of_keys_keeps_each_keys_order(
    bus: EventBus, keys: list[int]
) -> None:
    received: list[Message] = []

    async def handler(message: Message) -> None:
        await asyncio.sleep(0)
        received.append(message)

    name = f"order-{uuid.uuid4().hex[:8]}"
    subscription = await bus.subscribe("market-data.krx.candles", handler, name=name, workers=3)
    published = [bar(krx(key), n) for n, key in enumerate(keys)]

    for message in published:
        await bus.publish(message)
    await bus.drain()
    await subscription.close()

    for key in set(keys):
        instrument = krx(key)
        assert [m for m in received if m.instrument_id == instrument] == [  # type: ignore[attr-defined]
            m for m in published if m.instrument_id == instrument
        ]


async def test_failing_subscriber_stops_neither_others_nor_its_later_messages(
    bus: EventBus,
) -> None:
    bars = [bar(krx(1), n) for n in range(5)]
    poisoned = bars[1].id
    failing, healthy = Recorder(fail_on=frozenset({poisoned})), Recorder()
    failing_subscription = await bus.subscribe("market-data.*", failing, name="fragile")
    healthy_subscription = await bus.subscribe("market-data.*", healthy, name="sturdy")

    for message in bars:
        await bus.publish(message)
    await bus.drain()

    assert healthy.messages == bars
    assert failing.messages == [m for m in bars if m.id != poisoned]
    assert failing_subscription.failed >= 1
    assert failing_subscription.handled == 4
    assert healthy_subscription.failed == 0


async def test_slow_subscriber_holds_back_without_losing_or_buffering_beyond_its_queue(
    bus: EventBus,
) -> None:
    bars = [bar(krx(1), n) for n in range(30)]
    slow = Recorder(delay_s=0.002)
    subscription = await bus.subscribe("market-data.*", slow, name="slow", queue_size=2)
    slow.observe = lambda: subscription.queued

    for message in bars:
        await bus.publish(message)
    await bus.drain()

    assert slow.messages == bars
    assert max(slow.observed) <= 2
    assert subscription.dropped == 0


async def test_drop_oldest_subscriber_keeps_the_newest_messages(bus: EventBus) -> None:
    gate = asyncio.Event()
    display = Recorder(gate=gate)
    subscription = await bus.subscribe(
        "market-data.*", display, name="display", queue_size=3, overflow=Overflow.DROP_OLDEST
    )
    bars = [bar(krx(1), n) for n in range(10)]
    await bus.publish(bars[0])
    await wait_until(lambda: display.calls == 1)  # the first is in the handler, held

    for message in bars[1:]:
        await bus.publish(message)
    await wait_until(lambda: subscription.dropped == 6)
    gate.set()
    await bus.drain()

    assert display.messages == [bars[0], *bars[-3:]]
    assert subscription.handled == 4


async def test_handler_runs_under_the_messages_correlation_id(bus: EventBus) -> None:
    recorder = Recorder()
    await bus.subscribe("orders.*", recorder, name="audit")
    order = sample_order()
    fill = sample_fill()
    caused = sample_fill().__class__(
        **{**{f: getattr(fill, f) for f in fill.__struct_fields__}, "correlation_id": order.id}
    )

    for message in (order, caused):
        await bus.publish(message)
    await bus.drain()

    assert recorder.correlations == [order.id, order.id]


async def test_request_returns_the_reply_of_the_responder(bus: EventBus) -> None:
    async def responder(message: Message) -> Message:
        return accept(message)

    await bus.serve("orders.pending", responder, name="gateway")
    order = sample_order()

    reply = await bus.request(order, timeout_s=5)

    assert isinstance(reply, OrderAccepted)
    assert reply.client_order_id == order.client_order_id
    assert reply.correlation_id == order.id


async def test_concurrent_requests_each_get_their_own_reply(bus: EventBus) -> None:
    async def responder(message: Message) -> Message:
        return accept(message)

    await bus.serve("orders.pending", responder, name="gateway", workers=2)
    orders = [sample_order(client_order_id=f"JTS-{n}") for n in range(6)]

    replies = await asyncio.gather(*(bus.request(o, timeout_s=5) for o in orders))

    assert [r.client_order_id for r in replies] == [o.client_order_id for o in orders]  # type: ignore[attr-defined]


async def test_request_nobody_serves_times_out(bus: EventBus) -> None:
    with pytest.raises(RequestTimeout, match=r"no reply to trading\.SubmitOrder"):
        await bus.request(sample_order(), timeout_s=0.2)


async def test_failing_responder_makes_the_request_fail(bus: EventBus) -> None:
    async def responder(message: Message) -> Message:
        raise RuntimeError("venue unreachable")

    await bus.serve("orders.pending", responder, name="gateway")

    with pytest.raises(RequestFailed, match="venue unreachable"):
        await bus.request(sample_order(), timeout_s=5)


async def test_plain_subscribers_also_see_requests(bus: EventBus) -> None:
    audit = Recorder()
    await bus.subscribe("orders.*", audit, name="audit")

    async def responder(message: Message) -> Message:
        return accept(message)

    await bus.serve("orders.pending", responder, name="gateway")
    order = sample_order()

    await bus.request(order, timeout_s=5)
    await bus.drain()

    assert audit.messages == [order]


async def test_closed_subscription_receives_nothing_more(bus: EventBus) -> None:
    recorder = Recorder()
    subscription = await bus.subscribe("market-data.*", recorder, name="leaving")
    await bus.publish(bar(krx(1), 0))
    await bus.drain()

    await subscription.close()
    await bus.publish(bar(krx(1), 1))
    await bus.drain()

    assert len(recorder.messages) == 1


async def test_pattern_matching_no_topic_is_refused(bus: EventBus) -> None:
    with pytest.raises(ValueError, match="matches no topic"):
        await bus.subscribe("market-date.*", Recorder(), name="typo")


async def test_bad_subscriber_name_is_refused(bus: EventBus) -> None:
    with pytest.raises(ValueError, match="subscriber name"):
        await bus.subscribe("orders.*", Recorder(), name="two words")


async def test_bus_refuses_work_before_start_and_after_close(make_bus: BusFactory) -> None:
    bus = make_bus()
    with pytest.raises(BusClosed, match="start"):
        await bus.publish(health())

    async with AsyncExitStack() as stack:
        await stack.enter_async_context(bus)
        await bus.subscribe("system.*", Recorder(), name="ops")

    with pytest.raises(BusClosed):
        await bus.publish(health())
    with pytest.raises(BusClosed):
        await bus.subscribe("system.*", Recorder(), name="late")


async def test_close_leaves_no_bus_task_running(make_bus: BusFactory) -> None:
    async with make_bus() as bus:
        await bus.subscribe("market-data.*", Recorder(delay_s=0.001), name="a", workers=3)
        await bus.serve("orders.pending", lambda m: asyncio.sleep(0, accept(m)), name="b")
        await bus.request(sample_order(), timeout_s=5)
        for n in range(20):
            await bus.publish(bar(krx(n + 1), n))

    leftover = [t for t in asyncio.all_tasks() if (t.get_name() or "").startswith("bus:")]
    assert leftover == []
