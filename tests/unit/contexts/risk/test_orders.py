"""The order planner: sized, rounded, banded and affordable orders from signals."""

from __future__ import annotations

import itertools
from decimal import Decimal

from jts.contexts.risk.application.orders import OrderPlanner
from jts.contexts.risk.domain.sizing import KellyEstimate
from jts.contexts.strategy.domain.python_api import kelly, percent_equity, quantity, risk
from jts.messages.enums import Direction, OrderSide, OrderType
from jts.messages.strategy import EntrySignalRaised, ExitSignalRaised, Sizing
from jts.messages.trading import OrderDenied, SubmitOrder
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.identifiers import ClientOrderId, StrategyId
from jts.shared_kernel.venues.instruments import Instrument
from tests.unit.contexts.risk.views import BTC_USDT, REGISTRY, SAMSUNG, D, FakeAccount


def _planner(account: FakeAccount, edge: KellyEstimate | None = None) -> OrderPlanner:
    numbers = itertools.count(1)
    return OrderPlanner(
        account=account,
        market=account,
        instruments=REGISTRY,
        clock=TestClock(5),
        order_ids=lambda: ClientOrderId(f"BT-{next(numbers)}"),
        kelly=edge,
    )


class LosingEdge:
    """Realized trades with a negative full Kelly fraction."""

    def full_kelly(self) -> Decimal | None:
        return D("-0.2")


def _entry(
    sizing: Sizing,
    instrument: Instrument = SAMSUNG,
    *,
    close: str | int = 70_000,
    limit: str | None = None,
    direction: Direction = Direction.LONG,
) -> EntrySignalRaised:
    return EntrySignalRaised(
        strategy_id=StrategyId("s"),
        instrument_id=instrument.id,
        direction=direction,
        reference_price=D(str(close)),
        sizing=sizing,
        order_type=OrderType.MARKET if limit is None else OrderType.LIMIT,
        limit_price=None if limit is None else D(limit),
        ts_event=1,
        ts_init=1,
    )


def _account(**changes: object) -> FakeAccount:
    account = FakeAccount(marks={SAMSUNG.id: D(70_000), BTC_USDT.id: D(40_000)})
    for name, value in changes.items():
        setattr(account, name, value)
    return account


def test_percent_equity_rounds_down_to_whole_shares() -> None:
    order = _planner(_account()).entry_order(_entry(percent_equity(D("0.2")), close=70_100))
    assert isinstance(order, SubmitOrder)
    assert (order.side, order.order_type, order.quantity) == (OrderSide.BUY, OrderType.MARKET, 285)
    assert order.client_order_id == "BT-1"


def test_limit_entries_round_down_onto_the_grid_and_size_at_the_limit() -> None:
    signal = _entry(percent_equity(D("0.2")), close=70_000, limit="69654.3")
    order = _planner(_account()).entry_order(signal)
    assert isinstance(order, SubmitOrder)
    assert order.limit_price == 69_600  # the 100-won tick of 50,000-200,000 KRW
    assert order.quantity == 287  # 20,000,000 / 69,600


def test_a_limit_outside_the_daily_band_is_clipped_into_it() -> None:
    account = _account(band=(D(63_000), D(91_000)))
    signal = _entry(quantity(1), limit="50000")
    order = _planner(account).entry_order(signal)
    assert isinstance(order, SubmitOrder)
    assert order.limit_price == 63_000


def test_buys_are_cut_to_what_the_free_cash_pays_for() -> None:
    account = _account(cash={"KRW": D(1_000_000)})
    order = _planner(account).entry_order(_entry(percent_equity(D("0.5"))))
    assert isinstance(order, SubmitOrder)
    assert order.quantity == 14  # 1,000,000 / (70,000 x 1.00015)


def test_usdt_instruments_size_from_krw_equity_at_the_fx_rate() -> None:
    account = _account(cash={"USDT": D(100_000)})
    order = _planner(account).entry_order(_entry(percent_equity(D("0.1")), BTC_USDT, close=40_000))
    assert isinstance(order, SubmitOrder)
    assert order.quantity == D("0.18518")  # 10,000,000 KRW / 1,350 / 40,000, to the lot


def test_risk_sizing_uses_the_stop_distance() -> None:
    order = _planner(_account()).entry_order(_entry(risk(D("0.01"), D(3_000))))
    assert isinstance(order, SubmitOrder)
    assert order.quantity == 333


def test_a_size_under_one_lot_is_denied_with_the_numbers() -> None:
    denied = _planner(_account(cash={"KRW": D(50_000)})).entry_order(_entry(quantity(1)))
    assert isinstance(denied, OrderDenied)
    assert denied.rule == "sizing"
    assert "0 after rounding" in denied.reason


def test_kelly_without_an_edge_is_denied_saying_so_in_plain_numbers() -> None:
    signal = _entry(kelly(D("0.5"), D("0.3")))

    denied = _planner(_account(), edge=LosingEdge()).entry_order(signal)

    assert isinstance(denied, OrderDenied)
    assert denied.rule == "sizing"
    assert denied.reason.startswith(
        "kelly sizing gives 0 units of 005930.KRX (the strategy's realized trades show no "
        "edge, so Kelly stakes nothing), 0 after rounding to the lot of 1"
    )


def test_terms_the_venue_refuses_are_denied() -> None:
    account = _account(refusal="[krx.tick] price off the grid")
    denied = _planner(account).entry_order(_entry(quantity(1)))
    assert isinstance(denied, OrderDenied)
    assert denied.rule == "venue_rules"
    assert "krx.tick" in denied.reason


def test_an_exit_sells_the_free_whole_lots() -> None:
    account = _account(held={BTC_USDT.id: D("0.1234567")})
    exit_signal = ExitSignalRaised(
        strategy_id=StrategyId("s"),
        instrument_id=BTC_USDT.id,
        direction=Direction.LONG,
        ts_event=1,
        ts_init=1,
    )
    order = _planner(account).exit_order(exit_signal)
    assert isinstance(order, SubmitOrder)
    assert (order.side, order.quantity, order.order_type) == (
        OrderSide.SELL,
        D("0.12345"),
        OrderType.MARKET,
    )
    assert _planner(_account()).exit_order(exit_signal) is None


def test_a_protective_stop_is_a_reduce_only_stop_market_order() -> None:
    signal = _entry(quantity(1))
    order = _planner(_account()).order(
        signal, OrderSide.SELL, D(3), None, trigger=D(65_000), reduce_only=True
    )
    assert order.order_type is OrderType.STOP_MARKET
    assert order.trigger_price == 65_000
    assert order.reduce_only
    assert order.correlation_id == signal.id


def test_decimal_sizes_never_exceed_the_budget() -> None:
    account = _account(cash={"KRW": D(123_456_789)}, equity_value=D(123_456_789))
    order = _planner(account).entry_order(_entry(percent_equity(D(1)), close=70_000))
    assert isinstance(order, SubmitOrder)
    assert order.quantity * D(70_000) * (1 + SAMSUNG.fees.taker_rate) <= D(123_456_789)
