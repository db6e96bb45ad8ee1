"""What the broker contract suite (``tests/contract/test_broker_gateway.py``) runs on.

A ``Venue`` is a ``BrokerGateway`` plus what the suite needs to drive it: an instrument it
trades, prices and a quantity valid there, and optional hooks: ``trade_at`` makes the market
print a price (filling resting orders it goes through), ``restart`` gives a new gateway on
the same account. A new broker adapter adds a builder here and a fixture parameter there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal

from jts.contexts.trading.application.ports import BrokerGateway
from jts.messages.market_data import TradeTick
from jts.messages.trading import OrderEvent
from jts.runtime.backtest.exchange import SimulatedExchange
from jts.runtime.backtest.exchange.ports import AccountStore
from jts.runtime.paper import PaperBroker
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar
from jts.shared_kernel.venues.catalog import default_registry
from tests.fakes.broker import FakeBroker

BTC_KRW = InstrumentId.parse("BTC-KRW.UPBIT")
START_NS = 1_767_225_600_000_000_000  # 2026-01-01T00:00:00Z
CASH = Decimal(10_000_000)
BTC_PRICE = Decimal(100_000_000)


@dataclass
class Venue:
    broker: BrokerGateway
    instrument: InstrumentId
    price: Decimal  # a valid limit price near the market
    far_below: Decimal  # a valid buy limit the market will not reach in the suite
    quantity: Decimal
    off_grid_price: Decimal | None = None
    trade_at: Callable[[Decimal], Awaitable[None]] | None = None
    restart: Callable[[], Awaitable[BrokerGateway]] | None = None
    events: list[OrderEvent] = field(default_factory=list)

    def listen(self, broker: BrokerGateway) -> None:
        """Collect ``broker``'s reports into ``events``."""

        async def collect(event: OrderEvent) -> None:
            self.events.append(event)

        broker.set_event_handler(collect)


async def eventually(check: Callable[[], Awaitable[bool]], timeout_s: float = 2.0) -> None:
    """Wait until ``check`` holds (venues may report asynchronously)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not await check():
        if loop.time() > deadline:
            raise AssertionError("the broker did not reach the expected state in time")
        await asyncio.sleep(0.01)


def fake_venue() -> Venue:
    fake = FakeBroker(cash={"KRW": CASH}, price_step=Decimal(1000))

    async def trade_at(price: Decimal) -> None:
        await fake.trade_at(BTC_KRW, price)

    venue = Venue(
        broker=fake,
        instrument=BTC_KRW,
        price=BTC_PRICE,
        far_below=Decimal(90_000_000),
        quantity=Decimal("0.01"),
        off_grid_price=Decimal(100_000_500),
        trade_at=trade_at,
    )
    venue.listen(fake)
    return venue


def _paper(store: AccountStore, clock: TestClock) -> PaperBroker:
    registry = default_registry()

    def new_exchange() -> SimulatedExchange:
        return SimulatedExchange(
            instruments=registry,
            calendars={"XKRX": AlwaysOpenCalendar("XKRX"), "24/7": AlwaysOpenCalendar()},
            clock=clock,
            balances={"KRW": CASH},
        )

    return PaperBroker(new_exchange=new_exchange, store=store, account_id="paper-1")


async def paper_venue(new_store: Callable[[], AccountStore]) -> Venue:
    """A paper broker on Upbit BTC-KRW whose account lives in ``new_store()``'s store."""
    clock = TestClock(START_NS)
    current = [_paper(new_store(), clock)]

    async def trade_at(price: Decimal) -> None:
        clock.advance_ns(1_000_000)
        now = clock.now_ns()
        tick = TradeTick(
            instrument_id=BTC_KRW, price=price, size=Decimal(100), ts_event=now, ts_init=now
        )
        await current[0].on_market_data(tick)

    async def restart() -> BrokerGateway:
        current[0] = _paper(new_store(), clock)
        return current[0]

    await trade_at(BTC_PRICE)  # the market has a price before the suite trades
    venue = Venue(
        broker=current[0],
        instrument=BTC_KRW,
        price=BTC_PRICE,
        far_below=Decimal(90_000_000),
        quantity=Decimal("0.01"),
        off_grid_price=Decimal(100_000_500),
        trade_at=trade_at,
        restart=restart,
    )
    venue.listen(current[0])
    return venue
