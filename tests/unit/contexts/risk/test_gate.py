"""The pre-trade gate: each basic limit denies with its rule and numbers; exits stay free."""

from __future__ import annotations

import pytest

from jts.contexts.risk.application.gate import PreTradeGate
from jts.contexts.risk.domain.limits import RiskLimits
from jts.messages.enums import OrderSide, OrderType
from jts.messages.trading import OrderDenied, SubmitOrder
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import ClientOrderId, StrategyId
from jts.shared_kernel.venues.instruments import Instrument
from tests.unit.contexts.risk.views import BTC_USDT, REGISTRY, SAMSUNG, D, FakeAccount


def _order(
    instrument: Instrument = SAMSUNG,
    side: OrderSide = OrderSide.BUY,
    quantity: str | int = 10,
    limit: str | int | None = None,
    *,
    reduce_only: bool = False,
) -> SubmitOrder:
    return SubmitOrder(
        client_order_id=ClientOrderId("C-1"),
        instrument_id=instrument.id,
        strategy_id=StrategyId("s"),
        side=side,
        order_type=OrderType.MARKET if limit is None else OrderType.LIMIT,
        quantity=D(str(quantity)),
        limit_price=None if limit is None else D(str(limit)),
        reduce_only=reduce_only,
        ts_init=0,
    )


def _gate(limits: RiskLimits, account: FakeAccount) -> PreTradeGate:
    return PreTradeGate(
        limits=limits, account=account, market=account, instruments=REGISTRY, clock=TestClock(7)
    )


def _account(**changes: object) -> FakeAccount:
    account = FakeAccount(marks={SAMSUNG.id: D(70_000), BTC_USDT.id: D(40_000)})
    for name, value in changes.items():
        setattr(account, name, value)
    return account


def test_an_order_within_every_limit_passes_unchanged() -> None:
    order = _order()
    assert _gate(RiskLimits(), _account()).check(order) is order


def test_max_order_quantity() -> None:
    denied = _gate(RiskLimits(max_order_quantity=D(5)), _account()).check(_order(quantity=6))
    assert isinstance(denied, OrderDenied)
    assert denied.rule == "max_order_quantity"
    assert "quantity 6 is above the limit of 5" in denied.reason
    assert denied.ts_event == 7


def test_max_order_notional_counts_usdt_in_krw() -> None:
    account = _account(cash={"USDT": D(100_000)})
    gate = _gate(RiskLimits(max_order_notional=D(50_000_000)), account)
    denied = gate.check(_order(BTC_USDT, quantity="1", limit="40000"))
    assert isinstance(denied, OrderDenied)
    assert denied.rule == "max_order_notional"
    assert "54000000" in denied.reason
    smaller = _order(BTC_USDT, quantity="0.5", limit="40000")
    assert gate.check(smaller) is smaller


def test_max_open_orders_counts_the_strategys_working_orders() -> None:
    denied = _gate(RiskLimits(max_open_orders=3), _account(open_orders=3)).check(_order())
    assert isinstance(denied, OrderDenied)
    assert denied.rule == "max_open_orders"
    assert "3 orders are working; the limit is 3" in denied.reason


def test_cash_available_includes_the_fee() -> None:
    account = _account(cash={"KRW": D(700_000)})
    denied = _gate(RiskLimits(), account).check(_order(limit=70_000))
    assert isinstance(denied, OrderDenied)
    assert denied.rule == "cash_available"
    assert "700105" in denied.reason
    assert "700000 KRW are free" in denied.reason


def test_selling_more_than_is_held_is_short_selling() -> None:
    account = _account(held={SAMSUNG.id: D(4)})
    denied = _gate(RiskLimits(), account).check(_order(side=OrderSide.SELL, quantity=5))
    assert isinstance(denied, OrderDenied)
    assert denied.rule == "short_selling"
    assert "only 4 are held" in denied.reason


def test_orders_that_only_reduce_skip_the_size_limits() -> None:
    limits = RiskLimits(max_order_quantity=D(1), max_order_notional=D(1))
    account = _account(held={SAMSUNG.id: D(50)})
    order = _order(side=OrderSide.SELL, quantity=50, reduce_only=True)
    assert _gate(limits, account).check(order) is order


def test_a_market_order_without_a_price_is_denied() -> None:
    denied = _gate(RiskLimits(), _account(marks={})).check(_order())
    assert isinstance(denied, OrderDenied)
    assert denied.rule == "no_price"


def test_limits_refuse_nonsense() -> None:
    with pytest.raises(DataError, match="max_order_notional"):
        RiskLimits(max_order_notional=D(0))
    with pytest.raises(DataError, match="max_open_orders"):
        RiskLimits(max_open_orders=0)
