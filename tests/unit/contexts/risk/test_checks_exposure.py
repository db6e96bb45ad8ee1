"""Exposure rules: position, strategy and gross exposure, the strategy budget, with numbers."""

from __future__ import annotations

from decimal import Decimal

from jts.contexts.risk.domain.checks import OrderFigures
from jts.contexts.risk.domain.checks_exposure import ExposureFigures, check_exposure
from jts.contexts.risk.domain.limits import RiskLimits
from jts.shared_kernel.venues.types import OrderSide

D = Decimal
EQUITY = D(100_000_000)


def buy(value: int, side: OrderSide = OrderSide.BUY) -> OrderFigures:
    """An order worth ``value`` KRW (10 units at value / 10)."""
    return OrderFigures(
        side=side,
        quantity=D(10),
        price=D(value) / 10,
        fx_rate=D(1),
        quote_fee=D(0),
        currency="KRW",
        base_currency="KRW",
        reduces=False,
    )


def book(**figures: Decimal | None) -> ExposureFigures:
    defaults: dict[str, Decimal | None] = {
        "equity": EQUITY,
        "position": D(0),
        "strategy_gross": D(0),
        "strategy_working": D(0),
        "gross": D(0),
        "budget": None,
    }
    defaults.update(figures)
    return ExposureFigures(**defaults)  # type: ignore[arg-type]


def test_nothing_is_checked_without_limits() -> None:
    assert check_exposure(buy(90_000_000), book(), RiskLimits(), "s") is None


def test_position_after_the_order_as_a_share_of_equity() -> None:
    limits = RiskLimits(max_position_weight=D("0.2"))
    assert check_exposure(buy(15_000_000), book(position=D(5_000_000)), limits, "s") is None
    denial = check_exposure(buy(15_000_000), book(position=D(6_000_000)), limits, "s")
    assert denial is not None
    assert denial.rule == "max_position"
    assert (denial.limit, denial.value) == (D(20_000_000), D(21_000_000))
    assert "would be 21000000 KRW, 21.00% of equity, over the limit of 20000000 KRW" in (
        denial.reason
    )
    assert "(20.00% of equity 100000000 KRW)" in denial.reason


def test_position_in_base_currency() -> None:
    limits = RiskLimits(max_position_notional=D(10_000_000))
    denial = check_exposure(buy(12_000_000), book(), limits, "s")
    assert denial is not None
    assert denial.rule == "max_position"
    assert "over the limit of 10000000 KRW per instrument" in denial.reason


def test_a_sell_that_opens_a_short_counts_its_absolute_value() -> None:
    limits = RiskLimits(max_position_weight=D("0.1"))
    denial = check_exposure(buy(12_000_000, OrderSide.SELL), book(), limits, "s")
    assert denial is not None
    assert denial.value == D(12_000_000)


def test_strategy_and_gross_exposure() -> None:
    limits = RiskLimits(max_strategy_exposure_weight=D("0.5"), max_gross_exposure_weight=D("0.8"))
    figures = book(strategy_gross=D(45_000_000), gross=D(60_000_000))
    denial = check_exposure(buy(6_000_000), figures, limits, "golden_cross")
    assert denial is not None
    assert denial.rule == "max_strategy_exposure"
    assert "strategy golden_cross's gross exposure would be 51000000 KRW" in denial.reason
    figures = book(strategy_gross=D(10_000_000), gross=D(78_000_000))
    denial = check_exposure(buy(6_000_000), figures, limits, "golden_cross")
    assert denial is not None
    assert denial.rule == "max_gross_exposure"
    assert (denial.limit, denial.value) == (D(80_000_000), D(84_000_000))


def test_the_budget_counts_positions_working_buys_and_the_order() -> None:
    figures = book(
        strategy_gross=D(20_000_000), strategy_working=D(5_000_000), budget=D(30_000_000)
    )
    assert check_exposure(buy(5_000_000), figures, RiskLimits(), "s") is None
    denial = check_exposure(buy(6_000_000), figures, RiskLimits(), "golden_cross")
    assert denial is not None
    assert denial.rule == "strategy_budget"
    assert (denial.limit, denial.value) == (D(30_000_000), D(31_000_000))
    assert (
        "strategy golden_cross would commit 31000000 KRW (positions 20000000, working buys "
        "5000000, this order 6000000), over its budget of 30000000 KRW"
    ) in denial.reason


def test_budgets_per_strategy_win_over_the_default_share() -> None:
    limits = RiskLimits(
        strategy_budget_weight=D("0.25"), strategy_budgets={"golden_cross": D(30_000_000)}
    )
    assert limits.strategy_budget("golden_cross", EQUITY) == D(30_000_000)
    assert limits.strategy_budget("other", EQUITY) == D(25_000_000)
    assert RiskLimits().strategy_budget("other", EQUITY) is None
