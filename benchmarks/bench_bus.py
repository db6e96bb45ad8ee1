"""Event bus: in-process throughput and publish-to-handler latency, message encode/decode
rates, and Redis Streams throughput when a Redis server is reachable.

Messages are realistic: one-minute KRX bars over 50 instruments and Upbit trade ticks.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from redis.asyncio import Redis

from benchmarks.harness import Figure, best_of, percentile
from jts.adapters.bus.inprocess import InProcessEventBus
from jts.adapters.bus.redis_streams import RedisStreamsEventBus
from jts.messages.base import Message
from jts.messages.codec import MessageCodec
from jts.messages.market_data import Bar, TradeTick
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

THROUGHPUT_MESSAGES = 200_000
LATENCY_SAMPLES = 20_000
CODEC_MESSAGES = 20_000
REDIS_MESSAGES = 5_000
REDIS_URL = os.environ.get("JTS_BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
_MINUTE_NS = 60_000_000_000


def make_bars(count: int) -> list[Bar]:
    instruments = [InstrumentId.parse(f"{n:06d}.KRX") for n in range(1, 51)]
    minute = Timeframe.parse("1m")
    bars = []
    for n in range(count):
        close = Decimal(70_000 + n % 500 * 10)
        start = n // 50 * _MINUTE_NS
        bars.append(
            Bar(
                instrument_id=instruments[n % 50],
                timeframe=minute,
                ts_start=start,
                ts_event=start + _MINUTE_NS,
                ts_init=start + _MINUTE_NS,
                open=close - 100,
                high=close + 200,
                low=close - 300,
                close=close,
                volume=Decimal(1_000 + n % 977),
            )
        )
    return bars


def make_trades(count: int) -> list[TradeTick]:
    bitcoin = InstrumentId.parse("BTC-KRW.UPBIT")
    return [
        TradeTick(
            instrument_id=bitcoin,
            price=Decimal("95000000") + n % 100 * 1000,
            size=Decimal("0.0123"),
            sequence=n,
            ts_event=n + 1,
            ts_init=n + 2,
        )
        for n in range(count)
    ]


async def _inprocess_throughput(messages: Sequence[Message], workers: int) -> float:
    handled = 0

    async def handler(message: Message) -> None:
        nonlocal handled
        handled += 1

    async with InProcessEventBus(queue_size=10_000) as bus:
        await bus.subscribe("market-data.*", handler, name="bench", workers=workers)
        start = time.perf_counter()
        for message in messages:
            await bus.publish(message)
        await bus.drain()
        elapsed = time.perf_counter() - start
    if handled != len(messages):
        raise RuntimeError(f"handled {handled} of {len(messages)} messages")
    return len(messages) / elapsed


async def _inprocess_latency_us(messages: Sequence[Message]) -> list[float]:
    """Publish one message at a time and time until its handler starts."""
    arrived = asyncio.Event()
    reached_ns = 0

    async def handler(message: Message) -> None:
        nonlocal reached_ns
        reached_ns = time.perf_counter_ns()
        arrived.set()

    samples = []
    async with InProcessEventBus() as bus:
        await bus.subscribe("market-data.*", handler, name="bench")
        for message in messages:
            arrived.clear()
            sent_ns = time.perf_counter_ns()
            await bus.publish(message)
            await arrived.wait()
            samples.append((reached_ns - sent_ns) / 1_000)
    return samples


def _codec_rates(messages: Sequence[Message]) -> Iterable[Figure]:
    codec = MessageCodec()
    jsons = [codec.to_json(m) for m in messages]
    packs = [codec.to_msgpack(m) for m in messages]
    cases: list[tuple[str, Callable[[], object]]] = [
        ("encode_json", lambda: [codec.to_json(m) for m in messages]),
        ("decode_json", lambda: [codec.from_json(b) for b in jsons]),
        ("encode_msgpack", lambda: [codec.to_msgpack(m) for m in messages]),
        ("decode_msgpack", lambda: [codec.from_msgpack(b) for b in packs]),
    ]
    for name, action in cases:
        seconds = best_of(3, action)
        yield Figure(f"bus.codec.{name}.bar_and_trade", len(messages) / seconds, "msgs/s")


def _redis_reachable() -> bool:
    host_port = REDIS_URL.split("//", 1)[1].split("/", 1)[0]
    host, _, port = host_port.partition(":")
    try:
        with socket.create_connection((host, int(port or 6379)), timeout=0.5):
            return True
    except OSError:
        return False


async def _redis_throughput(messages: Sequence[Message], publishers: int) -> float:
    """Messages per second from ``publish`` to the handler, ``publishers`` tasks publishing
    at once (each owns a slice of the instruments, as separate feeds would)."""
    prefix = f"jts-bench-{uuid.uuid4().hex[:10]}"
    handled = 0

    async def handler(message: Message) -> None:
        nonlocal handled
        handled += 1

    try:
        async with RedisStreamsEventBus(REDIS_URL, stream_prefix=prefix) as bus:
            await bus.subscribe("market-data.*", handler, name="bench", workers=4)

            async def publish_slice(first: int) -> None:
                for message in messages[first::publishers]:
                    await bus.publish(message)

            start = time.perf_counter()
            await asyncio.gather(*(publish_slice(n) for n in range(publishers)))
            await bus.drain(timeout_s=60)
            elapsed = time.perf_counter() - start
    finally:
        await _delete_prefix(prefix)
    if handled != len(messages):
        raise RuntimeError(f"handled {handled} of {len(messages)} messages")
    return len(messages) / elapsed


async def _delete_prefix(prefix: str) -> None:
    client = Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*", count=1000)]
        for start in range(0, len(keys), 1000):
            await client.delete(*keys[start : start + 1000])
    finally:
        await client.aclose()


def run() -> Iterable[Figure]:
    bars = make_bars(THROUGHPUT_MESSAGES)
    for workers in (1, 4):
        rate = max(asyncio.run(_inprocess_throughput(bars, workers)) for _ in range(3))
        yield Figure(f"bus.inprocess.throughput.bars.workers_{workers}", rate, "msgs/s")

    samples = asyncio.run(_inprocess_latency_us(bars[:LATENCY_SAMPLES]))
    for q in (50, 99):
        yield Figure(
            f"bus.inprocess.publish_to_handler_p{q}",
            percentile(samples, q),
            "us",
            higher_is_better=False,
        )

    mixed: list[Message] = [*make_bars(CODEC_MESSAGES // 2), *make_trades(CODEC_MESSAGES // 2)]
    yield from _codec_rates(mixed)

    if _redis_reachable():
        for publishers in (1, 8):
            rate = asyncio.run(_redis_throughput(bars[:REDIS_MESSAGES], publishers))
            yield Figure(
                f"bus.redis_streams.throughput.bars.publishers_{publishers}", rate, "msgs/s"
            )
