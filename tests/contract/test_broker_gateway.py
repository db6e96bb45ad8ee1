"""One contract for every ``BrokerGateway``: the fake, the paper broker (in memory and on
SQLite) and, later, every venue adapter against its simulator (add a fixture parameter).

Each implementation comes as a ``Venue`` (``tests/fakes/venues.py``): the broker, an
instrument it trades, valid prices and quantity, and optional hooks (``trade_at`` to make
the market trade, ``restart`` for persistence); tests needing a hook the venue lacks skip.
Waiting is done with ``eventually`` so venues that report asynchronously pass too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine

from jts.adapters.sql.engine import build_engine
from jts.adapters.sql.migrations import upgrade
from jts.adapters.sql.paper_accounts import SqlAccountStore
from jts.messages.enums import OrderSide, OrderStatus, OrderType
from jts.messages.trading import (
    ModifyOrder,
    OrderAccepted,
    OrderCanceled,
    OrderEvent,
    OrderFilled,
    OrderModified,
    SubmitOrder,
)
from jts.runtime.backtest.exchange.memory_store import InMemoryAccountStore
from jts.runtime.backtest.exchange.ports import AccountStore
from jts.shared_kernel.errors import InsufficientFunds, OrderNotFound, PermanentVenueError
from jts.shared_kernel.identifiers import (
    ClientOrderId,
    InstrumentId,
    StrategyId,
    VenueOrderId,
    new_client_order_id,
)
from tests.fakes.venues import CASH, START_NS, Venue, eventually, fake_venue, paper_venue


@pytest.fixture(params=["fake", "paper-memory", "paper-sqlite"])
async def venue(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Venue]:
    if request.param == "fake":
        yield fake_venue()
    elif request.param == "paper-memory":
        store = InMemoryAccountStore()
        yield await paper_venue(lambda: store)
    else:
        url = f"sqlite:///{tmp_path / 'paper.sqlite3'}"
        upgrade(url)
        engines: list[Engine] = []

        def new_store() -> AccountStore:
            engines.append(build_engine(url))
            return SqlAccountStore(engines[-1])

        yield await paper_venue(new_store)
        for engine in engines:
            engine.dispose()


def order(
    venue: Venue,
    *,
    side: OrderSide = OrderSide.BUY,
    price: Decimal | None = None,
    quantity: Decimal | None = None,
    client_order_id: ClientOrderId | None = None,
) -> SubmitOrder:
    return SubmitOrder(
        client_order_id=client_order_id or new_client_order_id(),
        strategy_id=StrategyId("contract"),
        instrument_id=venue.instrument,
        side=side,
        order_type=OrderType.LIMIT if price is not None else OrderType.MARKET,
        quantity=quantity or venue.quantity,
        limit_price=price,
        ts_init=START_NS,
    )


async def status_of(venue: Venue, command: SubmitOrder) -> OrderStatus | None:
    report = await venue.broker.order_status(command.client_order_id)
    return None if report is None else report.status


def events_of(venue: Venue, command: SubmitOrder, kind: type[OrderEvent]) -> list[OrderEvent]:
    return [
        e
        for e in venue.events
        if isinstance(e, kind) and e.client_order_id == command.client_order_id
    ]


async def buy_filled(venue: Venue) -> SubmitOrder:
    assert venue.trade_at is not None
    command = order(venue, price=venue.price)
    await venue.broker.submit(command)
    await venue.trade_at(venue.price - Decimal(1000))
    return command


def needs(hook: object, what: str) -> None:
    if hook is None:
        pytest.skip(f"this implementation has no {what} hook")


# Capabilities


async def test_capabilities_name_the_venue_and_limit_orders(venue: Venue) -> None:
    capabilities = venue.broker.capabilities

    assert capabilities.supports(venue.instrument, OrderType.LIMIT)
    assert venue.broker.name


# Submit


async def test_submit_returns_a_venue_order_id_and_the_order_works(venue: Venue) -> None:
    command = order(venue, price=venue.far_below)

    venue_order_id = await venue.broker.submit(command)

    report = await venue.broker.order_status(command.client_order_id)
    assert report is not None
    assert report.venue_order_id == venue_order_id
    assert report.status in (OrderStatus.ACCEPTED, OrderStatus.SUBMITTED)
    assert report.quantity == command.quantity
    assert report.limit_price == command.limit_price
    open_ids = [r.client_order_id for r in await venue.broker.open_orders()]
    assert command.client_order_id in open_ids


async def test_submit_reports_acceptance_through_the_handler(venue: Venue) -> None:
    command = order(venue, price=venue.far_below)

    venue_order_id = await venue.broker.submit(command)

    async def accepted() -> bool:
        return bool(events_of(venue, command, OrderAccepted))

    await eventually(accepted)
    event = events_of(venue, command, OrderAccepted)[0]
    assert isinstance(event, OrderAccepted)
    assert event.venue_order_id == venue_order_id


async def test_submit_is_idempotent_on_the_client_order_id(venue: Venue) -> None:
    command = order(venue, price=venue.far_below)

    first = await venue.broker.submit(command)
    second = await venue.broker.submit(command)

    assert first == second
    mine = [
        r for r in await venue.broker.open_orders() if r.client_order_id == command.client_order_id
    ]
    assert len(mine) == 1


async def test_an_off_grid_price_is_refused_permanently(venue: Venue) -> None:
    needs(venue.off_grid_price, "off-grid price")
    assert venue.off_grid_price is not None
    command = order(venue, price=venue.off_grid_price)

    with pytest.raises(PermanentVenueError):
        await venue.broker.submit(command)

    assert await venue.broker.order_status(command.client_order_id) is None


async def test_a_buy_beyond_the_cash_is_refused_as_insufficient_funds(venue: Venue) -> None:
    command = order(venue, price=venue.price, quantity=venue.quantity * 1000)

    with pytest.raises(InsufficientFunds):
        await venue.broker.submit(command)


async def test_selling_what_is_not_held_is_refused(venue: Venue) -> None:
    command = order(venue, side=OrderSide.SELL, price=venue.price)

    with pytest.raises(PermanentVenueError):
        await venue.broker.submit(command)


# Cancel


async def test_cancel_ends_the_order_and_reports_it(venue: Venue) -> None:
    command = order(venue, price=venue.far_below)
    venue_order_id = await venue.broker.submit(command)

    await venue.broker.cancel(command.client_order_id, venue_order_id)

    async def canceled() -> bool:
        return await status_of(venue, command) is OrderStatus.CANCELED

    await eventually(canceled)
    assert events_of(venue, command, OrderCanceled)
    open_ids = [r.client_order_id for r in await venue.broker.open_orders()]
    assert command.client_order_id not in open_ids


async def test_cancel_without_the_venue_order_id_works(venue: Venue) -> None:
    command = order(venue, price=venue.far_below)
    await venue.broker.submit(command)

    await venue.broker.cancel(command.client_order_id, None)

    async def canceled() -> bool:
        return await status_of(venue, command) is OrderStatus.CANCELED

    await eventually(canceled)


async def test_cancel_of_an_unknown_order_raises_order_not_found(venue: Venue) -> None:
    with pytest.raises(OrderNotFound):
        await venue.broker.cancel(ClientOrderId("never-sent"), VenueOrderId("nope"))


async def test_cancel_of_a_canceled_order_is_refused_permanently(venue: Venue) -> None:
    command = order(venue, price=venue.far_below)
    venue_order_id = await venue.broker.submit(command)
    await venue.broker.cancel(command.client_order_id, venue_order_id)

    async def canceled() -> bool:
        return await status_of(venue, command) is OrderStatus.CANCELED

    await eventually(canceled)

    with pytest.raises(PermanentVenueError):
        await venue.broker.cancel(command.client_order_id, venue_order_id)


# Modify


async def test_modify_changes_the_limit_price(venue: Venue) -> None:
    command = order(venue, price=venue.far_below)
    venue_order_id = await venue.broker.submit(command)
    new_price = venue.far_below - Decimal(1_000_000)

    await venue.broker.modify(
        ModifyOrder(
            client_order_id=command.client_order_id,
            instrument_id=venue.instrument,
            limit_price=new_price,
            ts_init=START_NS,
        ),
        venue_order_id,
    )

    async def modified() -> bool:
        report = await venue.broker.order_status(command.client_order_id)
        return report is not None and report.limit_price == new_price

    await eventually(modified)
    assert events_of(venue, command, OrderModified)


async def test_modify_of_an_unknown_order_raises_order_not_found(venue: Venue) -> None:
    with pytest.raises(OrderNotFound):
        await venue.broker.modify(
            ModifyOrder(
                client_order_id=ClientOrderId("never-sent"),
                instrument_id=venue.instrument,
                limit_price=venue.far_below,
                ts_init=START_NS,
            ),
            None,
        )


# Queries


async def test_order_status_of_an_unknown_order_is_none(venue: Venue) -> None:
    assert await venue.broker.order_status(ClientOrderId("never-sent")) is None


async def test_open_orders_filter_by_instrument(venue: Venue) -> None:
    command = order(venue, price=venue.far_below)
    await venue.broker.submit(command)

    elsewhere = InstrumentId.parse("ETH-KRW.UPBIT")

    assert [r.client_order_id for r in await venue.broker.open_orders(venue.instrument)] == [
        command.client_order_id
    ]
    assert await venue.broker.open_orders(elsewhere) == []


async def test_open_buy_orders_lock_cash(venue: Venue) -> None:
    before = {b.currency: b for b in await venue.broker.balances()}
    command = order(venue, price=venue.far_below)

    await venue.broker.submit(command)

    after = {b.currency: b for b in await venue.broker.balances()}
    assert after["KRW"].total == before["KRW"].total
    assert after["KRW"].locked >= before["KRW"].locked + venue.far_below * venue.quantity


# Fills


async def test_a_trade_through_the_limit_fills_the_order(venue: Venue) -> None:
    needs(venue.trade_at, "trade_at")

    command = await buy_filled(venue)

    async def filled() -> bool:
        return await status_of(venue, command) is OrderStatus.FILLED

    await eventually(filled)
    report = await venue.broker.order_status(command.client_order_id)
    assert report is not None
    assert report.filled_quantity == command.quantity
    assert report.average_fill_price == venue.price


async def test_fills_are_reported_after_acceptance(venue: Venue) -> None:
    needs(venue.trade_at, "trade_at")

    command = await buy_filled(venue)

    async def reported() -> bool:
        return bool(events_of(venue, command, OrderFilled))

    await eventually(reported)
    kinds = [type(e) for e in venue.events if e.client_order_id == command.client_order_id]
    assert kinds.index(OrderAccepted) < kinds.index(OrderFilled)
    fill = events_of(venue, command, OrderFilled)[0]
    assert isinstance(fill, OrderFilled)
    assert (fill.last_qty, fill.last_price, fill.side) == (
        command.quantity,
        venue.price,
        OrderSide.BUY,
    )


async def test_fills_since_returns_executions_from_that_time(venue: Venue) -> None:
    needs(venue.trade_at, "trade_at")
    command = await buy_filled(venue)

    async def has_fill() -> bool:
        fills = await venue.broker.fills_since(0)
        return any(f.client_order_id == command.client_order_id for f in fills)

    await eventually(has_fill)
    fills = [
        f for f in await venue.broker.fills_since(0) if f.client_order_id == command.client_order_id
    ]
    assert sum(f.last_qty for f in fills) == command.quantity
    latest = max(f.ts_event for f in fills)
    assert await venue.broker.fills_since(latest + 1) == []


async def test_a_fill_shows_in_positions_and_balances(venue: Venue) -> None:
    needs(venue.trade_at, "trade_at")
    command = await buy_filled(venue)

    async def held() -> bool:
        positions = {p.instrument_id: p for p in await venue.broker.positions()}
        return venue.instrument in positions

    await eventually(held)
    position = {p.instrument_id: p for p in await venue.broker.positions()}[venue.instrument]
    assert position.quantity == command.quantity
    assert position.average_price == venue.price
    krw = {b.currency: b for b in await venue.broker.balances()}["KRW"]
    fills = [
        f for f in await venue.broker.fills_since(0) if f.client_order_id == command.client_order_id
    ]
    fees = sum((f.commission for f in fills if f.commission_currency == "KRW"), Decimal(0))
    assert krw.total == CASH - venue.price * command.quantity - fees
    assert krw.locked == 0


async def test_what_was_bought_can_be_sold(venue: Venue) -> None:
    needs(venue.trade_at, "trade_at")
    assert venue.trade_at is not None
    await buy_filled(venue)
    sell = order(venue, side=OrderSide.SELL, price=venue.price)

    await venue.broker.submit(sell)
    await venue.trade_at(venue.price + Decimal(1000))

    async def sold() -> bool:
        return await status_of(venue, sell) is OrderStatus.FILLED

    await eventually(sold)
    assert venue.instrument not in {p.instrument_id for p in await venue.broker.positions()}


# Restart


async def test_a_restarted_gateway_sees_the_same_account(venue: Venue) -> None:
    needs(venue.restart, "restart")
    needs(venue.trade_at, "trade_at")
    assert venue.restart is not None
    filled = await buy_filled(venue)
    working = order(venue, price=venue.far_below)
    working_id = await venue.broker.submit(working)
    balances = await venue.broker.balances()
    positions = await venue.broker.positions()
    fills = await venue.broker.fills_since(0)

    restarted = await venue.restart()

    assert await restarted.balances() == balances
    assert await restarted.positions() == positions
    assert await restarted.fills_since(0) == fills
    assert [r.client_order_id for r in await restarted.open_orders()] == [working.client_order_id]
    report = await restarted.order_status(filled.client_order_id)
    assert report is not None
    assert report.status is OrderStatus.FILLED
    assert await restarted.submit(working) == working_id
