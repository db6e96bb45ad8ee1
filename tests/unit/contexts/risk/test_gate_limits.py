"""The gate's exposure, market and account-state rules: each denies with its rule and
numbers, and none of them traps an order that only reduces a position."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from jts.contexts.risk.application.gate import PreTradeGate
from jts.contexts.risk.domain.checks_market import DayLoss
from jts.contexts.risk.domain.limits import RiskLimits
from jts.contexts.risk.domain.var import VarModel
from jts.messages.enums import OrderSide, OrderType
from jts.messages.trading import OrderDenied, SubmitOrder
from jts.shared_kernel.clock import TestClock, datetime_to_ns
from jts.shared_kernel.errors import ConfigurationError, DataError
from jts.shared_kernel.identifiers import ClientOrderId, StrategyId
from jts.shared_kernel.venues.krx_calendar import krx_session_calendar
from tests.unit.contexts.risk.views import REGISTRY, SAMSUNG, D, FakeAccount, FakeRiskState

KRX = krx_session_calendar(holidays=(), first_day=date(2026, 1, 1), last_day=date(2026, 12, 31))
SATURDAY_10AM = datetime_to_ns(
    datetime.combine(date(2026, 3, 7), time(10), tzinfo=ZoneInfo("Asia/Seoul"))
)


def order(
    side: OrderSide = OrderSide.BUY,
    quantity: int = 100,
    limit: int | None = None,
    *,
    reduce_only: bool = False,
) -> SubmitOrder:
    return SubmitOrder(
        client_order_id=ClientOrderId("C-1"),
        instrument_id=SAMSUNG.id,
        strategy_id=StrategyId("golden_cross"),
        side=side,
        order_type=OrderType.MARKET if limit is None else OrderType.LIMIT,
        quantity=D(quantity),
        limit_price=None if limit is None else D(limit),
        reduce_only=reduce_only,
        ts_init=0,
    )


def gate(
    limits: RiskLimits,
    account: FakeAccount,
    state: FakeRiskState | None = None,
    now: int = 7,
) -> PreTradeGate:
    return PreTradeGate(
        limits=limits,
        account=account,
        market=account,
        instruments=REGISTRY,
        clock=TestClock(now),
        risk_state=state,
    )


def account(**changes: object) -> FakeAccount:
    made = FakeAccount(marks={SAMSUNG.id: D(70_000)})
    for name, value in changes.items():
        setattr(made, name, value)
    return made


def denied(result: SubmitOrder | OrderDenied) -> OrderDenied:
    assert isinstance(result, OrderDenied), result
    return result


def test_a_sell_of_what_is_held_is_an_exit_whatever_its_size() -> None:
    limits = RiskLimits(max_order_notional=D(1), max_position_weight=D("0.01"))
    held = account(held={SAMSUNG.id: D(100)}, values={SAMSUNG.id: D(7_000_000)})
    exit_order = order(OrderSide.SELL, 100)
    assert gate(limits, held).check(exit_order) is exit_order


def test_the_account_wide_open_order_count() -> None:
    result = gate(RiskLimits(max_open_orders_total=10), account(total_open=10)).check(order())
    assert denied(result).rule == "max_open_orders_total"
    assert "10 orders are working on the account; the limit is 10" in denied(result).reason


def test_a_krx_order_on_a_saturday_is_denied_but_an_exit_may_queue() -> None:
    limits = RiskLimits(trading_hours=True)
    krx = account(calendar=KRX, held={SAMSUNG.id: D(100)})
    result = denied(gate(limits, krx, now=SATURDAY_10AM).check(order()))
    assert result.rule == "market_closed"
    assert "XKRX has no session on Saturday 2026-03-07" in result.reason
    stop = order(OrderSide.SELL, 100, reduce_only=True)
    assert gate(limits, krx, now=SATURDAY_10AM).check(stop) is stop


def test_a_limit_far_from_the_last_price_is_a_fat_finger() -> None:
    limits = RiskLimits(fat_finger_band=D("0.1"))
    result = denied(gate(limits, account()).check(order(limit=700_000, quantity=1)))
    assert result.rule == "fat_finger"
    assert "price 700000 is 900.00% away from the last price 70000" in result.reason
    near = order(limit=72_000)
    assert gate(limits, account()).check(near) is near


def test_the_position_limit_includes_what_is_held() -> None:
    limits = RiskLimits(max_position_weight=D("0.2"))
    # 100 x 70,000 = 7,000,000 on top of 14,000,000 held: 21% of 100,000,000
    held = account(values={SAMSUNG.id: D(14_000_000)})
    result = denied(gate(limits, held).check(order()))
    assert result.rule == "max_position"
    assert "would be 21000000 KRW, 21.00% of equity" in result.reason


def test_the_strategy_budget_counts_working_buys() -> None:
    limits = RiskLimits(strategy_budgets={"golden_cross": D(30_000_000)})
    busy = account(strategy_gross=D(20_000_000), working=D(4_000_000))
    result = denied(gate(limits, busy).check(order()))
    assert result.rule == "strategy_budget"
    assert "would commit 31000000 KRW" in result.reason
    fits = order()
    assert gate(limits, account(strategy_gross=D(20_000_000))).check(fits) is fits


def test_the_daily_loss_limit_blocks_entries_not_exits() -> None:
    limits = RiskLimits(max_daily_loss=D("0.03"))
    state = FakeRiskState(day=DayLoss(day_open=D(100_000_000), equity=D(96_000_000)))
    held = account(held={SAMSUNG.id: D(100)})
    result = denied(gate(limits, held, state).check(order()))
    assert result.rule == "daily_loss"
    assert "4.00% of the day's opening equity" in result.reason
    exit_order = order(OrderSide.SELL, 100)
    assert gate(limits, held, state).check(exit_order) is exit_order


def _model() -> VarModel:
    rng = np.random.default_rng(3)
    returns = rng.normal(0.0, 0.02, size=(250, 1))
    return VarModel.fit([SAMSUNG.id], returns, rng=np.random.default_rng(0), paths=1_000)


def test_an_order_over_the_var_budget_is_denied_with_the_numbers() -> None:
    limits = RiskLimits(var_budget_weight=D("0.01"))  # 1,000,000 KRW of 1-day 99% VaR
    state = FakeRiskState(model=_model())
    held = account(values={SAMSUNG.id: D(30_000_000)})
    result = denied(gate(limits, held, state).check(order(quantity=200)))
    assert result.rule == "var_budget"
    assert "order would take 1-day 99% historical VaR from " in result.reason
    assert "over the budget of 1000000" in result.reason
    assert "(KRW; the budget is 1.00% of equity)" in result.reason
    small = order(quantity=10)
    assert gate(limits, account(), state).check(small) is small


def test_the_var_budget_passes_until_there_is_a_model() -> None:
    limits = RiskLimits(var_budget_weight=D("0.0001"))
    big = order(quantity=1_000)
    assert gate(limits, account(), FakeRiskState()).check(big) is big


def test_account_state_limits_need_a_risk_state() -> None:
    with pytest.raises(ConfigurationError, match="live risk guard"):
        gate(RiskLimits(max_daily_loss=D("0.03")), account())


def test_limits_refuse_nonsense_shares() -> None:
    with pytest.raises(DataError, match="fat_finger_band"):
        RiskLimits(fat_finger_band=D("1.5"))
    with pytest.raises(DataError, match="strategy_budgets"):
        RiskLimits(strategy_budgets={"s": D(-1)})
    with pytest.raises(DataError, match="max_open_orders_total"):
        RiskLimits(max_open_orders_total=0)
