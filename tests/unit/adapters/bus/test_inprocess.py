from __future__ import annotations

import asyncio
import logging

import pytest

from jts.adapters.bus.inprocess import InProcessEventBus
from jts.messages.base import Message
from jts.messages.bus import BusClosed, RequestFailed
from jts.messages.market_data import MarketDataEvent
from jts.shared_kernel.identifiers import InstrumentId
from tests.unit.adapters.bus.helpers import Recorder, bar, health, krx, trade, wait_until
from tests.unit.messages.samples import sample_order


class Unrouted(MarketDataEvent, frozen=True, kw_only=True):
    """A message type with no route in the topic registry."""


async def test_publish_waits_while_the_subscribers_queue_is_full() -> None:
    gate = asyncio.Event()
    async with InProcessEventBus() as bus:
        slow = Recorder(gate=gate)
        await bus.subscribe("market-data.*", slow, name="slow", queue_size=1)
        await bus.publish(bar(krx(1), 0))
        await wait_until(lambda: slow.calls == 1)  # held in the handler
        await bus.publish(bar(krx(1), 1))  # fills the queue

        third = asyncio.create_task(bus.publish(bar(krx(1), 2)))
        await asyncio.sleep(0.01)
        waited = not third.done()
        gate.set()
        await third
        await bus.drain()

    assert waited
    assert [m.ts_start for m in slow.messages] == [0, 60_000_000_000, 120_000_000_000]  # type: ignore[attr-defined]


async def test_close_handles_what_is_already_queued() -> None:
    recorder = Recorder(delay_s=0.001)
    bus = InProcessEventBus()
    await bus.start()
    await bus.subscribe("market-data.*", recorder, name="late")
    bars = [bar(krx(1), n) for n in range(20)]
    for message in bars:
        await bus.publish(message)

    await bus.close()

    assert recorder.messages == bars


async def test_close_gives_up_on_a_stuck_handler_after_the_grace_period(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bus = InProcessEventBus(close_grace_s=0.05)
    await bus.start()
    await bus.subscribe("system.*", Recorder(gate=asyncio.Event()), name="stuck")
    await bus.publish(health())

    with caplog.at_level(logging.WARNING):
        await asyncio.wait_for(bus.close(), timeout=2)

    assert any("did not drain" in r.getMessage() for r in caplog.records)


async def test_a_subscriber_added_later_receives_later_messages() -> None:
    async with InProcessEventBus() as bus:
        early, late = Recorder(), Recorder()
        await bus.subscribe("market-data.*", early, name="early")
        await bus.publish(bar(krx(1), 0))
        await bus.subscribe("market-data.*", late, name="late")

        await bus.publish(bar(krx(1), 1))
        await bus.drain()

    assert len(early.messages) == 2
    assert len(late.messages) == 1


async def test_venue_decides_the_market_data_topic() -> None:
    async with InProcessEventBus() as bus:
        krx_ticks, crypto_ticks = Recorder(), Recorder()
        await bus.subscribe("market-data.krx.ticks", krx_ticks, name="krx")
        await bus.subscribe("market-data.crypto.ticks", crypto_ticks, name="crypto")
        samsung, bitcoin = trade("005930.KRX"), trade("BTCUSDT.BINANCE")

        await bus.publish(samsung)
        await bus.publish(bitcoin)
        await bus.drain()

    assert krx_ticks.messages == [samsung]
    assert crypto_ticks.messages == [bitcoin]


async def test_members_of_a_group_each_own_a_fixed_set_of_keys() -> None:
    async with InProcessEventBus() as bus:
        left, right = Recorder(), Recorder()
        await bus.subscribe("market-data.*", left, name="shared")
        await bus.subscribe("market-data.*", right, name="shared")

        for sequence in range(3):
            for number in range(1, 9):
                await bus.publish(bar(krx(number), sequence))
        await bus.drain()

    left_keys = {m.instrument_id for m in left.messages}  # type: ignore[attr-defined]
    right_keys = {m.instrument_id for m in right.messages}  # type: ignore[attr-defined]
    assert left_keys.isdisjoint(right_keys)
    assert len(left.messages) + len(right.messages) == 24


async def test_responder_returning_something_else_than_a_message_fails_the_request() -> None:
    async def careless(message: Message) -> Message:
        return "accepted"  # type: ignore[return-value]

    async with InProcessEventBus() as bus:
        await bus.serve("orders.pending", careless, name="gateway")

        with pytest.raises(RequestFailed, match="returned str, not a Message"):
            await bus.request(sample_order(), timeout_s=1)


async def test_a_request_waiting_when_the_bus_closes_fails_with_bus_closed() -> None:
    async def never(message: Message) -> Message:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    bus = InProcessEventBus(close_grace_s=0.01)
    await bus.start()
    await bus.serve("orders.pending", never, name="gateway")
    waiting = asyncio.create_task(bus.request(sample_order(), timeout_s=5))
    await asyncio.sleep(0.01)

    await bus.close()

    with pytest.raises(BusClosed):
        await waiting


async def test_one_message_cannot_be_requested_twice_at_once() -> None:
    async def slow(message: Message) -> Message:
        await asyncio.sleep(0.05)
        return message

    async with InProcessEventBus() as bus:
        await bus.serve("orders.pending", slow, name="gateway")
        order = sample_order()
        first = asyncio.create_task(bus.request(order, timeout_s=1))
        await asyncio.sleep(0)

        with pytest.raises(ValueError, match="already waiting"):
            await bus.request(order, timeout_s=1)
        assert await first == order


async def test_publishing_an_unrouted_type_names_the_missing_route() -> None:
    message = Unrouted(instrument_id=InstrumentId.parse("005930.KRX"), ts_event=1, ts_init=1)

    async with InProcessEventBus() as bus:
        with pytest.raises(LookupError, match="Unrouted has no topic"):
            await bus.publish(message)


async def test_a_bus_cannot_be_started_twice() -> None:
    async with InProcessEventBus() as bus:
        with pytest.raises(BusClosed, match="running"):
            await bus.start()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"workers": 0}, "workers is 0"),
        ({"queue_size": 0}, "queue_size is 0"),
    ],
)
async def test_bad_subscription_options_are_refused(options: dict[str, int], message: str) -> None:
    async with InProcessEventBus() as bus:
        with pytest.raises(ValueError, match=message):
            await bus.subscribe("orders.*", Recorder(), name="x", **options)  # type: ignore[arg-type]
