from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jts.contexts.risk.domain.kelly import (
    KellyMethod,
    KellyOutcome,
    KellyPolicy,
    RealizedKelly,
    kelly_sizing,
)
from jts.shared_kernel.errors import DataError

D = Decimal


def _trades(wins: int, win: str, losses: int, loss: str) -> list[Decimal]:
    return [D(win)] * wins + [D(loss)] * losses


def test_discrete_kelly_from_win_rate_and_payoff_ratio() -> None:
    # p = 0.6, b = 0.02 / 0.01 = 2: K = 0.6 - 0.4 / 2 = 0.4; half Kelly 0.2 under a 0.25 cap.
    policy = KellyPolicy(fraction=D("0.5"), cap=D("0.25"), min_trades=10)

    sizing = kelly_sizing(_trades(6, "0.02", 4, "-0.01"), policy)

    assert sizing.outcome is KellyOutcome.SIZED
    assert sizing.full_kelly == D("0.4")
    assert sizing.weight == D("0.2")
    assert sizing.win_rate == D("0.6")
    assert sizing.payoff_ratio == D(2)
    assert "0.5 x Kelly 0.4000 = 0.2000" in sizing.reason


def test_cap_bounds_the_weight() -> None:
    policy = KellyPolicy(fraction=D(1), cap=D("0.1"), min_trades=10)

    sizing = kelly_sizing(_trades(6, "0.02", 4, "-0.01"), policy)

    assert sizing.outcome is KellyOutcome.CAPPED
    assert sizing.weight == D("0.1")
    assert "capped at 0.1" in sizing.reason


def test_no_edge_sizes_zero_never_negative() -> None:
    # p = 0.4, b = 1: K = 0.4 - 0.6 = -0.2.
    sizing = kelly_sizing(_trades(4, "0.01", 6, "-0.01"), KellyPolicy(min_trades=10))

    assert sizing.outcome is KellyOutcome.NO_EDGE
    assert sizing.weight == 0
    assert sizing.full_kelly == D("-0.2")
    assert "no edge" in sizing.reason


def test_all_losses_is_no_edge() -> None:
    sizing = kelly_sizing(_trades(0, "0", 12, "-0.01"), KellyPolicy(min_trades=10))

    assert sizing.outcome is KellyOutcome.NO_EDGE
    assert sizing.full_kelly == D(-1)
    assert sizing.weight == 0


def test_all_wins_is_full_kelly_one_then_capped() -> None:
    sizing = kelly_sizing(_trades(12, "0.01", 0, "0"), KellyPolicy(cap=D("0.2"), min_trades=10))

    assert sizing.full_kelly == D(1)
    assert sizing.payoff_ratio is None
    assert sizing.outcome is KellyOutcome.CAPPED
    assert sizing.weight == D("0.2")


def test_breakeven_trades_count_in_the_sample_but_not_as_wins() -> None:
    trades = [*_trades(6, "0.02", 2, "-0.01"), D(0), D(0)]

    sizing = kelly_sizing(trades, KellyPolicy(min_trades=10))

    assert sizing.win_rate == D("0.6")
    assert sizing.full_kelly == D("0.6") - D("0.4") / D(2)


def test_small_sample_denies_sizing_without_a_fallback() -> None:
    sizing = kelly_sizing(_trades(5, "0.02", 2, "-0.01"), KellyPolicy(min_trades=30))

    assert sizing.outcome is KellyOutcome.INSUFFICIENT_SAMPLE
    assert sizing.weight == 0
    assert sizing.full_kelly is None
    assert sizing.reason == "7 closed trades, Kelly needs 30; sizing denied"


def test_small_sample_uses_the_capped_fallback() -> None:
    policy = KellyPolicy(cap=D("0.05"), min_trades=30, fallback_weight=D("0.1"))

    sizing = kelly_sizing(_trades(1, "0.02", 0, "0"), policy)

    assert sizing.outcome is KellyOutcome.FALLBACK
    assert sizing.weight == D("0.05")


def test_continuous_kelly_is_mean_over_variance() -> None:
    trades = [D("0.03"), D("-0.01"), D("0.02"), D("0.00")]
    mean = sum(trades, D(0)) / 4
    variance = sum(((t - mean) ** 2 for t in trades), D(0)) / 3
    policy = KellyPolicy(fraction=D(1), cap=D(1000), min_trades=4, method=KellyMethod.CONTINUOUS)

    sizing = kelly_sizing(trades, policy)

    assert sizing.full_kelly == pytest.approx(mean / variance, rel=D("1e-20"))
    assert sizing.weight == sizing.full_kelly


def test_continuous_kelly_without_variance_is_the_sign_of_the_mean() -> None:
    policy = KellyPolicy(min_trades=3, method=KellyMethod.CONTINUOUS)

    assert RealizedKelly(policy, [D("0.01")] * 3).full_kelly() == 1
    assert RealizedKelly(policy, [D("-0.01")] * 3).full_kelly() == -1


def test_running_estimate_matches_the_batch_and_reports_none_until_the_sample() -> None:
    trades = _trades(6, "0.02", 4, "-0.01")
    running = RealizedKelly(KellyPolicy(min_trades=10))

    seen = []
    for trade in trades:
        seen.append(running.full_kelly())
        running.record(trade)

    assert seen == [None] * 10
    assert running.full_kelly() == D("0.4")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fraction": D(0)}, "fraction is 0"),
        ({"fraction": D("1.5")}, "fraction is 1.5"),
        ({"cap": D(0)}, "cap is 0"),
        ({"min_trades": 0}, "min_trades is 0"),
        ({"fallback_weight": D(-1)}, "fallback_weight is -1"),
    ],
)
def test_bad_policy_is_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(DataError, match=message):
        KellyPolicy(**kwargs)  # type: ignore[arg-type]


def test_non_finite_trade_return_is_refused() -> None:
    with pytest.raises(DataError, match="trade return is NaN"):
        RealizedKelly(KellyPolicy()).record(D("NaN"))


_RETURNS = st.lists(
    st.decimals(min_value=D("-0.5"), max_value=D("0.5"), places=4), min_size=1, max_size=60
)


@given(trades=_RETURNS, method=st.sampled_from(KellyMethod))
def test_weight_is_never_negative_nor_above_the_cap(
    trades: list[Decimal], method: KellyMethod
) -> None:
    policy = KellyPolicy(cap=D("0.2"), min_trades=5, method=method)

    sizing = kelly_sizing(trades, policy)

    assert D(0) <= sizing.weight <= policy.cap
    assert (sizing.weight == 0) == (
        sizing.outcome in (KellyOutcome.NO_EDGE, KellyOutcome.INSUFFICIENT_SAMPLE)
    )
