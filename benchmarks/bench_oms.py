"""OMS: submit-to-accepted latency on the simulated exchange and orders per second.

Each order goes the whole write-ahead path: ``INITIALIZED`` committed, routed,
``SUBMITTED`` committed, handed to the ``PaperBroker`` (which validates, reserves cash,
accepts, persists its account and reports ``OrderAccepted`` through the handler), then the
acknowledgement stored. ``submit`` returns once ``ACCEPTED`` is committed, so its wall time
is the submit-to-accepted latency. Limit buys rest far below the market, so nothing fills.

Two configurations:

- ``memory``: the in-memory trading store and paper account store (backtests);
- ``sqlite``: both stores in SQLite files (WAL, ``synchronous=FULL``: every commit is on disk
  before it returns), as a paper or live node runs; four commits per order (three OMS, one
  paper account), so the figure is bound by the disk's fsync time.

``orders/s, 16 concurrent`` submits from 16 tasks at once (in memory): the OMS serialises
store transactions but not venue calls. ``oms overhead`` runs the same path against the
in-memory ``FakeBroker`` (no exchange, no persistence, no threads): what the OMS itself
costs per order. No peer engine runs: none exposes a comparable write-ahead order path.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path

from tests.fakes.broker import FakeBroker

from benchmarks.harness import Figure, percentile
from jts.adapters.sql.engine import build_engine
from jts.adapters.sql.memory import InMemoryStore
from jts.adapters.sql.migrations import upgrade
from jts.adapters.sql.paper_accounts import SqlAccountStore
from jts.adapters.sql.unit_of_work import SqlUnitOfWork
from jts.contexts.trading.application.circuit_breaker import BreakerRegistry
from jts.contexts.trading.application.oms import OrderManager
from jts.contexts.trading.application.order_ledger import OrderLedger
from jts.contexts.trading.application.ports import BrokerGateway, TradingUnitOfWork
from jts.contexts.trading.application.retry import RetryPolicy
from jts.contexts.trading.application.router import SmartOrderRouter
from jts.contexts.trading.application.venues import VenueAccess
from jts.messages.enums import OrderSide, OrderType
from jts.messages.market_data import TradeTick
from jts.messages.trading import SubmitOrder
from jts.runtime.backtest.exchange import SimulatedExchange
from jts.runtime.backtest.exchange.memory_store import InMemoryAccountStore
from jts.runtime.backtest.exchange.ports import AccountStore
from jts.runtime.paper import PaperBroker
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.identifiers import KRX, ClientOrderId, InstrumentId, StrategyId
from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar
from jts.shared_kernel.venues.catalog import default_registry

SAMSUNG = InstrumentId.parse("005930.KRX")
START = 1_767_225_600_000_000_000
MEMORY_ORDERS = 4_000
SQLITE_ORDERS = 300
CONCURRENT_TASKS = 16


def _paper(store: AccountStore, clock: TestClock) -> PaperBroker:
    registry = default_registry()

    def new_exchange() -> SimulatedExchange:
        return SimulatedExchange(
            instruments=registry,
            calendars={"XKRX": AlwaysOpenCalendar("XKRX"), "24/7": AlwaysOpenCalendar()},
            clock=clock,
            balances={"KRW": Decimal(10**13)},
        )

    return PaperBroker(new_exchange=new_exchange, store=store, account_id="bench")


async def _paper_node(
    uow_factory: Callable[[], TradingUnitOfWork], account_store: AccountStore
) -> OrderManager:
    clock = TestClock(START)
    broker = _paper(account_store, clock)
    await broker.start()
    price = TradeTick(
        instrument_id=SAMSUNG, price=Decimal(70_000), size=Decimal(1), ts_event=START, ts_init=START
    )
    await broker.on_market_data(price)
    return _oms(uow_factory, broker, clock)


def _oms(
    uow_factory: Callable[[], TradingUnitOfWork], broker: BrokerGateway, clock: TestClock
) -> OrderManager:
    breakers = BreakerRegistry(clock=clock)
    venues = VenueAccess(
        {"paper": broker}, breakers=breakers, rng=random.Random(1), retry=RetryPolicy()
    )
    oms = OrderManager(
        ledger=OrderLedger(uow_factory),
        venues=venues,
        router=SmartOrderRouter({"paper": broker.capabilities}, health=breakers),
        clock=clock,
    )
    oms.attach()
    return oms


def _orders(count: int, prefix: str, *, market: bool = False) -> list[SubmitOrder]:
    return [
        SubmitOrder(
            client_order_id=ClientOrderId(f"{prefix}-{n}"),
            strategy_id=StrategyId("bench"),
            instrument_id=SAMSUNG,
            side=OrderSide.BUY,
            order_type=OrderType.MARKET if market else OrderType.LIMIT,
            quantity=Decimal(1),
            limit_price=None if market else Decimal(60_000 - n % 50 * 100),
            ts_init=START,
        )
        for n in range(count)
    ]


async def _sequential(oms: OrderManager, orders: list[SubmitOrder]) -> tuple[list[float], float]:
    latencies_us = []
    started = time.perf_counter()
    for command in orders:
        before = time.perf_counter_ns()
        await oms.submit(command)
        latencies_us.append((time.perf_counter_ns() - before) / 1_000)
    return latencies_us, len(orders) / (time.perf_counter() - started)


async def _concurrent(oms: OrderManager, orders: list[SubmitOrder]) -> float:
    queue = list(reversed(orders))

    async def worker() -> None:
        while queue:
            await oms.submit(queue.pop())

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENT_TASKS)))
    return len(orders) / (time.perf_counter() - started)


def _figures(label: str, latencies_us: list[float], rate: float) -> list[Figure]:
    return [
        Figure(
            f"oms submit-to-accepted p50 ({label})",
            percentile(latencies_us, 50),
            "us",
            higher_is_better=False,
        ),
        Figure(
            f"oms submit-to-accepted p99 ({label})",
            percentile(latencies_us, 99),
            "us",
            higher_is_better=False,
        ),
        Figure(f"oms orders/s sequential ({label})", rate, "orders/s"),
    ]


async def _overhead() -> list[Figure]:
    clock = TestClock(START)
    broker = FakeBroker(venues=frozenset({KRX}), cash={"KRW": Decimal(10**13)}, clock=clock)
    oms = _oms(InMemoryStore().unit_of_work, broker, clock)
    # Market orders: FakeBroker checks free cash by scanning every working limit order.
    await _sequential(oms, _orders(200, "warm", market=True))
    latencies, rate = await _sequential(oms, _orders(MEMORY_ORDERS, "seq", market=True))
    return [
        Figure("oms overhead p50 (FakeBroker)", percentile(latencies, 50), "us", False),
        Figure("oms overhead orders/s (FakeBroker)", rate, "orders/s"),
    ]


async def _memory() -> list[Figure]:
    store = InMemoryStore()
    oms = await _paper_node(store.unit_of_work, InMemoryAccountStore())
    await _sequential(oms, _orders(200, "warm"))
    latencies, rate = await _sequential(oms, _orders(MEMORY_ORDERS, "seq"))
    concurrent = await _concurrent(oms, _orders(MEMORY_ORDERS, "par"))
    return [
        *_figures("memory", latencies, rate),
        Figure(f"oms orders/s, {CONCURRENT_TASKS} concurrent (memory)", concurrent, "orders/s"),
    ]


async def _sqlite(directory: Path) -> list[Figure]:
    oms_url, paper_url = f"sqlite:///{directory / 'oms.db'}", f"sqlite:///{directory / 'p.db'}"
    upgrade(oms_url)
    upgrade(paper_url)
    oms_engine, paper_engine = build_engine(oms_url), build_engine(paper_url)
    try:
        oms = await _paper_node(lambda: SqlUnitOfWork(oms_engine), SqlAccountStore(paper_engine))
        await _sequential(oms, _orders(20, "warm"))
        latencies, rate = await _sequential(oms, _orders(SQLITE_ORDERS, "seq"))
    finally:
        oms_engine.dispose()
        paper_engine.dispose()
    return _figures("sqlite", latencies, rate)


def run() -> Iterable[Figure]:
    yield from asyncio.run(_overhead())
    yield from asyncio.run(_memory())
    with tempfile.TemporaryDirectory(prefix="jts-bench-oms-") as directory:
        yield from asyncio.run(_sqlite(Path(directory)))


if __name__ == "__main__":
    for figure in run():
        print(figure.to_json())
