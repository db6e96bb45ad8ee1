"""A paper-trading process for the crash test: ``python -m tests.acceptance.paper_process``.

It runs the OMS (SQLite trading store ``oms.sqlite3``) against a ``PaperBroker`` (SQLite
account store ``paper.sqlite3``) in ``--home``, feeds the simulated exchange a seeded
random walk of trade prints for a KRX stock and bitcoin, and as fast as it can submits limit
orders around the price, cancels open ones and reconciles now and then, until it is killed.
At start it recovers first (``Reconciler.reconcile_all``), then prints ``READY``.

Before each submit it appends ``<run> <client order id>`` to ``intents.log`` and fsyncs it,
so the test knows every order the process meant to place, including one the kill cut short.
``build_node`` is shared with the test, which recovers the same stores in-process after
each kill and compares the OMS with the paper broker.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine

from jts.adapters.clock import LiveClock
from jts.adapters.sql.engine import build_engine
from jts.adapters.sql.migrations import upgrade
from jts.adapters.sql.paper_accounts import SqlAccountStore
from jts.adapters.sql.unit_of_work import SqlUnitOfWork
from jts.contexts.trading.application.circuit_breaker import BreakerRegistry
from jts.contexts.trading.application.oms import OrderManager
from jts.contexts.trading.application.order_ledger import OrderLedger
from jts.contexts.trading.application.reconciliation import Reconciler
from jts.contexts.trading.application.retry import RetryPolicy
from jts.contexts.trading.application.router import SmartOrderRouter
from jts.contexts.trading.application.venues import VenueAccess
from jts.messages.enums import OrderSide, OrderType
from jts.messages.market_data import TradeTick
from jts.messages.trading import CancelOrder, SubmitOrder
from jts.runtime.backtest.exchange import SimulatedExchange
from jts.runtime.paper import PaperBroker
from jts.shared_kernel.clock import Clock
from jts.shared_kernel.identifiers import ClientOrderId, InstrumentId, StrategyId
from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar
from jts.shared_kernel.venues.catalog import default_registry

SAMSUNG = InstrumentId.parse("005930.KRX")
BITCOIN = InstrumentId.parse("BTC-KRW.UPBIT")
INITIAL_BALANCES = {"KRW": Decimal(1_000_000_000)}
ACCOUNT = "paper-crash"
BROKER = "paper"


@dataclass(frozen=True)
class Market:
    instrument: InstrumentId
    start: Decimal
    tick: Decimal
    quantities: tuple[Decimal, ...]


MARKETS = (
    Market(SAMSUNG, Decimal(70_000), Decimal(100), (Decimal(1), Decimal(3), Decimal(10))),
    Market(BITCOIN, Decimal(100_000_000), Decimal(1000), (Decimal("0.001"), Decimal("0.01"))),
)


def oms_url(home: Path) -> str:
    return f"sqlite:///{home / 'oms.sqlite3'}"


def paper_url(home: Path) -> str:
    return f"sqlite:///{home / 'paper.sqlite3'}"


def prepare(home: Path) -> None:
    """Create both databases (run once, before the first process)."""
    home.mkdir(parents=True, exist_ok=True)
    upgrade(oms_url(home))
    upgrade(paper_url(home))


@dataclass
class Node:
    """One process's worth of wiring: OMS + reconciler + paper broker on ``home``'s stores."""

    oms: OrderManager
    reconciler: Reconciler
    broker: PaperBroker
    account_store: SqlAccountStore
    engines: tuple[Engine, Engine]
    clock: Clock

    async def start(self) -> None:
        await self.broker.start()
        self.oms.attach()
        await self.reconciler.reconcile_all()

    def close(self) -> None:
        self.oms.detach()
        for engine in self.engines:
            engine.dispose()


def build_node(home: Path) -> Node:
    clock = LiveClock()
    oms_engine, paper_engine = build_engine(oms_url(home)), build_engine(paper_url(home))
    account_store = SqlAccountStore(paper_engine)
    registry = default_registry()

    def new_exchange() -> SimulatedExchange:
        calendars = {"XKRX": AlwaysOpenCalendar("XKRX"), "24/7": AlwaysOpenCalendar()}
        return SimulatedExchange(
            instruments=registry, calendars=calendars, clock=clock, balances=INITIAL_BALANCES
        )

    broker = PaperBroker(
        new_exchange=new_exchange, store=account_store, account_id=ACCOUNT, name=BROKER
    )
    breakers = BreakerRegistry(clock=clock)
    venues = VenueAccess(
        {BROKER: broker},
        breakers=breakers,
        rng=random.Random(0),
        retry=RetryPolicy(max_attempts=3, base_delay_s=0.01, call_timeout_s=5.0),
    )
    oms = OrderManager(
        ledger=OrderLedger(lambda: SqlUnitOfWork(oms_engine)),
        venues=venues,
        router=SmartOrderRouter({BROKER: broker.capabilities}, health=breakers),
        clock=clock,
    )
    return Node(
        oms=oms,
        reconciler=Reconciler(oms, clock=clock),
        broker=broker,
        account_store=account_store,
        engines=(oms_engine, paper_engine),
        clock=clock,
    )


class Trader:
    """Seeded random activity: prices, submits around them, cancels, reconciliations."""

    def __init__(self, node: Node, *, seed: int, run: int, intents: Path) -> None:
        self._node = node
        self._rng = random.Random(seed * 1_000_003 + run)
        self._run = run
        self._intents = intents.open("a", encoding="utf-8")
        self._prices = {m.instrument: m.start for m in MARKETS}
        self._count = 0

    async def step(self) -> None:
        market = self._rng.choice(MARKETS)
        await self._print_trade(market)
        roll = self._rng.random()
        if roll < 0.55:
            await self._submit(market)
        elif roll < 0.8:
            await self._cancel_one()
        elif roll < 0.83:
            await self._node.reconciler.reconcile_all()

    async def _print_trade(self, market: Market) -> None:
        steps = self._rng.choice((-2, -1, 0, 1, 2))
        low = market.start * Decimal("0.95")
        price = max(low, self._prices[market.instrument] + steps * market.tick)
        price = min(price, market.start * Decimal("1.05"))
        self._prices[market.instrument] = price
        now = self._node.clock.now_ns()
        tick = TradeTick(
            instrument_id=market.instrument,
            price=price,
            size=Decimal(1000),
            ts_event=now,
            ts_init=now,
        )
        await self._node.broker.on_market_data(tick)

    async def _submit(self, market: Market) -> None:
        self._count += 1
        client_order_id = ClientOrderId(f"C{self._run:03d}-{self._count:06d}")
        side = self._rng.choice((OrderSide.BUY, OrderSide.SELL))
        offset = self._rng.choice((-2, -1, 0, 1, 2)) * market.tick
        price = self._prices[market.instrument] + (offset if side is OrderSide.BUY else -offset)
        command = SubmitOrder(
            client_order_id=client_order_id,
            strategy_id=StrategyId("crash-test"),
            instrument_id=market.instrument,
            side=side,
            order_type=OrderType.LIMIT,
            quantity=self._rng.choice(market.quantities),
            limit_price=price,
            ts_init=self._node.clock.now_ns(),
        )
        self._intents.write(f"{self._run} {client_order_id}\n")
        self._intents.flush()
        os.fsync(self._intents.fileno())
        await self._node.oms.submit(command)

    async def _cancel_one(self) -> None:
        open_orders = await self._node.oms.ledger.list_open()
        if not open_orders:
            return
        victim = self._rng.choice(open_orders)
        command = CancelOrder(
            client_order_id=victim.client_order_id,
            instrument_id=victim.instrument_id,
            ts_init=self._node.clock.now_ns(),
        )
        await self._node.oms.cancel(command)


async def trade_until_killed(home: Path, *, seed: int, run: int) -> None:
    node = build_node(home)
    await node.start()
    print("READY", flush=True)
    trader = Trader(node, seed=seed, run=run, intents=home / "intents.log")
    while True:
        await trader.step()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--run", type=int, required=True)
    arguments = parser.parse_args()
    asyncio.run(trade_until_killed(arguments.home, seed=arguments.seed, run=arguments.run))


if __name__ == "__main__":
    main()
